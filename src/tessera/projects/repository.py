"""SQL for projects."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update

from tessera.core.db import FastQuery, Record, Tx
from tessera.projects.models import PROJECT_ACTIVE, projects

# Every project-scoped request runs this: it takes the fast path.
_active = FastQuery(
    select(projects).where(projects.c.id == bindparam("id"), projects.c.status == PROJECT_ACTIVE)
)


def get_active(tx: Tx, project_id: str) -> Record | None:
    return _active.first(tx, id=project_id)


def get(tx: Tx, project_id: str) -> Record | None:
    """The project whatever its status (soft-deleted ones included)."""
    return tx.first(select(projects).where(projects.c.id == project_id))


def get_many(tx: Tx, project_ids: list[str]) -> dict[str, Record]:
    if not project_ids:
        return {}
    rows = tx.all(select(projects).where(projects.c.id.in_(set(project_ids))))
    return {row.id: row for row in rows}


def all_projects(tx: Tx) -> list[Record]:
    return tx.all(select(projects).order_by(projects.c.created_at.desc()))


def add(tx: Tx, values: Mapping[str, Any]) -> Record:
    statement = (
        insert(projects)
        .values(created_at=tx.now, updated_at=tx.now, **values)
        .returning(*projects.c)
    )
    return tx.one(statement)


def update_fields(tx: Tx, project_id: str, values: Mapping[str, Any]) -> Record | None:
    statement = (
        update(projects)
        .where(projects.c.id == project_id)
        .values(updated_at=tx.now, **values)
        .returning(*projects.c)
    )
    return tx.first(statement)


def remove(tx: Tx, project_id: str) -> int:
    return tx.conn.execute(delete(projects).where(projects.c.id == project_id)).rowcount
