"""The reads e-mail notifications need: who receives them and what they are about."""

from collections.abc import Collection

from sqlalchemy import Select, bindparam, func, select

from tessera.conversations.models import CANDIDATE, PARTICIPANT, request_agents, requests
from tessera.core.db import FastQuery, Record, Tx
from tessera.groups.models import groups
from tessera.leads.models import leads
from tessera.messages.models import messages
from tessera.project_users.models import ROLE_TYPE_AGENTS, STATUS_ACTIVE, project_users
from tessera.projects.models import PROJECT_ACTIVE, projects
from tessera.users.models import USER_ACTIVE, users

_ADMINS = ("owner", "admin")


# Read for every message a conversation receives: compiled once.
_ACTIVE_PROJECT = FastQuery(
    select(projects.c.id, projects.c.name, projects.c.settings).where(
        projects.c.id == bindparam("project_id"), projects.c.status == PROJECT_ACTIVE
    )
)


def project(tx: Tx, project_id: str) -> Record | None:
    """An active project (Tiledesk notifies only for ``status: 100`` projects)."""
    return _ACTIVE_PROJECT.first(tx, project_id=project_id)


def conversation(tx: Tx, project_id: str, request_id: str) -> Record | None:
    return tx.first(
        select(requests).where(
            requests.c.project_id == project_id, requests.c.request_id == request_id
        )
    )


def agents_of(tx: Tx, request_pk: str, kind: str) -> list[str]:
    """The conversation's participants (``PARTICIPANT``) or routing candidates (``CANDIDATE``)."""
    rows = tx.conn.execute(
        select(request_agents.c.agent).where(
            request_agents.c.request_pk == request_pk, request_agents.c.kind == kind
        )
    )
    return [agent for (agent,) in rows]


def candidates_of(tx: Tx, request_pk: str) -> list[str]:
    return agents_of(tx, request_pk, CANDIDATE)


def participants_of(tx: Tx, request_pk: str) -> list[str]:
    return agents_of(tx, request_pk, PARTICIPANT)


def teammates_by_user(tx: Tx, project_id: str, user_ids: Collection[str]) -> list[Record]:
    """Active agent-side members among ``user_ids``, with their account (see ``_teammates``)."""
    if not user_ids:
        return []
    return tx.all(_teammates(project_id).where(project_users.c.user_id.in_(set(user_ids))))


def teammates_by_membership(
    tx: Tx, project_id: str, membership_ids: Collection[str]
) -> list[Record]:
    if not membership_ids:
        return []
    return tx.all(_teammates(project_id).where(project_users.c.id.in_(set(membership_ids))))


def administrators(tx: Tx, project_id: str) -> list[Record]:
    """Active owners and admins, with their account."""
    return tx.all(_teammates(project_id).where(project_users.c.role.in_(_ADMINS)))


def group_by_name(tx: Tx, project_id: str, name: str) -> Record | None:
    return tx.first(
        select(groups.c.members).where(
            groups.c.project_id == project_id,
            groups.c.name == name,
            groups.c.trashed.is_(False),
        )
    )


def lead(tx: Tx, project_id: str, lead_pk: str) -> Record | None:
    return tx.first(select(leads).where(leads.c.project_id == project_id, leads.c.id == lead_pk))


def conversation_messages(tx: Tx, project_id: str, request_id: str) -> list[Record]:
    """Every message of a conversation, oldest first (the transcript)."""
    return tx.all(
        select(messages)
        .where(messages.c.project_id == project_id, messages.c.recipient == request_id)
        .order_by(messages.c.created_at, messages.c.id)
    )


def last_message_at(tx: Tx, project_id: str, request_id: str, sender: str) -> int | None:
    """When ``sender`` last wrote in the conversation (epoch ms), or None."""
    found = tx.conn.execute(
        select(func.max(messages.c.created_at)).where(
            messages.c.project_id == project_id,
            messages.c.recipient == request_id,
            messages.c.sender == sender,
        )
    ).scalar()
    return int(found) if found is not None else None


def _teammates(project_id: str) -> Select[tuple[object, ...]]:
    """Memberships joined with their users: the membership's id, user, role, availability
    and settings, the user's address and whether it is verified."""
    return (
        select(
            project_users.c.id,
            project_users.c.user_id,
            project_users.c.role,
            project_users.c.user_available,
            project_users.c.settings,
            users.c.email,
            users.c.emailverified,
            users.c.firstname,
            users.c.lastname,
        )
        .join(users, users.c.id == project_users.c.user_id)
        .where(
            project_users.c.project_id == project_id,
            project_users.c.status == STATUS_ACTIVE,
            project_users.c.role_type == ROLE_TYPE_AGENTS,
            project_users.c.trashed.is_(False),
            users.c.status == USER_ACTIVE,
        )
        .order_by(project_users.c.id)
    )
