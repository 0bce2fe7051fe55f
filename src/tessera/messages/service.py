"""Message use cases (§5.5): post (creating the conversation on the fly), post several, read,
export; direct messages (``/:pid/messages``)."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tessera.auth.principal import END_USERS, CallerKind, Member, Role
from tessera.conversations import assignment
from tessera.conversations import repository as conversations
from tessera.conversations import service as conversation_service
from tessera.conversations.models import TEMP
from tessera.conversations.schemas import RequestCreate, unpopulated
from tessera.core.db import Record, Tx
from tessera.core.errors import InvalidInput, InvalidInputMessages, NotFound, PermissionDenied
from tessera.core.ids import is_object_id
from tessera.core.pagination import PageParams
from tessera.core.schemas import JsonObject
from tessera.labels import service as labels
from tessera.leads import repository as leads
from tessera.messages import repository
from tessera.messages.models import RECEIVED, SENDING
from tessera.messages.schemas import DirectMessageCreate, MessageCreate, MessageOut
from tessera.project_users import repository as memberships
from tessera.users import repository as users

_NOT_FOUND = "Object not found."
_NO_REQUEST = "Request doesn't exist."
_NOT_YOURS = "Unauthorized. Only agents, bots and subscriptions may send as another sender."
_PENDING, _OPEN = "pending", "open"
# first_text of a conversation whose first real message is a picture or a frame (§5.4.4).
_MEDIA_FIRST_TEXT = {"image": "Image", "frame": "Frame"}
_AGENT_COMMAND = "\\agent"


@dataclass(frozen=True, slots=True)
class _Speaker:
    """Who a message is from: ``id`` becomes its ``sender``; ``fullname`` is the default of
    ``senderFullname``."""

    id: str
    fullname: str | None


@dataclass(slots=True)
class _Effects:
    """What a message changed in its conversation besides ``last_message``; each change has
    its own events."""

    waiting_time: bool = False
    left_preflight: bool = False
    left_pending: bool = False

    @property
    def changed(self) -> bool:
        return self.waiting_time or self.left_preflight or self.left_pending


# --- conversation messages (/:pid/requests/:rid/messages) -----------------------------------


def post_message(tx: Tx, member: Member, request_id: str, body: MessageCreate) -> dict[str, Any]:
    """Save a message; an unknown ``request_id`` first becomes a conversation with this text
    as ``first_text`` (§5.5.1). Answers the message with its populated ``request``."""
    _require_text(body)
    speaker = _speaker(tx, member, body.sender)
    conversation = _locked(tx, member.project_id, request_id, routes=_asks_for_agent(body.text))
    created = conversation is None
    if conversation is None:
        conversation = conversation_service.create_conversation(
            tx, member, _as_request(request_id, body)
        )
    else:
        _check_requester(member, conversation, _NOT_FOUND)
    answer, _conversation = _post(tx, member, conversation, body, speaker, created=created)
    return answer


def post_messages(
    tx: Tx, member: Member, request_id: str, bodies: list[MessageCreate]
) -> list[dict[str, Any]]:
    """``POST .../messages/multi``: the messages saved one after the other in an existing
    conversation, each exactly as a single post; one invalid message saves none of them."""
    routes = any(_asks_for_agent(body.text) for body in bodies)
    conversation = _locked(tx, member.project_id, request_id, routes=routes)
    if conversation is None:
        raise NotFound(_NO_REQUEST)
    _check_requester(member, conversation, _NO_REQUEST)
    for body in bodies:
        _require_text(body)
    saved = []
    for body in bodies:
        speaker = _speaker(tx, member, body.sender)
        answer, conversation = _post(tx, member, conversation, body, speaker, created=False)
        saved.append({key: value for key, value in answer.items() if key != "request"})
    return saved


def list_messages(tx: Tx, member: Member, request_id: str) -> list[Record]:
    """Every message of the conversation, oldest first (no pagination, §5.5.1)."""
    _check_readable(tx, member, request_id)
    return repository.of_conversation(tx, member.project_id, request_id)


def get_message(tx: Tx, member: Member, request_id: str, message_id: str) -> Record:
    """A message of the conversation in the URL (Tessera: Tiledesk looks it up by id alone)."""
    _check_readable(tx, member, request_id)
    message = (
        repository.get(tx, member.project_id, message_id) if is_object_id(message_id) else None
    )
    if message is None or message.recipient != request_id:
        raise NotFound(_NOT_FOUND)
    return message


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
            "text": _labelled(tx, conversation, text),
            "channel": {"name": "chat21"},
            "attributes": attributes,
            "status": SENDING,
            "created_by": "system",
        },
    )
    answer = MessageOut.of(message).wire()
    answer["request"] = conversation_service.present(tx, project, conversation)
    _emit_message_events(tx, conversation.project_id, answer, requester=None)
    return answer


def _require_text(body: MessageCreate) -> None:
    """A text message needs a text (§5.5.1). Tiledesk checks it only when the message creates
    the conversation and saves an empty message otherwise; Tessera refuses both."""
    if body.type == "text" and not (body.text and body.text.strip()):
        raise InvalidInputMessages("text field is required")


def _locked(tx: Tx, project_id: str, request_id: str, *, routes: bool) -> Record | None:
    """The conversation, locked until commit: a message rewrites its ``attributes``
    (``last_message``) and must not lose a concurrent change. A preflight conversation may
    be routed by the message, and a message asking for an agent (``routes``) routes it, so
    then the project's routing lock is taken first, in the order the routing routes take
    them."""
    found = conversations.get(tx, project_id, request_id)
    if found is None:
        return None
    if found.preflight or routes:
        conversations.lock_routing(tx, project_id)
    return conversations.locked(tx, found)


def _speaker(tx: Tx, member: Member, sender: str | None) -> _Speaker:
    """Who the message is from. Naming another ``sender`` is reserved to agents, bots and
    subscriptions (Tessera; Tiledesk lets any member post as anyone). Agents must name an
    active member of the project (a user id, else a guest or end-user id), whose name is then
    the default ``senderFullname``; bots and subscriptions may also speak as ``system``. A
    bot's own name is its ``name`` (§7.3), also when it writes as ``bot_<id>``."""
    caller = member.caller
    own_name = (
        caller.profile.get("name") if caller.kind is CallerKind.BOT else caller.fullname
    ) or None
    if not sender or sender == caller.id:
        return _Speaker(caller.id, own_name)
    if member.role is not None and not member.has_role(Role.AGENT):
        raise PermissionDenied(_NOT_YOURS)
    key = "user_id" if is_object_id(sender) else "uuid_user"
    found = memberships.find_active(tx, member.project_id, key, sender)
    if found is None and member.role is not None:
        raise PermissionDenied(f"Unauthorized. Project_user not found with user id  : {sender}")
    return _Speaker(sender, _fullname_of(tx, member.project_id, found) if found else own_name)


def _fullname_of(tx: Tx, project_id: str, membership: Record) -> str | None:
    """A teammate's name is on its account; a guest's or end user's on its lead."""
    if membership.user_id:
        user = users.get_active(tx, membership.user_id)
        name = f"{user.firstname or ''} {user.lastname or ''}".strip() if user else ""
        return name or None
    lead = leads.find_by_lead_id(tx, project_id, membership.uuid_user)
    return lead.fullname if lead is not None else None


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


def _check_requester(member: Member, conversation: Record, missing: str) -> None:
    """Guests and end users reach only the conversations they requested (Tessera); any other
    answers ``missing``, as if it did not exist."""
    if member.caller.kind in END_USERS and conversation.requester_id != (
        member.membership["id"] if member.membership else None
    ):
        raise NotFound(missing)


def _check_readable(tx: Tx, member: Member, request_id: str) -> None:
    """Members read the messages of any conversation of the project (and the direct messages
    addressed to ``request_id``); guests and end users only those of their own."""
    conversation = conversations.get(tx, member.project_id, request_id)
    if conversation is not None:
        _check_requester(member, conversation, _NOT_FOUND)
    elif member.caller.kind in END_USERS:
        raise NotFound(_NOT_FOUND)


def _check_form_agent(member: Member, conversation: Record, speaker: _Speaker) -> None:
    """Conversations of the ``form`` channel (tickets) take messages only from their agent,
    unless the caller names the sender, as channel integrations do (§5.5.1)."""
    if (conversation.channel or {}).get("name") != "form" or speaker.id != member.caller.id:
        return
    agents = conversation.participants_agents
    if not (agents and agents[0] == member.caller.id):
        raise PermissionDenied(
            "Error creating message", key="message", err="You don't belong the conversation"
        )


def _post(
    tx: Tx,
    member: Member,
    conversation: Record,
    body: MessageCreate,
    speaker: _Speaker,
    *,
    created: bool,
) -> tuple[dict[str, Any], Record]:
    """Save one message in ``conversation``, apply what it changes there, emit the events;
    the message with its populated request, and the conversation as it is now."""
    if not created:
        _check_form_agent(member, conversation, speaker)
    values = _message_values(member, conversation, body, speaker)
    if values["text"]:
        values["text"] = _labelled(tx, conversation, values["text"])
    message = repository.add(tx, values)
    requester = _requester_id(tx, conversation)
    updated, effects = _apply(tx, member, conversation, message, requester, created)
    answer = MessageOut.of(message).wire()
    answer["request"] = conversation_service.present(tx, member.project, updated)
    _emit_message_events(tx, member.project_id, answer, requester)
    _emit_request_events(tx, member.project_id, answer["request"], effects)
    if _asks_for_agent(message.text):
        assignment.hand_to_agent(tx, member, updated.request_id, by=assignment.AGENT_ASKED)
        handed = conversations.get_by_pk(tx, member.project_id, updated.id)
        assert handed is not None  # locked by this transaction
        updated = handed
    return answer, updated


def _labelled(tx: Tx, conversation: Record, text: str) -> str:
    return labels.fill_placeholder(tx, conversation.project_id, conversation.language, text)


def _asks_for_agent(text: str | None) -> bool:
    """A message containing ``\\agent`` hands its conversation over to a human (§5.5.3;
    Tiledesk's message actions): routed again in its department without bots, as by ``PUT
    /agent``, and never forwarded to a bot (§7.3). Tiledesk acts once the chat engine has
    received the message; Tessera, which has no chat engine, as the message is saved. The
    answer shows the conversation as the message found it, as in Tiledesk."""
    return text is not None and _AGENT_COMMAND in text


def _message_values(
    member: Member, conversation: Record, body: MessageCreate, speaker: _Speaker
) -> dict[str, Any]:
    return {
        "project_id": member.project_id,
        "recipient": conversation.request_id,
        "sender": speaker.id,
        "sender_fullname": body.senderFullname or speaker.fullname or "Guest",
        "type": body.type,
        "channel_type": "group",
        "text": body.text,
        "language": body.language,
        "channel": body.channel or {"name": "chat21"},
        "attributes": body.attributes,
        "metadata": body.metadata,
        "status": body.status or SENDING,
        "created_by": member.caller.id,
    }


def _requester_id(tx: Tx, conversation: Record) -> str | None:
    """The ``lead_id`` of the conversation's lead: the id its requester writes as."""
    lead = (
        leads.get(tx, conversation.project_id, conversation.lead_id)
        if conversation.lead_id
        else None
    )
    return lead.lead_id if lead is not None else None


def _apply(
    tx: Tx,
    member: Member,
    conversation: Record,
    message: Record,
    requester: str | None,
    created: bool,
) -> tuple[Record, _Effects]:
    """What a message does to its conversation (§5.5.1, §5.4.4, §8.2): it becomes its
    ``last_message``; the first reply of a participant sets the waiting time; the requester's
    message opens a ``pending`` conversation and ends preflight (the conversation's
    ``first_text`` becomes this message, and a TEMP conversation without bot is routed).

    The message that created the conversation is only its ``last_message``: in a preflight
    conversation it is the placeholder (Tiledesk tells it apart by comparing texts)."""
    values: dict[str, Any] = {
        "attributes": {
            **(conversation.attributes or {}),
            "last_message": MessageOut.of(message).wire(),
        }
    }
    effects = _Effects()
    if not created:
        effects = _effects_of(conversation, message, requester)
        values.update(_changed_fields(tx, conversation, message, effects))
    updated = conversations.update_fields(tx, conversation.id, values)
    if effects.left_preflight and updated.status == TEMP and not updated.has_bot:
        updated = assignment.reroute_by_rules(tx, member, updated)
    if effects.left_pending:  # pending conversations may not count among an agent's chats
        conversation_service.recount_assigned(tx, member.project_id, updated.participants_agents)
    return updated, effects


def _effects_of(conversation: Record, message: Record, requester: str | None) -> _Effects:
    from_requester = requester is not None and message.sender == requester
    return _Effects(
        waiting_time=(
            message.sender in conversation.participants and conversation.waiting_time is None
        ),
        left_preflight=from_requester and bool(conversation.preflight),
        left_pending=from_requester and conversation.working_status == _PENDING,
    )


def _changed_fields(
    tx: Tx, conversation: Record, message: Record, effects: _Effects
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if effects.waiting_time:
        values["waiting_time"] = tx.now - conversation.created_at
        values["first_response_at"] = tx.now
    if effects.left_preflight:
        values["preflight"] = False
        values["first_text"] = _first_text(message)
    if effects.left_pending:
        values["working_status"] = _OPEN
    return values


def _first_text(message: Record) -> str:
    """Media messages are named by their kind (§5.4.4). Other kinds without text (a file) are
    too: Tiledesk refuses the empty first_text and leaves the conversation in preflight."""
    return str(_MEDIA_FIRST_TEXT.get(message.type) or message.text or message.type.title())


def _emit_message_events(
    tx: Tx, project_id: str, answer: dict[str, Any], requester: str | None
) -> None:
    """§8.1: ``message.create`` always; ``.first`` when the text is the conversation's
    ``first_text`` (a later message with the same text counts too, as in Tiledesk);
    ``.from.requester`` when its lead wrote it; ``message.sending``/``message.received`` by
    status."""
    tx.emit("message.create", project_id, answer)
    request = answer.get("request")
    if request is not None and answer.get("text") == request.get("first_text"):
        tx.emit("message.create.first", project_id, answer)
    if requester is not None and answer["sender"] == requester:
        tx.emit("message.create.from.requester", project_id, answer)
    if answer["status"] == SENDING:
        tx.emit("message.sending", project_id, answer)
    elif answer["status"] == RECEIVED:
        tx.emit("message.received", project_id, answer)


def _emit_request_events(
    tx: Tx, project_id: str, request: dict[str, Any], effects: _Effects
) -> None:
    """The request events of what the message changed (§5.4.3, §8.1), all carrying the
    conversation as it is after the message (``conversation``, presented as ``request``)."""
    if not effects.changed:
        return
    tx.emit("request.update", project_id, request)
    if effects.left_preflight:
        patch = {"first_text": request["first_text"], "preflight": False}
        tx.emit(
            "request.updated",
            project_id,
            {"comment": "FIRSTTEXT_PREFLIGHT_CHANGE", "request": request, "patch": patch},
        )
    if effects.left_pending:
        tx.emit("request.workingStatus.update", project_id, {"request": request})


# --- direct messages (/:pid/messages) ---------------------------------------------------------


def post_direct_message(tx: Tx, member: Member, body: DirectMessageCreate) -> dict[str, Any]:
    """``POST /:pid/messages`` (§5.5.2): a message to anyone (a user, ``bot_<id>``, a
    conversation), always SENDING, ``channel_type`` ``direct`` by default; the saved message
    is the answer. It drives no conversation: the events only carry the conversation its
    recipient names, if any."""
    recipient = _checked_recipient(body)
    speaker = _speaker(tx, member, body.sender)
    message = repository.add(
        tx,
        {
            "project_id": member.project_id,
            "recipient": recipient,
            "recipient_fullname": body.recipientFullname,
            "sender": speaker.id,
            "sender_fullname": body.senderFullname or speaker.fullname or "Guest",
            "type": body.type,
            "channel_type": body.channel_type or "direct",
            "text": body.text,
            "language": body.language,
            "channel": body.channel or {"name": "chat21"},
            "attributes": body.attributes,
            "metadata": body.metadata,
            "status": SENDING,
            "created_by": member.caller.id,
        },
    )
    answer = MessageOut.of(message).wire()
    conversation = conversations.get(tx, member.project_id, recipient)
    event = dict(answer)
    requester = None
    if conversation is not None:
        event["request"] = conversation_service.present(tx, member.project, conversation)
        requester = _requester_id(tx, conversation)
    _emit_message_events(tx, member.project_id, event, requester)
    return answer


def _checked_recipient(body: DirectMessageCreate) -> str:
    """express-validator's checks of ``POST /:pid/messages``, every failing field reported;
    the recipient once they pass."""
    errors = [
        _invalid(name, "Invalid value", value, "required")
        for name, value in (
            ("recipient", body.recipient),
            ("recipientFullname", body.recipientFullname),
        )
        if not value
    ]
    if body.type == "text" and not body.text:
        errors.append(
            _invalid(
                "text",
                'Text field is required for messages with type "text"',
                body.text,
                "required when type is text",
            )
        )
    if errors or not body.recipient:
        raise InvalidInput(errors)
    return body.recipient


def _invalid(param: str, msg: str, value: str | None, reason: str) -> dict[str, Any]:
    entry: dict[str, Any] = {} if value is None else {"value": value}
    return {**entry, "msg": msg, "param": param, "location": "body", "reason": reason}


def latest_messages(
    tx: Tx, member: Member, page: PageParams, *, populate_request: bool
) -> list[dict[str, Any]]:
    """``GET /:pid/messages`` (owner): the project's messages newest first; with
    ``populate_request`` each carries the conversation it belongs to (unpopulated, ``null``
    for direct messages)."""
    rows = repository.latest_of_project(tx, member.project_id, offset=page.offset, limit=page.limit)
    answers = [MessageOut.of(row).wire() for row in rows]
    if populate_request:
        found = repository.conversations_by_request_id(
            tx, member.project_id, {row.recipient for row in rows}
        )
        for answer, row in zip(answers, rows, strict=True):
            conversation = found.get(row.recipient)
            answer["request"] = unpopulated(conversation) if conversation is not None else None
    return answers


def export_batch(
    tx: Tx, member: Member, *, after: tuple[int, str] | None, size: int
) -> list[Record]:
    """One batch of ``GET /:pid/messages/csv``: the project's messages oldest first."""
    return repository.batch_of_project(tx, member.project_id, after=after, size=size)
