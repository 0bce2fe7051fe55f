"""SQL for segments; every query is scoped to one project."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, func, insert, select, update

from tessera.core.db import Record, Tx
from tessera.core.ids import new_id
from tessera.core.pagination import PageParams, ordered
from tessera.segments.models import segments

SORTABLE: dict[str, ColumnElement[Any]] = {
    "createdAt": segments.c.created_at,
    "updatedAt": segments.c.updated_at,
    "name": segments.c.name,
    "match": segments.c.match,
    "status": segments.c.status,
}


def search(
    tx: Tx, project_id: str, *, status: int, page: PageParams, sort: str | None, direction: int
) -> tuple[list[Record], int]:
    """One page of the project's segments with ``status``, and how many there are."""
    where = (segments.c.project_id == project_id) & (segments.c.status == status)
    count = tx.conn.execute(select(func.count()).select_from(segments).where(where)).scalar_one()
    statement = ordered(
        select(segments).where(where),
        sort=sort,
        direction=direction,
        columns=SORTABLE,
        default="createdAt",
        tie_breaker=segments.c.id,
    )
    return tx.all(statement.limit(page.limit).offset(page.offset)), int(count)


def get(tx: Tx, project_id: str, segment_id: str) -> Record | None:
    statement = select(segments).where(
        segments.c.project_id == project_id, segments.c.id == segment_id
    )
    return tx.first(statement)


def add(tx: Tx, values: Mapping[str, Any]) -> Record:
    statement = (
        insert(segments)
        .values({"id": new_id(), "created_at": tx.now, "updated_at": tx.now, **values})
        .returning(*segments.c)
    )
    return tx.one(statement)


def update_fields(
    tx: Tx, project_id: str, segment_id: str, values: Mapping[str, Any]
) -> Record | None:
    statement = (
        update(segments)
        .where(segments.c.project_id == project_id, segments.c.id == segment_id)
        .values(updated_at=tx.now, **values)
        .returning(*segments.c)
    )
    return tx.first(statement)
