"""SQL for leads; every query is scoped to one project."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, insert, or_, select, update

from tessera.core.db import JsonArrayContains, Record, Tx
from tessera.core.ids import new_id
from tessera.core.pagination import PageParams, ordered
from tessera.leads.models import LEAD_DELETED, leads

SORTABLE: dict[str, ColumnElement[Any]] = {
    "createdAt": leads.c.created_at,
    "updatedAt": leads.c.updated_at,
    "fullname": leads.c.fullname,
    "email": leads.c.email,
    "status": leads.c.status,
    "lead_id": leads.c.lead_id,
}


def get(tx: Tx, project_id: str, lead_pk: str) -> Record | None:
    return tx.first(select(leads).where(leads.c.project_id == project_id, leads.c.id == lead_pk))


def find_by_lead_id(tx: Tx, project_id: str, lead_id: str) -> Record | None:
    statement = select(leads).where(leads.c.project_id == project_id, leads.c.lead_id == lead_id)
    return tx.first(statement)


def get_many(tx: Tx, project_id: str, lead_pks: list[str]) -> dict[str, Record]:
    if not lead_pks:
        return {}
    statement = select(leads).where(leads.c.project_id == project_id, leads.c.id.in_(set(lead_pks)))
    return {row.id: row for row in tx.all(statement)}


def search(
    tx: Tx,
    project_id: str,
    *,
    conditions: list[ColumnElement[bool]],
    page: PageParams,
    sort: str | None,
    direction: int,
) -> tuple[list[Record], int]:
    """One page of leads matching ``conditions``, and the count of all of them."""
    where = and_(leads.c.project_id == project_id, *conditions)
    count = tx.conn.execute(select(func.count()).select_from(leads).where(where)).scalar_one()
    statement = ordered(
        select(leads).where(where),
        sort=sort,
        direction=direction,
        columns=SORTABLE,
        default="createdAt",
        tie_breaker=leads.c.id,
    )
    return tx.all(statement.limit(page.limit).offset(page.offset)), count


def text_condition(text: str) -> ColumnElement[bool]:
    """Leads whose full name or e-mail contains every word of ``text`` (case-insensitive)."""
    words = [word for word in text.lower().split() if word]
    return and_(
        *(
            or_(
                func.lower(leads.c.fullname).contains(word, autoescape=True),
                func.lower(leads.c.email).contains(word, autoescape=True),
            )
            for word in words
        )
    )


def has_tag(tag: str) -> ColumnElement[bool]:
    return JsonArrayContains(leads.c.tags, tag)


def not_deleted() -> ColumnElement[bool]:
    return leads.c.status < LEAD_DELETED


def add(tx: Tx, values: Mapping[str, Any]) -> Record:
    statement = (
        insert(leads)
        .values({"id": new_id(), "created_at": tx.now, "updated_at": tx.now, "tags": [], **values})
        .returning(*leads.c)
    )
    return tx.one(statement)


def update_fields(
    tx: Tx, project_id: str, lead_pk: str, values: Mapping[str, Any]
) -> Record | None:
    statement = (
        update(leads)
        .where(leads.c.project_id == project_id, leads.c.id == lead_pk)
        .values(updated_at=tx.now, **values)
        .returning(*leads.c)
    )
    return tx.first(statement)


def remove(tx: Tx, project_id: str, lead_pk: str) -> int:
    statement = delete(leads).where(leads.c.project_id == project_id, leads.c.id == lead_pk)
    return int(tx.conn.execute(statement).rowcount)
