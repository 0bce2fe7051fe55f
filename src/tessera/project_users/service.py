"""Membership use cases: teammates, end users, invitations, availability."""

from collections.abc import Mapping
from typing import Any

from tessera.auth.principal import Member, Role
from tessera.context import Context
from tessera.core.db import Record, Tx
from tessera.core.errors import AppError, BadRequest, NotFound, PermissionDenied
from tessera.core.ids import is_object_id, new_uuid
from tessera.emails import messages
from tessera.invitations import repository as invitations
from tessera.invitations import service as invitation_service
from tessera.invitations.schemas import InvitationOut
from tessera.project_users import repository
from tessera.project_users.models import (
    ROLE_TYPE_AGENTS,
    ROLE_TYPE_USERS,
    STATUS_ACTIVE,
    STATUS_DISABLED,
)
from tessera.project_users.schemas import (
    EndUserCreate,
    InviteIn,
    MembershipAdminUpdate,
    MembershipUpdate,
    ProjectUserOut,
)
from tessera.users import repository as users
from tessera.users.schemas import UserOut

_NOT_FOUND = "Object not found."
_STATUSES = frozenset({STATUS_ACTIVE, STATUS_DISABLED})


class InviteRefused(AppError):
    """Tiledesk answers these invitation refusals with HTTP 200 and ``success: false``."""

    status_code = 200


def is_busy(membership: Mapping[str, Any], project: Mapping[str, Any]) -> bool:
    """At or over the chat limit (Tiledesk: utils/project_userUtil.js). A member's own limit
    counts only when it is higher than the project's."""
    project_limit = (project.get("settings") or {}).get("max_agent_assigned_chat")
    if project_limit is None:
        return False
    limit = project_limit if project_limit > -1 else None
    own = membership["max_assigned_chat"]
    if own is not None and own > -1 and limit is not None and own > limit:
        limit = own
    return limit is not None and membership["number_assigned_requests"] >= limit


def present(
    membership: Mapping[str, Any],
    project: Mapping[str, Any],
    *,
    user: Any = None,
    busy: bool = True,
) -> ProjectUserOut:
    """The membership as the API shows it: ``id_user`` populated when ``user`` is given."""
    data = dict(membership)
    if user is not None:
        data["user_id"] = user
    if busy:
        data["is_busy"] = is_busy(data, project)
    return ProjectUserOut.model_validate(data)


def event_payload(
    tx: Tx, membership: Record, project: Mapping[str, Any], *fields: str
) -> dict[str, Any]:
    """Webhook/realtime payload: the membership with ``id_user`` reduced to a few fields."""
    user = _account(tx, membership.user_id)
    reduced = (
        {"_id": user.id, **{name: getattr(user, name) for name in fields}}
        if user is not None
        else None
    )
    return present(membership, project, user=reduced).wire()


def list_members(
    tx: Tx,
    member: Member,
    *,
    roles: list[str] | None,
    include_trashed: bool,
    presence: str | None,
    status: str | None,
) -> list[ProjectUserOut]:
    rows = repository.search(
        tx,
        member.project_id,
        roles=roles,
        include_trashed=include_trashed,
        presence=presence,
        status=status,
    )
    accounts = users.get_many(tx, [row.user_id for row in rows if row.user_id])
    return [
        present(row, member.project, user=_full_user(accounts.get(row.user_id))) for row in rows
    ]


def _full_user(user: Record | None) -> UserOut | None:
    return UserOut.of(user) if user is not None else None


def _account(tx: Tx, user_id: str | None) -> Record | None:
    """The member's account whatever its status: like mongoose's populate, a membership of
    someone who deleted the account still shows the (anonymised) user."""
    return users.get_many(tx, [user_id]).get(user_id) if user_id else None


def my_membership(member: Member) -> list[ProjectUserOut]:
    if member.membership is None:
        raise NotFound(_NOT_FOUND)
    return [present(member.membership, member.project)]


def get_member(tx: Tx, member: Member, membership_id: str) -> ProjectUserOut:
    row = repository.get(tx, member.project_id, membership_id)
    if row is None:
        raise NotFound(_NOT_FOUND)
    return present(row, member.project, user=_full_user(_account(tx, row.user_id)))


def memberships_of_user(tx: Tx, member: Member, user_id: str) -> list[ProjectUserOut]:
    """By user id (registered, populated) or by guest/end-user id (``uuid_user``)."""
    key = "user_id" if is_object_id(user_id) else "uuid_user"
    row = repository.find_any(tx, member.project_id, key, user_id)
    if row is None:
        raise NotFound(_NOT_FOUND)
    account = _account(tx, row.user_id) if key == "user_id" else None
    return [present(row, member.project, user=_full_user(account))]


def find_teammate(tx: Tx, member: Member, email: str | None) -> dict[str, str]:
    user = users.find_active_by_email(tx, email.lower()) if email else None
    if user is None:
        raise NotFound(_NOT_FOUND)
    if repository.find_any(tx, member.project_id, "user_id", user.id) is None:
        raise PermissionDenied("Unauthorized. This is not a your teammate.", success=None)
    return {"_id": user.id}


def invite(tx: Tx, member: Member, body: InviteIn, ctx: Context) -> dict[str, Any]:
    """Add a registered user to the project, or keep a pending invitation for a new one."""
    email = body.email.strip().lower()
    if not body.role:
        raise InviteRefused("Role is required.", code=405)
    _check_role_grant(member, body.role)
    user = users.find_active_by_email(tx, email)
    if user is None:
        return _invite_newcomer(tx, member, email, body.role, ctx)
    if user.id == member.caller.id:
        raise PermissionDenied("Forbidden. It is not allowed to invite oneself", code=4000)
    existing = repository.find_agent_membership(tx, member.project_id, user.id)
    if existing is not None and not existing.trashed:
        raise PermissionDenied("Forbidden. User is already a member", code=4001)
    membership = repository.add(
        tx,
        {
            "project_id": member.project_id,
            "user_id": user.id,
            "role": body.role,
            "role_type": ROLE_TYPE_AGENTS,
            "user_available": True if body.user_available is None else body.user_available,
            "created_by": member.caller.id,
        },
    )
    ctx.send_after_commit(
        tx,
        messages.invited_existing_user(
            ctx.links,
            to=user.email,
            firstname=user.firstname or "",
            inviter=member.caller.fullname or "A teammate",
            project_name=member.project["name"],
            project_id=member.project_id,
            role=body.role,
        ),
    )
    payload = event_payload(tx, membership, member.project, "firstname", "lastname", "email")
    tx.emit("project_user.invite", member.project_id, payload)
    return present(membership, member.project, busy=False).wire()


def _invite_newcomer(tx: Tx, member: Member, email: str, role: str, ctx: Context) -> dict[str, Any]:
    pending = invitations.find_for_email(tx, email, member.project_id)
    if pending:
        raise InviteRefused(
            "Pending Invitation already exist.",
            pendinginvitation=[InvitationOut.of(row).wire() for row in pending],
        )
    invitation = invitations.add(
        tx,
        {
            "project_id": member.project_id,
            "email": email,
            "role": role,
            "created_by": member.caller.id,
        },
    )
    invitation_service.send_invitation_email(tx, member, invitation, ctx)
    invited = InvitationOut.of(invitation).wire()
    tx.emit("project_user.invite.pending", member.project_id, invited)
    return {"msg": "User not found, save invite in pending ", "pendingInvitation": invited}


def _check_role_grant(member: Member, role: str) -> None:
    """Only an owner may make or unmake owners (Tessera: admins cannot seize a project)."""
    if role == Role.OWNER and member.role is not Role.OWNER:
        raise PermissionDenied("you dont have the required role.")


def create_end_user(tx: Tx, member: Member, body: EndUserCreate) -> Record:
    return repository.add(
        tx,
        {
            "project_id": member.project_id,
            "uuid_user": new_uuid(),
            "role": Role.GUEST,
            "role_type": ROLE_TYPE_USERS,
            "user_available": False,
            "tags": body.tags or [],
            "created_by": member.caller.id,
        },
    )


def update_own(tx: Tx, member: Member, body: MembershipUpdate) -> Record:
    if member.membership is None:
        raise NotFound(_NOT_FOUND)
    return _update(tx, member, member.membership, _changes(body, member.membership))


def update_member(
    tx: Tx, member: Member, membership_id: str, body: MembershipAdminUpdate
) -> Record:
    """Tiledesk upserts here; Tessera answers 404 for an unknown membership instead.

    Only an owner may change an owner's role or status, or make someone owner: disabling
    the owner would lock them out as surely as ``DELETE`` (which admins may not do to owners).
    """
    row = repository.get(tx, member.project_id, membership_id)
    if row is None:
        raise NotFound(_NOT_FOUND)
    values = _changes(body, row)
    if body.role is not None:
        values["role"] = body.role
    if body.status in _STATUSES:
        values["status"] = body.status
    if body.role == Role.OWNER or (row.role == Role.OWNER and _changes_standing(row, values)):
        _check_role_grant(member, Role.OWNER)
    return _update(tx, member, row, values)


def _changes_standing(row: Record, values: Mapping[str, Any]) -> bool:
    """Whether ``values`` change the role or status (re-sending the current ones does not)."""
    return any(key in values and values[key] != getattr(row, key) for key in ("role", "status"))


def _changes(body: MembershipUpdate, current: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field, column in (
        ("user_available", "user_available"),
        ("profileStatus", "profile_status"),
        ("max_assigned_chat", "max_assigned_chat"),
        ("number_assigned_requests", "number_assigned_requests"),
        ("attributes", "attributes"),
        ("tags", "tags"),
    ):
        value = getattr(body, field)
        if value is not None:
            values[column] = value
    notifications = {
        "assigned.toyou": body.assigned_toyou,
        "pooled": body.pooled,
    }
    if any(value is not None for value in notifications.values()):
        settings = dict(current.get("settings") or {})
        conversation = (settings.setdefault("email", {}).setdefault("notification", {})).setdefault(
            "conversation", {}
        )
        if body.assigned_toyou is not None:
            assigned = conversation.get("assigned")
            assigned = dict(assigned) if isinstance(assigned, dict) else {}
            assigned["toyou"] = body.assigned_toyou
            conversation["assigned"] = assigned
        if body.pooled is not None:
            conversation["pooled"] = body.pooled
        values["settings"] = settings
    return values


def _update(tx: Tx, member: Member, current: Mapping[str, Any], values: dict[str, Any]) -> Record:
    updated = (
        repository.update_fields(tx, member.project_id, current["id"], values)
        if values
        else repository.get(tx, member.project_id, current["id"])
    )
    assert updated is not None
    payload = event_payload(tx, updated, member.project, "firstname", "lastname")
    tx.emit("project_user.update", member.project_id, payload)
    return updated


def restore_member(tx: Tx, member: Member, membership_id: str) -> Record:
    row = repository.get(tx, member.project_id, membership_id)
    if row is None:
        raise NotFound(f"Project user not found with id {membership_id}", key="error")
    if not row.trashed:
        raise BadRequest("Project user is not trashed, cannot restore", key="error")
    return _update(tx, member, row, {"trashed": False, "status": STATUS_ACTIVE})


def delete_member(tx: Tx, member: Member, membership_id: str, *, soft: bool, hard: bool) -> Record:
    """``soft``: trash (and disable); ``hard``: remove; neither: disable and make unavailable."""
    row = repository.get(tx, member.project_id, membership_id)
    if row is None:
        raise NotFound(f"Project user not found with id {membership_id}", key="error")
    if row.role == Role.OWNER:
        _check_role_grant(member, Role.OWNER)
    if hard:
        payload = event_payload(tx, row, member.project, "firstname", "lastname", "email")
        removed = repository.remove(tx, member.project_id, membership_id)
        assert removed is not None
        _emit_deleted(tx, member, payload, "hard")
        return removed
    values: dict[str, Any] = (
        {"trashed": True, "status": STATUS_DISABLED}
        if soft
        else {"status": STATUS_DISABLED, "user_available": False}
    )
    updated = repository.update_fields(tx, member.project_id, membership_id, values)
    assert updated is not None
    if soft:
        payload = event_payload(tx, updated, member.project, "firstname", "lastname", "email")
        _emit_deleted(tx, member, payload, "soft")
    return updated


def _emit_deleted(tx: Tx, member: Member, payload: dict[str, Any], how: str) -> None:
    tx.emit("project_user.deleted", member.project_id, payload)
    tx.emit("project_user.delete", member.project_id, {**payload, "deleteType": how})
