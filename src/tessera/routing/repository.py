"""What routing reads: departments, groups, agents, their open conversations, the last
operator. Read-only queries over other domains' tables, scoped to one project."""

from collections.abc import Iterable

from sqlalchemy import func, select

from tessera.conversations.models import PARTICIPANT, UNASSIGNED, request_agents, requests
from tessera.conversations.repository import counted_as_open
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
    """How many conversations each user takes part in that count as open (§8.2: not closed,
    not drafts, not pending), for the chat limits."""
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
            counted_as_open(),
        )
        .group_by(request_agents.c.agent)
    )
    return {agent: count for agent, count in tx.conn.execute(statement)}


def last_routed_request(tx: Tx, project_id: str) -> Record | None:
    """The project's latest conversation served by a human (Tiledesk's round-robin anchor:
    no bot, not preflight, status above 100, with participants). Participants live in a
    JSON array, so the newest few candidates are read and the first with someone wins."""
    statement = (
        select(requests)
        .where(
            requests.c.project_id == project_id,
            requests.c.has_bot.is_(False),
            requests.c.preflight.is_(False),
            requests.c.status > UNASSIGNED,
        )
        .order_by(requests.c.created_at.desc(), requests.c.id.desc())
        .limit(_LAST_OPERATOR_WINDOW)
    )
    return next((row for row in tx.all(statement) if row.participants), None)
