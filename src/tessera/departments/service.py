"""Departments: where a conversation goes (its routing mode, bot and groups of agents)."""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from tessera.auth.principal import Member
from tessera.conversations.schemas import unpopulated
from tessera.core.db import Record, Tx
from tessera.core.errors import InvalidInput, NotFound
from tessera.core.ids import new_id
from tessera.departments import repository
from tessera.departments.models import DEPARTMENT_VISIBLE, ROUTING_POOLED
from tessera.departments.schemas import (
    DepartmentCreate,
    DepartmentOut,
    DepartmentUpdate,
    GroupShare,
)
from tessera.groups import repository as groups
from tessera.groups.schemas import GroupOut
from tessera.project_users.schemas import ProjectUserOut
from tessera.projects.hours import plan_lapsed
from tessera.projects.schemas import ProjectOut
from tessera.routing.service import Routing, route

_NOT_FOUND = "Object not found."
_DEFAULT = "default"
_WIDGET_HIDDEN = 0

# What PUT writes when present (id_bot and id_group are always written) and what PATCH does.
_PUT_FIELDS = ("bot_only", "routing", "name", "description", "online_msg", "status")
_PATCH_FIELDS = ("status", "bot_only", "routing", "name", "description")


def list_visible_departments(tx: Tx, project: Mapping[str, Any], *, by_name: bool) -> list[Record]:
    """The widget's list (no credentials): departments with status 1."""
    return _listed(
        tx, project, min_status=DEPARTMENT_VISIBLE, max_status=DEPARTMENT_VISIBLE, by_name=by_name
    )


def list_departments(tx: Tx, member: Member, *, by_name: bool) -> list[Record]:
    """The dashboard's list: every department but those hidden everywhere (status -1)."""
    return _listed(tx, member.project, min_status=_WIDGET_HIDDEN, max_status=None, by_name=by_name)


def _listed(
    tx: Tx,
    project: Mapping[str, Any],
    *,
    min_status: int,
    max_status: int | None,
    by_name: bool,
) -> list[Record]:
    """Oldest first, or by name (binary order, as MongoDB compares strings). A project whose
    plan has lapsed shows its default department only (Tiledesk: routes/department.js)."""
    rows = repository.list_for_project(
        tx,
        project["id"],
        min_status=min_status,
        max_status=max_status,
        default_only=plan_lapsed(project, datetime.now(UTC)),
    )
    return sorted(rows, key=lambda row: row.name) if by_name else rows


def get_department(tx: Tx, project_id: str, department_id: str) -> Record | None:
    """A department by id, or the project's default one for ``default`` (None if it has none)."""
    if department_id == _DEFAULT:
        return repository.find_default(tx, project_id)
    return _existing(tx, project_id, department_id)


def create_department(tx: Tx, member: Member, body: DepartmentCreate) -> Record:
    """``bot_only`` is only kept along with a bot, as in Tiledesk."""
    values: dict[str, Any] = {
        "project_id": member.project_id,
        "name": body.name,
        "routing": body.routing or ROUTING_POOLED,
        "description": body.description,
        "default": bool(body.default),
        "status": DEPARTMENT_VISIBLE if body.status is None else body.status,
        "id_group": _group_id(tx, member.project_id, body.id_group),
        "groups": _shares(tx, member.project_id, body.groups or []),
        "created_by": member.caller.id,
    }
    if body.id_bot:
        values["id_bot"] = body.id_bot
        values["bot_only"] = body.bot_only
    department = repository.add(tx, values)
    tx.emit("department.create", member.project_id, DepartmentOut.of(department).wire())
    return department


def replace_department(
    tx: Tx, member: Member, department_id: str, body: DepartmentUpdate
) -> Record:
    """PUT: ``id_bot`` and ``id_group`` are always written (left out, they are cleared), the
    other fields only when given. Tiledesk upserts an unknown id; Tessera answers 404."""
    _existing(tx, member.project_id, department_id)
    values = _given(body, _PUT_FIELDS)
    values["id_bot"] = body.id_bot or None
    values["id_group"] = _group_id(tx, member.project_id, body.id_group)
    if body.groups is not None:
        values["groups"] = _shares(tx, member.project_id, body.groups)
    return _update(tx, member, department_id, values)


def patch_department(tx: Tx, member: Member, department_id: str, body: DepartmentUpdate) -> Record:
    """PATCH: only the fields given (``online_msg`` is not patchable, as in Tiledesk)."""
    _existing(tx, member.project_id, department_id)
    values = _given(body, _PATCH_FIELDS)
    if body.id_bot is not None:
        values["id_bot"] = body.id_bot or None
    if body.id_group is not None:
        values["id_group"] = _group_id(tx, member.project_id, body.id_group)
    if body.groups is not None:
        values["groups"] = _shares(tx, member.project_id, body.groups)
    return _update(tx, member, department_id, values)


def delete_department(tx: Tx, member: Member, department_id: str) -> Record:
    """Hard delete; the default department is not protected (as in Tiledesk)."""
    department = repository.remove(tx, member.project_id, department_id)
    if department is None:
        raise NotFound(_NOT_FOUND)
    tx.emit("department.delete", member.project_id, DepartmentOut.of(department).wire())
    return department


def _existing(tx: Tx, project_id: str, department_id: str) -> Record:
    department = repository.get(tx, project_id, department_id)
    if department is None:
        raise NotFound(_NOT_FOUND)
    return department


def _given(body: DepartmentUpdate, fields: tuple[str, ...]) -> dict[str, Any]:
    """The fields that are present: Tiledesk tests ``!= undefined``, so null means absent."""
    return {field: getattr(body, field) for field in fields if getattr(body, field) is not None}


def _update(tx: Tx, member: Member, department_id: str, values: Mapping[str, Any]) -> Record:
    department = repository.update_fields(tx, member.project_id, department_id, values)
    assert department is not None
    tx.emit("department.update", member.project_id, DepartmentOut.of(department).wire())
    return department


def _group_id(tx: Tx, project_id: str, group_id: str | None) -> str | None:
    """A group of this project, or None for "no group" (an empty string included)."""
    if not group_id:
        return None
    if groups.get(tx, project_id, group_id) is None:
        raise InvalidInput.field("id_group", "must name a group of this project", value=group_id)
    return group_id


def _shares(tx: Tx, project_id: str, shares: list[GroupShare]) -> list[dict[str, Any]]:
    """The ``groups`` array as stored: each entry gets an ``_id``, as mongoose subdocuments do."""
    found = groups.get_many(tx, project_id, {share.group_id for share in shares})
    for index, share in enumerate(shares):
        if share.group_id not in found:
            raise InvalidInput.field(
                f"groups.{index}.group_id",
                "must name a group of this project",
                value=share.group_id,
            )
    return [
        {"_id": new_id(), "group_id": share.group_id, "percentage": share.percentage}
        for share in shares
    ]


def department_operators(
    tx: Tx, member: Member, department_id: str, *, nobot: bool
) -> dict[str, Any]:
    """``GET /:pid/departments/:id/operators`` (§5.7): whom routing would choose now, and
    from whom. Nothing is written: the ``operator.select`` webhook (§7.2) is not asked (as
    with Tiledesk's ``disableWebHookCall``); an unknown department is a 404 (Tiledesk never
    answers)."""
    department = get_department(tx, member.project_id, department_id)
    if department is None:
        raise NotFound(_NOT_FOUND)
    return _routing_result(
        member.project, route(tx, member.project, department.id, nobot=nobot, ask_hook=False)
    )


def _routing_result(project: Mapping[str, Any], routing: Routing) -> dict[str, Any]:
    """Tiledesk's routing result object: memberships as documents, ``operators`` as
    ``[{"id_user": ...}]`` (the whole membership when round robin chose it), the group
    (as the array Tiledesk's query returns), the round-robin anchor and, with chat limits,
    each available agent's open conversations (``openRequetsCount``, sic)."""
    result: dict[str, Any] = {
        "available_agents": [ProjectUserOut.of(row).wire() for row in routing.available],
        "agents": [ProjectUserOut.of(row).wire() for row in routing.agents],
        "operators": _operators(routing),
        "department": DepartmentOut.of(routing.department).wire(),
    }
    if routing.has_bot:
        result["id_bot"] = routing.department.id_bot
    elif routing.department.id_group:
        result["group"] = [GroupOut.of(routing.group).wire()] if routing.group else []
    result["id_project"] = project["id"]
    result["project"] = ProjectOut.of(project).for_reader(administers=False).wire()
    if routing.last_request is not None and routing.available:
        last_operator = routing.last_operator
        result["lastOperatorId"] = last_operator
        result["lastRequest"] = unpopulated(routing.last_request)
        result["lastOperatorIndex"] = next(
            (i for i, row in enumerate(routing.available) if row.user_id == last_operator), -1
        )
    if routing.chat_limit is not None and not routing.has_bot:
        result["available_agents_request"] = [
            {
                "project_user": ProjectUserOut.of(row).wire(),
                "openRequetsCount": routing.open_counts.get(row.user_id, 0),
            }
            for row in routing.available
        ]
    return result


def _operators(routing: Routing) -> list[dict[str, Any]]:
    if routing.operator is None:
        return []
    by_round_robin = routing.chat_limit is None and routing.last_request is not None
    chosen = next((row for row in routing.available if row.user_id == routing.operator), None)
    if by_round_robin and chosen is not None:
        return [ProjectUserOut.of(chosen).wire()]
    return [{"id_user": routing.operator}]
