"""SQL for departments."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, insert, select, update

from tessera.core.db import Record, Tx
from tessera.core.ids import new_id
from tessera.departments.models import departments


def add(tx: Tx, values: Mapping[str, Any]) -> Record:
    statement = (
        insert(departments)
        .values(id=new_id(), created_at=tx.now, updated_at=tx.now, tags=[], **values)
        .returning(*departments.c)
    )
    return tx.one(statement)


def get(tx: Tx, project_id: str, department_id: str) -> Record | None:
    statement = select(departments).where(
        departments.c.project_id == project_id, departments.c.id == department_id
    )
    return tx.first(statement)


def find_default(tx: Tx, project_id: str) -> Record | None:
    """The project's default department; the oldest one if several claim to be."""
    statement = (
        select(departments)
        .where(departments.c.project_id == project_id, departments.c.default.is_(True))
        .order_by(departments.c.created_at, departments.c.id)
        .limit(1)
    )
    return tx.first(statement)


def list_for_project(
    tx: Tx,
    project_id: str,
    *,
    min_status: int,
    max_status: int | None = None,
    default_only: bool = False,
) -> list[Record]:
    """Departments whose status is within the bounds, oldest first."""
    statement = (
        select(departments)
        .where(departments.c.project_id == project_id, departments.c.status >= min_status)
        .order_by(departments.c.created_at, departments.c.id)
    )
    if max_status is not None:
        statement = statement.where(departments.c.status <= max_status)
    if default_only:
        statement = statement.where(departments.c.default.is_(True))
    return tx.all(statement)


def any_with_group(tx: Tx, project_id: str, group_id: str) -> bool:
    """Whether a department of the project routes to the group through ``id_group``."""
    statement = (
        select(departments.c.id)
        .where(departments.c.project_id == project_id, departments.c.id_group == group_id)
        .limit(1)
    )
    return tx.first(statement) is not None


def update_fields(
    tx: Tx, project_id: str, department_id: str, values: Mapping[str, Any]
) -> Record | None:
    statement = (
        update(departments)
        .where(departments.c.project_id == project_id, departments.c.id == department_id)
        .values(updated_at=tx.now, **values)
        .returning(*departments.c)
    )
    return tx.first(statement)


def remove(tx: Tx, project_id: str, department_id: str) -> Record | None:
    statement = (
        delete(departments)
        .where(departments.c.project_id == project_id, departments.c.id == department_id)
        .returning(*departments.c)
    )
    return tx.first(statement)
