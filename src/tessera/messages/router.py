"""HTTP surface of a conversation's messages: ``/{project_id}/requests/{request_id}/messages``
(any member of the project, and bots and subscriptions)."""

from fastapi import APIRouter
from starlette.responses import Response

from tessera.auth.dependencies import AnyMember
from tessera.core.responses import json_response
from tessera.core.schemas import respond_list
from tessera.dependencies import DatabaseDep
from tessera.messages import service
from tessera.messages.schemas import MessageCreate, MessageOut

router = APIRouter(prefix="/{project_id}/requests/{request_id}/messages", tags=["messages"])


@router.post("", response_model=MessageOut)
async def create_message(
    member: AnyMember, request_id: str, body: MessageCreate, db: DatabaseDep
) -> Response:
    return json_response(await db.write(service.post_message, member, request_id, body))


@router.get("", response_model=list[MessageOut])
async def list_messages(member: AnyMember, request_id: str, db: DatabaseDep) -> Response:
    rows = await db.read(service.list_messages, member, request_id)
    return respond_list([MessageOut.of(row) for row in rows])


@router.get("/{message_id}", response_model=MessageOut)
async def get_message(
    member: AnyMember, request_id: str, message_id: str, db: DatabaseDep
) -> Response:
    return MessageOut.of(
        await db.read(service.get_message, member, request_id, message_id)
    ).respond()
