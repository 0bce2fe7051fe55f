"""SQL for leads; every query is scoped to one project."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, delete, func, insert, select, update

from tessera.core.db import FastQuery, JsonArrayContains, Record, Tx, project_rows_by_id
from tessera.core.ids import new_id
from tessera.core.pagination import PageParams, ordered
from tessera.leads.models import LEAD_DELETED, leads
from tessera.search import service as search_index
from tessera.search.models import LEAD

SORTABLE: dict[str, ColumnElement[Any]] = {
    "createdAt": leads.c.created_at,
    "updatedAt": leads.c.updated_at,
    "fullname": leads.c.fullname,
    "email": leads.c.email,
    "status": leads.c.status,
    "lead_id": leads.c.lead_id,
}


_get = FastQuery(
    select(leads).where(
        leads.c.project_id == bindparam("project_id"), leads.c.id == bindparam("id")
    )
)


def get(tx: Tx, project_id: str, lead_pk: str) -> Record | None:
    return _get.first(tx, project_id=project_id, id=lead_pk)


def find_by_lead_id(tx: Tx, project_id: str, lead_id: str) -> Record | None:
    statement = select(leads).where(leads.c.project_id == project_id, leads.c.lead_id == lead_id)
    return tx.first(statement)


def get_many(tx: Tx, project_id: str, lead_pks: list[str]) -> dict[str, Record]:
    return project_rows_by_id(tx, leads, project_id, lead_pks)


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


def text_condition(tx: Tx, project_id: str, text: str) -> ColumnElement[bool]:
    """Leads matching the full-text search ``text`` (§5.6: MongoDB's ``$text`` on the full
    name and e-mail; ``search.text`` has the rules)."""
    hits = search_index.matching(tx, project_id, LEAD, text)
    return leads.c.id.in_(select(hits.c.doc_id))


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
    lead = tx.one(statement)
    search_index.index_lead(tx, lead)
    return lead


def update_fields(
    tx: Tx, project_id: str, lead_pk: str, values: Mapping[str, Any]
) -> Record | None:
    statement = (
        update(leads)
        .where(leads.c.project_id == project_id, leads.c.id == lead_pk)
        .values(updated_at=tx.now, **values)
        .returning(*leads.c)
    )
    lead = tx.first(statement)
    if lead is not None and search_index.lead_text_changed(values):
        search_index.reindex_lead(tx, lead)
    return lead


def remove(tx: Tx, project_id: str, lead_pk: str) -> int:
    statement = delete(leads).where(leads.c.project_id == project_id, leads.c.id == lead_pk)
    deleted = int(tx.conn.execute(statement).rowcount)
    if deleted:
        search_index.delete_document(tx, LEAD, lead_pk)
    return deleted
