"""SQL for bots; every query is scoped to one project."""

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Executable,
    bindparam,
    delete,
    false,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from tessera.bots.models import bots
from tessera.core.db import FastQuery, JsonArrayContains, Record, Tx, project_rows_by_id
from tessera.core.ids import is_object_id, new_id


def get(tx: Tx, project_id: str, bot_id: str) -> Record | None:
    statement = select(bots).where(bots.c.project_id == project_id, bots.c.id == bot_id)
    return tx.first(statement)


def get_many(tx: Tx, project_id: str, ids: Iterable[str]) -> dict[str, Record]:
    """The project's bots among ``ids`` (ids of other projects' bots are ignored)."""
    return project_rows_by_id(tx, bots, project_id, ids)


def find_untrashed(tx: Tx, project_id: str, *, column: str, value: str) -> Record | None:
    """The project's non-trashed bot whose ``column`` (``id``, ``name`` or ``slug``) is
    ``value``."""
    statement = (
        select(bots)
        .where(bots.c.project_id == project_id, bots.c[column] == value, bots.c.trashed.is_(False))
        .order_by(bots.c.created_at)
        .limit(1)
    )
    return tx.first(statement)


def find_public(tx: Tx, bot_id: str) -> Record | None:
    """The public bot ``bot_id`` out of the trash, whatever its project: the one lookup
    across projects, for forks of public bots (Tiledesk's chatbot templates)."""
    statement = select(bots).where(
        bots.c.id == bot_id, bots.c.public.is_(True), bots.c.trashed.is_(False)
    )
    return tx.first(statement)


class SlugTaken(Exception):
    """Another bot of the project has this slug (the unique constraint said so)."""


def list_untrashed(
    tx: Tx, project_id: str, *, conditions: Iterable[ColumnElement[bool]]
) -> list[Record]:
    """The project's bots not in the trash that match ``conditions``, oldest first."""
    statement = (
        select(bots)
        .where(bots.c.project_id == project_id, bots.c.trashed.is_(False), *conditions)
        .order_by(bots.c.created_at, bots.c.id)
    )
    return tx.all(statement)


def text_condition(text: str) -> ColumnElement[bool]:
    """Bots whose name, description or tags contain one of the words of ``text``
    (case-insensitive): Tiledesk's ``$text`` search matches any of the terms."""
    words = [word for word in text.lower().split() if word]
    return or_(
        *(
            or_(
                func.lower(bots.c.name).contains(word, autoescape=True),
                func.lower(func.coalesce(bots.c.description, "")).contains(word, autoescape=True),
                JsonArrayContains(bots.c.tags, word),
            )
            for word in words
        ),
        false(),
    )


def slugs_like(tx: Tx, project_id: str, base: str) -> list[str]:
    """The project's slugs equal to ``base`` or starting with ``base-``."""
    statement = select(bots.c.slug).where(
        bots.c.project_id == project_id,
        or_(bots.c.slug == base, bots.c.slug.startswith(f"{base}-", autoescape=True)),
    )
    return [row.slug for row in tx.all(statement)]


def add(tx: Tx, values: Mapping[str, Any]) -> Record:
    """Insert a bot; ``SlugTaken`` when the slug is in use, the transaction still usable."""
    statement = (
        insert(bots)
        .values({"id": new_id(), "created_at": tx.now, "updated_at": tx.now, **values})
        .returning(*bots.c)
    )
    found = _unique(tx, statement)
    assert found is not None
    return found


def update_fields(tx: Tx, project_id: str, bot_id: str, values: Mapping[str, Any]) -> Record | None:
    """The updated bot, None when there is none; ``SlugTaken`` on a slug already in use."""
    statement = (
        update(bots)
        .where(bots.c.project_id == project_id, bots.c.id == bot_id)
        .values(updated_at=tx.now, **values)
        .returning(*bots.c)
    )
    return _unique(tx, statement)


def remove(tx: Tx, project_id: str, bot_id: str) -> int:
    statement = delete(bots).where(bots.c.project_id == project_id, bots.c.id == bot_id)
    return int(tx.conn.execute(statement).rowcount)


def _unique(tx: Tx, statement: Executable) -> Record | None:
    # A SAVEPOINT, so that the loser of a slug race (PostgreSQL aborts the whole transaction
    # on a violated constraint) can pick another slug and go on.
    try:
        with tx.conn.begin_nested():
            return tx.first(statement)
    except IntegrityError as error:
        raise SlugTaken from error


# Verifying a bot token runs on every request a bot makes: it takes the fast path.
_secret = FastQuery(select(bots.c.secret, bots.c.project_id).where(bots.c.id == bindparam("id")))


def token_secret(tx: Tx, bot_id: str) -> tuple[str, str] | None:
    """``(secret, project id)`` of the bot a token is addressed to (fact sheet §3.3)."""
    if not is_object_id(bot_id):
        return None
    row = _secret.first(tx, id=bot_id)
    return (row.secret, row.project_id) if row is not None else None


def expired_trash(tx: Tx, cutoff: int, limit: int) -> list[Record]:
    """``(project_id, id)`` of bots in the trash since ``cutoff`` or before, in every project
    (the scheduler's purge), oldest first."""
    statement = (
        select(bots.c.project_id, bots.c.id)
        .where(bots.c.trashed.is_(True), bots.c.trashed_at <= cutoff)
        .order_by(bots.c.trashed_at, bots.c.id)
        .limit(limit)
    )
    return tx.all(statement)


def version_ids(tx: Tx, project_id: str, root_id: str) -> list[str]:
    """The ids of the published versions of the bot ``root_id``."""
    statement = select(bots.c.id).where(bots.c.project_id == project_id, bots.c.root_id == root_id)
    return [row.id for row in tx.all(statement)]


def list_any(
    tx: Tx,
    project_id: str,
    *,
    conditions: Iterable[ColumnElement[bool]],
    order: Iterable[ColumnElement[Any]],
    limit: int,
) -> list[Record]:
    """The project's bots, trashed or not, matching ``conditions``."""
    statement = (
        select(bots)
        .where(bots.c.project_id == project_id, *conditions)
        .order_by(*order)
        .limit(limit)
    )
    return tx.all(statement)
