"""SQL for departments (the foundation needs only the default department)."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import insert, select

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
    statement = select(departments).where(
        departments.c.project_id == project_id, departments.c.default.is_(True)
    )
    return tx.first(statement)
