"""HTTP surface of conversations: ``/{project_id}/requests`` (Tiledesk's "requests")."""

from fastapi import APIRouter
from starlette.responses import Response

from tessera.auth.dependencies import Agent
from tessera.conversations import service
from tessera.conversations.schemas import RequestCreate, RequestOut
from tessera.core.responses import json_response
from tessera.dependencies import DatabaseDep

router = APIRouter(prefix="/{project_id}/requests", tags=["requests"])


@router.post("", response_model=RequestOut)
async def create_request(member: Agent, body: RequestCreate, db: DatabaseDep) -> Response:
    row = await db.write(service.create_conversation, member, body)
    return json_response(service.present_saved(row))


@router.get("/{request_id}", response_model=RequestOut)
async def get_request(member: Agent, request_id: str, db: DatabaseDep) -> Response:
    return json_response(await db.read(service.read_conversation, member, request_id))
