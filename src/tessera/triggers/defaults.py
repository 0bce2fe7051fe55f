"""Tiledesk's system triggers (``pubmodules/trigger/default.js``), as data.

``SEEDED`` are copied into every new project (Tiledesk's ``start.js``); every code of
``DEFAULTS`` can be restored with ``PUT /modules/triggers/:code/reset``. The welcome texts
are label placeholders (``${LABEL_FIRST_MSG}``...) that the messages service replaces with
the project's label texts when it saves them.
"""

from typing import Any, Final

_REQUEST_CREATE = {
    "key": "request.create",
    "name": "Request create event",
    "description": "Standard request create event",
}
_EVENT_EMIT = {
    "key": "event.emit",
    "name": "Event emit event",
    "description": "Standard event emit event",
}


def _condition(key: str, path: str, operator: str, value: Any) -> dict[str, Any]:
    return {"key": key, "fact": "json", "path": path, "operator": operator, "value": value}


_NO_BOT = _condition("request.departmentHasBot", "department.hasBot", "equal", False)
_HAS_BOT = _condition("request.departmentHasBot", "department.hasBot", "equal", True)
_TEMP = _condition("request.statusRequestStatus", "status", "equal", 50)
_WELCOME = _condition("request.first_text", "first_text", "equal", "welcome")
_CALLOUT = _condition("request.first_text", "first_text", "equal", "callout")


def _open(is_open: bool) -> dict[str, Any]:
    return _condition("request.isOpen", "isOpen", "equal", is_open)


def _agents(operator: str) -> dict[str, Any]:
    return _condition(
        "request.snapshot.availableAgentsCount", "snapshot.availableAgentsCount", operator, 0
    )


def _send(text: str) -> list[dict[str, Any]]:
    return [{"key": "message.send", "parameters": {"text": text}}]


def _launch_bot() -> list[dict[str, Any]]:
    return [{"key": "request.department.bot.launch", "parameters": {"text": "/start"}}]


def _create_request(text: str) -> list[dict[str, Any]]:
    return [{"key": "request.create", "parameters": {"departmentid": "default", "text": text}}]


DEFAULTS: Final[dict[str, dict[str, Any]]] = {
    "s_new_conversation_01": {
        "name": "New Conversation",
        "description": "Create a temporary chat when new conversation button is pressed.",
        "trigger": _EVENT_EMIT,
        "conditions": {
            "all": [_condition("event.name", "name", "equal", "new_conversation")],
            "any": [],
        },
        "actions": _create_request("welcome:tdk_req_status_hidden"),
        "enabled": True,
        "type": "internal",
        "version": 1,
    },
    "s_online_welcome_01": {
        "name": "Online Welcome Greeting",
        "description": "Send a welcome message if there are online agents to the visitor "
        "that create a chat.",
        "trigger": _REQUEST_CREATE,
        "conditions": {
            "all": [_NO_BOT, _agents("greaterThan"), _open(True), _WELCOME, _TEMP],
            "any": [],
        },
        "actions": _send("${LABEL_FIRST_MSG}"),
        "enabled": True,
        "type": "internal",
        "version": 3,
    },
    "s_offline_welcome_01": {
        "name": "Offline Welcome Greeting",
        "description": "Send a welcome message if there aren't online agents to the visitor "
        "that create a chat.",
        "trigger": _REQUEST_CREATE,
        "conditions": {
            "all": [_NO_BOT, _agents("equal"), _TEMP, _open(True), _WELCOME],
            "any": [],
        },
        "actions": _send("${LABEL_FIRST_MSG_NO_AGENTS}"),
        "enabled": True,
        "type": "internal",
        "version": 3,
    },
    "s_closed_operating_hours_01": {
        "name": "Office Closed Notice",
        "description": "Send an office closed message if a visitor asks for support outside "
        "of the operating hours.",
        "trigger": _REQUEST_CREATE,
        "conditions": {"all": [_NO_BOT, _TEMP, _open(False), _WELCOME], "any": []},
        "actions": _send("${LABEL_FIRST_MSG_OPERATING_HOURS_CLOSED}"),
        "enabled": True,
        "type": "internal",
        "version": 2,
    },
    "s_invite_bot_01": {
        "name": "Invite Bot",
        "description": "Invite if available the department bot to the temporary chat and start it.",
        "trigger": _REQUEST_CREATE,
        "conditions": {"all": [_TEMP, _HAS_BOT, _WELCOME], "any": []},
        "actions": _launch_bot(),
        "enabled": True,
        "type": "internal",
        "version": 2,
    },
    "s_checkout_page_01": {
        "name": "Checkout Page",
        "description": "Reduce cart abandonment by engaging customer that are on the "
        "checkout page.",
        "trigger": _REQUEST_CREATE,
        "conditions": {
            "all": [
                _condition("request.sourcePageUrl", "sourcePage", "in", "/checkout.html"),
                _NO_BOT,
                _TEMP,
            ],
            "any": [],
        },
        "actions": _send("Hey, do you need help to complete the checkout?"),
        "enabled": False,
        "type": None,
        "version": 1,
    },
    "s_ticketing_taking_01": {
        "name": "Ticketing Taking",
        "description": "Send a taking message when a new ticket is created.",
        "trigger": _REQUEST_CREATE,
        "conditions": {
            "all": [_condition("request.channel.name", "channel.name", "equal", "email"), _NO_BOT],
            "any": [],
        },
        "actions": _send("${TICKET_TAKING}"),
        "enabled": True,
        "type": "internal",
        "version": 1,
    },
    "s_new_login_01": {
        "name": "New visitor login",
        "description": "Create a temporary chat when a new visitor signin.",
        "trigger": _EVENT_EMIT,
        "conditions": {
            "all": [
                _condition("event.name", "name", "equal", "auth_state_changed"),
                _condition("event.attributes.code", "attributes.event", "equal", 201),
            ],
            "any": [],
        },
        "actions": _create_request("callout:tdk_req_status_hidden"),
        "enabled": True,
        "type": "internal",
        "version": 1,
    },
    "s_invite_proactive_greeting_bot_01": {
        "name": "Invite Proactive Greeting Bot",
        "description": "Invite if available the department bot to proactively greet the "
        "temporary chat and start it.",
        "trigger": _REQUEST_CREATE,
        "conditions": {"all": [_TEMP, _HAS_BOT, _CALLOUT], "any": []},
        "actions": _launch_bot(),
        "enabled": True,
        "type": "internal",
        "version": 2,
    },
    "s_proactivegreeting_message_01": {
        "name": "Proactive Greeting",
        "description": "Send a proactive message when a new user signin.",
        "trigger": _REQUEST_CREATE,
        "conditions": {"all": [_NO_BOT, _CALLOUT, _TEMP], "any": []},
        "actions": _send("${WELLCOME_MSG}"),
        "enabled": True,
        "type": "internal",
        "version": 1,
    },
}

SEEDED: Final = (
    "s_new_conversation_01",
    "s_online_welcome_01",
    "s_offline_welcome_01",
    "s_closed_operating_hours_01",
    "s_invite_bot_01",
    "s_checkout_page_01",
    "s_ticketing_taking_01",
)
"""The system triggers a new project starts with (Tiledesk leaves the login and proactive
greeting ones out)."""

SYSTEM = "system"
