"""Custom roles: CRUD. The permissions they grant are read by the role guard
(``auth.service.member_in``), so that a member whose role is a custom role's name has its
permissions (§4.4)."""

from tessera.auth.principal import Member
from tessera.core.db import Record, Tx
from tessera.core.errors import Conflict, NotFound
from tessera.core.pagination import page_params
from tessera.roles import repository
from tessera.roles.schemas import ROLES_PER_PAGE, RoleIn, RoleListQuery, RoleOut, RolePatch

_NOT_FOUND = "Object not found."


def list_roles(tx: Tx, member: Member, query: RoleListQuery) -> list[Record]:
    """A page of the project's roles (Tiledesk lists every project's: Tessera its own)."""
    page = page_params(query.page, query.limit, default=ROLES_PER_PAGE)
    return repository.search(
        tx, member.project_id, page, sort=query.sort, direction=query.direction
    )


def get_role(tx: Tx, member: Member, role_id: str) -> Record:
    role = repository.get(tx, member.project_id, role_id)
    if role is None:
        raise NotFound(_NOT_FOUND)
    return role


def create_role(tx: Tx, member: Member, body: RoleIn) -> Record:
    try:
        role = repository.add(
            tx,
            {
                "project_id": member.project_id,
                "name": body.name,
                "permissions": list(dict.fromkeys(body.permissions)),
                "created_by": member.caller.id,
            },
        )
    except repository.NameTaken:
        raise _name_taken(body.name) from None
    tx.emit("role.create", member.project_id, RoleOut.of(role).wire())
    return role


def update_role(tx: Tx, member: Member, role_id: str, body: RolePatch) -> Record:
    """Only the fields given change. Tessera answers 404 for an unknown id where Tiledesk
    upserts a role without a project."""
    values: dict[str, object] = {}
    if body.name is not None:
        values["name"] = body.name
    if body.permissions is not None:
        values["permissions"] = list(dict.fromkeys(body.permissions))
    try:
        role = (
            repository.update_fields(tx, member.project_id, role_id, values)
            if values
            else repository.get(tx, member.project_id, role_id)
        )
    except repository.NameTaken:
        raise _name_taken(str(body.name)) from None
    if role is None:
        raise NotFound(_NOT_FOUND)
    tx.emit("role.update", member.project_id, RoleOut.of(role).wire())
    return role


def delete_role(tx: Tx, member: Member, role_id: str) -> Record:
    """Answers the deleted role. Members keep the role's name, now without permissions."""
    role = repository.remove(tx, member.project_id, role_id)
    if role is None:
        raise NotFound(_NOT_FOUND)
    tx.emit("role.delete", member.project_id, RoleOut.of(role).wire())
    return role


def _name_taken(name: str) -> Conflict:
    return Conflict(f"A role named '{name}' already exists in this project.")
