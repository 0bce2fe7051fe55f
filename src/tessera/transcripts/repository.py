"""SQL for transcripts: a conversation found by its ``request_id`` alone (unique across the
database, §1.2) and its messages."""

from sqlalchemy import select

from tessera.conversations.models import requests
from tessera.core.db import Record, Tx
from tessera.messages.models import messages
from tessera.projects.models import PROJECT_ACTIVE, projects


def conversation(tx: Tx, request_id: str) -> Record | None:
    return tx.first(select(requests).where(requests.c.request_id == request_id))


def active_project(tx: Tx, project_id: str) -> Record | None:
    statement = select(projects).where(
        projects.c.id == project_id, projects.c.status == PROJECT_ACTIVE
    )
    return tx.first(statement)


def history(tx: Tx, project_id: str, request_id: str) -> list[Record]:
    """The conversation's messages, oldest first."""
    statement = (
        select(messages)
        .where(messages.c.project_id == project_id, messages.c.recipient == request_id)
        .order_by(messages.c.created_at, messages.c.id)
    )
    return tx.all(statement)
