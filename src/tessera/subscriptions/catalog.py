"""Which domain events a subscription can receive, under which names (fact sheet §5.15).

The catalogue is Tiledesk's list of subscribable events. Names with a variable suffix
(``message.create.request.channel.<name>``, ``event.emit.<name>``) are derived here from
the domain event and its payload, so the services emit each event once.
"""

from collections.abc import Mapping
from typing import Any

from tessera.core.events import DomainEvent

OPERATOR_SELECT = "operator.select"

EVENTS = frozenset(
    {
        "request.create",
        "request.update",
        "request.close",
        "message.create",
        "lead.create",
        "project_user.invite",
        "project_user.update",
        "project_user.update.agent",
        "project_user.delete",
        "user.signup",
        "faqbot.create",
        "faqbot.update",
        "faqbot.delete",
        "faq.create",
        "faq.update",
        "faq.delete",
        "department.create",
        "department.update",
        "department.delete",
        "group.create",
        "group.update",
        "group.delete",
        "event.emit",
        "project.create",
        "project.update",
        "project.downgrade",
        "project.delete",
        OPERATOR_SELECT,
    }
)
"""Exact names. ``user.signup`` is accepted but, as in Tiledesk, only global subscriptions
received it, and Tessera has none (a project's webhook never learns about other accounts).
``operator.select`` is not an event: routing calls it synchronously (§7.2)."""

_CHANNEL_PREFIXES = (
    "message.create.request.channel.",
    "message.create.request.channelOutbound.",
    "message.create.channel.",
)
_CUSTOM_EVENT_PREFIX = "event.emit."
PREFIXES = (*_CHANNEL_PREFIXES, _CUSTOM_EVENT_PREFIX)


def is_subscribable(name: str) -> bool:
    """A name a subscription may listen to: an exact name or a prefix plus a suffix."""
    if name in EVENTS:
        return True
    return any(name.startswith(prefix) and len(name) > len(prefix) for prefix in PREFIXES)


def is_deliverable(name: str) -> bool:
    """Domain events that can produce deliveries (a cheap test run on every write)."""
    return name in EVENTS and name != OPERATOR_SELECT


def webhook_names(event: DomainEvent) -> list[str]:
    """The subscription names ``event`` is delivered under: its own name, plus Tiledesk's
    channel variants of ``message.create`` (§5.15) and ``event.emit.<name>`` (§5.17)."""
    names = [event.name]
    if event.name == "message.create":
        names += _channel_names(event.payload)
    elif event.name == "event.emit":
        custom = event.payload.get("name")
        if isinstance(custom, str) and custom:
            names.append(_CUSTOM_EVENT_PREFIX + custom)
    return names


def _channel_names(message: Mapping[str, Any]) -> list[str]:
    request = message.get("request")
    request = request if isinstance(request, Mapping) else {}
    sources = (request.get("channel"), request.get("channelOutbound"), message.get("channel"))
    names = []
    for prefix, channel in zip(_CHANNEL_PREFIXES, sources, strict=True):
        name = channel.get("name") if isinstance(channel, Mapping) else None
        if isinstance(name, str) and name:
            names.append(prefix + name)
    return names
