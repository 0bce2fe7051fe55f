"""HTTP surface of agent groups: ``/{project_id}/groups`` (agents, bots, subscriptions)."""

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from tessera.auth.dependencies import Agent
from tessera.core.schemas import respond_list
from tessera.dependencies import DatabaseDep
from tessera.groups import service
from tessera.groups.schemas import GroupCreate, GroupOut, GroupTrashed, GroupUpdate

router = APIRouter(prefix="/{project_id}/groups", tags=["groups"])


@router.get("", response_model=list[GroupOut])
async def list_groups(
    member: Agent,
    db: DatabaseDep,
    member_id: Annotated[list[str] | None, Query(alias="member")] = None,
) -> Response:
    rows = await db.read(service.list_groups, member, member_ids=member_id or [])
    return respond_list([GroupOut.of(row) for row in rows])


@router.get("/{group_id}", response_model=GroupOut)
async def get_group(member: Agent, group_id: str, db: DatabaseDep) -> Response:
    return GroupOut.of(await db.read(service.get_group, member, group_id)).respond()


@router.post("", response_model=GroupOut)
async def create_group(member: Agent, body: GroupCreate, db: DatabaseDep) -> Response:
    return GroupOut.of(await db.write(service.create_group, member, body)).respond()


@router.put("/enable/{group_id}", response_model=GroupOut)
async def enable_group(member: Agent, group_id: str, db: DatabaseDep) -> Response:
    return GroupOut.of(await db.write(service.enable_group, member, group_id)).respond()


@router.put("/disable/{group_id}", response_model=GroupOut)
async def disable_group(member: Agent, group_id: str, db: DatabaseDep) -> Response:
    return GroupOut.of(await db.write(service.disable_group, member, group_id)).respond()


@router.put("/{group_id}", response_model=GroupOut)
async def update_group(
    member: Agent, group_id: str, body: GroupUpdate, db: DatabaseDep
) -> Response:
    return GroupOut.of(await db.write(service.update_group, member, group_id, body)).respond()


@router.delete("/{group_id}", response_model=GroupOut | GroupTrashed)
async def delete_group(
    member: Agent, group_id: str, db: DatabaseDep, force: str | None = None
) -> Response:
    """Trashes the group; ``force=true`` removes it and answers it."""
    if force == "true":
        return GroupOut.of(await db.write(service.remove_group, member, group_id)).respond()
    await db.write(service.trash_group, member, group_id)
    return GroupTrashed().respond()
