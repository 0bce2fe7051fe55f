"""SQL of the schedulers: the conversations the auto-close tasks look at, in every project."""

from sqlalchemy import ColumnElement, and_, literal_column, or_, select

from tessera.conversations.models import CLOSED, requests
from tessera.core.db import Record, Tx
from tessera.scheduler.rules import CloseRule

PENDING = "pending"


def unresponsive(rule: CloseRule, cutoff: int) -> ColumnElement[bool]:
    """Open (status below 1000), with or without a bot as the rule says, last updated at or
    before ``cutoff``, and not waiting on purpose (``workingStatus`` other than
    ``pending``, or none: MongoDB's ``$ne`` matches a missing field)."""
    condition = and_(
        requests.c.has_bot.is_(rule.has_bot),
        # A literal, not a parameter: only then can the planner prove the partial index
        # ``ix_requests_open_by_update`` (``status < 1000``) applies.
        requests.c.status < literal_column(str(CLOSED)),
        requests.c.updated_at <= cutoff,
        or_(requests.c.working_status.is_(None), requests.c.working_status != PENDING),
    )
    if rule.projects:
        condition = and_(condition, requests.c.project_id.in_(rule.projects))
    return condition


def candidates(tx: Tx, rule: CloseRule, cutoff: int) -> list[Record]:
    """``(project_id, request_id)`` of the ``rule.limit`` least recently updated matches."""
    statement = (
        select(requests.c.project_id, requests.c.request_id)
        .where(unresponsive(rule, cutoff))
        .order_by(requests.c.updated_at.asc(), requests.c.id.asc())
        .limit(rule.limit)
    )
    return tx.all(statement)


def still_unresponsive(
    tx: Tx, rule: CloseRule, cutoff: int, project_id: str, request_id: str
) -> bool:
    """Whether the conversation still matches, read under the row lock that the close then
    holds (PostgreSQL; SQLite writes are serialized): a conversation closed, answered or
    moved meanwhile by anyone, another scheduler included, is left alone."""
    statement = (
        select(requests.c.id)
        .where(
            requests.c.project_id == project_id,
            requests.c.request_id == request_id,
            unresponsive(rule, cutoff),
        )
        .with_for_update()
    )
    return tx.first(statement) is not None
