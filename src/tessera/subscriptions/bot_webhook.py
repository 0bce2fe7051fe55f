"""The external bot webhook (fact sheet §7.3, §5.5.3): which messages a bot receives, where
they are posted and what the POST carries. Pure functions: the outbox records these
deliveries next to the subscriptions' ones, and the dispatcher sends and retries them the
same way.
"""

from collections.abc import Mapping
from typing import Any

import orjson

from tessera.bots import token
from tessera.bots.schemas import BotOut
from tessera.core.db import Record
from tessera.core.ids import is_object_id
from tessera.subscriptions import delivery

USER_AGENT = "tiledesk-bot"
BOT_PREFIX = "bot_"
INTERNAL = "internal"
TILEBOT = "tilebot"

_SYSTEM = "system"
_START_TEXTS = frozenset({"\\start", "/start"})
_COMMANDS = ("\\agent", "\\close")
_DRAFT_MARK = "td_draft=true"


def addressee(message: Mapping[str, Any]) -> str | None:
    """The id of the bot a ``message.create`` payload goes to, or None.

    The bot is the message's recipient when that is ``bot_<id>`` (a direct message), else
    the conversation's participant ``bot_<id>`` (the last one, as in Tiledesk). Nothing goes
    to a bot for: messages of ``system`` other than the ``/start`` and ``\\start`` that
    launch it; texts containing ``\\agent`` or ``\\close``, which the server acts on itself;
    and the bot's own messages, under either form of its id (they would loop).
    """
    text = message.get("text")
    text = text if isinstance(text, str) else ""
    sender = message.get("sender")
    if sender == _SYSTEM and text not in _START_TEXTS:
        return None
    if any(command in text for command in _COMMANDS):
        return None
    bot_id = _bot_of(message)
    if bot_id is None or sender in (bot_id, BOT_PREFIX + bot_id):
        return None
    return bot_id


def _bot_of(message: Mapping[str, Any]) -> str | None:
    recipient = message.get("recipient")
    if isinstance(recipient, str) and recipient.startswith(BOT_PREFIX):
        named = recipient.removeprefix(BOT_PREFIX)
    else:
        request = message.get("request")
        participants = request.get("participants") if isinstance(request, Mapping) else None
        bots = [
            participant.removeprefix(BOT_PREFIX)
            for participant in participants or []
            if isinstance(participant, str) and participant.startswith(BOT_PREFIX)
        ]
        named = bots[-1] if bots else ""
    return named if is_object_id(named) else None


def is_posted_to(bot: Record) -> bool:
    """Bots of any type but ``internal`` are posted to, when they have a ``url``."""
    # Internal bots are answered by the built-in FAQ engine (issue 5), never by a webhook.
    return bot.type != INTERNAL and bool(bot.url)


def payload(message: Mapping[str, Any]) -> dict[str, Any]:
    """What the bot receives: the message with its populated request, the request's
    ``snapshot`` removed (§7.3)."""
    request = message.get("request")
    if not isinstance(request, Mapping):
        return dict(message)
    return {**message, "request": {k: v for k, v in request.items() if k != "snapshot"}}


def url(bot: Record, message: Mapping[str, Any]) -> str:
    """``bot.url``. A tilebot draft tried from the dashboard (``td_draft=true`` in the
    conversation's source page) is answered by that draft: the url's last path segment
    becomes the bot's id (§7.3)."""
    target = str(bot.url)
    if bot.type == TILEBOT and _is_draft(message):
        return target[: target.rfind("/") + 1] + str(bot.id)
    return target


def _is_draft(message: Mapping[str, Any]) -> bool:
    """Tiledesk reads the page from ``request.attributes.sourcePage`` (the widget's copy);
    Tessera also looks at the conversation's own ``sourcePage``."""
    request = message.get("request")
    if not isinstance(request, Mapping):
        return False
    attributes = request.get("attributes")
    pages = (
        request.get("sourcePage"),
        attributes.get("sourcePage") if isinstance(attributes, Mapping) else None,
    )
    return any(isinstance(page, str) and _DRAFT_MARK in page for page in pages)


def hook_document(bot: Record) -> dict[str, Any]:
    """``hook``: the bot document, its secret included (§7.3: the bot verifies with it)."""
    return {**BotOut.of(bot).wire(), "secret": bot.secret}


def signed_request(
    delivery_id: str,
    event_time_ms: int,
    message: Mapping[str, Any],
    bot: Record,
    *,
    now_ms: int,
    origin: str,
) -> delivery.SignedRequest:
    """Tiledesk's envelope and headers for a bot (no ``x-hook-secret``, ``User-Agent:
    tiledesk-bot``), with a fresh bot token, plus Tessera's delivery id, timestamp and
    signature keyed with the bot's secret. ``timestamp`` is when the message was written,
    the same on every retry."""
    body = orjson.dumps(
        {
            "timestamp": event_time_ms,
            "payload": message,
            "hook": hook_document(bot),
            "token": token.sign(bot),
        }
    )
    timestamp = now_ms // 1000
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Origin": origin,
        delivery.DELIVERY_HEADER: delivery_id,
        delivery.TIMESTAMP_HEADER: str(timestamp),
        delivery.SIGNATURE_HEADER: delivery.signature(bot.secret, timestamp, body),
    }
    return delivery.SignedRequest(body, headers)
