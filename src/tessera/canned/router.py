"""HTTP surface of canned responses: ``/{project_id}/canned`` (agent-side members only)."""

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from tessera.auth.dependencies import AgentOnly
from tessera.canned import service
from tessera.canned.schemas import CannedCreate, CannedListQuery, CannedOut, CannedUpdate
from tessera.core.responses import json_response
from tessera.core.schemas import respond_list
from tessera.dependencies import DatabaseDep

router = APIRouter(prefix="/{project_id}/canned", tags=["canned"])


@router.get("", response_model=list[CannedOut])
async def list_canned_responses(
    member: AgentOnly, db: DatabaseDep, query: Annotated[CannedListQuery, Query()]
) -> Response:
    rows = await db.read(service.list_canned, member, query)
    return respond_list([CannedOut.of(row) for row in rows])


@router.get("/{canned_id}", response_model=CannedOut)
async def get_canned_response(member: AgentOnly, canned_id: str, db: DatabaseDep) -> Response:
    return CannedOut.of(await db.read(service.get_canned, member, canned_id)).respond()


@router.post("", response_model=CannedOut)
async def create_canned_response(
    member: AgentOnly, body: CannedCreate, db: DatabaseDep
) -> Response:
    return CannedOut.of(await db.write(service.create_canned, member, body)).respond()


@router.put("/{canned_id}", response_model=CannedOut)
async def update_canned_response(
    member: AgentOnly, canned_id: str, body: CannedUpdate, db: DatabaseDep
) -> Response:
    row = await db.write(service.update_canned, member, canned_id, body)
    return CannedOut.of(row).respond()


@router.delete("/{canned_id}", response_model=CannedOut)
async def delete_canned_response(member: AgentOnly, canned_id: str, db: DatabaseDep) -> Response:
    return CannedOut.of(await db.write(service.delete_canned, member, canned_id)).respond()


@router.delete("/{canned_id}/physical")
async def delete_canned_response_physically(
    member: AgentOnly, canned_id: str, db: DatabaseDep
) -> Response:
    return json_response(await db.write(service.delete_canned_physically, member, canned_id))
