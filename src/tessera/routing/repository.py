"""What routing reads: departments, groups, agents, their open conversations, the last
operator. Read-only queries over other domains' tables, scoped to one project."""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select

from tessera.conversations.models import ASSIGNED, CLOSED, PARTICIPANT, request_agents, requests
from tessera.core.db import Record, Tx
from tessera.departments.models import departments
from tessera.groups.models import groups
from tessera.project_users.models import ROLE_TYPE_AGENTS, STATUS_ACTIVE, project_users

_LAST_OPERATOR_WINDOW = 20


def department(tx: Tx, project_id: str, department_id: str) -> Record | None:
    statement = select(departments).where(
        departments.c.project_id == project_id, departments.c.id == department_id
    )
    return tx.first(statement)


def default_department(tx: Tx, project_id: str) -> Record | None:
    statement = (
        select(departments)
        .where(departments.c.project_id == project_id, departments.c.default.is_(True))
        .order_by(departments.c.created_at)
    )
    return tx.first(statement)


def group(tx: Tx, project_id: str, group_id: str) -> Record | None:
    statement = select(groups).where(groups.c.project_id == project_id, groups.c.id == group_id)
    return tx.first(statement)


def agents(tx: Tx, project_id: str) -> list[Record]:
    """Active agent-side memberships of registered users, in membership order."""
    statement = (
        select(project_users)
        .where(
            project_users.c.project_id == project_id,
            project_users.c.role_type == ROLE_TYPE_AGENTS,
            project_users.c.status == STATUS_ACTIVE,
            project_users.c.user_id.is_not(None),
        )
        .order_by(project_users.c.created_at, project_users.c.id)
    )
    return tx.all(statement)


def open_conversations(tx: Tx, project_id: str, user_ids: Iterable[str]) -> dict[str, int]:
    """How many conversations not closed each user takes part in."""
    ids = list(user_ids)
    if not ids:
        return {}
    statement = (
        select(request_agents.c.agent, func.count())
        .join(requests, requests.c.id == request_agents.c.request_pk)
        .where(
            request_agents.c.project_id == project_id,
            request_agents.c.kind == PARTICIPANT,
            request_agents.c.agent.in_(ids),
            requests.c.status < CLOSED,
        )
        .group_by(request_agents.c.agent)
    )
    return {agent: count for agent, count in tx.conn.execute(statement)}


def last_operator(tx: Tx, project_id: str) -> str | None:
    """The first participant of the project's latest conversation served by a human."""
    statement = (
        select(requests.c.participants)
        .where(
            requests.c.project_id == project_id,
            requests.c.has_bot.is_(False),
            requests.c.preflight.is_(False),
            requests.c.status >= ASSIGNED,
        )
        .order_by(requests.c.created_at.desc(), requests.c.id.desc())
        .limit(_LAST_OPERATOR_WINDOW)
    )
    for (participants,) in tx.conn.execute(statement):
        if participants:
            first: Any = participants[0]
            return str(first)
    return None
