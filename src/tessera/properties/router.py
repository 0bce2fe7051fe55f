"""HTTP surface of properties: ``/{project_id}/properties`` (agents, bots, subscriptions)."""

from fastapi import APIRouter
from starlette.responses import Response

from tessera.auth.dependencies import Agent
from tessera.core.pagination import Direction, Page, page_params
from tessera.core.responses import json_response
from tessera.core.schemas import respond_list
from tessera.dependencies import DatabaseDep
from tessera.properties import service
from tessera.properties.schemas import PropertyCreate, PropertyOut, PropertyUpdate

router = APIRouter(prefix="/{project_id}/properties", tags=["properties"])


@router.get("", response_model=list[PropertyOut])
async def list_properties(
    member: Agent,
    db: DatabaseDep,
    page: Page = 0,
    limit: str | None = None,
    name: str | None = None,
    status: int | None = None,
    sort: str | None = None,
    direction: Direction = -1,
) -> Response:
    rows = await db.read(
        service.list_properties,
        member,
        page=page_params(page, limit, default=40),
        name=name,
        status=status,
        sort=sort,
        direction=direction,
    )
    return respond_list([PropertyOut.of(row) for row in rows])


@router.get("/{property_id}", response_model=PropertyOut)
async def get_property(member: Agent, property_id: str, db: DatabaseDep) -> Response:
    return PropertyOut.of(await db.read(service.get_property, member, property_id)).respond()


@router.post("", response_model=PropertyOut)
async def create_property(member: Agent, body: PropertyCreate, db: DatabaseDep) -> Response:
    return PropertyOut.of(await db.write(service.create_property, member, body)).respond()


@router.put("/{property_id}", response_model=PropertyOut)
async def update_property(
    member: Agent, property_id: str, body: PropertyUpdate, db: DatabaseDep
) -> Response:
    updated = await db.write(service.update_property, member, property_id, body)
    return PropertyOut.of(updated).respond()


@router.delete("/{property_id}", response_model=PropertyOut)
async def delete_property(member: Agent, property_id: str, db: DatabaseDep) -> Response:
    return PropertyOut.of(await db.write(service.delete_property, member, property_id)).respond()


@router.delete("/{property_id}/physical")
async def delete_property_physically(member: Agent, property_id: str, db: DatabaseDep) -> Response:
    return json_response(await db.write(service.delete_property_physically, member, property_id))
