"""HTTP surface of conversation assignment (fact sheet §5.4.3): routing again, handing over
to a bot, and the participants.

Tessera deviation: a participant must belong to the project (an active agent-side member's
user id, or ``bot_<id>`` of one of its bots), else 422 — Tiledesk stores any string.
"""

from typing import Annotated

from fastapi import APIRouter, Body
from starlette.responses import Response

from tessera.auth.dependencies import Agent
from tessera.conversations import assignment
from tessera.conversations.schemas import (
    ParticipantIn,
    ReplaceBotIn,
    RequestOut,
    RequestReplacedOut,
    RouteIn,
)
from tessera.core.responses import json_response
from tessera.dependencies import DatabaseDep

router = APIRouter(prefix="/{project_id}/requests", tags=["requests"])

ParticipantList = Annotated[list[str], Body()]


@router.put("/{request_id}/assign", response_model=RequestOut)
async def assign_request(
    member: Agent, request_id: str, db: DatabaseDep, body: RouteIn | None = None
) -> Response:
    """Route a conversation nobody has taken yet; others answer unchanged (unpopulated)."""
    body = body or RouteIn()
    return json_response(await db.write(assignment.assign_conversation, member, request_id, body))


@router.put("/{request_id}/departments", response_model=RequestOut)
async def change_request_department(
    member: Agent, request_id: str, db: DatabaseDep, body: RouteIn | None = None
) -> Response:
    """Route again in ``departmentid`` (default: the default department), whatever the status."""
    body = body or RouteIn()
    return json_response(await db.write(assignment.change_department, member, request_id, body))


@router.put("/{request_id}/agent", response_model=RequestOut)
async def hand_request_to_agent(member: Agent, request_id: str, db: DatabaseDep) -> Response:
    """Route again in the conversation's department, without its bot."""
    return json_response(await db.write(assignment.hand_to_agent, member, request_id))


@router.put("/{request_id}/replace", response_model=RequestReplacedOut)
async def replace_request_participants(
    member: Agent, request_id: str, db: DatabaseDep, body: ReplaceBotIn | None = None
) -> Response:
    """Hand the conversation to one of the project's bots (by ``id``, ``name`` or ``slug``)."""
    body = body or ReplaceBotIn()
    return json_response(await db.write(assignment.replace_with_bot, member, request_id, body))


@router.post("/{request_id}/participants", response_model=RequestOut)
async def add_request_participant(
    member: Agent, request_id: str, body: ParticipantIn, db: DatabaseDep
) -> Response:
    result = await db.write(assignment.add_participant, member, request_id, body.member)
    return json_response(result)


@router.put("/{request_id}/participants", response_model=RequestOut)
async def set_request_participants(
    member: Agent, request_id: str, body: ParticipantList, db: DatabaseDep
) -> Response:
    """The body is a JSON array of participants (user ids and ``bot_<id>``)."""
    result = await db.write(assignment.set_participants, member, request_id, body)
    return json_response(result)


@router.delete("/{request_id}/participants/{participant_id}", response_model=RequestOut)
async def remove_request_participant(
    member: Agent, request_id: str, participant_id: str, db: DatabaseDep
) -> Response:
    """Someone who does not take part changes nothing; an unknown conversation is a 400."""
    result = await db.write(assignment.remove_participant, member, request_id, participant_id)
    return json_response(result)
