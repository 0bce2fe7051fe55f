"""SQL for memberships. Every query is scoped by project, except the caller's own list."""

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import and_, bindparam, delete, insert, select, update

from tessera.core.db import FastQuery, Record, Tx
from tessera.core.ids import new_id
from tessera.project_users.models import ROLE_TYPE_AGENTS, STATUS_ACTIVE, project_users

# The role guard runs one of these on every project-scoped request: the fast path.
_active_by_user = FastQuery(
    select(project_users).where(
        project_users.c.project_id == bindparam("project_id"),
        project_users.c.user_id == bindparam("member"),
        project_users.c.status == STATUS_ACTIVE,
    )
)
_active_by_uuid = FastQuery(
    select(project_users).where(
        project_users.c.project_id == bindparam("project_id"),
        project_users.c.uuid_user == bindparam("member"),
        project_users.c.status == STATUS_ACTIVE,
    )
)


def find_active(tx: Tx, project_id: str, key: str, member: str) -> Record | None:
    """The active membership whose ``key`` (``user_id`` or ``uuid_user``) is ``member``."""
    query = _active_by_user if key == "user_id" else _active_by_uuid
    return query.first(tx, project_id=project_id, member=member)


def find_any(tx: Tx, project_id: str, key: str, member: str) -> Record | None:
    """The newest membership of ``member`` whatever its status."""
    column = project_users.c[key]
    statement = (
        select(project_users)
        .where(project_users.c.project_id == project_id, column == member)
        .order_by(project_users.c.created_at.desc())
    )
    return tx.first(statement)


def find_agent_membership(tx: Tx, project_id: str, user_id: str) -> Record | None:
    statement = select(project_users).where(
        project_users.c.project_id == project_id,
        project_users.c.user_id == user_id,
        project_users.c.role_type == ROLE_TYPE_AGENTS,
        project_users.c.status == STATUS_ACTIVE,
    )
    return tx.first(statement)


def get(tx: Tx, project_id: str, membership_id: str) -> Record | None:
    statement = select(project_users).where(
        project_users.c.project_id == project_id, project_users.c.id == membership_id
    )
    return tx.first(statement)


def search(
    tx: Tx,
    project_id: str,
    *,
    roles: list[str] | None,
    include_trashed: bool,
    presence: str | None,
    status: str | None,
) -> list[Record]:
    conditions = [project_users.c.project_id == project_id]
    if roles:
        conditions.append(project_users.c.role.in_(roles))
    else:
        conditions.append(project_users.c.role_type == ROLE_TYPE_AGENTS)
    if not include_trashed:
        conditions.append(project_users.c.trashed.is_(False))
    if status:
        conditions.append(project_users.c.status == status)
    statement = select(project_users).where(and_(*conditions))
    statement = statement.order_by(project_users.c.created_at, project_users.c.id)
    rows = tx.all(statement)
    if presence:
        rows = [row for row in rows if (row.presence or {}).get("status") == presence]
    return rows


def agent_memberships_of(tx: Tx, user_id: str) -> list[Record]:
    statement = select(project_users).where(
        project_users.c.user_id == user_id,
        project_users.c.role_type == ROLE_TYPE_AGENTS,
        project_users.c.status == STATUS_ACTIVE,
    )
    return tx.all(statement)


def available_agents(
    tx: Tx, project_id: str, user_ids: Iterable[str] | None = None
) -> list[Record]:
    """Available agent-side members (registered users), oldest membership first."""
    statement = (
        select(project_users)
        .where(
            project_users.c.project_id == project_id,
            project_users.c.user_available.is_(True),
            project_users.c.role_type == ROLE_TYPE_AGENTS,
            project_users.c.status == STATUS_ACTIVE,
            project_users.c.user_id.is_not(None),
        )
        .order_by(project_users.c.created_at, project_users.c.id)
    )
    if user_ids is not None:
        statement = statement.where(project_users.c.user_id.in_(list(user_ids)))
    return tx.all(statement)


def add(tx: Tx, values: Mapping[str, Any]) -> Record:
    statement = (
        insert(project_users)
        .values(
            {
                "id": new_id(),
                "created_at": tx.now,
                "updated_at": tx.now,
                "last_login_at": tx.now,
                "tags": [],
                "permissions": [],
                **values,
            }
        )
        .returning(*project_users.c)
    )
    return tx.one(statement)


def update_fields(
    tx: Tx, project_id: str, membership_id: str, values: Mapping[str, Any]
) -> Record | None:
    statement = (
        update(project_users)
        .where(project_users.c.project_id == project_id, project_users.c.id == membership_id)
        .values(updated_at=tx.now, **values)
        .returning(*project_users.c)
    )
    return tx.first(statement)


def remove(tx: Tx, project_id: str, membership_id: str) -> Record | None:
    statement = (
        delete(project_users)
        .where(project_users.c.project_id == project_id, project_users.c.id == membership_id)
        .returning(*project_users.c)
    )
    return tx.first(statement)
