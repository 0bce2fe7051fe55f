"""Routing a conversation (§5.8): department, bot, candidates, availability, operator.

Callers take the project's routing lock first (``conversations.repository.next_ticket`` when
creating, ``lock_routing`` when re-routing), so that two conversations routed at the same
instant see each other's assignments.
"""

import random
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tessera.core.db import Record, Tx
from tessera.core.errors import InvalidInput
from tessera.core.ids import is_object_id
from tessera.projects.hours import HoursError, project_is_open
from tessera.routing import repository
from tessera.routing.strategies import ASSIGNED, Agent, choose_operator
from tessera.subscriptions.operator_select import select_operators

BOT_PREFIX = "bot_"


@dataclass(frozen=True, slots=True)
class Routing:
    department: Record
    operator: str | None  # a user id, ``bot_<id>``, or None (queued)
    agents: list[Record]  # the department's agents (``snapshot.agents``)
    available: list[Record]  # those available now (``snapshot.availableAgentsCount``)
    fully_abandoned: bool = False
    # How the choice was made, for ``GET /departments/:id/operators`` (§5.7):
    group: Record | None = None  # the department's group, when it has an enabled one
    last_request: Record | None = None  # the round-robin anchor (``assigned`` departments)
    chat_limit: int | None = None  # the project's limit, when chat limits are on
    open_counts: Mapping[str, int] = field(default_factory=dict)  # per available user id

    @property
    def has_bot(self) -> bool:
        return bool(self.operator and self.operator.startswith(BOT_PREFIX))

    @property
    def last_operator(self) -> str | None:
        """Who took the round-robin anchor conversation."""
        return _first_participant(self.last_request)


def route(
    tx: Tx,
    project: Mapping[str, Any],
    department_id: str | None,
    *,
    nobot: bool = False,
    abandoned_by: Collection[str] = (),
    ask_hook: bool = True,
) -> Routing:
    """Choose who takes a conversation of ``project`` in ``department_id`` (None or
    ``"default"``: the default department). ``abandoned_by`` holds the membership ids of
    the agents who left this conversation (skipped when chat limits are on, §5.8 step 6).
    ``ask_hook``: let the project's ``operator.select`` webhook override the choice (§7.2)."""
    department = _department(tx, project["id"], department_id)
    group = _group(tx, project["id"], department)
    agents = _agents(tx, project["id"], department, group)
    available = [agent for agent in agents if agent.user_available] if _open(project) else []
    if department.id_bot and not nobot:
        return Routing(department, BOT_PREFIX + department.id_bot, agents, available, group=group)
    limit = chat_limit(project)
    counts = (
        repository.open_conversations(tx, project["id"], [agent.user_id for agent in available])
        if limit
        else {}
    )
    last_request = (
        repository.last_routed_request(tx, project["id"])
        if department.routing == ASSIGNED
        else None
    )
    decision = choose_operator(
        [
            Agent(agent.user_id, agent.id, counts.get(agent.user_id, 0), agent.max_assigned_chat)
            for agent in available
        ],
        routing=department.routing,
        chat_limit=limit,
        last_operator=_first_participant(last_request),
        abandoned_by=abandoned_by,
        pick=random.randrange,
    )
    operator = decision.operator
    chosen = (
        select_operators(
            tx,
            project,
            department=department,
            agents=agents,
            available=available,
            operator=operator,
            group=group,
            last_operator=_first_participant(last_request),
        )
        if ask_hook
        else None
    )
    if chosen is not None:
        operator = chosen[0] if chosen else None
    return Routing(
        department,
        operator,
        agents,
        available,
        decision.fully_abandoned,
        group=group,
        last_request=last_request,
        chat_limit=limit,
        open_counts=counts,
    )


def _first_participant(conversation: Record | None) -> str | None:
    return str(conversation.participants[0]) if conversation is not None else None


def chat_limit(project: Mapping[str, Any]) -> int | None:
    """The project's per-agent chat limit when limits are on (always honoured: no plan gate)."""
    settings = project.get("settings") or {}
    limit = settings.get("max_agent_assigned_chat")
    if settings.get("chat_limit_on") and isinstance(limit, int) and limit > 0:
        return limit
    return None


def _department(tx: Tx, project_id: str, department_id: str | None) -> Record:
    if department_id in (None, "", "default"):
        found = repository.default_department(tx, project_id)
    else:
        assert department_id is not None
        found = (
            repository.department(tx, project_id, department_id)
            if is_object_id(department_id)
            else None
        )
    if found is None:
        raise InvalidInput.field(
            "departmentid", "no such department in this project", value=department_id
        )
    return found


def _group(tx: Tx, project_id: str, department: Record) -> Record | None:
    """The department's group when it names one that is enabled and not trashed."""
    if not department.id_group:
        return None
    group = repository.group(tx, project_id, department.id_group)
    if group is None or not group.enabled or group.trashed:
        return None
    return group


def _agents(tx: Tx, project_id: str, department: Record, group: Record | None) -> list[Record]:
    """Active agent-side members, restricted to the department's group when it names one (a
    disabled or missing group leaves nobody)."""
    members = repository.agents(tx, project_id)
    if not department.id_group:
        return members
    allowed = set(group.members or []) if group is not None else set()
    return [member for member in members if member.user_id in allowed]


def _open(project: Mapping[str, Any]) -> bool:
    try:
        return project_is_open(project, datetime.now(UTC))
    except HoursError:
        return True  # unreadable hours never close the project
