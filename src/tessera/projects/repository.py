"""SQL for projects."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Row, bindparam, delete, insert, select, update

from tessera.core.db import Tx
from tessera.projects.models import PROJECT_ACTIVE, projects

_active = select(projects).where(
    projects.c.id == bindparam("id"), projects.c.status == PROJECT_ACTIVE
)


def get_active(tx: Tx, project_id: str) -> Row[Any] | None:
    return tx.conn.execute(_active, {"id": project_id}).first()


def get_many(tx: Tx, project_ids: list[str]) -> dict[str, Row[Any]]:
    if not project_ids:
        return {}
    rows = tx.conn.execute(select(projects).where(projects.c.id.in_(set(project_ids))))
    return {row.id: row for row in rows}


def all_projects(tx: Tx) -> list[Row[Any]]:
    return list(tx.conn.execute(select(projects).order_by(projects.c.created_at.desc())))


def add(tx: Tx, values: Mapping[str, Any]) -> Row[Any]:
    statement = (
        insert(projects)
        .values(created_at=tx.now, updated_at=tx.now, **values)
        .returning(*projects.c)
    )
    return tx.conn.execute(statement).one()


def update_fields(tx: Tx, project_id: str, values: Mapping[str, Any]) -> Row[Any] | None:
    statement = (
        update(projects)
        .where(projects.c.id == project_id)
        .values(updated_at=tx.now, **values)
        .returning(*projects.c)
    )
    return tx.conn.execute(statement).first()


def remove(tx: Tx, project_id: str) -> int:
    return tx.conn.execute(delete(projects).where(projects.c.id == project_id)).rowcount
