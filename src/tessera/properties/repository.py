"""SQL for properties; every query is scoped to one project."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, insert, select, update

from tessera.core.db import Record, Tx
from tessera.core.ids import new_id
from tessera.core.pagination import PageParams, ordered
from tessera.properties.models import properties

SORTABLE: dict[str, ColumnElement[Any]] = {
    "createdAt": properties.c.created_at,
    "updatedAt": properties.c.updated_at,
    "label": properties.c.label,
    "name": properties.c.name,
    "type": properties.c.type,
    "status": properties.c.status,
}


def search(
    tx: Tx,
    project_id: str,
    *,
    conditions: list[ColumnElement[bool]],
    page: PageParams,
    sort: str | None,
    direction: int,
) -> list[Record]:
    statement = ordered(
        select(properties).where(and_(properties.c.project_id == project_id, *conditions)),
        sort=sort,
        direction=direction,
        columns=SORTABLE,
        default="createdAt",
        tie_breaker=properties.c.id,
    )
    return tx.all(statement.limit(page.limit).offset(page.offset))


def get(tx: Tx, project_id: str, property_id: str) -> Record | None:
    statement = select(properties).where(
        properties.c.project_id == project_id, properties.c.id == property_id
    )
    return tx.first(statement)


def add(tx: Tx, values: Mapping[str, Any]) -> Record:
    statement = (
        insert(properties)
        .values({"id": new_id(), "created_at": tx.now, "updated_at": tx.now, **values})
        .returning(*properties.c)
    )
    return tx.one(statement)


def update_fields(
    tx: Tx, project_id: str, property_id: str, values: Mapping[str, Any]
) -> Record | None:
    statement = (
        update(properties)
        .where(properties.c.project_id == project_id, properties.c.id == property_id)
        .values(updated_at=tx.now, **values)
        .returning(*properties.c)
    )
    return tx.first(statement)


def remove(tx: Tx, project_id: str, property_id: str) -> int:
    statement = delete(properties).where(
        properties.c.project_id == project_id, properties.c.id == property_id
    )
    return int(tx.conn.execute(statement).rowcount)
