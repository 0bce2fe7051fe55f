"""SQL for agent groups."""

from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import delete, insert, select, update

from tessera.core.db import Record, Tx, project_rows_by_id
from tessera.core.ids import new_id
from tessera.groups.models import groups


def list_for_project(tx: Tx, project_id: str) -> list[Record]:
    """The groups that are not trashed, oldest first."""
    statement = (
        select(groups)
        .where(groups.c.project_id == project_id, groups.c.trashed.is_(False))
        .order_by(groups.c.created_at, groups.c.id)
    )
    return tx.all(statement)


def get(tx: Tx, project_id: str, group_id: str) -> Record | None:
    statement = select(groups).where(groups.c.project_id == project_id, groups.c.id == group_id)
    return tx.first(statement)


def get_many(tx: Tx, project_id: str, group_ids: Collection[str]) -> dict[str, Record]:
    """The project's groups among ``group_ids``, by id (trashed ones included)."""
    return project_rows_by_id(tx, groups, project_id, group_ids)


def add(tx: Tx, values: Mapping[str, Any]) -> Record:
    statement = (
        insert(groups)
        .values(id=new_id(), created_at=tx.now, updated_at=tx.now, **values)
        .returning(*groups.c)
    )
    return tx.one(statement)


def update_fields(
    tx: Tx, project_id: str, group_id: str, values: Mapping[str, Any]
) -> Record | None:
    statement = (
        update(groups)
        .where(groups.c.project_id == project_id, groups.c.id == group_id)
        .values(updated_at=tx.now, **values)
        .returning(*groups.c)
    )
    return tx.first(statement)


def remove(tx: Tx, project_id: str, group_id: str) -> Record | None:
    statement = (
        delete(groups)
        .where(groups.c.project_id == project_id, groups.c.id == group_id)
        .returning(*groups.c)
    )
    return tx.first(statement)
