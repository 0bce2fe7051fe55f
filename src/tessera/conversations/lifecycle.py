"""A conversation's life: close (with its transcript), reopen, rating by the visitor, delete
(fact sheet §5.4.1, §5.4.3, §5.4.4, §8.2, §8.4)."""

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from tessera.auth.principal import END_USERS, Member, Role
from tessera.conversations import repository, service
from tessera.conversations.models import ASSIGNED, CLOSED, UNASSIGNED
from tessera.conversations.schemas import DeleteResult, RatingIn, unpopulated
from tessera.core.db import Record, Tx
from tessera.core.errors import NotFound, PermissionDenied
from tessera.core.ids import is_object_id
from tessera.core.schemas import JsonObject
from tessera.messages import repository as messages
from tessera.messages.schemas import MessageOut
from tessera.messages.service import post_system_message

CHAT_CLOSED: JsonObject = {
    "subtype": "info/support",
    "updateconversation": False,
    "messagelabel": {"key": "CHAT_CLOSED"},
}
CHAT_REOPENED: JsonObject = {
    "subtype": "info/support",
    "updateconversation": True,
    "messagelabel": {"key": "CHAT_REOPENED"},
}
_NOT_FOUND = "Request not found"
_NOT_A_PARTICIPANT = "You must be among the participants to close a conversation."
_OPEN = frozenset({UNASSIGNED, ASSIGNED})


def transcript(history: Iterable[Record]) -> str:
    """One line per message, CRLF-separated: ``DD/MM/YYYY, HH:MM:SS <sender name>: <text>``.

    Tiledesk formats ``createdAt`` with the ``it`` locale in UTC, whatever the project; the
    same here, so that stored transcripts read the same on both servers. A missing name or
    text is left empty where Tiledesk would print ``undefined``."""
    return "\r\n".join(_transcript_line(message) for message in history)


def _transcript_line(message: Record) -> str:
    when = datetime.fromtimestamp(message.created_at / 1000, UTC)
    return f"{when:%d/%m/%Y, %H:%M:%S} {message.sender_fullname or ''}: {message.text or ''}"


def close_conversation(tx: Tx, member: Member, request_id: str, *, force: bool) -> dict[str, Any]:
    """``PUT /close``: members below admin must take part in the conversation (§5.4.3)."""
    conversation = _locked(tx, member, request_id)
    below_admin = member.role is not None and not member.has_role(Role.ADMIN)
    if below_admin and member.caller.id not in conversation.participants_agents:
        raise PermissionDenied(_NOT_A_PARTICIPANT, key="error")
    return _close(tx, member, conversation, force=force)


def close_own_conversation(tx: Tx, member: Member, request_id: str) -> dict[str, Any]:
    """``PUT /closeg``: any member, without the participant check (§5.4.1); guests and end
    users only their own conversations (Tessera)."""
    conversation = _locked(tx, member, request_id)
    if member.caller.kind in END_USERS and not _requested_by(conversation, member):
        raise NotFound(_NOT_FOUND, key="error")
    return _close(tx, member, conversation, force=False)


def _close(tx: Tx, member: Member, conversation: Record, *, force: bool) -> dict[str, Any]:
    """Status 1000 with transcript, ``closed_at``/``closed_by``/``duration``, the assigned
    counters recounted and the "Chat closed" message (§8.4). An already closed conversation
    only announces ``request.close`` again, unless ``force`` closes it anew."""
    project_id = member.project_id
    history = messages.of_conversation(tx, project_id, conversation.request_id)
    if conversation.status == CLOSED and not force:
        payload = service.present(tx, member.project, conversation)
        tx.emit("request.close", project_id, _with_messages(payload, history))
        return payload
    closed = repository.update_fields(
        tx,
        conversation.id,
        {
            "status": CLOSED,
            "transcript": transcript(history),
            "closed_at": tx.now,
            "closed_by": member.caller.id,
            "duration": tx.now - conversation.created_at,
        },
    )
    service.recount_assigned(tx, project_id, closed.participants_agents)
    payload = service.present(tx, member.project, closed)
    tx.emit("request.update", project_id, payload)
    tx.emit("request.close", project_id, _with_messages(payload, history))
    post_system_message(tx, member.project, closed, "Chat closed", CHAT_CLOSED)
    return payload


def _with_messages(payload: dict[str, Any], history: list[Record]) -> dict[str, Any]:
    """The ``request.close`` payload: the request plus its messages by ``updatedAt``
    (§5.15), the messages of the transcript."""
    ordered = sorted(history, key=lambda message: message.updated_at)
    return {**payload, "messages": [MessageOut.of(message).wire() for message in ordered]}


def reopen_conversation(tx: Tx, member: Member, request_id: str) -> dict[str, Any]:
    """``PUT /reopen``: 100 and 200 stay as they are; anything else becomes 200 with
    participants, else 100. ``closed_at`` and the transcript are kept, as in Tiledesk."""
    conversation = _locked(tx, member, request_id)
    if conversation.status in _OPEN:
        return service.present(tx, member.project, conversation)
    status = ASSIGNED if conversation.participants else UNASSIGNED
    reopened = repository.update_fields(tx, conversation.id, {"status": status})
    service.recount_assigned(tx, member.project_id, reopened.participants_agents)
    payload = service.present(tx, member.project, reopened)
    tx.emit("request.update", member.project_id, payload)
    tx.emit("request.reopen", member.project_id, payload)
    post_system_message(tx, member.project, reopened, "Chat reopened", CHAT_REOPENED)
    return payload


def rate_conversation(tx: Tx, member: Member, request_id: str, body: RatingIn) -> dict[str, Any]:
    """``PATCH /rating``: as in Tiledesk, a caller with a membership rates only the
    conversations it requested (bots and subscriptions any); truthy values only."""
    conversation = repository.get_for_update(tx, member.project_id, request_id)
    if conversation is None or (
        member.membership is not None and not _requested_by(conversation, member)
    ):
        raise NotFound(_NOT_FOUND)
    values = {
        column: value
        for column, value in (("rating", body.rating), ("rating_message", body.rating_message))
        if value
    }
    rated = repository.update_fields(tx, conversation.id, values)
    payload = service.present(tx, member.project, rated)
    tx.emit("request.update", member.project_id, payload)
    return payload


def delete_conversation(tx: Tx, member: Member, request_id: str) -> dict[str, Any]:
    """``DELETE /:rid``: the deleted document, unpopulated. Scoped to the URL's project
    (Tiledesk deletes by ``request_id`` in any project)."""
    _check_may_delete(member)
    conversation = repository.get_for_update(tx, member.project_id, request_id)
    if conversation is None:
        raise NotFound("Object not found.")
    return _delete(tx, member, conversation)


def delete_conversation_by_pk(tx: Tx, member: Member, request_pk: str) -> DeleteResult:
    """``DELETE /id/:id``: mongoose's ``remove()`` result; an unknown id deletes nothing.
    Unlike Tiledesk, the conversation's messages go with it here too (no orphans)."""
    _check_may_delete(member)
    conversation = (
        repository.get_by_pk(tx, member.project_id, request_pk)
        if is_object_id(request_pk)
        else None
    )
    if conversation is None:
        return DeleteResult(n=0, ok=1, deleted_count=0)
    _delete(tx, member, conversation)
    return DeleteResult(n=1, ok=1, deleted_count=1)


def _check_may_delete(member: Member) -> None:
    """Permission ``request_delete`` (the member's own or its custom role's), or the owner
    role for members without permissions (§4.4). Bots and subscriptions have no membership:
    Tiledesk crashes, Tessera refuses."""
    if member.membership is None:
        raise PermissionDenied("Unauthorized.")
    permissions = member.permissions
    allowed = "request_delete" in permissions if permissions else member.role_name == Role.OWNER
    if not allowed:
        raise PermissionDenied("Unauthorized.")


def _delete(tx: Tx, member: Member, conversation: Record) -> dict[str, Any]:
    messages.delete_of_conversation(tx, member.project_id, conversation.request_id)
    deleted = repository.remove(tx, member.project_id, conversation.id)
    if deleted is None:  # deleted concurrently
        raise NotFound("Object not found.")
    service.recount_assigned(tx, member.project_id, deleted.participants_agents)
    document = unpopulated(deleted)
    tx.emit("request.delete", member.project_id, document)
    return document


def _locked(tx: Tx, member: Member, request_id: str) -> Record:
    conversation = repository.get_for_update(tx, member.project_id, request_id)
    if conversation is None:
        raise NotFound(_NOT_FOUND, key="error")
    return conversation


def _requested_by(conversation: Record, member: Member) -> bool:
    membership = member.membership
    return membership is not None and conversation.requester_id == membership["id"]
