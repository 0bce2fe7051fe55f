"""Triggers: CRUD (§5.29), the system triggers every new project starts with, and which
triggers an event fires (the conditions are evaluated in ``rules``; ``runner`` runs the
actions)."""

import copy
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from tessera.auth.principal import Member
from tessera.core.db import Record, Tx
from tessera.core.errors import NotFound
from tessera.core.events import DomainEvent
from tessera.core.ids import new_id
from tessera.projects import hours
from tessera.projects import repository as projects
from tessera.triggers import repository
from tessera.triggers.defaults import DEFAULTS, SEEDED, SYSTEM
from tessera.triggers.rules import conditions_hold
from tessera.triggers.schemas import TriggerIn, TriggerOut

_NOT_FOUND = "Object not found."


# ---------------------------------------------------------------- CRUD


def list_triggers(tx: Tx, member: Member) -> list[Record]:
    return repository.of_project(tx, member.project_id)


def get_trigger(tx: Tx, member: Member, trigger_id: str) -> Record:
    trigger = repository.get(tx, member.project_id, trigger_id)
    if trigger is None:
        raise NotFound(_NOT_FOUND)
    return trigger


def create_trigger(tx: Tx, member: Member, body: TriggerIn) -> Record:
    """Always created enabled (Tiledesk ignores ``enabled`` here)."""
    values = _stored(body)
    trigger = repository.add(
        tx,
        {
            **values,
            "project_id": member.project_id,
            "enabled": True,
            "created_by": member.caller.id,
            "updated_by": member.caller.id,
        },
    )
    tx.emit("trigger.create", member.project_id, TriggerOut.of(trigger).wire())
    return trigger


def update_trigger(tx: Tx, member: Member, trigger_id: str, body: TriggerIn) -> Record:
    """Every field is overwritten, ``enabled`` too (absent: disabled, as mongoose's default
    makes it). Tessera answers 404 for an unknown id where Tiledesk upserts."""
    values = {**_stored(body), "enabled": bool(body.enabled), "updated_by": member.caller.id}
    trigger = repository.replace(tx, member.project_id, trigger_id, values)
    if trigger is None:
        raise NotFound(_NOT_FOUND)
    tx.emit("trigger.update", member.project_id, TriggerOut.of(trigger).wire())
    return trigger


def reset_trigger(tx: Tx, member: Member, code: str) -> Record:
    """Put the system trigger ``code`` back as shipped (a new ``_id``); an unknown code is a
    404 (Tiledesk crashes)."""
    if code not in DEFAULTS:
        raise NotFound(_NOT_FOUND)
    repository.remove_by_code(tx, member.project_id, code)
    trigger = repository.add(tx, _system_trigger(member.project_id, code))
    tx.emit("trigger.update", member.project_id, TriggerOut.of(trigger).wire())
    return trigger


def delete_trigger(tx: Tx, member: Member, trigger_id: str) -> Record:
    trigger = repository.remove(tx, member.project_id, trigger_id)
    if trigger is None:
        raise NotFound(_NOT_FOUND)
    tx.emit("trigger.delete", member.project_id, TriggerOut.of(trigger).wire())
    return trigger


def _stored(body: TriggerIn) -> dict[str, Any]:
    """The body as mongoose stores it: subdocuments with their ``_id``."""
    conditions = body.conditions.model_dump(exclude_none=True)
    return {
        "name": body.name,
        "description": body.description,
        "trigger_key": body.trigger.key,
        "trigger": {"_id": new_id(), **body.trigger.model_dump(exclude_none=True)},
        "conditions": {"_id": new_id(), "all": conditions["all"], "any": conditions["any"]},
        "actions": [
            {"_id": new_id(), **action.model_dump(exclude_none=True)} for action in body.actions
        ],
    }


def _system_trigger(project_id: str, code: str) -> dict[str, Any]:
    definition = copy.deepcopy(DEFAULTS[code])
    return {
        "project_id": project_id,
        "name": definition["name"],
        "description": definition["description"],
        "trigger_key": definition["trigger"]["key"],
        "trigger": {"_id": new_id(), **definition["trigger"]},
        "conditions": {"_id": new_id(), **definition["conditions"]},
        "actions": [{"_id": new_id(), **action} for action in definition["actions"]],
        "enabled": definition["enabled"],
        "code": code,
        "type": definition["type"],
        "version": definition["version"],
        "created_by": SYSTEM,
        "updated_by": SYSTEM,
    }


def seed_new_projects(tx: Tx, events: Sequence[DomainEvent]) -> None:
    """A commit hook: every project created by this unit of work gets the system triggers,
    in the same transaction (Tiledesk copies them on ``project.create``)."""
    for event in events:
        if event.name == "project.create" and event.project_id is not None:
            repository.add_many(tx, [_system_trigger(event.project_id, code) for code in SEEDED])


# ---------------------------------------------------------------- which triggers fire

LISTENED = frozenset(
    {
        "request.create",
        "request.participants.join",
        "message.create.from.requester",
        "message.received",
        "event.emit",
    }
)


def may_fire(tx: Tx, project_id: str, key: str) -> bool:
    """Whether the project has an enabled trigger for ``key`` (a ``FastQuery`` probe)."""
    return repository.has_enabled(tx, project_id, key)


def firing(tx: Tx, event: DomainEvent) -> list[Record]:
    """The enabled triggers of the event's project whose conditions hold for it."""
    assert event.project_id is not None
    candidates = repository.enabled_for(tx, event.project_id, event.name)
    if not candidates:
        return []
    facts = _facts(tx, event)
    return [row for row in candidates if conditions_hold(row.conditions or {}, facts)]


def _facts(tx: Tx, event: DomainEvent) -> Mapping[str, Any]:
    """What conditions read: the request (with ``isOpen``, the project's operating hours
    now) for request events, the message or the custom event otherwise."""
    if event.name == "request.participants.join":
        request = event.payload.get("request")
        return _with_hours(tx, event.project_id, request if isinstance(request, dict) else {})
    if event.name == "request.create":
        return _with_hours(tx, event.project_id, event.payload)
    return event.payload


def _with_hours(tx: Tx, project_id: str | None, request: Mapping[str, Any]) -> dict[str, Any]:
    project = projects.get(tx, project_id) if project_id else None
    return {**request, "isOpen": project is None or _is_open(project)}


def _is_open(project: Mapping[str, Any]) -> bool:
    """Unreadable operating hours count as open, as in Tiledesk."""
    try:
        return hours.project_is_open(project, datetime.now(UTC))
    except hours.HoursError:
        return True
