"""Tiledesk's list parameters (§1.5): 0-based ``page``, ``limit``, ``sort``, ``direction``."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field
from sqlalchemy import ColumnElement, Select

from tessera.core.errors import InvalidInput

_DIRECTIONS = {"1": 1, "-1": -1, "asc": 1, "ascending": 1, "desc": -1, "descending": -1}


def _direction(value: object) -> object:
    """Mongoose's sort directions: ``1``/``-1`` and their spelled-out forms; an empty
    parameter means the default (Tiledesk tests it for truthiness). Anything else is 422."""
    return _DIRECTIONS.get(str(value).strip().lower() or "-1", value)


def _page(value: object) -> object:
    return value or 0


Direction = Annotated[Literal[1, -1], BeforeValidator(_direction)]
# Bounded so that ``page * limit`` stays a valid SQL OFFSET.
Page = Annotated[int, BeforeValidator(_page), Field(ge=0, le=1_000_000_000)]


@dataclass(frozen=True, slots=True)
class PageParams:
    page: int
    limit: int

    @property
    def offset(self) -> int:
        return self.page * self.limit


def page_params(
    page: int, limit: str | None, *, default: int, reset_above: int | None = None
) -> PageParams:
    """``limit`` above ``reset_above`` falls back to ``default`` (not clamped), as Tiledesk's
    requests list does; a non-numeric value is a 422."""
    size = _number("limit", limit, default)
    if size <= 0 or (reset_above is not None and size > reset_above):
        size = default
    return PageParams(page=page, limit=size)


def _number(name: str, value: str | None, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise InvalidInput.field(
            name, "must be an integer", value=value, location="query"
        ) from None


def ordered(
    statement: Select[Any],
    *,
    sort: str | None,
    direction: int,
    columns: Mapping[str, ColumnElement[Any]],
    default: str,
    tie_breaker: ColumnElement[Any],
) -> Select[Any]:
    """ORDER BY the wire field ``sort`` (unknown fields sort by ``default``) in ``direction``
    (1 ascending, -1 descending), then a unique column so that pages are stable."""
    column = columns.get(sort or default, columns[default])
    if direction == 1:
        return statement.order_by(column.asc(), tie_breaker.asc())
    return statement.order_by(column.desc(), tie_breaker.desc())
