"""SQL for messages; every query is scoped to one project."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import insert, select

from tessera.core.db import Record, Tx
from tessera.core.ids import new_id
from tessera.messages.models import messages


def add(tx: Tx, values: Mapping[str, Any]) -> Record:
    statement = (
        insert(messages)
        .values({"id": new_id(), "created_at": tx.now, "updated_at": tx.now, **values})
        .returning(*messages.c)
    )
    return tx.one(statement)


def of_conversation(tx: Tx, project_id: str, request_id: str) -> list[Record]:
    statement = (
        select(messages)
        .where(messages.c.project_id == project_id, messages.c.recipient == request_id)
        .order_by(messages.c.created_at, messages.c.id)
    )
    return tx.all(statement)


def get(tx: Tx, project_id: str, message_id: str) -> Record | None:
    statement = select(messages).where(
        messages.c.project_id == project_id, messages.c.id == message_id
    )
    return tx.first(statement)
