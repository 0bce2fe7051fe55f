"""First start: create the first administrator (and a project to start from)."""

import secrets
from dataclasses import dataclass

from sqlalchemy import func, select

from tessera.auth.passwords import hash_password
from tessera.auth.principal import Caller, CallerKind
from tessera.config import Settings
from tessera.core.db import Database, Tx
from tessera.core.ids import new_id
from tessera.projects import service as projects
from tessera.projects.schemas import ProjectCreate
from tessera.users import repository as users
from tessera.users.models import USER_ACTIVE
from tessera.users.models import users as users_table

DEFAULT_ADMIN_EMAIL = "admin@tessera.localhost"


@dataclass(frozen=True, slots=True)
class NewAdmin:
    email: str
    password: str | None  # set only when Tessera generated it


def has_users(tx: Tx) -> bool:
    return bool(tx.conn.execute(select(func.count()).select_from(users_table)).scalar_one())


def create_admin(tx: Tx, email: str, password_hash: str, *, with_project: bool) -> str:
    """An e-mail-verified account (and a ``default`` project it owns, on first start)."""
    user_id = new_id()
    users.add(
        tx,
        {
            "id": user_id,
            "email": email.lower(),
            "password": password_hash,
            "firstname": "Admin",
            "lastname": "Tessera",
            "emailverified": True,
            "status": USER_ACTIVE,
        },
    )
    if with_project:
        owner = Caller(CallerKind.USER, user_id, {"_id": user_id, "email": email.lower()})
        projects.create_project(tx, owner, ProjectCreate(name="default"))
    return user_id


def generated_password() -> str:
    return secrets.token_urlsafe(18)


def ensure_first_admin(settings: Settings) -> NewAdmin | None:
    """On the very first start (no account at all), create the administrator: from
    ``ADMIN_EMAIL``/``ADMIN_PASSWORD``, or with a generated password (never a fixed one)."""
    db = Database(settings.database_url)
    try:
        if db.run_sync(has_users):
            return None
        email = (settings.admin_email or DEFAULT_ADMIN_EMAIL).lower()
        password = settings.admin_password or generated_password()
        password_hash = hash_password(password, settings.bcrypt_rounds)
        db.run_sync(create_admin, email, password_hash, with_project=True)
    finally:
        db.close()
    return NewAdmin(email, None if settings.admin_password else password)
