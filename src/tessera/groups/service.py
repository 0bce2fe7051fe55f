"""Agent groups: named sets of teammates that departments route conversations to."""

from collections.abc import Mapping
from typing import Any

from tessera.auth.principal import Member
from tessera.core.db import Record, Tx
from tessera.core.errors import NotFound, PermissionDenied
from tessera.departments import repository as departments
from tessera.groups import repository
from tessera.groups.schemas import GroupCreate, GroupOut, GroupUpdate

_NOT_FOUND = "Object not found."


def list_groups(tx: Tx, member: Member, *, member_ids: list[str]) -> list[Record]:
    """Groups that are not trashed; with ``member_ids``, those holding any of these users."""
    rows = repository.list_for_project(tx, member.project_id)
    if member_ids:
        wanted = set(member_ids)
        rows = [row for row in rows if wanted.intersection(row.members or [])]
    return rows


def get_group(tx: Tx, member: Member, group_id: str) -> Record:
    group = repository.get(tx, member.project_id, group_id)
    if group is None:
        raise NotFound(_NOT_FOUND)
    return group


def create_group(tx: Tx, member: Member, body: GroupCreate) -> Record:
    group = repository.add(
        tx,
        {
            "project_id": member.project_id,
            "name": body.name,
            "members": body.members or [],
            "enabled": True,
            "trashed": False,
            "created_by": member.caller.id,
        },
    )
    tx.emit("group.create", member.project_id, GroupOut.of(group).wire())
    return group


def update_group(tx: Tx, member: Member, group_id: str, body: GroupUpdate) -> Record:
    """Only the fields given change. Tiledesk upserts an unknown id; Tessera answers 404."""
    values = {
        field: getattr(body, field)
        for field in ("name", "members", "trashed", "attributes")
        if getattr(body, field) is not None
    }
    return _update(tx, member, group_id, values)


def enable_group(tx: Tx, member: Member, group_id: str) -> Record:
    return _update(tx, member, group_id, {"enabled": True})


def disable_group(tx: Tx, member: Member, group_id: str) -> Record:
    """A group that a department routes to (``id_group``) stays enabled."""
    get_group(tx, member, group_id)
    if departments.any_with_group(tx, member.project_id, group_id):
        raise PermissionDenied(
            "Unable to disabled a group associated with a department", key="error"
        )
    return _update(tx, member, group_id, {"enabled": False})


def trash_group(tx: Tx, member: Member, group_id: str) -> Record:
    """Soft delete: the group is disabled and no longer listed, but still readable by id."""
    _check_deletable(tx, member, group_id)
    return _update(tx, member, group_id, {"enabled": False, "trashed": True})


def remove_group(tx: Tx, member: Member, group_id: str) -> Record:
    _check_deletable(tx, member, group_id)
    group = repository.remove(tx, member.project_id, group_id)
    assert group is not None
    tx.emit("group.delete", member.project_id, GroupOut.of(group).wire())
    return group


def _check_deletable(tx: Tx, member: Member, group_id: str) -> None:
    """As in Tiledesk, only ``id_group`` counts: shares in ``groups[]`` do not protect a group."""
    get_group(tx, member, group_id)
    if departments.any_with_group(tx, member.project_id, group_id):
        raise PermissionDenied("Unable to delete a group associated with a department", key="error")


def _update(tx: Tx, member: Member, group_id: str, values: Mapping[str, Any]) -> Record:
    group = (
        repository.update_fields(tx, member.project_id, group_id, values)
        if values
        else repository.get(tx, member.project_id, group_id)
    )
    if group is None:
        raise NotFound(_NOT_FOUND)
    tx.emit("group.update", member.project_id, GroupOut.of(group).wire())
    return group


def members_for_department(
    tx: Tx, project_id: str, department: Mapping[str, Any]
) -> list[str] | None:
    """The users a department's conversations may go to, or None for "every teammate".

    Shares (``groups[]``) win over ``id_group``: the members of the enabled groups among them.
    Errors are Tiledesk's (routes/project.js ``/:projectid/users/availables``).
    """
    shares = department.get("groups") or []
    if shares:
        group_ids = [share.get("group_id") for share in shares if share.get("group_id")]
        if not group_ids:
            return None
        found = repository.get_many(tx, project_id, group_ids)
        if not found:
            raise NotFound("No valid groups found", key="error")
        enabled = [group for group in found.values() if group.enabled]
        if not enabled:
            raise PermissionDenied("All groups are currently disabled", key="error")
        return list(dict.fromkeys(user for group in enabled for user in group.members or []))
    group_id = department.get("id_group")
    if not group_id:
        return None
    group = repository.get(tx, project_id, group_id)
    if group is None:
        raise NotFound(f"Group {group_id} not found", key="error")
    if not group.enabled:
        raise PermissionDenied(f"Group {group_id} is currently disabled", key="error")
    return list(group.members or [])
