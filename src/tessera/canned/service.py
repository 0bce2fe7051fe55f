"""Canned responses: ready-made answers, private to their author or shared with the team."""

from typing import Any

from tessera.auth.principal import Member, Role
from tessera.canned import repository
from tessera.canned.models import CANNED_ACTIVE, CANNED_DELETED
from tessera.canned.schemas import CANNED_PER_PAGE, CannedCreate, CannedListQuery, CannedUpdate
from tessera.core.db import Record, Tx
from tessera.core.errors import NotFound, PermissionDenied

_EDITABLE = frozenset({"title", "text", "attributes"})


def list_canned(tx: Tx, member: Member, query: CannedListQuery) -> list[Record]:
    """Live ones (status below 1000) that are shared or the caller's own."""
    return repository.search_visible(
        tx,
        member.project_id,
        member.caller.id,
        text=query.full_text,
        sort=query.sort,
        ascending=query.direction == 1,
        limit=CANNED_PER_PAGE,
        offset=query.page * CANNED_PER_PAGE,
    )


def get_canned(tx: Tx, member: Member, canned_id: str) -> Record:
    """Only the author may read one by id, shared or not (§5.11), deleted or not."""
    canned = repository.get(tx, member.project_id, canned_id)
    if canned is None:
        raise NotFound("Object not found.")
    if canned.created_by != member.caller.id:
        raise PermissionDenied("You are not allowed to get a canned response that is not yours.")
    return canned


def create_canned(tx: Tx, member: Member, body: CannedCreate) -> Record:
    """Owners and admins always share; other teammates share only when they ask to."""
    shared = member.role in (Role.OWNER, Role.ADMIN) or body.shared is True
    return repository.add(
        tx,
        {
            "project_id": member.project_id,
            "title": body.title,
            "text": body.text,
            "shared": shared,
            "status": CANNED_ACTIVE,
            "created_by": member.caller.id,
        },
    )


def update_canned(tx: Tx, member: Member, canned_id: str, body: CannedUpdate) -> Record:
    """Writes only the fields the body names."""
    _check_changeable(tx, member, canned_id, "modify")
    values: dict[str, Any] = {
        field: getattr(body, field) for field in body.model_fields_set & _EDITABLE
    }
    return _update(tx, member, canned_id, values)


def delete_canned(tx: Tx, member: Member, canned_id: str) -> Record:
    """Soft delete: status 1000 hides it from the list; the author can still read it."""
    _check_changeable(tx, member, canned_id, "delete")
    return _update(tx, member, canned_id, {"status": CANNED_DELETED})


def delete_canned_physically(tx: Tx, member: Member, canned_id: str) -> dict[str, int]:
    _check_changeable(tx, member, canned_id, "delete")
    deleted = repository.remove(tx, member.project_id, canned_id)
    return {"n": deleted, "ok": 1, "deletedCount": deleted}


def _check_changeable(tx: Tx, member: Member, canned_id: str, verb: str) -> None:
    canned = repository.get(tx, member.project_id, canned_id)
    if canned is None:
        raise NotFound(
            f"Canned response not found with id {canned_id} for project {member.project_id}",
            key="error",
        )
    if not _may_change(member, canned):
        message = (
            f"You are not allowed to {verb} a canned response that is not yours."
            if member.role_name == Role.AGENT
            else f"Not allowed to {verb} a non administration canned response"
        )
        raise PermissionDenied(message, key="error")


def _may_change(member: Member, canned: Record) -> bool:
    """Agents change only their own; other teammates also the shared ones.

    Tiledesk refuses owners and admins every non-shared one, even their own (written while
    they were agents); Tessera lets authors keep control of what they wrote.
    """
    if canned.created_by == member.caller.id:
        return True
    return member.role_name != Role.AGENT and canned.shared


def _update(tx: Tx, member: Member, canned_id: str, values: dict[str, Any]) -> Record:
    canned = repository.update_fields(tx, member.project_id, canned_id, values)
    assert canned is not None  # checked by _check_changeable, same transaction
    return canned
