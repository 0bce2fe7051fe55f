"""SQL for intents; every query is scoped to one project. Intents are full-text searchable
through the shared search index (``search_documents``, kind ``intent``): their question and
answer, normalized once in Python (``search.text``), so both databases find the same ones."""

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import ColumnElement, Executable, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from tessera.bots.models import bots
from tessera.core.db import Record, Tx
from tessera.core.ids import new_id
from tessera.intents.models import intents
from tessera.search import repository as search_index
from tessera.search import text
from tessera.search.models import search_documents

KIND = "intent"
"""The intents' kind in the search index."""

_ORDER = (intents.c.created_at, intents.c.id)


class Duplicate(Exception):
    """Another intent of the bot has this ``intent_display_name`` or ``intent_id``."""


def get(tx: Tx, project_id: str, intent_pk: str) -> Record | None:
    return tx.first(
        select(intents).where(intents.c.project_id == project_id, intents.c.id == intent_pk)
    )


def find_by(tx: Tx, project_id: str, bot_id: str, column: str, value: str) -> Record | None:
    """The bot's intent whose ``column`` (``intent_id``, ``intent_display_name``) is ``value``."""
    statement = select(intents).where(
        intents.c.project_id == project_id, intents.c.bot_id == bot_id, intents.c[column] == value
    )
    return tx.first(statement)


def listed(
    tx: Tx,
    project_id: str,
    *,
    conditions: Iterable[ColumnElement[bool]] = (),
    offset: int = 0,
    limit: int | None = None,
) -> list[Record]:
    """The project's intents matching ``conditions``, oldest first."""
    statement = (
        select(intents)
        .where(intents.c.project_id == project_id, *conditions)
        .order_by(*_ORDER)
        .offset(offset)
        .limit(limit)
    )
    return tx.all(statement)


def of_bot(tx: Tx, project_id: str, bot_id: str) -> list[Record]:
    return listed(tx, project_id, conditions=[intents.c.bot_id == bot_id])


def of_bots_out_of_trash(project_id: str) -> ColumnElement[bool]:
    """Intents of the project's bots not in the trash (published versions are trashed)."""
    live = select(bots.c.id).where(bots.c.project_id == project_id, bots.c.trashed.is_(False))
    return intents.c.bot_id.in_(live)


def text_condition(tx: Tx, project_id: str, search: str) -> ColumnElement[bool]:
    """Intents whose question or answer matches MongoDB's ``$search`` syntax."""
    hits = search_index.matching(tx, project_id, KIND, text.parse(search))
    return intents.c.id.in_(select(hits.c.doc_id))


def add(tx: Tx, values: Mapping[str, Any]) -> Record:
    """Insert an intent (and index it); ``Duplicate`` when the bot has its name or intent id,
    the transaction still usable."""
    statement = (
        insert(intents)
        .values({"id": new_id(), "created_at": tx.now, "updated_at": tx.now, **values})
        .returning(*intents.c)
    )
    added = _unique(tx, statement)
    assert added is not None
    _index(tx, [added])
    return added


def update_fields(
    tx: Tx, project_id: str, intent_pk: str, values: Mapping[str, Any]
) -> Record | None:
    """The updated intent, None when there is none; ``Duplicate`` on a name in use."""
    statement = (
        update(intents)
        .where(intents.c.project_id == project_id, intents.c.id == intent_pk)
        .values(updated_at=tx.now, **values)
        .returning(*intents.c)
    )
    updated = _unique(tx, statement)
    if updated is not None and ("question" in values or "answer" in values):
        _index(tx, [updated])
    return updated


def update_of_bot(tx: Tx, project_id: str, bot_id: str, values: Mapping[str, Any]) -> None:
    """Set ``values`` on every intent of the bot (its language, its trash state)."""
    tx.conn.execute(
        update(intents)
        .where(intents.c.project_id == project_id, intents.c.bot_id == bot_id)
        .values(updated_at=tx.now, **values)
    )


def remove(tx: Tx, project_id: str, intent_pk: str) -> None:
    search_index.remove(tx, KIND, intent_pk)
    tx.conn.execute(
        delete(intents).where(intents.c.project_id == project_id, intents.c.id == intent_pk)
    )


def remove_of_bot(tx: Tx, project_id: str, bot_id: str) -> None:
    """Delete the bot's intents and their search documents."""
    owned = select(intents.c.id).where(
        intents.c.project_id == project_id, intents.c.bot_id == bot_id
    )
    tx.conn.execute(
        delete(search_documents).where(
            search_documents.c.kind == KIND, search_documents.c.doc_id.in_(owned)
        )
    )
    tx.conn.execute(
        delete(intents).where(intents.c.project_id == project_id, intents.c.bot_id == bot_id)
    )


# ---------------------------------------------------------------- matching (the FAQ engine)


def exact_question(tx: Tx, project_id: str, bot_id: str, question: str) -> list[Record]:
    """The bot's enabled intents whose question is exactly ``question``, oldest first."""
    return listed(
        tx,
        project_id,
        conditions=[
            intents.c.bot_id == bot_id,
            intents.c.question == question,
            intents.c.enabled.is_(True),
        ],
    )


def sharing_a_word(tx: Tx, project_id: str, bot_id: str, words: list[str]) -> list[Record]:
    """The bot's enabled intents whose question or answer has one of ``words`` (normalized
    words, ``search.text.words``), oldest first: the engine ranks them. The visitor's text is
    plain words, never ``$search`` syntax (no phrases, no exclusions)."""
    query = text.Query(terms=tuple(dict.fromkeys(words)))
    hits = search_index.matching(tx, project_id, KIND, query)
    return listed(
        tx,
        project_id,
        conditions=[
            intents.c.bot_id == bot_id,
            intents.c.enabled.is_(True),
            intents.c.id.in_(select(hits.c.doc_id)),
        ],
    )


def _index(tx: Tx, rows: Iterable[Record]) -> None:
    search_index.upsert(
        tx,
        [
            {
                "project_id": row.project_id,
                "kind": KIND,
                "doc_id": row.id,
                "body": text.body([row.question, row.answer]),
            }
            for row in rows
        ],
    )


def _unique(tx: Tx, statement: Executable) -> Record | None:
    # A SAVEPOINT, so that after a violated constraint (PostgreSQL aborts the whole
    # transaction) the caller may go on, e.g. skip a duplicate row of an import.
    try:
        with tx.conn.begin_nested():
            return tx.first(statement)
    except IntegrityError as error:
        raise Duplicate from error


def has_intents(tx: Tx, project_id: str, bot_id: str) -> bool:
    statement = (
        select(intents.c.id)
        .where(intents.c.project_id == project_id, intents.c.bot_id == bot_id)
        .limit(1)
    )
    return tx.first(statement) is not None
