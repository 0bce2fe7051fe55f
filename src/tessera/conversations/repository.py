"""SQL for conversations; every query is scoped to one project."""

import functools
from collections.abc import Iterable, Mapping
from typing import Any

import orjson
from sqlalchemy import (
    ColumnElement,
    FromClause,
    String,
    Subquery,
    and_,
    bindparam,
    cast,
    delete,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from tessera.conversations.models import (
    CANDIDATE,
    CLOSED,
    PARTICIPANT,
    project_counters,
    request_agents,
    requests,
)
from tessera.core.db import FastQuery, Record, Tx, project_rows_by_id
from tessera.core.ids import new_id
from tessera.core.pagination import PageParams
from tessera.departments.models import departments
from tessera.project_users.models import project_users
from tessera.search import service as search_index
from tessera.search.models import REQUEST


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


# Every message and every by-id route reads a conversation: the fast path.
_by_request_id = select(requests).where(
    requests.c.project_id == bindparam("project_id"),
    requests.c.request_id == bindparam("request_id"),
)
_get = FastQuery(_by_request_id)
_get_for_update = FastQuery(_by_request_id.with_for_update())


def get(tx: Tx, project_id: str, request_id: str) -> Record | None:
    return _get.first(tx, project_id=project_id, request_id=request_id)


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
    created = tx.first(statement)
    if created is not None:
        search_index.reindex_request(tx, created)
    return created


def update_fields(tx: Tx, request_pk: str, values: Mapping[str, Any]) -> Record:
    found = _update_of(frozenset(values)).first(
        tx, **values, updated_at=tx.now, request_pk=request_pk
    )
    if found is None:
        raise LookupError(f"no conversation {request_pk}")
    updated = found
    if search_index.request_text_changed(values):
        search_index.reindex_request(tx, updated)
    return updated


@functools.cache
def _update_of(columns: frozenset[str]) -> FastQuery:
    """The UPDATE of these columns of one conversation, compiled once: a message rewrites
    ``attributes`` (and a few other columns) of its conversation every time."""
    assigned = {name: bindparam(name, type_=requests.c[name].type) for name in columns}
    return FastQuery(
        update(requests)
        .where(requests.c.id == bindparam("request_pk"))
        .values(updated_at=bindparam("updated_at"), **assigned)
        .returning(*requests.c)
    )


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
    return project_rows_by_id(tx, departments, project_id, ids)


def memberships_by_id(tx: Tx, project_id: str, ids: Iterable[str]) -> dict[str, Record]:
    return project_rows_by_id(tx, project_users, project_id, ids)


_PENDING = "pending"  # a ``workingStatus`` value: on hold, waiting for the contact


def counted_as_open() -> ColumnElement[bool]:
    """The conversations an agent's load counts (§8.2, also the chat limits of §5.8): not
    closed, not a test (draft) conversation, not put on hold (``workingStatus`` "pending").
    NULLs count as "not draft" and "not pending"."""
    return and_(
        requests.c.status < CLOSED,
        or_(requests.c.draft.is_(None), requests.c.draft.is_(False)),
        or_(requests.c.working_status.is_(None), requests.c.working_status != _PENDING),
    )


def open_conversations_of(tx: Tx, project_id: str, user_id: str) -> int:
    """How many conversations ``counted_as_open`` the user takes part in."""
    statement = (
        select(func.count())
        .select_from(request_agents)
        .join(requests, requests.c.id == request_agents.c.request_pk)
        .where(
            request_agents.c.project_id == project_id,
            request_agents.c.agent == user_id,
            request_agents.c.kind == PARTICIPANT,
            counted_as_open(),
        )
    )
    return int(tx.conn.execute(statement).scalar_one())


def get_for_update(tx: Tx, project_id: str, request_id: str) -> Record | None:
    """The conversation, locked until commit on PostgreSQL (SQLite writes are serialized by
    ``BEGIN IMMEDIATE``): read-modify-write of its JSON arrays (notes, tags, followers,
    attributes) never loses a concurrent change."""
    return _get_for_update.first(tx, project_id=project_id, request_id=request_id)


def locked(tx: Tx, conversation: Record) -> Record | None:
    """``conversation``, read in this write transaction, locked until commit (None if it
    was deleted meanwhile): SQLite serializes writers from ``BEGIN IMMEDIATE`` on, so the
    row read is already current; PostgreSQL reads it again ``FOR UPDATE``."""
    if tx.conn.dialect.name == "sqlite":
        return conversation
    return get_for_update(tx, conversation.project_id, conversation.request_id)


def get_by_pk(tx: Tx, project_id: str, request_pk: str) -> Record | None:
    statement = select(requests).where(
        requests.c.project_id == project_id, requests.c.id == request_pk
    )
    return tx.first(statement)


def remove(tx: Tx, project_id: str, request_pk: str) -> Record | None:
    """Delete a conversation (its ``request_agents`` rows go by cascade, its search document
    here); the deleted row."""
    statement = (
        delete(requests)
        .where(requests.c.project_id == project_id, requests.c.id == request_pk)
        .returning(*requests.c)
    )
    deleted = tx.first(statement)
    if deleted is not None:
        search_index.delete_document(tx, REQUEST, request_pk)
    return deleted


def search(
    tx: Tx,
    project_id: str,
    *,
    conditions: Iterable[ColumnElement[bool]],
    order: Iterable[ColumnElement[Any]],
    page: PageParams,
    with_count: bool = True,
    hits: Subquery | None = None,
) -> tuple[list[Record], int]:
    """One page of the project's conversations matching ``conditions`` (and among the
    full-text search ``hits``, a ``(doc_id, score)`` subquery, when given), and how many
    match in all (0 without ``with_count``)."""
    source: FromClause = requests
    if hits is not None:
        source = requests.join(hits, hits.c.doc_id == requests.c.id)
    where = and_(requests.c.project_id == project_id, *conditions)
    statement = select(requests).select_from(source).where(where).order_by(*order)
    rows = tx.all(statement.limit(page.limit).offset(page.offset))
    if not with_count:
        return rows, 0
    count = tx.conn.execute(select(func.count()).select_from(source).where(where))
    return rows, int(count.scalar_one())


def count_by_state(
    tx: Tx, project_id: str, conditions: Iterable[ColumnElement[bool]]
) -> list[Record]:
    """``(status, has_bot, n)`` for the project's conversations matching ``conditions``."""
    statement = (
        select(requests.c.status, requests.c.has_bot, func.count().label("n"))
        .where(requests.c.project_id == project_id, *conditions)
        .group_by(requests.c.status, requests.c.has_bot)
    )
    return tx.all(statement)


def refresh_lead_snapshot(tx: Tx, project_id: str, lead_pk: str, lead: Mapping[str, Any]) -> None:
    """Write ``lead`` (its wire JSON) into ``snapshot.lead`` of the lead's conversations, in
    one statement; ``updatedAt`` moves, as with Tiledesk's ``updateMany`` (§5.6 PUT)."""
    lead_json = literal(orjson.dumps(lead).decode(), String())
    if tx.conn.dialect.name == "postgresql":
        snapshot: ColumnElement[Any] = func.jsonb_set(
            requests.c.snapshot, literal_column("'{lead}'"), cast(lead_json, postgresql.JSONB)
        )
    else:
        snapshot = func.json_set(
            requests.c.snapshot, literal_column("'$.lead'"), func.json(lead_json)
        )
    statement = (
        update(requests)
        .where(requests.c.project_id == project_id, requests.c.lead_id == lead_pk)
        .values(snapshot=snapshot, updated_at=tx.now)
    )
    tx.conn.execute(statement)


def lock_routing(tx: Tx, project_id: str) -> None:
    """Take the project's routing lock (the ``ticket_seq`` row, see ``next_ticket``) without
    drawing a ticket: re-routing an existing conversation is serialized with creations, so
    that chat limits and round robin see every assignment made before."""
    dialect = postgresql if tx.conn.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(project_counters)
        .values(project_id=project_id, ticket_seq=0)
        .on_conflict_do_update(
            index_elements=[project_counters.c.project_id],
            set_={"ticket_seq": project_counters.c.ticket_seq},
        )
    )
    tx.conn.execute(statement)
