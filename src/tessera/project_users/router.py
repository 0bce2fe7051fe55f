"""HTTP surface of memberships: ``/{project_id}/project_users``."""

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from tessera.auth.dependencies import (
    Admin,
    AdminOrSubscription,
    Agent,
    AgentOnly,
    AgentOrSubscription,
    UserOrSubscription,
)
from tessera.core.responses import json_response
from tessera.core.schemas import respond_list
from tessera.dependencies import ContextDep, DatabaseDep
from tessera.project_users import service
from tessera.project_users.schemas import (
    EndUserCreate,
    InviteIn,
    MembershipAdminUpdate,
    MembershipUpdate,
    ProjectUserOut,
)

router = APIRouter(prefix="/{project_id}/project_users", tags=["project_users"])


@router.get("", response_model=list[ProjectUserOut])
async def list_project_users(
    member: Agent,
    db: DatabaseDep,
    role: Annotated[list[str] | None, Query()] = None,
    trashed: str | None = None,
    presencestatus: str | None = None,
    status: str | None = None,
) -> Response:
    roles = [name for value in role or [] for name in value.split(",") if name]
    members = await db.read(
        service.list_members,
        member,
        roles=roles or None,
        include_trashed=trashed not in (None, "", "false"),
        presence=presencestatus,
        status=status,
    )
    return respond_list(list(members))


@router.get("/me", response_model=list[ProjectUserOut])
async def get_my_membership(member: AgentOrSubscription) -> Response:
    return respond_list(list(service.my_membership(member)))


@router.get("/users/search")
async def find_teammate_by_email(
    member: UserOrSubscription, db: DatabaseDep, email: str | None = None
) -> Response:
    return json_response(await db.read(service.find_teammate, member, email))


@router.get("/users/{user_id}", response_model=list[ProjectUserOut])
async def get_memberships_of_user(
    member: AgentOrSubscription, user_id: str, db: DatabaseDep
) -> Response:
    return respond_list(list(await db.read(service.memberships_of_user, member, user_id)))


@router.get("/{membership_id}", response_model=ProjectUserOut)
async def get_project_user(
    member: AgentOrSubscription, membership_id: str, db: DatabaseDep
) -> Response:
    return (await db.read(service.get_member, member, membership_id)).respond()


@router.post("/invite")
async def invite_project_user(
    member: Admin, body: InviteIn, db: DatabaseDep, context: ContextDep
) -> Response:
    return json_response(await db.write(service.invite, member, body, context))


@router.post("", response_model=ProjectUserOut)
async def create_end_user(member: AgentOnly, db: DatabaseDep, body: EndUserCreate) -> Response:
    row = await db.write(service.create_end_user, member, body)
    return service.present(row, member.project, busy=False).respond()


@router.put("", response_model=ProjectUserOut)
async def update_my_membership(
    member: AgentOnly, body: MembershipUpdate, db: DatabaseDep
) -> Response:
    row = await db.write(service.update_own, member, body)
    return service.present(row, member.project, busy=False).respond()


@router.put("/{membership_id}/restore", response_model=ProjectUserOut)
async def restore_project_user(member: Admin, membership_id: str, db: DatabaseDep) -> Response:
    row = await db.write(service.restore_member, member, membership_id)
    return service.present(row, member.project, busy=False).respond()


@router.put("/{membership_id}", response_model=ProjectUserOut)
async def update_project_user(
    member: AdminOrSubscription, membership_id: str, body: MembershipAdminUpdate, db: DatabaseDep
) -> Response:
    row = await db.write(service.update_member, member, membership_id, body)
    return service.present(row, member.project, busy=False).respond()


@router.delete("/{membership_id}", response_model=ProjectUserOut)
async def delete_project_user(
    member: Admin,
    membership_id: str,
    db: DatabaseDep,
    soft: str | None = None,
    hard: str | None = None,
) -> Response:
    row = await db.write(
        service.delete_member, member, membership_id, soft=soft == "true", hard=hard == "true"
    )
    return service.present(row, member.project, busy=False).respond()
