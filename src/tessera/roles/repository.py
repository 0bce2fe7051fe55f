"""SQL for custom roles. Every query is scoped by project."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, Executable, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from tessera.core.db import FastQuery, Record, Tx
from tessera.core.ids import new_id
from tessera.core.pagination import PageParams, ordered
from tessera.roles.models import roles

# Run by the role guard for members whose role is not a standard one: the fast path.
_permissions_by_name = FastQuery(
    select(roles.c.permissions).where(
        roles.c.project_id == bindparam("project_id"), roles.c.name == bindparam("name")
    )
)

# Wire names a client may sort by. Tiledesk's default, ``createdAt``, is not a role field
# (roles have no timestamps): it sorts by creation order, as MongoDB's natural order does.
_SORTABLE: dict[str, ColumnElement[Any]] = {
    "createdAt": roles.c.created_at,
    "_id": roles.c.id,
    "name": roles.c.name,
    "id_project": roles.c.project_id,
}


class NameTaken(Exception):
    """The project already has a role with this name."""


def permissions_of(tx: Tx, project_id: str, name: str) -> list[str]:
    """The permissions of the project's role called ``name`` (none when there is no such
    role)."""
    row = _permissions_by_name.first(tx, project_id=project_id, name=name)
    permissions = row.permissions if row is not None else None
    return [p for p in permissions if isinstance(p, str)] if isinstance(permissions, list) else []


def search(tx: Tx, project_id: str, page: PageParams, *, sort: str, direction: int) -> list[Record]:
    statement = ordered(
        select(roles).where(roles.c.project_id == project_id),
        sort=sort,
        direction=direction,
        columns=_SORTABLE,
        default="createdAt",
        tie_breaker=roles.c.id,
    )
    return tx.all(statement.limit(page.limit).offset(page.offset))


def get(tx: Tx, project_id: str, role_id: str) -> Record | None:
    return tx.first(select(roles).where(roles.c.project_id == project_id, roles.c.id == role_id))


def add(tx: Tx, values: Mapping[str, Any]) -> Record:
    """Insert a role; ``NameTaken`` when the name is in use, the transaction still usable."""
    statement = (
        insert(roles).values({"id": new_id(), "created_at": tx.now, **values}).returning(*roles.c)
    )
    found = _unique(tx, statement)
    assert found is not None
    return found


def update_fields(
    tx: Tx, project_id: str, role_id: str, values: Mapping[str, Any]
) -> Record | None:
    statement = (
        update(roles)
        .where(roles.c.project_id == project_id, roles.c.id == role_id)
        .values(**values)
        .returning(*roles.c)
    )
    return _unique(tx, statement)


def remove(tx: Tx, project_id: str, role_id: str) -> Record | None:
    statement = (
        delete(roles)
        .where(roles.c.project_id == project_id, roles.c.id == role_id)
        .returning(*roles.c)
    )
    return tx.first(statement)


def _unique(tx: Tx, statement: Executable) -> Record | None:
    # A SAVEPOINT: PostgreSQL aborts the whole transaction on a violated constraint.
    try:
        with tx.conn.begin_nested():
            return tx.first(statement)
    except IntegrityError as error:
        raise NameTaken from error
