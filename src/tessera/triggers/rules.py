"""The conditions of a trigger, evaluated as Tiledesk's rules engine (json-rules-engine)
evaluates them, as pure functions.

A condition reads the fact ``json`` (the event's JSON) at ``path`` (dotted, optionally
``$.``-prefixed) and compares it with ``value`` by ``operator``. JavaScript semantics are
kept where they decide a result: equality is strict (``1`` is not ``"1"`` nor ``true``;
objects and arrays never equal a value), a missing path is ``undefined`` (equal to
nothing), the numeric operators refuse a fact that does not start like a number.
"""

import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

FACT = "json"


class _Undefined:
    """JavaScript's ``undefined``: what a path that leads nowhere reads."""

    def __repr__(self) -> str:
        return "undefined"


UNDEFINED: Final = _Undefined()
_NUMBER_PREFIX = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def read_path(facts: Any, path: str | None) -> Any:
    """The value at ``path`` (``a.b.0.c`` or ``$.a.b[0].c``) inside ``facts``."""
    if not path:
        return facts
    cleaned = path.removeprefix("$").lstrip(".")
    cleaned = re.sub(r"\[(\d+)\]", r".\1", cleaned)
    value = facts
    for segment in cleaned.split("."):
        if segment == "":
            continue
        if isinstance(value, Mapping) and segment in value:
            value = value[segment]
        elif isinstance(value, list) and segment.isdigit() and int(segment) < len(value):
            value = value[int(segment)]
        else:
            return UNDEFINED
    return value


def _kind(value: Any) -> str:
    if value is UNDEFINED:
        return "undefined"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "object"


def strict_equal(left: Any, right: Any) -> bool:
    """JavaScript's ``===`` between JSON values (objects compare by identity: never equal)."""
    kind = _kind(left)
    if kind != _kind(right) or kind == "object":
        return False
    if kind in ("undefined", "null"):
        return True
    return bool(left == right)


def _index_of(container: Any, item: Any) -> bool:
    """``container.indexOf(item) > -1`` for an array or a string container."""
    if isinstance(container, list):
        return any(strict_equal(element, item) for element in container)
    if isinstance(container, str) and isinstance(item, str):
        return item in container
    return False


def _looks_numeric(value: Any) -> bool:
    """json-rules-engine's number validator: ``parseFloat(value)`` is a number."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return not math.isnan(value)
    return isinstance(value, str) and _NUMBER_PREFIX.match(value) is not None


def _number(value: Any) -> float:
    """JavaScript's ``Number(value)`` for JSON values (NaN when it is not a number)."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    if value is None:
        return 0.0
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return 0.0
        try:
            return float(text)
        except ValueError:
            return math.nan
    return math.nan


def _numeric(compare: Callable[[float, float], bool]) -> Callable[[Any, Any], bool]:
    def operator(fact: Any, value: Any) -> bool:
        return _looks_numeric(fact) and compare(_number(fact), _number(value))

    return operator


OPERATORS: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "equal": strict_equal,
    "notEqual": lambda fact, value: not strict_equal(fact, value),
    "in": lambda fact, value: _index_of(value, fact),
    "notIn": lambda fact, value: isinstance(value, list | str) and not _index_of(value, fact),
    "contains": lambda fact, value: isinstance(fact, list) and _index_of(fact, value),
    "doesNotContain": lambda fact, value: isinstance(fact, list) and not _index_of(fact, value),
    "lessThan": _numeric(lambda a, b: a < b),
    "lessThanInclusive": _numeric(lambda a, b: a <= b),
    "greaterThan": _numeric(lambda a, b: a > b),
    "greaterThanInclusive": _numeric(lambda a, b: a >= b),
}


def condition_holds(condition: Mapping[str, Any], facts: Mapping[str, Any]) -> bool:
    """One condition. A ``value`` of the form ``{"fact": "json", "path": ...}`` reads the
    facts too, as in json-rules-engine; an unknown fact or operator never holds (Tiledesk's
    engine stops with an error)."""
    operator = OPERATORS.get(str(condition.get("operator")))
    if operator is None or condition.get("fact") != FACT:
        return False
    value = condition.get("value")
    if isinstance(value, Mapping) and "fact" in value:
        if value.get("fact") != FACT:
            return False
        value = read_path(facts, value.get("path"))
    return operator(read_path(facts, condition.get("path")), value)


def conditions_hold(conditions: Mapping[str, Any], facts: Mapping[str, Any]) -> bool:
    """A trigger's ``{"all": [...], "any": [...]}``. As in Tiledesk, an empty list counts as
    absent, a trigger with neither never fires, and with both only ``any`` is evaluated."""
    any_of: Sequence[Mapping[str, Any]] = conditions.get("any") or []
    all_of: Sequence[Mapping[str, Any]] = conditions.get("all") or []
    if any_of:
        return any(condition_holds(condition, facts) for condition in any_of)
    if all_of:
        return all(condition_holds(condition, facts) for condition in all_of)
    return False
