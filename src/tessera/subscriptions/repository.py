"""SQL for subscriptions, the webhook outbox and its attempt log.

Subscription and log queries are scoped to one project. The dispatcher's queries
(``claim_due``, ``finish``...) work across projects on purpose: a dispatcher serves them all.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Executable, bindparam, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from tessera.bots.models import bots
from tessera.core.db import FastQuery, Record, Tx
from tessera.core.ids import is_object_id, new_id
from tessera.subscriptions.models import (
    FAILED,
    PENDING,
    SENDING,
    subscriptions,
    webhook_attempts,
    webhook_deliveries,
)


class Duplicate(Exception):
    """The project already has a subscription for this event and target."""


# ---------------------------------------------------------------- subscriptions


def list_all(tx: Tx, project_id: str) -> list[Record]:
    statement = (
        select(subscriptions)
        .where(subscriptions.c.project_id == project_id)
        .order_by(subscriptions.c.created_at, subscriptions.c.id)
    )
    return tx.all(statement)


def get(tx: Tx, project_id: str, subscription_id: str) -> Record | None:
    if not is_object_id(subscription_id):
        return None
    statement = select(subscriptions).where(
        subscriptions.c.project_id == project_id, subscriptions.c.id == subscription_id
    )
    return tx.first(statement)


def find(tx: Tx, project_id: str, event: str, target: str) -> Record | None:
    statement = select(subscriptions).where(
        subscriptions.c.project_id == project_id,
        subscriptions.c.event == event,
        subscriptions.c.target == target,
    )
    return tx.first(statement)


def add(tx: Tx, values: Mapping[str, Any]) -> Record:
    """Insert a subscription; ``Duplicate`` when (project, event, target) exists, the
    transaction still usable."""
    statement = (
        insert(subscriptions)
        .values({"id": new_id(), "created_at": tx.now, "updated_at": tx.now, **values})
        .returning(*subscriptions.c)
    )
    found = _unique(tx, statement)
    assert found is not None
    return found


def update_fields(
    tx: Tx, project_id: str, subscription_id: str, values: Mapping[str, Any]
) -> Record | None:
    """The updated subscription, None when there is none; ``Duplicate`` on a collision."""
    if not is_object_id(subscription_id):
        return None
    statement = (
        update(subscriptions)
        .where(subscriptions.c.project_id == project_id, subscriptions.c.id == subscription_id)
        .values(updated_at=tx.now, **values)
        .returning(*subscriptions.c)
    )
    return _unique(tx, statement)


def remove(tx: Tx, project_id: str, subscription_id: str) -> Record | None:
    if not is_object_id(subscription_id):
        return None
    statement = (
        delete(subscriptions)
        .where(subscriptions.c.project_id == project_id, subscriptions.c.id == subscription_id)
        .returning(*subscriptions.c)
    )
    return tx.first(statement)


def _unique(tx: Tx, statement: Executable) -> Record | None:
    # A SAVEPOINT: PostgreSQL aborts the whole transaction on a violated constraint, and
    # the caller still has to read the existing subscription.
    try:
        with tx.conn.begin_nested():
            return tx.first(statement)
    except IntegrityError as error:
        raise Duplicate from error


# Verifying a subscription token runs on every callback it makes: the fast path.
_secret = FastQuery(
    select(subscriptions.c.secret, subscriptions.c.project_id).where(
        subscriptions.c.id == bindparam("id")
    )
)


def token_secret(tx: Tx, subscription_id: str) -> tuple[str, str] | None:
    """``(secret, project id)`` of the subscription a token is addressed to (§3.3)."""
    if not is_object_id(subscription_id):
        return None
    row = _secret.first(tx, id=subscription_id)
    return (row.secret, row.project_id) if row is not None else None


# ---------------------------------------------------------------- the outbox

# Most writes of most projects meet no subscription: one indexed probe says so.
_any_subscription = FastQuery(
    select(subscriptions.c.id).where(subscriptions.c.project_id == bindparam("project_id")).limit(1)
)


def has_subscriptions(tx: Tx, project_id: str) -> bool:
    return _any_subscription.first(tx, project_id=project_id) is not None


def listening(tx: Tx, project_id: str, events: Iterable[str]) -> list[Record]:
    """The project's subscriptions to any of ``events``, oldest first."""
    statement = (
        select(subscriptions)
        .where(subscriptions.c.project_id == project_id, subscriptions.c.event.in_(set(events)))
        .order_by(subscriptions.c.created_at, subscriptions.c.id)
    )
    return tx.all(statement)


# Every message in a conversation with a bot looks its bot up: the fast path, scoped to the
# project of the message.
_bot = FastQuery(
    select(bots).where(bots.c.project_id == bindparam("project_id"), bots.c.id == bindparam("id"))
)


def bot(tx: Tx, project_id: str, bot_id: str) -> Record | None:
    return _bot.first(tx, project_id=project_id, id=bot_id)


def add_deliveries(tx: Tx, rows: Sequence[Mapping[str, Any]]) -> None:
    tx.conn.execute(insert(webhook_deliveries), [dict(row) for row in rows])


def abandon_pending(tx: Tx, project_id: str, subscription_id: str, reason: str) -> None:
    """Deliveries still waiting for a subscription that is going away end as failed."""
    statement = (
        update(webhook_deliveries)
        .where(
            webhook_deliveries.c.project_id == project_id,
            webhook_deliveries.c.subscription_id == subscription_id,
            webhook_deliveries.c.status == PENDING,
        )
        .values(status=FAILED, last_error=reason, updated_at=tx.now)
    )
    tx.conn.execute(statement)


# A dispatcher polls every second: asking first with a read keeps idle polls from taking
# SQLite's write lock (or PostgreSQL row locks) for nothing.
_any_due = FastQuery(
    select(webhook_deliveries.c.id)
    .where(
        or_(webhook_deliveries.c.status == PENDING, webhook_deliveries.c.status == SENDING),
        webhook_deliveries.c.next_attempt_at <= bindparam("now"),
    )
    .limit(1)
)


def any_due(tx: Tx, now: int) -> bool:
    return _any_due.first(tx, now=now) is not None


def claim_due(tx: Tx, *, now: int, lease_until: int, claim: str, limit: int) -> list[Record]:
    """Take up to ``limit`` deliveries due at ``now`` (pending ones, and claims whose lease
    ran out) for the dispatcher holding ``claim``, oldest due first.

    PostgreSQL: ``FOR UPDATE SKIP LOCKED`` lets concurrent dispatchers take disjoint rows
    without waiting. SQLite: the write transaction (``BEGIN IMMEDIATE``) already excludes
    every other writer, and SQLAlchemy leaves the locking clause out.
    """
    due = (
        select(webhook_deliveries.c.id)
        .where(
            webhook_deliveries.c.status.in_((PENDING, SENDING)),
            webhook_deliveries.c.next_attempt_at <= now,
        )
        .order_by(webhook_deliveries.c.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    statement = (
        update(webhook_deliveries)
        .where(webhook_deliveries.c.id.in_(due.scalar_subquery()))
        .values(status=SENDING, claim=claim, next_attempt_at=lease_until, updated_at=tx.now)
        .returning(*webhook_deliveries.c)
    )
    return tx.all(statement)


def subscriptions_by_id(tx: Tx, ids: Iterable[str]) -> dict[str, Record]:
    wanted = set(ids)
    if not wanted:
        return {}
    statement = select(subscriptions).where(subscriptions.c.id.in_(wanted))
    return {row.id: row for row in tx.all(statement)}


def bots_by_id(tx: Tx, ids: Iterable[str]) -> dict[str, Record]:
    """The bots deliveries go to (each delivery was recorded for a bot of its project)."""
    wanted = set(ids)
    if not wanted:
        return {}
    statement = select(bots).where(bots.c.id.in_(wanted))
    return {row.id: row for row in tx.all(statement)}


def finish(tx: Tx, delivery_id: str, claim: str, values: Mapping[str, Any]) -> bool:
    """Write the outcome of an attempt, if ``claim`` still holds the delivery (a lease that
    ran out may have been taken over: the newer claim decides)."""
    statement = (
        update(webhook_deliveries)
        .where(webhook_deliveries.c.id == delivery_id, webhook_deliveries.c.claim == claim)
        .values(claim=None, updated_at=tx.now, **values)
    )
    return bool(tx.conn.execute(statement).rowcount == 1)


def add_attempt(tx: Tx, values: Mapping[str, Any]) -> None:
    tx.conn.execute(
        insert(webhook_attempts).values(
            {"id": new_id(), "created_at": tx.now, "updated_at": tx.now, **values}
        )
    )


# ---------------------------------------------------------------- the log


def attempts(
    tx: Tx, project_id: str, *, subscription_id: str | None, offset: int, limit: int
) -> list[Record]:
    """The project's attempts to its subscriptions (to one of them, when given), newest
    first; attempts to its bots are not part of this log."""
    statement = select(webhook_attempts).where(
        webhook_attempts.c.project_id == project_id,
        webhook_attempts.c.subscription_id.is_not(None),
    )
    if subscription_id is not None:
        statement = statement.where(webhook_attempts.c.subscription_id == subscription_id)
    statement = (
        statement.order_by(webhook_attempts.c.created_at.desc(), webhook_attempts.c.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return tx.all(statement)


def project_bot_ids(tx: Tx, project_id: str, bot_ids: Iterable[str]) -> set[str]:
    """Those of ``bot_ids`` that are bots of the project (``operator.select`` answers)."""
    wanted = {bot_id for bot_id in bot_ids if is_object_id(bot_id)}
    if not wanted:
        return set()
    statement = select(bots.c.id).where(bots.c.project_id == project_id, bots.c.id.in_(wanted))
    return {row.id for row in tx.all(statement)}
