"""SQL for conversations; every query is scoped to one project."""

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from tessera.conversations.models import (
    CANDIDATE,
    CLOSED,
    PARTICIPANT,
    project_counters,
    request_agents,
    requests,
)
from tessera.core.db import Record, Tx
from tessera.core.ids import new_id
from tessera.departments.models import departments
from tessera.project_users.models import project_users


def next_ticket(tx: Tx, project_id: str) -> int:
    """The project's next ``ticket_id``. The row stays locked until commit (PostgreSQL) or the
    whole write is exclusive (SQLite ``BEGIN IMMEDIATE``): routing decisions taken after
    this call are serialized per project."""
    dialect = postgresql if tx.conn.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(project_counters)
        .values(project_id=project_id, ticket_seq=1)
        .on_conflict_do_update(
            index_elements=[project_counters.c.project_id],
            set_={"ticket_seq": project_counters.c.ticket_seq + 1},
        )
        .returning(project_counters.c.ticket_seq)
    )
    return int(tx.conn.execute(statement).scalar_one())


def get(tx: Tx, project_id: str, request_id: str) -> Record | None:
    statement = select(requests).where(
        requests.c.project_id == project_id, requests.c.request_id == request_id
    )
    return tx.first(statement)


def add(tx: Tx, values: Mapping[str, Any]) -> Record | None:
    """Insert a conversation; None when its ``request_id`` already exists (a concurrent
    creation won: the caller reads that one instead)."""
    dialect = postgresql if tx.conn.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(requests)
        .values({"id": new_id(), "created_at": tx.now, "updated_at": tx.now, **values})
        .on_conflict_do_nothing(index_elements=[requests.c.request_id])
        .returning(*requests.c)
    )
    return tx.first(statement)


def update_fields(tx: Tx, request_pk: str, values: Mapping[str, Any]) -> Record:
    statement = (
        update(requests)
        .where(requests.c.id == request_pk)
        .values(updated_at=tx.now, **values)
        .returning(*requests.c)
    )
    return tx.one(statement)


def set_agents(
    tx: Tx, project_id: str, request_pk: str, participants: Iterable[str], candidates: Iterable[str]
) -> None:
    """Replace who the conversation is visible to (see ``models.request_agents``)."""
    tx.conn.execute(delete(request_agents).where(request_agents.c.request_pk == request_pk))
    rows = [
        {"request_pk": request_pk, "project_id": project_id, "agent": agent, "kind": kind}
        for kind, agents in ((PARTICIPANT, participants), (CANDIDATE, candidates))
        for agent in dict.fromkeys(agents)
    ]
    if rows:
        tx.conn.execute(insert(request_agents), rows)


def departments_by_id(tx: Tx, project_id: str, ids: Iterable[str]) -> dict[str, Record]:
    wanted = {value for value in ids if value}
    if not wanted:
        return {}
    statement = select(departments).where(
        departments.c.project_id == project_id, departments.c.id.in_(wanted)
    )
    return {row.id: row for row in tx.all(statement)}


def memberships_by_id(tx: Tx, project_id: str, ids: Iterable[str]) -> dict[str, Record]:
    wanted = {value for value in ids if value}
    if not wanted:
        return {}
    statement = select(project_users).where(
        project_users.c.project_id == project_id, project_users.c.id.in_(wanted)
    )
    return {row.id: row for row in tx.all(statement)}


def open_conversations_of(tx: Tx, project_id: str, user_id: str) -> int:
    statement = (
        select(func.count())
        .select_from(request_agents)
        .join(requests, requests.c.id == request_agents.c.request_pk)
        .where(
            request_agents.c.project_id == project_id,
            request_agents.c.agent == user_id,
            request_agents.c.kind == PARTICIPANT,
            requests.c.status < CLOSED,
        )
    )
    return int(tx.conn.execute(statement).scalar_one())
