"""SQL for custom events; every query is scoped to one project, except the purge."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, insert, select

from tessera.core.db import Record, Tx
from tessera.core.ids import new_id
from tessera.core.pagination import PageParams, ordered
from tessera.custom_events.models import events

SORTABLE: dict[str, ColumnElement[Any]] = {
    "createdAt": events.c.created_at,
    "updatedAt": events.c.updated_at,
    "name": events.c.name,
    "status": events.c.status,
    "project_user": events.c.project_user_id,
    "createdBy": events.c.created_by,
}


def add(tx: Tx, values: Mapping[str, Any]) -> Record:
    statement = (
        insert(events)
        .values({"id": new_id(), "created_at": tx.now, "updated_at": tx.now, **values})
        .returning(*events.c)
    )
    return tx.one(statement)


def _live(tx: Tx, project_id: str) -> ColumnElement[bool]:
    """The project's events that have not expired yet."""
    return and_(events.c.project_id == project_id, events.c.expires_at > tx.now)


def get(tx: Tx, project_id: str, event_id: str) -> Record | None:
    return tx.first(select(events).where(_live(tx, project_id), events.c.id == event_id))


def search(
    tx: Tx,
    project_id: str,
    *,
    project_user_id: str | None,
    page: PageParams,
    sort: str | None,
    direction: int,
) -> tuple[list[Record], int]:
    """One page of the project's live events (of one membership when given), and how many
    there are in all."""
    where = _live(tx, project_id)
    if project_user_id is not None:
        where = and_(where, events.c.project_user_id == project_user_id)
    count = tx.conn.execute(select(func.count()).select_from(events).where(where)).scalar_one()
    statement = ordered(
        select(events).where(where),
        sort=sort,
        direction=direction,
        columns=SORTABLE,
        default="createdAt",
        tie_breaker=events.c.id,
    )
    return tx.all(statement.limit(page.limit).offset(page.offset)), int(count)


def latest_of_membership(
    tx: Tx, project_id: str, project_user_id: str, name: str | None, limit: int
) -> list[Record]:
    """The newest live events sent by one membership (of one name when given)."""
    where = and_(_live(tx, project_id), events.c.project_user_id == project_user_id)
    if name is not None:
        where = and_(where, events.c.name == name)
    statement = (
        select(events)
        .where(where)
        .order_by(events.c.created_at.desc(), events.c.id.desc())
        .limit(limit)
    )
    return tx.all(statement)


def purge(tx: Tx, now: int) -> int:
    """Delete every event (of every project) expired at ``now``."""
    return int(tx.conn.execute(delete(events).where(events.c.expires_at <= now)).rowcount)
