"""Reads the realtime API needs beyond the other domains' repositories."""

from sqlalchemy import bindparam, select

from tessera.conversations.models import CANDIDATE, PARTICIPANT, request_agents
from tessera.core.db import FastQuery, Record, Tx
from tessera.messages.models import messages

_agents = FastQuery(
    select(request_agents.c.agent, request_agents.c.kind).where(
        request_agents.c.request_pk == bindparam("request_pk")
    )
)


def agents_of(tx: Tx, request_pk: str) -> tuple[frozenset[str], frozenset[str]]:
    """(participants, routing candidates) of a conversation, from ``request_agents``."""
    rows = _agents.all(tx, request_pk=request_pk)
    return (
        frozenset(row.agent for row in rows if row.kind == PARTICIPANT),
        frozenset(row.agent for row in rows if row.kind == CANDIDATE),
    )


def latest_messages(tx: Tx, project_id: str, request_id: str, limit: int) -> list[Record]:
    """The conversation's last ``limit`` messages, oldest first."""
    newest = (
        select(messages)
        .where(messages.c.project_id == project_id, messages.c.recipient == request_id)
        .order_by(messages.c.created_at.desc(), messages.c.id.desc())
        .limit(limit)
        .subquery()
    )
    statement = select(newest).order_by(newest.c.created_at, newest.c.id)
    return tx.all(statement)
