"""HTTP surface of conversations: ``/{project_id}/requests`` (Tiledesk's "requests")."""

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from tessera.auth.dependencies import Agent, Guest
from tessera.conversations import listing, service
from tessera.conversations.schemas import (
    RequestCountQuery,
    RequestCounts,
    RequestCreate,
    RequestCsvQuery,
    RequestList,
    RequestOut,
    RequestQuery,
)
from tessera.core.csv import csv_response, render_csv
from tessera.core.idempotency import IdempotencyDep
from tessera.core.responses import json_response
from tessera.dependencies import DatabaseDep

router = APIRouter(prefix="/{project_id}/requests", tags=["requests"])

ListQuery = Annotated[RequestQuery, Query()]

# The fixed paths (/me, /count, /csv) come before /{request_id}, which would swallow them.


@router.get("/me", response_model=RequestList)
async def list_my_requests(member: Guest, db: DatabaseDep, query: ListQuery) -> Response:
    return json_response(await db.read(listing.list_my_requests, member, query))


@router.get("", response_model=RequestList)
async def list_requests(member: Agent, db: DatabaseDep, query: ListQuery) -> Response:
    return json_response(await db.read(listing.list_requests, member, query))


@router.get("/count", response_model=RequestCounts)
async def count_requests(
    member: Agent, db: DatabaseDep, query: Annotated[RequestCountQuery, Query()]
) -> Response:
    counts = await db.read(
        listing.count_requests,
        member,
        merge_assigned=bool(query.merge_assigned),  # any value, even "false" (Tiledesk)
        conversation_quota=query.conversation_quota == "true",
    )
    return json_response(counts)


@router.get("/csv")
async def export_requests_csv(
    member: Agent, db: DatabaseDep, query: Annotated[RequestCsvQuery, Query()]
) -> Response:
    rows = await db.read(listing.export_requests, member, query)
    return csv_response(render_csv(rows, listing.CSV_COLUMNS))


@router.post("", response_model=RequestOut)
async def create_request(
    member: Agent, body: RequestCreate, db: DatabaseDep, idempotency: IdempotencyDep
) -> Response:
    once = idempotency.scoped(member.project_id, member.caller.id, present=service.present_saved)
    return await once.write(db, service.create_conversation, member, body)


@router.get("/{request_id}", response_model=RequestOut)
async def get_request(member: Agent, request_id: str, db: DatabaseDep) -> Response:
    return json_response(await db.read(service.read_conversation, member, request_id))
