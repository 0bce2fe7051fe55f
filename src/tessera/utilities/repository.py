"""SQL for the utilities: request lookup and monthly usage."""

from sqlalchemy import ColumnElement, and_, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from tessera.bots.models import bots
from tessera.conversations.models import requests
from tessera.core.db import Tx
from tessera.messages.models import messages
from tessera.utilities.models import quota_counters


def conversations_in(tx: Tx, project_id: str, start: int, end: int) -> int:
    """Conversations created in ``[start, end)``, test conversations (drafts) left out (§1.9)."""
    statement = select(func.count()).where(
        requests.c.project_id == project_id,
        requests.c.created_at >= start,
        requests.c.created_at < end,
        or_(requests.c.draft.is_(None), requests.c.draft.is_(False)),
    )
    return int(tx.conn.execute(statement).scalar_one())


def messages_in(tx: Tx, project_id: str, start: int, end: int) -> int:
    statement = select(func.count()).where(
        messages.c.project_id == project_id,
        messages.c.created_at >= start,
        messages.c.created_at < end,
    )
    return int(tx.conn.execute(statement).scalar_one())


def chatbots(tx: Tx, project_id: str) -> int:
    statement = select(func.count()).where(bots.c.project_id == project_id, ~bots.c.trashed)
    return int(tx.conn.execute(statement).scalar_one())


def counters(tx: Tx, project_id: str, slot_start: int) -> dict[str, int]:
    statement = select(quota_counters.c.kind, quota_counters.c.value).where(
        quota_counters.c.project_id == project_id, quota_counters.c.slot_start == slot_start
    )
    return {row.kind: int(row.value) for row in tx.all(statement)}


def increment(tx: Tx, project_id: str, kind: str, slot_start: int, amount: int) -> int:
    """Add ``amount`` to a counter (created on first use); its new value. Of two requests
    that create the same counter at once, the loser adds to the winner's row."""
    key = and_(
        quota_counters.c.project_id == project_id,
        quota_counters.c.kind == kind,
        quota_counters.c.slot_start == slot_start,
    )
    updated = _add(tx, key, amount)
    if updated is not None:
        return updated
    try:
        with tx.conn.begin_nested():
            tx.conn.execute(
                insert(quota_counters).values(
                    project_id=project_id, kind=kind, slot_start=slot_start, value=amount
                )
            )
    except IntegrityError:
        retried = _add(tx, key, amount)
        assert retried is not None
        return retried
    return amount


def _add(tx: Tx, key: ColumnElement[bool], amount: int) -> int | None:
    statement = (
        update(quota_counters)
        .where(key)
        .values(value=quota_counters.c.value + amount)
        .returning(quota_counters.c.value)
    )
    found = tx.first(statement)
    return None if found is None else int(found.value)
