"""HTTP surface of custom roles: ``/{project_id}/roles``. Agents read them; only admins
change them (Tessera: Tiledesk lets any agent write roles, so an agent could grant a custom
role, even its own, every permission)."""

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from tessera.auth.dependencies import Admin, AgentOnly
from tessera.core.schemas import respond_list
from tessera.dependencies import DatabaseDep
from tessera.roles import service
from tessera.roles.schemas import RoleIn, RoleListQuery, RoleOut, RolePatch

router = APIRouter(prefix="/{project_id}/roles", tags=["roles"])


@router.get("", response_model=list[RoleOut])
async def list_roles(
    member: AgentOnly, db: DatabaseDep, query: Annotated[RoleListQuery, Query()]
) -> Response:
    rows = await db.read(service.list_roles, member, query)
    return respond_list([RoleOut.of(row) for row in rows])


@router.get("/{role_id}", response_model=RoleOut)
async def get_role(member: AgentOnly, role_id: str, db: DatabaseDep) -> Response:
    return RoleOut.of(await db.read(service.get_role, member, role_id)).respond()


@router.post("", response_model=RoleOut)
async def create_role(member: Admin, body: RoleIn, db: DatabaseDep) -> Response:
    return RoleOut.of(await db.write(service.create_role, member, body)).respond()


@router.put("/{role_id}", response_model=RoleOut)
async def update_role(member: Admin, role_id: str, body: RolePatch, db: DatabaseDep) -> Response:
    return RoleOut.of(await db.write(service.update_role, member, role_id, body)).respond()


@router.delete("/{role_id}", response_model=RoleOut)
async def delete_role(member: Admin, role_id: str, db: DatabaseDep) -> Response:
    return RoleOut.of(await db.write(service.delete_role, member, role_id)).respond()
