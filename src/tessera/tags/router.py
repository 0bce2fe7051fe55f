"""HTTP surface of the tag library: ``/{project_id}/tags`` (agents, bots, subscriptions)."""

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from tessera.auth.dependencies import Agent
from tessera.core.responses import json_response
from tessera.core.schemas import respond_list
from tessera.dependencies import DatabaseDep
from tessera.tags import service
from tessera.tags.schemas import TagIn, TagListQuery, TagOut

router = APIRouter(prefix="/{project_id}/tags", tags=["tags"])


@router.get("", response_model=list[TagOut])
async def list_tags(
    member: Agent, db: DatabaseDep, query: Annotated[TagListQuery, Query()]
) -> Response:
    rows = await db.read(service.list_tags, member, query)
    return respond_list([TagOut.of(row) for row in rows])


@router.get("/{tag_id}", response_model=TagOut)
async def get_tag(member: Agent, tag_id: str, db: DatabaseDep) -> Response:
    return TagOut.of(await db.read(service.get_tag, member, tag_id)).respond()


@router.post("", response_model=TagOut)
async def create_tag(member: Agent, body: TagIn, db: DatabaseDep) -> Response:
    return TagOut.of(await db.write(service.create_tag, member, body)).respond()


@router.put("/{tag_id}", response_model=TagOut)
async def update_tag(member: Agent, tag_id: str, body: TagIn, db: DatabaseDep) -> Response:
    return TagOut.of(await db.write(service.update_tag, member, tag_id, body)).respond()


@router.delete("/{tag_id}")
async def delete_tag(member: Agent, tag_id: str, db: DatabaseDep) -> Response:
    return json_response(await db.write(service.delete_tag, member, tag_id))
