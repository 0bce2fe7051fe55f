"""What a trigger's actions do (Tiledesk's ``rulesTrigger.js``), each as a unit of work
through the services the REST routes use, so that every action has the same rules, events
and webhooks as its route.

Actions act as ``_trigger`` (Tiledesk's ``closed_by`` for trigger closes): a caller without
a membership, like a subscription. Only ``request.create`` acts as the visitor whose custom
event fired the trigger, since the conversation is theirs.
"""

import logging
from collections.abc import Callable, Mapping
from typing import Any

from tessera.auth.principal import Caller, CallerKind, Member, Role
from tessera.context import Context
from tessera.conversations import assignment, editing, lifecycle
from tessera.conversations import repository as conversations
from tessera.conversations import service as conversation_service
from tessera.conversations.schemas import EmailSendIn, RouteIn, TagIn
from tessera.core.db import Record, Tx
from tessera.core.events import DomainEvent
from tessera.core.schemas import JsonObject
from tessera.messages import service as messages
from tessera.messages.schemas import MessageCreate
from tessera.project_users import repository as memberships
from tessera.projects import repository as projects

log = logging.getLogger("tessera.triggers")

ACTOR = "_trigger"
_INFO_SUFFIX = ":tdk_msg_subtype_info"
_HIDDEN_SUFFIX = ":tdk_req_status_hidden"
_TEMP = 50
_BOT_START: JsonObject = {"subtype": "info", "updateconversation": False}
_REQUEST_EVENTS = frozenset({"request.create", "request.participants.join"})
_MESSAGE_EVENTS = frozenset({"message.create.from.requester", "message.received"})


class Skipped(Exception):
    """The action cannot apply to this event (logged, never an error)."""


def run(tx: Tx, ctx: Context, event: DomainEvent, action: Mapping[str, Any]) -> None:
    """Run one action of a trigger that ``event`` fired."""
    assert event.project_id is not None
    project = projects.get_active(tx, event.project_id)
    if project is None:
        raise Skipped("the project is gone")
    handler = _HANDLERS.get(str(action.get("key")))
    if handler is None:
        raise Skipped(f"action {action.get('key')!r} is not supported")
    parameters = action.get("parameters")
    handler(tx, ctx, _Target(project, event), parameters if isinstance(parameters, dict) else {})


class _Target:
    """The project and event an action applies to, and the conversation it names."""

    def __init__(self, project: Record, event: DomainEvent) -> None:
        self.project = project
        self.event = event
        self.member = Member(
            Caller(CallerKind.SUBSCRIPTION, ACTOR, {"_id": ACTOR}, project.id),
            project,
            None,
            None,
            None,
        )

    @property
    def request_id(self) -> str:
        """The conversation of a request or message event (custom events have none)."""
        payload = self.event.payload
        found: Any = None
        if self.event.name == "request.create":
            found = payload.get("request_id")
        elif self.event.name == "request.participants.join":
            found = (payload.get("request") or {}).get("request_id")
        elif self.event.name in _MESSAGE_EVENTS:
            found = payload.get("recipient")
        if not isinstance(found, str) or not found:
            raise Skipped(f"no conversation in a {self.event.name} event")
        return found

    def conversation(self, tx: Tx) -> Record:
        found = conversations.get(tx, self.project.id, self.request_id)
        if found is None:
            raise Skipped("the conversation is gone")
        return found


def _text(parameters: Mapping[str, Any], default: str | None = None) -> str:
    text = parameters.get("text", default)
    if not isinstance(text, str) or not text.strip():
        raise Skipped("no text")
    return text


def _name(parameters: Mapping[str, Any], key: str) -> str:
    value = parameters.get(key)
    if not isinstance(value, str) or not value:
        raise Skipped(f"no {key}")
    return value


# ---------------------------------------------------------------- messages


def _send_message(tx: Tx, _ctx: Context, target: _Target, parameters: Mapping[str, Any]) -> None:
    """``message.send``: ``text`` from ``sender`` (default ``system``) named ``fullName``
    (default ``BOT``), marked for the label template processor; a text ending in
    ``:tdk_msg_subtype_info`` is an info message."""
    text = _text(parameters)
    attributes: JsonObject = {"templateProcessor": True}
    if text.endswith(_INFO_SUFFIX):
        attributes["subtype"] = "info"
        text = text.removesuffix(_INFO_SUFFIX)
    conversation = target.conversation(tx)
    body = MessageCreate(
        text=text,
        sender=str(parameters.get("sender") or "system"),
        senderFullname=str(parameters.get("fullName") or "BOT"),
        attributes=attributes,
    )
    messages.post_message(tx, target.member, conversation.request_id, body)


def _send_email(tx: Tx, ctx: Context, target: _Target, parameters: Mapping[str, Any]) -> None:
    """``email.send``: ``text`` to the conversation's contact, subject ``subject`` (default
    ``New Email``), as ``POST /:rid/email/send`` does."""
    body = EmailSendIn(text=_text(parameters), subject=parameters.get("subject") or "New Email")
    editing.email_contact(tx, target.member, target.request_id, body, ctx)


# ---------------------------------------------------------------- conversation state


def _close(tx: Tx, _ctx: Context, target: _Target, _parameters: Mapping[str, Any]) -> None:
    lifecycle.close_conversation(tx, target.member, target.request_id, force=False)


def _reopen(tx: Tx, _ctx: Context, target: _Target, _parameters: Mapping[str, Any]) -> None:
    lifecycle.reopen_conversation(tx, target.member, target.request_id)


def _update_status(tx: Tx, _ctx: Context, target: _Target, parameters: Mapping[str, Any]) -> None:
    """``request.status.update``: the status ``status`` (an integer), nothing else changes,
    as Tiledesk's ``changeStatusByRequestId``."""
    status = parameters.get("status")
    if isinstance(status, str) and status.lstrip("-").isdigit():
        status = int(status)
    if not isinstance(status, int) or isinstance(status, bool) or abs(status) >= 2**31:
        raise Skipped("no integer status")
    conversation = conversations.get_for_update(tx, target.project.id, target.request_id)
    if conversation is None:
        raise Skipped("the conversation is gone")
    if conversation.status == status:
        return
    updated = conversations.update_fields(tx, conversation.id, {"status": status})
    conversation_service.recount_assigned(tx, target.project.id, updated.participants_agents)
    payload = conversation_service.present(tx, target.project, updated)
    tx.emit("request.update", target.project.id, payload)


def _add_tag(tx: Tx, _ctx: Context, target: _Target, parameters: Mapping[str, Any]) -> None:
    editing.add_tags(tx, target.member, target.request_id, [TagIn(tag=_name(parameters, "tag"))])


# ---------------------------------------------------------------- routing and participants


def _route(tx: Tx, _ctx: Context, target: _Target, parameters: Mapping[str, Any]) -> None:
    """``request.department.route``: as ``PUT /departments`` with ``departmentid``."""
    department = parameters.get("departmentid")
    body = RouteIn(departmentid=department if isinstance(department, str) else None)
    assignment.change_department(tx, target.member, target.request_id, body)


def _route_self(tx: Tx, _ctx: Context, target: _Target, _parameters: Mapping[str, Any]) -> None:
    """``request.department.route.self``: routed again in its own department."""
    _reroute(tx, target)


def _reroute(tx: Tx, target: _Target) -> Record:
    conversations.lock_routing(tx, target.project.id)
    conversation = conversations.get_for_update(tx, target.project.id, target.request_id)
    if conversation is None:
        raise Skipped("the conversation is gone")
    return assignment.reroute_by_rules(tx, target.member, conversation)


def _join(tx: Tx, _ctx: Context, target: _Target, parameters: Mapping[str, Any]) -> None:
    assignment.add_participant(tx, target.member, target.request_id, _name(parameters, "member"))


def _leave(tx: Tx, _ctx: Context, target: _Target, parameters: Mapping[str, Any]) -> None:
    assignment.remove_participant(tx, target.member, target.request_id, _name(parameters, "member"))


def _launch_bot(tx: Tx, _ctx: Context, target: _Target, parameters: Mapping[str, Any]) -> None:
    """``request.bot.launch``: the bot ``member`` (``bot_<id>``) joins and is started with
    ``\\start`` (Tiledesk's fixed text)."""
    assignment.add_participant(tx, target.member, target.request_id, _name(parameters, "member"))
    conversation = target.conversation(tx)
    messages.post_system_message(tx, target.project, conversation, "\\start", dict(_BOT_START))


def _launch_department_bot(
    tx: Tx, _ctx: Context, target: _Target, parameters: Mapping[str, Any]
) -> None:
    """``request.department.bot.launch``: routed again in its department (its bot joins),
    then started with ``text`` (default ``\\start``)."""
    text = _text(parameters, "\\start")
    routed = _reroute(tx, target)
    messages.post_system_message(tx, target.project, routed, text, dict(_BOT_START))


# ---------------------------------------------------------------- new conversations


def _create_request(tx: Tx, _ctx: Context, target: _Target, parameters: Mapping[str, Any]) -> None:
    """``request.create`` (custom events only): a conversation requested by the member who
    emitted the event, whose first message is ``text``. ``text`` ending in
    ``:tdk_req_status_hidden`` makes it a hidden preflight conversation (status 50), in
    ``:tdk_msg_subtype_info`` an info message. The event's ``attributes`` may name the
    ``request_id``, ``department``, ``text``, ``fullname``, ``email``, ``language``,
    ``subtype`` and the conversation's ``attributes``; Tessera ignores their ``id_user``,
    ``participants`` and ``status`` (a visitor chooses neither who speaks nor who answers)."""
    if target.event.name != "event.emit":
        raise Skipped("request.create applies to custom events only")
    visitor = _emitter(tx, target)
    settings = {**parameters, **_overrides(target.event.payload.get("attributes"))}
    text = _text(settings)
    status, preflight = settings.get("status"), settings.get("preflight")
    subtype = settings.get("subtype")
    if _INFO_SUFFIX in text:
        subtype, text = "info", text.replace(_INFO_SUFFIX, "")
    if _HIDDEN_SUFFIX in text:
        status, preflight, text = _TEMP, True, text.replace(_HIDDEN_SUFFIX, "")
    attributes = dict(settings.get("attributes") or {})
    if subtype:
        attributes["subtype"] = subtype
    if target.event.payload.get("user"):
        attributes["decoded_jwt"] = target.event.payload["user"]
    request_id = settings.get("request_id")
    body = MessageCreate(
        text=text,
        type=str(settings.get("type") or "text"),
        senderFullname=_optional(settings.get("fullname")),
        email=_optional(settings.get("email")),
        language=_optional(settings.get("language")),
        departmentid=_optional(settings.get("departmentid")),
        userAgent=_optional(attributes.get("client")),
        sourcePage=_optional(attributes.get("sourcePage")),
        attributes=attributes,
        request_status=status if isinstance(status, int) else None,
        preflight=preflight if isinstance(preflight, bool) else None,
    )
    if not isinstance(request_id, str) or not request_id:
        request_id = conversation_service.new_request_id(target.project.id)
    messages.post_message(tx, visitor, request_id, body)


def _overrides(attributes: Any) -> dict[str, Any]:
    if not isinstance(attributes, dict):
        return {}
    names = {"request_id", "fullname", "email", "language", "text", "subtype", "attributes"}
    found = {key: value for key, value in attributes.items() if key in names and value}
    if attributes.get("department"):
        found["departmentid"] = attributes["department"]
    if not isinstance(found.get("attributes"), dict):
        found.pop("attributes", None)
    return found


def _optional(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _emitter(tx: Tx, target: _Target) -> Member:
    """The member who emitted the custom event, as a caller."""
    emitted_by = target.event.payload.get("project_user")
    membership_id = emitted_by.get("_id") if isinstance(emitted_by, dict) else None
    membership = (
        memberships.get(tx, target.project.id, membership_id)
        if isinstance(membership_id, str)
        else None
    )
    if membership is None or membership.status != "active":
        raise Skipped("the event has no active member")
    if membership.user_id:
        kind, person = CallerKind.USER, membership.user_id
    else:
        kind = CallerKind.GUEST if membership.role == Role.GUEST else CallerKind.EXTERNAL
        person = membership.uuid_user
    profile = target.event.payload.get("user")
    caller = Caller(kind, person, profile if isinstance(profile, dict) else {}, target.project.id)
    role = Role.parse(membership.role) or Role.AGENT
    return Member(caller, target.project, membership, role, membership.role)


Handler = Callable[[Tx, Context, _Target, Mapping[str, Any]], None]

_HANDLERS: dict[str, Handler] = {
    "message.send": _send_message,
    "email.send": _send_email,
    "request.create": _create_request,
    "request.close": _close,
    "request.reopen": _reopen,
    "request.status.update": _update_status,
    "request.department.route": _route,
    "request.department.route.self": _route_self,
    "request.department.bot.launch": _launch_department_bot,
    "request.bot.launch": _launch_bot,
    "request.participants.join": _join,
    "request.participants.leave": _leave,
    "request.tags.add": _add_tag,
}
"""``bot.calling`` (a call to the embedded chatbot engine, which Tessera does not have) is
accepted in triggers but skipped."""
