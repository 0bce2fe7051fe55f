"""SQL for triggers. Every query is scoped by project."""

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, true, update

from tessera.core.db import FastQuery, Record, Tx
from tessera.core.ids import new_id
from tessera.triggers.models import triggers

# Asked for every event a trigger may listen to (each visitor message among them): one
# index probe, usually answering "none".
_any_enabled = FastQuery(
    select(triggers.c.id)
    .where(
        triggers.c.project_id == bindparam("project_id"),
        triggers.c.trigger_key == bindparam("key"),
        triggers.c.enabled == true(),
    )
    .limit(1)
)


def has_enabled(tx: Tx, project_id: str, key: str) -> bool:
    return _any_enabled.first(tx, project_id=project_id, key=key) is not None


def enabled_for(tx: Tx, project_id: str, key: str) -> list[Record]:
    """The project's enabled triggers listening to ``key``, oldest first."""
    statement = (
        select(triggers)
        .where(
            triggers.c.project_id == project_id,
            triggers.c.trigger_key == key,
            triggers.c.enabled == true(),
        )
        .order_by(triggers.c.created_at, triggers.c.id)
    )
    return tx.all(statement)


def of_project(tx: Tx, project_id: str) -> list[Record]:
    """Every trigger of the project, in the order they were made (MongoDB's natural order)."""
    statement = (
        select(triggers)
        .where(triggers.c.project_id == project_id)
        .order_by(triggers.c.created_at, triggers.c.id)
    )
    return tx.all(statement)


def get(tx: Tx, project_id: str, trigger_id: str) -> Record | None:
    return tx.first(
        select(triggers).where(triggers.c.project_id == project_id, triggers.c.id == trigger_id)
    )


def add(tx: Tx, values: Mapping[str, Any]) -> Record:
    return add_many(tx, [values])[0]


def add_many(tx: Tx, rows: Iterable[Mapping[str, Any]]) -> list[Record]:
    """Insert ``rows``, each a millisecond after the previous one, so that they list in
    this order."""
    stamped = [
        {"id": new_id(), "created_at": tx.now + rank, "updated_at": tx.now + rank, **row}
        for rank, row in enumerate(rows)
    ]
    if not stamped:
        return []
    tx.conn.execute(insert(triggers), stamped)
    ids = [row["id"] for row in stamped]
    found = {row.id: row for row in tx.all(select(triggers).where(triggers.c.id.in_(ids)))}
    return [found[trigger_id] for trigger_id in ids]


def replace(tx: Tx, project_id: str, trigger_id: str, values: Mapping[str, Any]) -> Record | None:
    statement = (
        update(triggers)
        .where(triggers.c.project_id == project_id, triggers.c.id == trigger_id)
        .values(updated_at=tx.now, **values)
        .returning(*triggers.c)
    )
    return tx.first(statement)


def remove(tx: Tx, project_id: str, trigger_id: str) -> Record | None:
    statement = (
        delete(triggers)
        .where(triggers.c.project_id == project_id, triggers.c.id == trigger_id)
        .returning(*triggers.c)
    )
    return tx.first(statement)


def remove_by_code(tx: Tx, project_id: str, code: str) -> None:
    tx.conn.execute(
        delete(triggers).where(triggers.c.project_id == project_id, triggers.c.code == code)
    )
