"""SQL for the tag library. Every query is scoped by project."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, Executable, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from tessera.core.db import Record, Tx
from tessera.core.ids import new_id
from tessera.tags.models import tags

# Wire names a client may sort by; anything else sorts by ``createdAt``.
_SORTABLE: dict[str, ColumnElement[Any]] = {
    "_id": tags.c.id,
    "tag": tags.c.tag,
    "color": tags.c.color,
    "id_project": tags.c.project_id,
    "createdBy": tags.c.created_by,
    "createdAt": tags.c.created_at,
    "updatedAt": tags.c.updated_at,
}


class NameTaken(Exception):
    """The project already has a tag with this name (the unique constraint said so)."""


def search(
    tx: Tx, project_id: str, *, sort: str, ascending: bool, limit: int, offset: int
) -> list[Record]:
    column = _SORTABLE.get(sort, tags.c.created_at)
    # Mongo puts missing values first in ascending order; the id keeps pages stable.
    order = (
        (column.asc().nulls_first(), tags.c.id.asc())
        if ascending
        else (column.desc().nulls_last(), tags.c.id.desc())
    )
    statement = (
        select(tags)
        .where(tags.c.project_id == project_id)
        .order_by(*order)
        .limit(limit)
        .offset(offset)
    )
    return tx.all(statement)


def get(tx: Tx, project_id: str, tag_id: str) -> Record | None:
    return tx.first(select(tags).where(tags.c.project_id == project_id, tags.c.id == tag_id))


def find_by_name(tx: Tx, project_id: str, name: str) -> Record | None:
    return tx.first(select(tags).where(tags.c.project_id == project_id, tags.c.tag == name))


def add(tx: Tx, values: Mapping[str, Any]) -> Record:
    """Insert a tag; ``NameTaken`` when the name is in use, the transaction still usable."""
    statement = (
        insert(tags)
        .values({"id": new_id(), "created_at": tx.now, "updated_at": tx.now, **values})
        .returning(*tags.c)
    )
    found = _unique(tx, statement)
    assert found is not None
    return found


def update_fields(tx: Tx, project_id: str, tag_id: str, values: Mapping[str, Any]) -> Record | None:
    """The updated tag, None when there is none; ``NameTaken`` on a rename onto another."""
    statement = (
        update(tags)
        .where(tags.c.project_id == project_id, tags.c.id == tag_id)
        .values(updated_at=tx.now, **values)
        .returning(*tags.c)
    )
    return _unique(tx, statement)


def remove(tx: Tx, project_id: str, tag_id: str) -> int:
    statement = delete(tags).where(tags.c.project_id == project_id, tags.c.id == tag_id)
    return tx.conn.execute(statement).rowcount


def _unique(tx: Tx, statement: Executable) -> Record | None:
    # A SAVEPOINT, so that the losing writer of a race (PostgreSQL aborts the whole
    # transaction on a violated constraint) can go on to read the winner's row.
    try:
        with tx.conn.begin_nested():
            return tx.first(statement)
    except IntegrityError as error:
        raise NameTaken from error
