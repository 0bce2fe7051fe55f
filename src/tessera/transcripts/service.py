"""Who may read a conversation's transcript, and what it holds (§5.27).

Tiledesk serves every transcript to anyone who knows the ``request_id``. Tessera serves it to
the conversation's requester, to the project's agents (and its bots and subscriptions), or to
whoever holds a link signed by the server (``links``), which those same callers obtain."""

from dataclasses import dataclass
from typing import Any

from tessera.auth import service as auth
from tessera.auth.principal import MACHINES, Caller, Member, Role
from tessera.context import TokenKeys
from tessera.core.db import Record, Tx
from tessera.core.errors import NotFound, PermissionDenied
from tessera.transcripts import links, repository
from tessera.transcripts.schemas import TranscriptLinkOut

_NOT_FOUND = "Object not found."
_BAD_LINK = "Invalid or expired transcript link."
WIDGET_PAGE = "messages-user.html"


@dataclass(frozen=True, slots=True)
class SignedLink:
    expires: int
    signature: str


@dataclass(frozen=True, slots=True)
class Transcript:
    project: Record
    messages: list[Record]


def read_transcript(
    tx: Tx,
    request_id: str,
    *,
    caller: Caller | None,
    link: SignedLink | None,
    keys: TokenKeys,
    now_s: int,
) -> Transcript:
    """The messages, oldest first, for a caller allowed to read them or a valid link. A bad
    link is a 403 whether the conversation exists or not; a caller who may not read it is
    told it does not exist (404)."""
    if link is not None:
        project, conversation = _linked(tx, request_id, link, keys, now_s)
    else:
        assert caller is not None
        project, conversation = readable_conversation(tx, request_id, caller)
    return Transcript(project, repository.history(tx, project.id, conversation.request_id))


def sign_link(
    tx: Tx, request_id: str, *, caller: Caller, keys: TokenKeys, now_s: int, ttl_s: int
) -> TranscriptLinkOut:
    """A link to the transcript, for a caller who may read it, valid ``ttl_s`` seconds."""
    project, conversation = readable_conversation(tx, request_id, caller)
    expires = now_s + ttl_s
    signature = links.signature(keys.secret, project.id, conversation.request_id, expires)
    query = f"expires={expires}&signature={signature}"
    return TranscriptLinkOut(
        request_id=conversation.request_id,
        expires=expires,
        expires_at=expires * 1000,
        signature=signature,
        path=f"/public/requests/{conversation.request_id}/{WIDGET_PAGE}?{query}",
    )


def _linked(
    tx: Tx, request_id: str, link: SignedLink, keys: TokenKeys, now_s: int
) -> tuple[Record, Record]:
    conversation = repository.conversation(tx, request_id)
    if conversation is None or not links.is_valid(
        keys.secret, conversation.project_id, request_id, link.expires, link.signature, now_s=now_s
    ):
        raise PermissionDenied(_BAD_LINK)
    project = repository.active_project(tx, conversation.project_id)
    if project is None:
        raise NotFound(_NOT_FOUND)
    return project, conversation


def readable_conversation(tx: Tx, request_id: str, caller: Caller) -> tuple[Record, Record]:
    """The project and the conversation, for a caller who may read it; 404 otherwise."""
    conversation = repository.conversation(tx, request_id)
    project = repository.active_project(tx, conversation.project_id) if conversation else None
    if conversation is None or project is None:
        raise NotFound(_NOT_FOUND)
    try:
        member = auth.member_in(tx, project, caller, None, MACHINES)
    except PermissionDenied:
        raise NotFound(_NOT_FOUND) from None
    if not _may_read(member, conversation):
        raise NotFound(_NOT_FOUND)
    return project, conversation


def _may_read(member: Member, conversation: Record) -> bool:
    """Agents and above, the project's machines, and the conversation's requester."""
    if member.caller.is_machine or member.has_role(Role.AGENT):
        return True
    membership: Any = member.membership
    return membership is not None and membership["id"] == conversation.requester_id
