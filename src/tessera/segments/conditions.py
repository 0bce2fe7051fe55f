"""A segment's filters as SQL conditions on leads (§5.25), the same on SQLite and PostgreSQL.

Tiledesk turns each filter into a MongoDB query on the lead (utils/segment2mongoConverter.js);
Tessera keeps the meaning of each operator, with these deliberate differences:

* ``starts with`` works (a case-insensitive prefix; Tiledesk accepts it and ignores it);
* ``match: "any"`` ORs the filters (Tiledesk always ANDs them);
* ``contains`` is a case-sensitive substring, not a regular expression (no client-chosen
  pattern runs in the database);
* several filters on one field all apply (Tiledesk keeps only the last one).

Values are compared as MongoDB does: on a lead column the value is first cast to the column's
type (mongoose casts queries: ``"100"`` finds status 100, a date string finds a date); inside
``attributes``/``properties`` a string only equals a string and a number a number. A value
that cannot be cast matches nothing (and ``!=`` matches everything).
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Float,
    String,
    and_,
    bindparam,
    case,
    false,
    func,
    or_,
    true,
)
from sqlalchemy.ext.compiler import compiles

from tessera.core.db import JsonArrayContains, JsonPathEquals, JsonPathExists
from tessera.leads.models import leads

OPERATORS = ("=", "!=", ">", ">=", "starts with", "contains", "is null", "is not null")
TEXT_OPERATORS = frozenset({"starts with", "contains"})
JSON_ROOTS = frozenset({"attributes", "properties"})

ColumnKind = Literal["text", "number", "date", "tags"]

# Lead fields by their wire name (§9.6), with the type mongoose casts query values to.
COLUMNS: dict[str, tuple[ColumnElement[Any], ColumnKind]] = {
    "_id": (leads.c.id, "text"),
    "lead_id": (leads.c.lead_id, "text"),
    "fullname": (leads.c.fullname, "text"),
    "email": (leads.c.email, "text"),
    "phone": (leads.c.phone, "text"),
    "company": (leads.c.company, "text"),
    "note": (leads.c.note, "text"),
    "streetAddress": (leads.c.street_address, "text"),
    "city": (leads.c.city, "text"),
    "region": (leads.c.region, "text"),
    "zipcode": (leads.c.zipcode, "text"),
    "country": (leads.c.country, "text"),
    "createdBy": (leads.c.created_by, "text"),
    "status": (leads.c.status, "number"),
    "createdAt": (leads.c.created_at, "date"),
    "updatedAt": (leads.c.updated_at, "date"),
    "tags": (leads.c.tags, "tags"),
}


class _Mismatch(Exception):
    """The filter's value cannot be cast to the field's type."""


def is_known_field(field: str) -> bool:
    """A lead column, or a path of non-empty keys inside ``attributes``/``properties``."""
    if field in COLUMNS:
        return True
    root, _, rest = field.partition(".")
    return root in JSON_ROOTS and bool(rest) and all(rest.split("."))


def segment_condition(match: str, filters: Sequence[dict[str, Any]]) -> ColumnElement[bool]:
    """All the filters (``match`` ``all``), or any of them (``any``); no filter matches all."""
    conditions = [filter_condition(f["field"], f["operator"], f.get("value")) for f in filters]
    if not conditions:
        return true()
    return or_(*conditions) if match == "any" else and_(*conditions)


def filter_condition(field: str, operator: str, value: Any) -> ColumnElement[bool]:
    if operator == "!=":
        # MongoDB's $ne also matches leads without the field.
        return case((_positive(field, "=", value), false()), else_=true())
    return _positive(field, operator, value)


def _positive(field: str, operator: str, value: Any) -> ColumnElement[bool]:
    try:
        if field in COLUMNS:
            column, kind = COLUMNS[field]
            return _on_column(column, kind, operator, value)
        root, _, path = field.partition(".")
        return _on_json(leads.c[root], tuple(path.split(".")), operator, value)
    except _Mismatch:
        return false()


def _on_column(
    column: ColumnElement[Any], kind: ColumnKind, operator: str, value: Any
) -> ColumnElement[bool]:
    if operator in ("is null", "is not null"):
        present: ColumnElement[bool] = true() if kind == "tags" else column.is_not(None)
        return present if operator == "is not null" else ~present
    if kind == "tags":
        return _on_tags(column, operator, value)
    if value is None:
        if operator == "=":
            return column.is_(None)
        raise _Mismatch
    cast = _cast(kind, value)
    if operator in TEXT_OPERATORS:
        if kind != "text":
            raise _Mismatch
        return _text_match(column, operator, str(cast))
    compared: ColumnElement[Any] = BinaryText(column) if kind == "text" else column
    if operator == "=":
        equal: ColumnElement[bool] = compared == cast
        return equal
    greater: ColumnElement[bool] = compared > cast if operator == ">" else compared >= cast
    return greater


def _on_tags(column: ColumnElement[Any], operator: str, value: Any) -> ColumnElement[bool]:
    tag = _cast("text", value)
    if operator == "=":
        return JsonArrayContains(column, str(tag))
    if operator in TEXT_OPERATORS:
        return TagsMatch(column, operator, str(tag))
    raise _Mismatch


def _on_json(
    column: ColumnElement[Any], keys: tuple[str, ...], operator: str, value: Any
) -> ColumnElement[bool]:
    if operator in ("is null", "is not null"):
        exists = JsonPathExists(column, keys)
        return exists if operator == "is not null" else ~exists
    if value is None and operator == "=":
        return ~JsonPathExists(column, keys)
    if operator in TEXT_OPERATORS and isinstance(value, str):
        return _text_match(JsonScalar(column, keys, "text"), operator, value)
    if operator == "=" and isinstance(value, str | bool):
        return JsonPathEquals(column, keys, value)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _Mismatch
    scalar = JsonScalar(column, keys, "text" if isinstance(value, str) else "number")
    if operator == "=":
        return scalar == value
    if operator == ">":
        return scalar > value
    if operator == ">=":
        return scalar >= value
    raise _Mismatch


def _text_match(expression: ColumnElement[Any], operator: str, value: str) -> ColumnElement[bool]:
    if operator == "contains":
        return Contains(expression, value)
    return func.lower(expression).like(like_prefix(value), escape="/")


def like_prefix(value: str) -> str:
    """A LIKE pattern for the lower-cased ``value`` as a prefix (``/`` escapes wildcards)."""
    escaped = value.lower().replace("/", "//").replace("%", "/%").replace("_", "/_")
    return escaped + "%"


def _cast(kind: ColumnKind, value: Any) -> Any:
    """``value`` as mongoose casts it for a field of ``kind``; ``_Mismatch`` when it cannot."""
    if isinstance(value, dict | list) or value is None:
        raise _Mismatch
    if kind in ("text", "tags"):
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)
    if isinstance(value, bool):
        raise _Mismatch
    if kind == "number":
        return _number(value)
    return _epoch_ms(value)


def _number(value: Any) -> float:
    try:
        return float(value)
    except ValueError:
        raise _Mismatch from None


def _epoch_ms(value: Any) -> int:
    if isinstance(value, int | float):
        return int(value)
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise _Mismatch from None
    if moment.tzinfo is None:
        raise _Mismatch
    return int(moment.timestamp() * 1000)


# ---------------------------------------------------------------- constructs for both databases


class BinaryText(ColumnElement[str]):
    """A text expression compared byte by byte on both databases (PostgreSQL's default
    collation would order ``"B" < "a"`` differently from SQLite)."""

    inherit_cache = True
    type = String()

    def __init__(self, expression: ColumnElement[Any]) -> None:
        self.subject = expression


@compiles(BinaryText, "sqlite")
def _binary_text_sqlite(element: BinaryText, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.subject, **kw))


@compiles(BinaryText, "postgresql")
def _binary_text_postgresql(element: BinaryText, compiler: Any, **kw: Any) -> str:
    return f'({compiler.process(element.subject, **kw)}) COLLATE "C"'


class Contains(ColumnElement[bool]):
    """``value`` occurs in the text ``expression`` (case-sensitive, no wildcards)."""

    inherit_cache = True
    type = Boolean()

    def __init__(self, expression: ColumnElement[Any], value: str) -> None:
        self.subject = expression
        self.value = bindparam(None, value, type_=String())


@compiles(Contains, "sqlite")
def _contains_sqlite(element: Contains, compiler: Any, **kw: Any) -> str:
    expression = compiler.process(element.subject, **kw)
    return f"(instr({expression}, {compiler.process(element.value, **kw)}) > 0)"


@compiles(Contains, "postgresql")
def _contains_postgresql(element: Contains, compiler: Any, **kw: Any) -> str:
    expression = compiler.process(element.subject, **kw)
    return f"(strpos({expression}, {compiler.process(element.value, **kw)}) > 0)"


class JsonScalar(ColumnElement[Any]):
    """The string (``kind`` text) or number (``kind`` number) at ``keys`` inside a JSON
    column; NULL when absent or of another JSON type."""

    inherit_cache = True

    def __init__(
        self, column: ColumnElement[Any], keys: tuple[str, ...], kind: Literal["text", "number"]
    ) -> None:
        self.column = column
        self.kind = kind
        self.type = String() if kind == "text" else Float()
        self.path = bindparam(None, "$" + "".join(f'."{key}"' for key in keys), type_=String())
        self.keys = tuple(bindparam(None, key, type_=String()) for key in keys)


@compiles(JsonScalar, "sqlite")
def _json_scalar_sqlite(element: JsonScalar, compiler: Any, **kw: Any) -> str:
    args = f"{compiler.process(element.column, **kw)}, {compiler.process(element.path, **kw)}"
    types = "('text')" if element.kind == "text" else "('integer', 'real')"
    return f"(CASE WHEN json_type({args}) IN {types} THEN json_extract({args}) END)"


@compiles(JsonScalar, "postgresql")
def _json_scalar_postgresql(element: JsonScalar, compiler: Any, **kw: Any) -> str:
    keys = ", ".join(compiler.process(key, **kw) for key in element.keys)
    args = f"{compiler.process(element.column, **kw)}, {keys}"
    if element.kind == "text":
        return (
            f"((CASE WHEN jsonb_typeof(jsonb_extract_path({args})) = 'string' "
            f'THEN jsonb_extract_path_text({args}) END) COLLATE "C")'
        )
    return (
        f"(CASE WHEN jsonb_typeof(jsonb_extract_path({args})) = 'number' "
        f"THEN CAST(jsonb_extract_path_text({args}) AS DOUBLE PRECISION) END)"
    )


class TagsMatch(ColumnElement[bool]):
    """Some string of a JSON array contains ``value`` (``contains``) or starts with it, case
    ignored (``starts with``)."""

    inherit_cache = True
    type = Boolean()

    def __init__(self, column: ColumnElement[Any], operator: str, value: str) -> None:
        self.column = column
        self.prefix = operator == "starts with"
        self.value = bindparam(None, like_prefix(value) if self.prefix else value, type_=String())


@compiles(TagsMatch, "sqlite")
def _tags_match_sqlite(element: TagsMatch, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    value = compiler.process(element.value, **kw)
    test = (
        f"lower(json_each.value) LIKE {value} ESCAPE '/'"
        if element.prefix
        else f"instr(json_each.value, {value}) > 0"
    )
    # Compiled SQL parts only (a column and a bound parameter), never client text.
    return f"EXISTS (SELECT 1 FROM json_each({column}) WHERE json_each.type = 'text' AND {test})"  # noqa: S608


@compiles(TagsMatch, "postgresql")
def _tags_match_postgresql(element: TagsMatch, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    value = compiler.process(element.value, **kw)
    test = (
        f"lower(tag.value) LIKE {value} ESCAPE '/'"
        if element.prefix
        else f"strpos(tag.value, {value}) > 0"
    )
    return (
        f"EXISTS (SELECT 1 FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof({column}) = "  # noqa: S608
        f"'array' THEN {column} ELSE '[]'::jsonb END) AS tag(value) WHERE {test})"
    )
