"""SQL for pending invitations."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, insert, select, update

from tessera.core.db import Record, Tx
from tessera.core.ids import new_id
from tessera.invitations.models import pending_invitations


def list_for_project(tx: Tx, project_id: str) -> list[Record]:
    statement = (
        select(pending_invitations)
        .where(pending_invitations.c.project_id == project_id)
        .order_by(pending_invitations.c.created_at, pending_invitations.c.id)
    )
    return tx.all(statement)


def get(tx: Tx, project_id: str, invitation_id: str) -> Record | None:
    statement = select(pending_invitations).where(
        pending_invitations.c.project_id == project_id, pending_invitations.c.id == invitation_id
    )
    return tx.first(statement)


def get_any_project(tx: Tx, invitation_id: str) -> Record | None:
    """An invitation by id alone: the public landing page of the invitation link."""
    statement = select(pending_invitations).where(pending_invitations.c.id == invitation_id)
    return tx.first(statement)


def find_for_email(tx: Tx, email: str, project_id: str | None = None) -> list[Record]:
    statement = select(pending_invitations).where(pending_invitations.c.email == email)
    if project_id is not None:
        statement = statement.where(pending_invitations.c.project_id == project_id)
    return tx.all(statement.order_by(pending_invitations.c.created_at))


def add(tx: Tx, values: Mapping[str, Any]) -> Record:
    statement = (
        insert(pending_invitations)
        .values(id=new_id(), created_at=tx.now, updated_at=tx.now, **values)
        .returning(*pending_invitations.c)
    )
    return tx.one(statement)


def update_fields(
    tx: Tx, project_id: str, invitation_id: str, values: Mapping[str, Any]
) -> Record | None:
    statement = (
        update(pending_invitations)
        .where(
            pending_invitations.c.project_id == project_id,
            pending_invitations.c.id == invitation_id,
        )
        .values(updated_at=tx.now, **values)
        .returning(*pending_invitations.c)
    )
    return tx.first(statement)


def remove(tx: Tx, project_id: str, invitation_id: str) -> int:
    statement = delete(pending_invitations).where(
        pending_invitations.c.project_id == project_id, pending_invitations.c.id == invitation_id
    )
    return tx.conn.execute(statement).rowcount


def remove_ids(tx: Tx, invitation_ids: list[str]) -> None:
    if invitation_ids:
        tx.conn.execute(
            delete(pending_invitations).where(pending_invitations.c.id.in_(invitation_ids))
        )
