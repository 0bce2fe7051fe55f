"""Project use cases: create, list the caller's projects, update, ban, delete, open hours."""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from tessera.auth.principal import Caller, Member, Role
from tessera.core.clock import iso
from tessera.core.db import Record, Tx
from tessera.core.errors import InvalidInput, NotFound, PermissionDenied
from tessera.core.ids import new_id
from tessera.departments import repository as departments
from tessera.departments.models import DEPARTMENT_VISIBLE, ROUTING_ASSIGNED
from tessera.groups import service as groups
from tessera.project_users import repository as memberships
from tessera.project_users.models import ROLE_TYPE_AGENTS
from tessera.projects import hours, repository
from tessera.projects.models import PROJECT_ACTIVE, PROJECT_DELETED
from tessera.projects.schemas import BanIn, ProjectCreate, ProjectOut
from tessera.users import repository as users

DEFAULT_VERSIONS = 20115
_MAX_TRIAL_DAYS = 36_500

# Self-hosted Tessera has no plans to sell: every project gets the community-edition profile
# (a paid plan that never ends), so no dashboard feature is hidden behind a plan check.
_COMMUNITY_CUSTOMIZATION = {
    "copilot": True,
    "webhook": True,
    "widgetUnbranding": True,
    "smtpSettings": True,
    "knowledgeBases": True,
    "reindex": True,
    "messanger": True,
    "telegram": True,
    "chatbot": True,
}

_UPDATABLE = {
    "name": "name",
    "activeOperatingHours": "active_operating_hours",
    "operatingHours": "operating_hours",
    "timeSlots": "time_slots",
    "settings": "settings",
    "widget": "widget",
    "versions": "versions",
    "channels": "channels",
    "ipFilterEnabled": "ip_filter_enabled",
    "ipFilter": "ip_filter",
    "ipFilterDenyEnabled": "ip_filter_deny_enabled",
    "ipFilterDeny": "ip_filter_deny",
    "bannedUsers": "banned_users",
}
_NOT_PATCHABLE = frozenset({"timeSlots"})

_TYPES: dict[str, Any] = {  # Any, not type: so that mypy keeps a checked value Any
    "name": str,
    "activeOperatingHours": bool,
    "operatingHours": str,
    "timeSlots": dict,
    "settings": dict,
    "widget": dict,
    "versions": int,
    "channels": list,
    "ipFilterEnabled": bool,
    "ipFilter": list,
    "ipFilterDenyEnabled": bool,
    "ipFilterDeny": list,
    "bannedUsers": list,
}
# What the arrays hold: anything else would be stored, then break every read of the project.
_ITEM_TYPES: dict[str, type] = {
    "channels": dict,
    "ipFilter": str,
    "ipFilterDeny": str,
    "bannedUsers": dict,
}

_SETTINGS_KEYS = frozenset(
    {
        "email.autoSendTranscriptToRequester",
        "email.notification.conversation.assigned",
        "email.notification.conversation.pooled",
        "email.from",
        "email.config.host",
        "email.config.port",
        "email.config.secure",
        "email.config.user",
        "email.config.pass",
        "chat_limit_on",
        "max_agent_assigned_chat",
        "reassignment_on",
        "reassignment_delay",
        "automatic_unavailable_status_on",
        "automatic_idle_chats",
        "current_agent_my_chats_only",
        "chatbots_attributes_hidden",
        "allow_send_emoji",
        "allowed_urls",
        "allowed_urls_list",
        "allowed_upload_extentions",
    }
    | {
        f"email.templates.{name}"
        for name in (
            "assignedRequest",
            "assignedEmailMessage",
            "pooledRequest",
            "pooledEmailMessage",
            "newMessage",
            "newMessageFollower",
            "ticket",
            "sendTranscript",
            "emailDirect",
        )
    }
)
# PATCH accepts fewer dotted settings than PUT (Tiledesk: routes/project.js).
_SETTINGS_NOT_PATCHABLE = frozenset(
    {
        "current_agent_my_chats_only",
        "chatbots_attributes_hidden",
        "allow_send_emoji",
        "allowed_urls",
        "allowed_urls_list",
        "allowed_upload_extentions",
        "email.templates.newMessageFollower",
        "email.templates.emailDirect",
    }
)


def community_profile(now: int) -> dict[str, Any]:
    return {
        "name": "Custom",
        "trialDays": 14,
        "agents": 1000,
        "type": "payment",
        "quotes": {"chatbots": 10000, "kbs": 10000, "namespace": 10000},
        "customization": dict(_COMMUNITY_CUSTOMIZATION),
        "subStart": iso(now),
        "subEnd": "2099-12-31T23:59:59.999Z",
    }


def create_project(tx: Tx, caller: Caller, body: ProjectCreate) -> Record:
    """A project, its owner (the caller) and its default department, atomically."""
    project = repository.add(
        tx,
        {
            "id": new_id(),
            "name": body.name,
            "active_operating_hours": False,
            "status": PROJECT_ACTIVE,
            "profile": community_profile(tx.now),
            "versions": DEFAULT_VERSIONS,
            "channels": [{"name": "chat21"}],
            "ip_filter_enabled": False,
            "ip_filter": [],
            "ip_filter_deny_enabled": False,
            "ip_filter_deny": [],
            "banned_users": [],
            "created_by": caller.id,
        },
    )
    memberships.add(
        tx,
        {
            "project_id": project.id,
            "user_id": caller.id,
            "role": Role.OWNER,
            "role_type": ROLE_TYPE_AGENTS,
            "user_available": True,
            "created_by": caller.id,
        },
    )
    departments.add(
        tx,
        {
            "project_id": project.id,
            "name": "Default Department",
            "routing": ROUTING_ASSIGNED,
            "default": True,
            "status": DEPARTMENT_VISIBLE,
            "created_by": caller.id,
        },
    )
    tx.emit("project.create", project.id, ProjectOut.of(project).payload)
    return project


def list_my_projects(tx: Tx, caller: Caller) -> list[tuple[Record, Record]]:
    """The caller's active agent-side memberships with their (active) projects, most recently
    updated project first, as the dashboard's project list expects."""
    rows = memberships.agent_memberships_of(tx, caller.id)
    found = repository.get_many(tx, [row.project_id for row in rows])
    pairs = [
        (row, found[row.project_id])
        for row in rows
        if row.project_id in found and found[row.project_id].status == PROJECT_ACTIVE
    ]
    pairs.sort(key=lambda pair: (pair[1].updated_at, pair[1].id), reverse=True)
    return pairs


def update_project(
    tx: Tx, member: Member, body: Mapping[str, Any], *, patch: bool, super_admin: bool
) -> Record:
    """Apply the whitelisted fields of ``body`` that are present (§5.2); dotted
    ``settings.x.y`` keys set one nested setting."""
    values: dict[str, Any] = {}
    if body.get("profile") is not None and not patch:
        if not super_admin:
            raise PermissionDenied(
                "You don't have the permission required to modify the project profile",
                key="error",
            )
        values["profile"] = _profile(body["profile"])
    for key, column in _UPDATABLE.items():
        if body.get(key) is not None and not (patch and key in _NOT_PATCHABLE):
            values[column] = _checked(key, body[key])
    settings = _dotted_settings(body, member.project.get("settings"), values.get("settings"), patch)
    if settings is not None:
        values["settings"] = settings
    updated = repository.update_fields(tx, member.project_id, values)
    assert updated is not None
    tx.emit("project.update", member.project_id, ProjectOut.of(updated).payload)
    return updated


def _checked(key: str, value: Any) -> Any:
    """``value`` when it has the wire type of ``key`` (else 422, before anything is written);
    ban entries get an ``_id`` as mongoose gives subdocuments one."""
    kind = _TYPES[key]
    if not isinstance(value, kind) or (key == "versions" and isinstance(value, bool)):
        raise InvalidInput.field(key, f"must be of type {_type_name(kind)}", value=value)
    item = _ITEM_TYPES.get(key)
    if item is not None and not all(isinstance(entry, item) for entry in value):
        raise InvalidInput.field(key, f"must be an array of {_type_name(item)}s", value=value)
    if key == "operatingHours" and value:
        try:
            hours.check_hours(value)
        except hours.HoursError as error:
            raise InvalidInput.field(key, error.message, value=value) from None
    if key == "bannedUsers":
        return [{**entry, "_id": entry.get("_id") or new_id()} for entry in value]
    return value


def _type_name(kind: type) -> str:
    names = {str: "string", bool: "boolean", int: "number", dict: "object", list: "array"}
    return names.get(kind, "value")


def _profile(value: Any) -> dict[str, Any]:
    """A plan profile: an object whose ``trialDays``, when set, is a number of days (every
    read of the project computes ``trialDaysLeft`` from it)."""
    if not isinstance(value, dict):
        raise InvalidInput.field("profile", "must be an object", value=value)
    days = value.get("trialDays")
    if days is not None and (
        isinstance(days, bool)
        or not isinstance(days, int | float)
        or not abs(days) <= _MAX_TRIAL_DAYS  # also refuses NaN
    ):
        raise InvalidInput.field("profile", "trialDays must be a number of days", value=value)
    return value


def _dotted_settings(
    body: Mapping[str, Any],
    current: Mapping[str, Any] | None,
    replaced: Mapping[str, Any] | None,
    patch: bool,
) -> dict[str, Any] | None:
    dotted = {
        key.removeprefix("settings."): value
        for key, value in body.items()
        if key.startswith("settings.") and value is not None
    }
    allowed = _SETTINGS_KEYS - (_SETTINGS_NOT_PATCHABLE if patch else frozenset())
    dotted = {path: value for path, value in dotted.items() if path in allowed}
    if not dotted:
        return None
    settings: dict[str, Any] = dict(replaced if replaced is not None else current or {})
    for path, value in dotted.items():
        _set_path(settings, path.split("."), value)
    return settings


def _set_path(target: dict[str, Any], path: list[str], value: Any) -> None:
    for part in path[:-1]:
        child = target.get(part)
        child = dict(child) if isinstance(child, dict) else {}
        target[part] = child
        target = child
    target[path[-1]] = value


def merge_attributes(tx: Tx, member: Member, data: Mapping[str, Any]) -> Record:
    attributes = {**(member.project.get("attributes") or {}), **data}
    updated = repository.update_fields(tx, member.project_id, {"attributes": attributes})
    assert updated is not None
    tx.emit("project.update", member.project_id, ProjectOut.of(updated).payload)
    return updated


def ban_user(tx: Tx, member: Member, body: BanIn) -> Record:
    ban: dict[str, Any] = {"_id": new_id()}
    if body.id is not None:
        ban["id"] = body.id
    if body.ip is not None:
        ban["ip"] = body.ip
    banned = [*member.project["banned_users"], ban]
    updated = repository.update_fields(tx, member.project_id, {"banned_users": banned})
    assert updated is not None
    payload = ProjectOut.of(updated).payload
    tx.emit("project.update", member.project_id, payload)
    tx.emit("project.update.user.ban", member.project_id, {"banInfo": ban, "project": payload})
    return updated


def unban_user(tx: Tx, member: Member, ban_id: str) -> Record:
    banned = [entry for entry in member.project["banned_users"] if entry.get("_id") != ban_id]
    updated = repository.update_fields(tx, member.project_id, {"banned_users": banned})
    assert updated is not None
    payload = ProjectOut.of(updated).payload
    tx.emit("project.update", member.project_id, payload)
    tx.emit("project.update.user.unban", member.project_id, {"banInfo": ban_id, "project": payload})
    return updated


def delete_project(tx: Tx, member: Member) -> Record:
    """Soft delete: every ``/:pid`` route then answers 400 "Project not found"."""
    updated = repository.update_fields(tx, member.project_id, {"status": PROJECT_DELETED})
    assert updated is not None
    tx.emit("project.delete", member.project_id, ProjectOut.of(updated).payload)
    return updated


def delete_project_physically(tx: Tx, member: Member) -> dict[str, int]:
    """Hard delete: the project and everything stored under it."""
    payload = ProjectOut.model_validate(dict(member.project)).payload
    deleted = repository.remove(tx, member.project_id)
    tx.emit("project.delete", member.project_id, payload)
    return {"n": deleted, "ok": 1, "deletedCount": deleted}


def downgrade_plan(tx: Tx, member: Member, body: Mapping[str, Any]) -> Record:
    """Tiledesk applies the body as-is; Tessera applies the update whitelist and the profile."""
    values = {
        column: _checked(key, body[key])
        for key, column in _UPDATABLE.items()
        if body.get(key) is not None
    }
    if body.get("profile") is not None:
        values["profile"] = _profile(body["profile"])
    updated = repository.update_fields(tx, member.project_id, values)
    assert updated is not None
    tx.emit("project.downgrade", member.project_id, ProjectOut.of(updated).payload)
    return updated


def all_projects(tx: Tx) -> list[dict[str, Any]]:
    """Every project with its owner's e-mail (super-admin only)."""
    rows = repository.all_projects(tx)
    owners = {
        row.project_id: row.user_id
        for project in rows
        for row in memberships.search(
            tx, project.id, roles=[Role.OWNER], include_trashed=False, presence=None, status=None
        )
    }
    accounts = users.get_many(tx, [user_id for user_id in owners.values() if user_id])
    return [
        {
            "id": project.id,
            "name": project.name,
            "owner": accounts[owners[project.id]].email
            if owners.get(project.id) in accounts
            else None,
            "created_at": project.created_at,
            "profile_name": (project.profile or {}).get("name"),
        }
        for project in rows
    ]


def is_open(project: Mapping[str, Any], slot_id: str | None) -> bool:
    now = datetime.now(UTC)
    if slot_id:
        return hours.slot_is_open(project, slot_id, now)
    return hours.project_is_open(project, now)


def available_agents(
    tx: Tx, project: Mapping[str, Any], *, raw: bool, department_id: str | None
) -> list[dict[str, Any]]:
    """Who can take a chat now: available agent-side members (of the department's groups, when
    it has some), none when the project is closed (unless ``raw``), below their chat limit when
    limits are on."""
    if not raw and not _open_or_unreadable(project):
        return []
    department = departments.get(tx, project["id"], department_id) if department_id else None
    if department_id and department is None:
        raise NotFound(f"Department {department_id} not found", key="error")
    members = groups.members_for_department(tx, project["id"], department) if department else None
    rows = memberships.available_agents(tx, project["id"], members)
    rows = [row for row in rows if below_chat_limit(project, row)]
    accounts = users.get_many(tx, [row.user_id for row in rows])
    return [
        {
            "id": row.user_id,
            "pu_id": row.id,
            "fullname": f"{accounts[row.user_id].firstname} {accounts[row.user_id].lastname}",
            "email": accounts[row.user_id].email,
            "assigned_request": row.number_assigned_requests,
        }
        for row in rows
        if row.user_id in accounts
    ]


def _open_or_unreadable(project: Mapping[str, Any]) -> bool:
    try:
        return hours.project_is_open(project, datetime.now(UTC))
    except hours.HoursError:
        return True


def below_chat_limit(project: Mapping[str, Any], membership: Any) -> bool:
    """Smart assignment's test (§5.8 step 6): a member's own limit wins when it is set, that
    is neither -1 nor 0 (Tiledesk tests it for truth, so 0 means "the project's limit")."""
    settings = project.get("settings") or {}
    limit = settings.get("max_agent_assigned_chat")
    if not settings.get("chat_limit_on") or not limit:
        return True
    own = membership.max_assigned_chat
    if own and own != -1:
        limit = own
    return bool(membership.number_assigned_requests < limit)
