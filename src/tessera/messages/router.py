"""HTTP surface of messages: a conversation's, ``/{project_id}/requests/{request_id}/messages``
(any member of the project, and bots and subscriptions), and the project's direct messages,
``/{project_id}/messages`` (agents, bots and subscriptions; reading them is for the owner)."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Body
from starlette.responses import Response, StreamingResponse

from tessera.auth.dependencies import Agent, AnyMember, Owner
from tessera.auth.principal import Member
from tessera.core.csv import csv_response, render_csv
from tessera.core.db import Database
from tessera.core.idempotency import IdempotencyDep
from tessera.core.pagination import Page, page_params
from tessera.core.responses import json_response
from tessera.core.schemas import respond_list
from tessera.dependencies import DatabaseDep
from tessera.messages import service
from tessera.messages.schemas import (
    CONVERSATION_CSV_COLUMNS,
    PROJECT_CSV_COLUMNS,
    DirectMessageCreate,
    MessageCreate,
    MessageOut,
)

router = APIRouter(prefix="/{project_id}/requests/{request_id}/messages", tags=["messages"])
root_router = APIRouter(prefix="/{project_id}/messages", tags=["messages"])

_EXPORT_BATCH = 1000


@router.post("", response_model=MessageOut)
async def create_message(
    member: AnyMember,
    request_id: str,
    body: MessageCreate,
    db: DatabaseDep,
    idempotency: IdempotencyDep,
) -> Response:
    once = idempotency.scoped(member.project_id, member.caller.id)
    return await once.write(db, service.post_message, member, request_id, body)


@router.post("/multi", response_model=list[MessageOut])
async def create_messages(
    member: AnyMember,
    request_id: str,
    body: Annotated[list[MessageCreate], Body()],
    db: DatabaseDep,
) -> Response:
    return json_response(await db.write(service.post_messages, member, request_id, body))


@router.get("", response_model=list[MessageOut])
async def list_messages(member: AnyMember, request_id: str, db: DatabaseDep) -> Response:
    rows = await db.read(service.list_messages, member, request_id)
    return respond_list([MessageOut.of(row) for row in rows])


@router.get("/csv", response_class=Response)
async def export_messages_csv(member: AnyMember, request_id: str, db: DatabaseDep) -> Response:
    rows = await db.read(service.list_messages, member, request_id)
    return csv_response(
        render_csv((MessageOut.of(r).wire() for r in rows), CONVERSATION_CSV_COLUMNS)
    )


@router.get("/{message_id}", response_model=MessageOut)
async def get_message(
    member: AnyMember, request_id: str, message_id: str, db: DatabaseDep
) -> Response:
    return MessageOut.of(
        await db.read(service.get_message, member, request_id, message_id)
    ).respond()


@root_router.post("", response_model=MessageOut)
async def create_direct_message(
    member: Agent, body: DirectMessageCreate, db: DatabaseDep
) -> Response:
    return json_response(await db.write(service.post_direct_message, member, body))


@root_router.get("", response_model=list[MessageOut])
async def list_project_messages(
    member: Owner,
    db: DatabaseDep,
    page: Page = 0,
    limit: str | None = None,
    populate_request: str | None = None,
) -> Response:
    params = page_params(page, limit, default=10, reset_above=50)
    # Tiledesk tests the parameter for truthiness: any non-empty value populates.
    populate = bool(populate_request)
    return json_response(
        await db.read(service.latest_messages, member, params, populate_request=populate)
    )


@root_router.get("/csv", response_class=StreamingResponse)
async def export_project_messages_csv(member: Owner, db: DatabaseDep) -> Response:
    return StreamingResponse(
        _project_csv(db, member),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": "attachment; filename=export.csv"},
    )


async def _project_csv(db: Database, member: Member) -> AsyncIterator[str]:
    """Every message of the project, oldest first, read and written in batches so that a big
    project is never held in memory; the header comes once, with the first batch."""
    after: tuple[int, str] | None = None
    first = True
    while True:
        rows = await db.read(service.export_batch, member, after=after, size=_EXPORT_BATCH)
        chunk = render_csv((MessageOut.of(row).wire() for row in rows), PROJECT_CSV_COLUMNS)
        yield chunk if first else chunk.partition("\n")[2]
        first = False
        if len(rows) < _EXPORT_BATCH:
            return
        after = (rows[-1].created_at, rows[-1].id)
