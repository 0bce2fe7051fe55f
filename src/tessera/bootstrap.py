"""First start: create the first administrator (and a project to start from)."""

import secrets
from dataclasses import dataclass

from sqlalchemy import func, select

from tessera.auth.principal import Caller, CallerKind
from tessera.core.db import Tx
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
