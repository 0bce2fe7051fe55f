"""SQL for messages; every query is scoped to one project."""

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import and_, bindparam, delete, insert, or_, select

from tessera.conversations.models import requests
from tessera.core.db import FastQuery, Record, Tx
from tessera.core.ids import new_id
from tessera.messages.models import messages

# Every message is written by this statement: the fast path (columns not given are NULL).
_insert = FastQuery(
    insert(messages)
    .values({column.key: bindparam(column.key, type_=column.type) for column in messages.c})
    .returning(*messages.c)
)
_UNSET = dict.fromkeys(messages.c.keys())


def add(tx: Tx, values: Mapping[str, Any]) -> Record:
    row = {**_UNSET, **values, "id": new_id(), "created_at": tx.now, "updated_at": tx.now}
    added = _insert.first(tx, **row)
    assert added is not None  # RETURNING of an INSERT
    return added


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


def latest_of_project(tx: Tx, project_id: str, *, offset: int, limit: int) -> list[Record]:
    """One page of the project's messages, newest first."""
    statement = (
        select(messages)
        .where(messages.c.project_id == project_id)
        .order_by(messages.c.created_at.desc(), messages.c.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return tx.all(statement)


def batch_of_project(
    tx: Tx, project_id: str, *, after: tuple[int, str] | None, size: int
) -> list[Record]:
    """The next ``size`` messages of the project, oldest first, after the ``(created_at, id)``
    of the previous batch: an export reads the whole project without OFFSET scans."""
    statement = select(messages).where(messages.c.project_id == project_id)
    if after is not None:
        created_at, message_id = after
        statement = statement.where(
            or_(
                messages.c.created_at > created_at,
                and_(messages.c.created_at == created_at, messages.c.id > message_id),
            )
        )
    statement = statement.order_by(messages.c.created_at, messages.c.id).limit(size)
    return tx.all(statement)


def conversations_by_request_id(
    tx: Tx, project_id: str, request_ids: Iterable[str]
) -> dict[str, Record]:
    wanted = set(request_ids)
    if not wanted:
        return {}
    statement = select(requests).where(
        requests.c.project_id == project_id, requests.c.request_id.in_(wanted)
    )
    return {row.request_id: row for row in tx.all(statement)}


def delete_of_conversation(tx: Tx, project_id: str, request_id: str) -> int:
    """Delete every message of a conversation (deleting the conversation, §5.4.3); how many
    were deleted."""
    statement = delete(messages).where(
        messages.c.project_id == project_id, messages.c.recipient == request_id
    )
    return int(tx.conn.execute(statement).rowcount)
