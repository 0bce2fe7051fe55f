"""SQL for canned responses. Every query is scoped by project."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, delete, insert, or_, select, update

from tessera.canned.models import CANNED_DELETED, canned_responses
from tessera.core.db import Record, Tx
from tessera.core.ids import new_id

_c = canned_responses.c

# Wire names a client may sort by; anything else sorts by ``createdAt``.
_SORTABLE: dict[str, ColumnElement[Any]] = {
    "_id": _c.id,
    "title": _c.title,
    "text": _c.text,
    "shared": _c.shared,
    "status": _c.status,
    "id_project": _c.project_id,
    "createdBy": _c.created_by,
    "createdAt": _c.created_at,
    "updatedAt": _c.updated_at,
}


def search_visible(
    tx: Tx,
    project_id: str,
    viewer_id: str,
    *,
    text: str | None,
    sort: str,
    ascending: bool,
    limit: int,
    offset: int,
) -> list[Record]:
    """Live canned responses that are shared or ``viewer_id``'s own."""
    statement = select(canned_responses).where(
        _c.project_id == project_id,
        _c.status < CANNED_DELETED,
        or_(_c.shared.is_(True), _c.created_by == viewer_id),
    )
    if text:
        statement = statement.where(
            or_(
                _c.title.icontains(text, autoescape=True),
                _c.text.icontains(text, autoescape=True),
            )
        )
    column = _SORTABLE.get(sort, _c.created_at)
    # Mongo puts missing values first in ascending order; the id keeps pages stable.
    order = (
        (column.asc().nulls_first(), _c.id.asc())
        if ascending
        else (column.desc().nulls_last(), _c.id.desc())
    )
    return tx.all(statement.order_by(*order).limit(limit).offset(offset))


def get(tx: Tx, project_id: str, canned_id: str) -> Record | None:
    statement = select(canned_responses).where(_c.project_id == project_id, _c.id == canned_id)
    return tx.first(statement)


def add(tx: Tx, values: Mapping[str, Any]) -> Record:
    statement = (
        insert(canned_responses)
        .values({"id": new_id(), "created_at": tx.now, "updated_at": tx.now, **values})
        .returning(*canned_responses.c)
    )
    return tx.one(statement)


def update_fields(
    tx: Tx, project_id: str, canned_id: str, values: Mapping[str, Any]
) -> Record | None:
    statement = (
        update(canned_responses)
        .where(_c.project_id == project_id, _c.id == canned_id)
        .values(updated_at=tx.now, **values)
        .returning(*canned_responses.c)
    )
    return tx.first(statement)


def remove(tx: Tx, project_id: str, canned_id: str) -> int:
    statement = delete(canned_responses).where(_c.project_id == project_id, _c.id == canned_id)
    return tx.conn.execute(statement).rowcount
