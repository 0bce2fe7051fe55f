"""The conditions engine (``tessera.triggers.rules``): json-rules-engine's operators with
JavaScript's comparisons, as pure functions."""

from typing import Any

import pytest

from tessera.triggers.rules import UNDEFINED, condition_holds, conditions_hold, read_path

FACTS = {
    "status": 50,
    "first_text": "welcome",
    "isOpen": True,
    "department": {"hasBot": False, "name": "Sales"},
    "tags": ["vip", "new"],
    "snapshot": {"availableAgentsCount": 0},
    "count": "12",
    "participants": [{"id": "a"}, {"id": "b"}],
}


def holds(path: str, operator: str, value: Any) -> bool:
    return condition_holds(
        {"fact": "json", "path": path, "operator": operator, "value": value}, FACTS
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("department.hasBot", False),
        ("$.department.name", "Sales"),
        ("participants.1.id", "b"),
        ("$.participants[0].id", "a"),
        ("department.missing", UNDEFINED),
        ("status.deeper", UNDEFINED),
        ("", FACTS),
    ],
)
def test_paths(path: str, expected: Any) -> None:
    assert read_path(FACTS, path) == expected


@pytest.mark.parametrize(
    ("path", "operator", "value", "expected"),
    [
        ("status", "equal", 50, True),
        ("status", "equal", "50", False),  # strict equality
        ("isOpen", "equal", 1, False),
        ("isOpen", "equal", True, True),
        ("department.hasBot", "equal", False, True),
        ("department", "equal", {"hasBot": False, "name": "Sales"}, False),  # objects
        ("missing", "equal", None, False),  # undefined is not null
        ("missing", "notEqual", "x", True),
        ("status", "notEqual", 50, False),
        ("first_text", "in", ["welcome", "callout"], True),
        ("first_text", "in", "say welcome!", True),  # a string's indexOf
        ("first_text", "in", ["other"], False),
        ("first_text", "notIn", ["other"], True),
        ("tags", "contains", "vip", True),
        ("tags", "contains", "gold", False),
        ("first_text", "contains", "wel", False),  # only arrays contain
        ("tags", "doesNotContain", "gold", True),
        ("first_text", "doesNotContain", "x", False),
        ("status", "greaterThan", 49, True),
        ("status", "greaterThan", 50, False),
        ("status", "greaterThanInclusive", 50, True),
        ("status", "lessThan", "51", True),
        ("status", "lessThanInclusive", 50, True),
        ("count", "greaterThan", 11, True),  # parseFloat("12")
        ("first_text", "lessThan", 100, False),  # not a number
        ("isOpen", "lessThan", 100, False),
        ("missing", "lessThan", 100, False),
        ("snapshot.availableAgentsCount", "greaterThan", 0, False),
        ("status", "between", 50, False),  # unknown operator
    ],
)
def test_operators(path: str, operator: str, value: Any, expected: bool) -> None:
    assert holds(path, operator, value) is expected


def test_a_value_may_read_the_facts() -> None:
    condition = {
        "fact": "json",
        "path": "snapshot.availableAgentsCount",
        "operator": "lessThan",
        "value": {"fact": "json", "path": "status"},
    }

    assert condition_holds(condition, FACTS) is True


def test_only_the_json_fact_exists() -> None:
    condition = {"fact": "other", "path": "status", "operator": "equal", "value": 50}

    assert condition_holds(condition, FACTS) is False


def test_all_any_and_empty_conditions() -> None:
    yes = {"fact": "json", "path": "status", "operator": "equal", "value": 50}
    no = {"fact": "json", "path": "status", "operator": "equal", "value": 51}

    assert conditions_hold({"all": [yes, yes]}, FACTS) is True
    assert conditions_hold({"all": [yes, no]}, FACTS) is False
    assert conditions_hold({"any": [no, yes]}, FACTS) is True
    assert conditions_hold({"any": [no]}, FACTS) is False
    assert conditions_hold({"all": [], "any": []}, FACTS) is False  # never fires
    assert conditions_hold({"all": [no], "any": [yes]}, FACTS) is True  # "any" wins
