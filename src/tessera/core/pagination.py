"""Tiledesk's list parameters (§1.5): 0-based ``page``, ``limit``, ``sort``, ``direction``."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select

from tessera.core.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class PageParams:
    page: int
    limit: int

    @property
    def offset(self) -> int:
        return self.page * self.limit


def page_params(
    page: str | None, limit: str | None, *, default: int, reset_above: int | None = None
) -> PageParams:
    """``limit`` above ``reset_above`` falls back to ``default`` (not clamped), as Tiledesk's
    requests list does; a negative or non-numeric value is a 422."""
    size = _number("limit", limit, default)
    if size <= 0 or (reset_above is not None and size > reset_above):
        size = default
    return PageParams(page=max(_number("page", page, 0), 0), limit=size)


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
    direction: str | None,
    columns: Mapping[str, ColumnElement[Any]],
    default: str,
    tie_breaker: ColumnElement[Any],
) -> Select[Any]:
    """ORDER BY the wire field ``sort`` (unknown fields sort by ``default``), ``direction``
    ``-1``/``desc`` (the default) or ``1``/``asc``, then a unique column so pages are stable."""
    column = columns.get(sort or default, columns[default])
    descending = (direction or "-1").strip().lower() not in ("1", "asc", "ascending")
    if descending:
        return statement.order_by(column.desc(), tie_breaker.desc())
    return statement.order_by(column.asc(), tie_breaker.asc())
