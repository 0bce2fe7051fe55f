"""SQL for activities; every query is scoped to one project, except the purge."""

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, insert, or_, select

from tessera.activities.models import activities
from tessera.core.db import JsonArrayContains, JsonPathText, Record, Tx
from tessera.core.ids import new_id
from tessera.core.pagination import PageParams, ordered

SORTABLE: dict[str, ColumnElement[Any]] = {
    "createdAt": activities.c.created_at,
    "updatedAt": activities.c.updated_at,
    "verb": activities.c.verb,
}


def add_many(tx: Tx, rows: Iterable[Mapping[str, Any]]) -> None:
    values = [{"id": new_id(), "created_at": tx.now, "updated_at": tx.now, **row} for row in rows]
    if values:
        tx.conn.execute(insert(activities), values)


def search(
    tx: Tx,
    project_id: str,
    *,
    conditions: Iterable[ColumnElement[bool]],
    page: PageParams,
    sort: str | None,
    direction: int,
    with_count: bool = True,
) -> tuple[list[Record], int]:
    """One page of the project's activities matching ``conditions``, and how many match in
    all (0 without ``with_count``)."""
    where = and_(activities.c.project_id == project_id, *conditions)
    statement = ordered(
        select(activities).where(where),
        sort=sort,
        direction=direction,
        columns=SORTABLE,
        default="createdAt",
        tie_breaker=activities.c.id,
    )
    rows = tx.all(statement.limit(page.limit).offset(page.offset))
    if not with_count:
        return rows, 0
    count = tx.conn.execute(select(func.count()).select_from(activities).where(where))
    return rows, int(count.scalar_one())


def created_from(start: int) -> ColumnElement[bool]:
    return activities.c.created_at >= start


def created_until(end: int) -> ColumnElement[bool]:
    return activities.c.created_at <= end


def with_verbs(verbs: Iterable[str]) -> ColumnElement[bool]:
    return activities.c.verb.in_(list(verbs))


def involving(user_id: str) -> ColumnElement[bool]:
    """The user acted, is the target or the related user, or takes part in the target
    conversation (``involvedUserIds``), or is named as the actor (any kind)."""
    return or_(
        JsonArrayContains(activities.c.involved_user_ids, user_id),
        JsonPathText(activities.c.actor, ("id",)) == user_id,
    )


def purge(tx: Tx, before: int) -> int:
    """Delete every activity (of every project) created before ``before``."""
    statement = delete(activities).where(activities.c.created_at < before)
    return int(tx.conn.execute(statement).rowcount)
