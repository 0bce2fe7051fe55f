"""HTTP surface of conversation lifecycle and edits (fact sheet §5.4.1, §5.4.3): close,
reopen, rating, delete; PATCH, attributes, notes, followers, tags, e-mail to the contact."""

from typing import Annotated, Any

from fastapi import APIRouter, Body
from starlette.responses import Response

from tessera.auth.dependencies import Agent, Guest
from tessera.conversations import editing, lifecycle
from tessera.conversations.schemas import (
    CloseIn,
    DeleteResult,
    EmailQueued,
    EmailSendIn,
    FollowerIn,
    NoteIn,
    RatingIn,
    RequestOut,
    RequestPatch,
    TagIn,
)
from tessera.core.responses import json_response
from tessera.dependencies import ContextDep, DatabaseDep

router = APIRouter(prefix="/{project_id}/requests", tags=["requests"])

JsonObjectBody = Annotated[dict[str, Any], Body()]
IdListBody = Annotated[list[str], Body()]
TagListBody = Annotated[list[TagIn], Body()]


# ---------------------------------------------------------------- end-user routes (§5.4.1)


@router.patch("/{request_id}/rating", response_model=RequestOut)
async def rate_request(member: Guest, request_id: str, body: RatingIn, db: DatabaseDep) -> Response:
    return json_response(await db.write(lifecycle.rate_conversation, member, request_id, body))


@router.put("/{request_id}/closeg", response_model=RequestOut)
async def close_own_request(member: Guest, request_id: str, db: DatabaseDep) -> Response:
    return json_response(await db.write(lifecycle.close_own_conversation, member, request_id))


# ---------------------------------------------------------------- lifecycle (§5.4.3)


@router.put("/{request_id}/close", response_model=RequestOut)
async def close_request(
    member: Agent, request_id: str, db: DatabaseDep, body: CloseIn | None = None
) -> Response:
    force = body.force if body is not None else False
    return json_response(
        await db.write(lifecycle.close_conversation, member, request_id, force=force)
    )


@router.put("/{request_id}/reopen", response_model=RequestOut)
async def reopen_request(member: Agent, request_id: str, db: DatabaseDep) -> Response:
    return json_response(await db.write(lifecycle.reopen_conversation, member, request_id))


@router.delete("/id/{request_pk}", response_model=DeleteResult)
async def delete_request_by_id(member: Agent, request_pk: str, db: DatabaseDep) -> Response:
    result = await db.write(lifecycle.delete_conversation_by_pk, member, request_pk)
    return result.respond()


@router.delete("/{request_id}", response_model=RequestOut)
async def delete_request(member: Agent, request_id: str, db: DatabaseDep) -> Response:
    return json_response(await db.write(lifecycle.delete_conversation, member, request_id))


# ---------------------------------------------------------------- edits (§5.4.3)


@router.patch("/{request_id}", response_model=RequestOut)
async def patch_request(
    member: Agent, request_id: str, body: RequestPatch, db: DatabaseDep
) -> Response:
    return json_response(await db.write(editing.patch_conversation, member, request_id, body))


@router.patch("/{request_id}/attributes", response_model=RequestOut)
async def patch_request_attributes(
    member: Agent, request_id: str, body: JsonObjectBody, db: DatabaseDep
) -> Response:
    return json_response(await db.write(editing.patch_attributes, member, request_id, body))


@router.post("/{request_id}/notes", response_model=RequestOut)
async def add_note(member: Agent, request_id: str, body: NoteIn, db: DatabaseDep) -> Response:
    return json_response(await db.write(editing.add_note, member, request_id, body))


@router.delete("/{request_id}/notes/{note_id}", response_model=RequestOut)
async def delete_note(member: Agent, request_id: str, note_id: str, db: DatabaseDep) -> Response:
    return json_response(await db.write(editing.delete_note, member, request_id, note_id))


@router.post("/{request_id}/followers", response_model=RequestOut)
async def add_follower(
    member: Agent, request_id: str, body: FollowerIn, db: DatabaseDep
) -> Response:
    return json_response(await db.write(editing.add_follower, member, request_id, body.member))


@router.put("/{request_id}/followers", response_model=RequestOut)
async def set_followers(
    member: Agent, request_id: str, body: IdListBody, db: DatabaseDep
) -> Response:
    return json_response(await db.write(editing.set_followers, member, request_id, body))


@router.delete("/{request_id}/followers/{follower_id}", response_model=RequestOut)
async def remove_follower(
    member: Agent, request_id: str, follower_id: str, db: DatabaseDep
) -> Response:
    return json_response(await db.write(editing.remove_follower, member, request_id, follower_id))


@router.put("/{request_id}/tag", response_model=RequestOut)
async def add_tags(member: Agent, request_id: str, body: TagListBody, db: DatabaseDep) -> Response:
    return json_response(await db.write(editing.add_tags, member, request_id, body))


@router.delete("/{request_id}/tag/{tag_id}", response_model=RequestOut)
async def remove_tag(member: Agent, request_id: str, tag_id: str, db: DatabaseDep) -> Response:
    return json_response(await db.write(editing.remove_tag, member, request_id, tag_id))


@router.post("/{request_id}/email/send", response_model=EmailQueued)
async def send_email(
    member: Agent, request_id: str, body: EmailSendIn, db: DatabaseDep, context: ContextDep
) -> Response:
    queued = await db.write(editing.email_contact, member, request_id, body, context)
    return queued.respond()
