"""Lead (contact) use cases (§5.6)."""

from typing import Any

from sqlalchemy import ColumnElement

from tessera.auth.principal import Member, Role
from tessera.conversations import repository as conversations
from tessera.core.db import Record, Tx
from tessera.core.errors import BadRequest, NotFound, PermissionDenied
from tessera.core.ids import is_object_id, new_uuid
from tessera.core.pagination import PageParams
from tessera.leads import repository
from tessera.leads.models import LEAD_DELETED, LEAD_NORMAL, leads
from tessera.leads.schemas import LeadCreate, LeadOut, LeadUpdate
from tessera.segments import service as segments

_NOT_FOUND = "Object not found."


def search_leads(
    tx: Tx,
    member: Member,
    *,
    page: PageParams,
    full_text: str | None = None,
    email: str | None = None,
    with_email: bool = False,
    with_fullname: bool = False,
    tag: str | None = None,
    status: int | None = None,
    segment: str | None = None,
    sort: str | None = None,
    direction: int = -1,
) -> tuple[list[Record], int]:
    conditions = _filters(tx, member, full_text, email, with_email, with_fullname, tag)
    if segment:
        # §5.25: the segment's filters narrow the list (404 when the project has no such one).
        conditions.append(segments.lead_condition(tx, member, segment))
    conditions.append(leads.c.status == (LEAD_NORMAL if status is None else status))
    return repository.search(
        tx, member.project_id, conditions=conditions, page=page, sort=sort, direction=direction
    )


def export_leads(
    tx: Tx,
    member: Member,
    *,
    page: PageParams,
    full_text: str | None,
    email: str | None,
    sort: str | None,
    direction: int,
) -> list[Record]:
    conditions = _filters(tx, member, full_text, email, False, False, None)
    conditions.append(repository.not_deleted())
    rows, _count = repository.search(
        tx, member.project_id, conditions=conditions, page=page, sort=sort, direction=direction
    )
    return rows


def _filters(
    tx: Tx,
    member: Member,
    full_text: str | None,
    email: str | None,
    with_email: bool,
    with_fullname: bool,
    tag: str | None,
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if full_text:
        conditions.append(repository.text_condition(tx, member.project_id, full_text))
    if email:
        conditions.append(leads.c.email == email)
    if with_email:
        conditions.append(leads.c.email.is_not(None))
    if with_fullname:
        conditions.append(leads.c.fullname.is_not(None))
    if tag:
        conditions.append(repository.has_tag(tag))
    return conditions


def get_lead(tx: Tx, member: Member, lead_pk: str) -> Record:
    lead = repository.get(tx, member.project_id, lead_pk) if is_object_id(lead_pk) else None
    if lead is None:
        raise NotFound(_NOT_FOUND)
    return lead


def create_lead(tx: Tx, member: Member, body: LeadCreate) -> Record:
    """A lead with ``lead_id`` (a random UUID when absent); an existing ``lead_id`` of the
    project answers that lead, updated with the name, e-mail and attributes given."""
    lead_id = body.lead_id or new_uuid()
    existing = repository.find_by_lead_id(tx, member.project_id, lead_id)
    if existing is not None:
        values = body.model_dump(exclude_none=True, exclude={"lead_id"})
        return _update(tx, member, existing, values)
    lead = repository.add(
        tx,
        {
            "project_id": member.project_id,
            "lead_id": lead_id,
            "fullname": body.fullname,
            "email": body.email,
            "attributes": body.attributes,
            "status": LEAD_NORMAL,
            "created_by": member.caller.id,
        },
    )
    tx.emit("lead.create", member.project_id, LeadOut.of(lead).wire())
    return lead


def update_lead(tx: Tx, member: Member, lead_pk: str, body: LeadUpdate) -> Record:
    """Tiledesk upserts here; Tessera answers 404 for an unknown lead."""
    return _update(tx, member, get_lead(tx, member, lead_pk), body.columns())


def merge_attributes(tx: Tx, member: Member, lead_pk: str, data: dict[str, Any]) -> Record:
    lead = get_lead(tx, member, lead_pk)
    return _update(tx, member, lead, {"attributes": {**(lead.attributes or {}), **data}})


def merge_properties(tx: Tx, member: Member, lead_pk: str, data: dict[str, Any]) -> Record:
    lead = get_lead(tx, member, lead_pk)
    return _update(tx, member, lead, {"properties": {**(lead.properties or {}), **data}})


def add_tags(tx: Tx, member: Member, lead_pk: str, tags: list[str]) -> Record:
    """Appends the tags not already there (§5.6)."""
    if not tags:
        raise BadRequest("No tag specified", key="message")
    lead = get_lead(tx, member, lead_pk)
    merged = list(lead.tags) + [tag for tag in dict.fromkeys(tags) if tag not in lead.tags]
    return _update(tx, member, lead, {"tags": merged})


def remove_tag(tx: Tx, member: Member, lead_pk: str, tag: str) -> Record:
    lead = get_lead(tx, member, lead_pk)
    return _update(tx, member, lead, {"tags": [kept for kept in lead.tags if kept != tag]})


def delete_lead(tx: Tx, member: Member, lead_pk: str) -> Record:
    """Soft delete: ``status`` 1000; the lead leaves the lists."""
    lead = _update(tx, member, get_lead(tx, member, lead_pk), {"status": LEAD_DELETED})
    tx.emit("lead.delete", member.project_id, LeadOut.of(lead).wire())
    return lead


def delete_lead_physically(tx: Tx, member: Member, lead_pk: str) -> dict[str, int]:
    if member.role is not Role.OWNER:
        raise PermissionDenied("Unauthorized.")
    lead = get_lead(tx, member, lead_pk)
    deleted = repository.remove(tx, member.project_id, lead.id)
    tx.emit("lead.delete", member.project_id, LeadOut.of(lead).wire())
    return {"n": deleted, "ok": 1, "deletedCount": deleted}


def _update(tx: Tx, member: Member, lead: Record, values: dict[str, Any]) -> Record:
    updated = repository.update_fields(tx, member.project_id, lead.id, values) if values else lead
    assert updated is not None
    payload = LeadOut.of(updated).wire()
    if values:
        # Tiledesk copies the updated lead into ``snapshot.lead`` of its requests on every
        # ``lead.update`` (§5.6 PUT: new names and e-mails reach the conversations).
        conversations.refresh_lead_snapshot(tx, member.project_id, updated.id, payload)
    tx.emit("lead.update", member.project_id, payload)
    changed = [field for field in ("fullname", "email") if updated[field] != lead[field]]
    if changed:
        tx.emit(f"lead.{'.'.join(changed)}.update", member.project_id, payload)
    return updated
