"""SQL for users. Users are global (not project data), so nothing here takes a project id."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update

from tessera.core.db import FastQuery, Record, Tx, rows_by_id
from tessera.users.models import USER_ACTIVE, email_verifications, users

# Every authenticated request runs one of these: they take the fast path.
_active_by_id = FastQuery(
    select(users).where(users.c.id == bindparam("id"), users.c.status == USER_ACTIVE)
)
_active_by_email = FastQuery(
    select(users).where(users.c.email == bindparam("email"), users.c.status == USER_ACTIVE)
)


def get_active(tx: Tx, user_id: str) -> Record | None:
    return _active_by_id.first(tx, id=user_id)


def find_active_by_email(tx: Tx, email: str) -> Record | None:
    return _active_by_email.first(tx, email=email)


def find_by_email(tx: Tx, email: str) -> Record | None:
    return tx.first(select(users).where(users.c.email == email))


def find_by_phone(tx: Tx, phone: str) -> Record | None:
    return tx.first(select(users).where(users.c.phone == phone))


def find_by_reset_id(tx: Tx, reset_id: str) -> Record | None:
    statement = select(users).where(
        users.c.resetpswrequestid == reset_id, users.c.status == USER_ACTIVE
    )
    return tx.first(statement)


def get_many(tx: Tx, user_ids: list[str]) -> dict[str, Record]:
    return rows_by_id(tx, users, user_ids)


def add(tx: Tx, values: Mapping[str, Any]) -> None:
    tx.conn.execute(insert(users).values(created_at=tx.now, updated_at=tx.now, **values))


def update_fields(tx: Tx, user_id: str, values: Mapping[str, Any]) -> Record | None:
    statement = (
        update(users)
        .where(users.c.id == user_id)
        .values(updated_at=tx.now, **values)
        .returning(*users.c)
    )
    return tx.first(statement)


def delete_user(tx: Tx, user_id: str) -> int:
    return tx.conn.execute(delete(users).where(users.c.id == user_id)).rowcount


def add_verification(tx: Tx, code: str, user_id: str, email: str, expires_at: int) -> None:
    tx.conn.execute(delete(email_verifications).where(email_verifications.c.expires_at < tx.now))
    tx.conn.execute(
        insert(email_verifications).values(
            code=code, user_id=user_id, email=email, expires_at=expires_at
        )
    )


def take_verification(tx: Tx, code: str) -> Record | None:
    """The live verification for ``code``, consumed (a code verifies once)."""
    row = tx.first(
        select(email_verifications).where(
            email_verifications.c.code == code, email_verifications.c.expires_at >= tx.now
        )
    )
    if row is not None:
        tx.conn.execute(delete(email_verifications).where(email_verifications.c.code == code))
    return row
