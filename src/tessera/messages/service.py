"""Message use cases (§5.5): post (creating the conversation on the fly), read."""

from collections.abc import Mapping
from typing import Any

from tessera.auth.principal import END_USERS, Member
from tessera.conversations import repository as conversations
from tessera.conversations import service as conversation_service
from tessera.conversations.schemas import RequestCreate
from tessera.core.db import Record, Tx
from tessera.core.errors import InvalidInput, NotFound
from tessera.core.ids import is_object_id
from tessera.core.schemas import JsonObject
from tessera.messages import repository
from tessera.messages.models import SENDING
from tessera.messages.schemas import MessageCreate, MessageOut

_NOT_FOUND = "Object not found."


def post_message(tx: Tx, member: Member, request_id: str, body: MessageCreate) -> dict[str, Any]:
    """Save a message; an unknown ``request_id`` first becomes a conversation with this text
    as ``first_text`` (§5.5.1). Answers the message with its populated ``request``."""
    text = body.text
    if body.type == "text" and not (text and text.strip()):
        raise InvalidInput([{"msg": "text field is required", "param": "text", "location": "body"}])
    conversation = conversations.get(tx, member.project_id, request_id)
    if conversation is None:
        conversation = conversation_service.create_conversation(
            tx, member, _as_request(request_id, body)
        )
    else:
        _check_requester(member, conversation)
    sender = body.sender or member.caller.id
    message = repository.add(
        tx,
        {
            "project_id": member.project_id,
            "recipient": request_id,
            "sender": sender,
            "sender_fullname": body.senderFullname or member.caller.fullname or "Guest",
            "type": body.type,
            "channel_type": "group",
            "text": text,
            "language": body.language,
            "channel": body.channel or {"name": "chat21"},
            "attributes": body.attributes,
            "metadata": body.metadata,
            "status": body.status,
            "created_by": member.caller.id,
        },
    )
    conversation = _after_message(tx, conversation, message)
    answer = MessageOut.of(message).wire()
    answer["request"] = conversation_service.present(tx, member.project, conversation)
    tx.emit("message.create", member.project_id, answer)
    return answer


def post_system_message(
    tx: Tx, project: Mapping[str, Any], conversation: Record, text: str, attributes: JsonObject
) -> dict[str, Any]:
    """A message the server itself writes into a conversation (fact sheet §8.4): sender
    ``system``, named ``Bot``, status SENDING like every REST-created message."""
    message = repository.add(
        tx,
        {
            "project_id": conversation.project_id,
            "recipient": conversation.request_id,
            "sender": "system",
            "sender_fullname": "Bot",
            "type": "text",
            "channel_type": "group",
            "text": text,
            "channel": {"name": "chat21"},
            "attributes": attributes,
            "status": SENDING,
            "created_by": "system",
        },
    )
    answer = MessageOut.of(message).wire()
    answer["request"] = conversation_service.present(tx, project, conversation)
    tx.emit("message.create", conversation.project_id, answer)
    return answer


def _as_request(request_id: str, body: MessageCreate) -> RequestCreate:
    return RequestCreate(
        request_id=request_id,
        first_text=body.text or body.type.title(),
        sender=body.sender,
        senderFullname=body.senderFullname,
        email=body.email,
        departmentid=body.departmentid,
        sourcePage=body.sourcePage,
        language=body.language,
        userAgent=body.userAgent,
        attributes=body.attributes,
        subject=body.subject,
        channel=body.channel,
        location=body.location,
        participants=body.participants,
        priority=body.priority,
        followers=body.followers,
        request_status=body.request_status,
        preflight=body.preflight,
    )


def _check_requester(member: Member, conversation: Record) -> None:
    """Guests and end users write only in the conversations they requested (Tessera)."""
    if member.caller.kind in END_USERS and conversation.requester_id != (
        member.membership["id"] if member.membership else None
    ):
        raise NotFound(_NOT_FOUND)


def _after_message(tx: Tx, conversation: Record, message: Record) -> Record:
    """``attributes.last_message``, and the first reply of a participant sets
    ``waiting_time`` and ``first_response_at`` (§5.5.1)."""
    values: dict[str, Any] = {
        "attributes": {
            **(conversation.attributes or {}),
            "last_message": MessageOut.of(message).wire(),
        }
    }
    if message.sender in conversation.participants and conversation.waiting_time is None:
        values["waiting_time"] = tx.now - conversation.created_at
        values["first_response_at"] = tx.now
    return conversations.update_fields(tx, conversation.id, values)


def list_messages(tx: Tx, member: Member, request_id: str) -> list[Record]:
    conversation = conversations.get(tx, member.project_id, request_id)
    if conversation is not None:
        _check_requester(member, conversation)
    return repository.of_conversation(tx, member.project_id, request_id)


def get_message(tx: Tx, member: Member, request_id: str, message_id: str) -> Record:
    message = (
        repository.get(tx, member.project_id, message_id) if is_object_id(message_id) else None
    )
    if message is None or message.recipient != request_id:
        raise NotFound(_NOT_FOUND)
    return message
