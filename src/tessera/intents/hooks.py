"""What the FAQ bot asks outside the server (fact sheet §7.3; Tiledesk's ``faqBotHandler`` and
``faqBotSupport``): the bot's NLU (``<url>/parse``) which intent a text means, and an
intent's webhook (the bot's ``webhook_url``) what to answer.

Each request is prepared inside the unit of work that read the bot (``nlu_call``,
``hook_call``: what to send, signed) and sent after it (``ask_nlu``, ``answer_of``), through
``bots.calls`` (public addresses only unless allowed, a deadline, a size cap). A failure is
never an error for the visitor: the NLU's is the engine's own matching, the webhook's the
intent's own answer.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from tessera.bots import calls, token
from tessera.bots.schemas import BotOut
from tessera.core.db import Record
from tessera.intents import engine, replies
from tessera.intents.schemas import IntentOut

log = logging.getLogger("tessera.faqbot")

PARSE = "parse"


@dataclass(frozen=True, slots=True)
class Request:
    """A POST ready to go: where, what, and the headers that sign it."""

    url: str
    body: bytes
    headers: dict[str, str]


@dataclass(frozen=True, slots=True)
class NluVerdict:
    """What the NLU said: ``reached`` False when it gave no usable answer (the engine then
    matches by itself); else the intent it named, if any."""

    reached: bool
    intent: str | None = None
    confidence: float | None = None
    """The NLU's own figure, when it gives one (Rasa's 0-1 scale, for instance)."""


UNREACHED = NluVerdict(False)


def nlu_call(bot: Record, text: str) -> Request:
    """Tiledesk's ``/parse`` request: ``{text, language, id_project, id_faq_kb}``."""
    body = orjson.dumps(
        {"text": text, "language": bot.language, "id_project": bot.project_id, "id_faq_kb": bot.id}
    )
    return Request(
        calls.endpoint(str(bot.url), PARSE), body, calls.signed_headers(bot.secret, body)
    )


async def ask_nlu(request: Request, options: calls.CallOptions) -> NluVerdict:
    """The intent named by a 2xx JSON answer ``{"intent": {"name", "confidence"?}}``."""
    try:
        answer = await calls.post_json(request.url, request.body, options, headers=request.headers)
    except calls.CallFailed as error:
        log.warning("the NLU of a bot gave no answer: %s", error)
        return UNREACHED
    if not answer.ok or not isinstance(answer.body, dict):
        log.warning("the NLU at %s answered %s without JSON", request.url, answer.status)
        return UNREACHED
    intent = answer.body.get("intent")
    if not isinstance(intent, dict) or not isinstance(intent.get("name"), str):
        return NluVerdict(True)
    confidence = intent.get("confidence")
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        confidence = None
    return NluVerdict(True, intent["name"] or None, confidence)


@dataclass(frozen=True, slots=True)
class HookCall:
    """An intent webhook to call, and what the bot says when it does not answer well."""

    request: Request
    intent: Mapping[str, Any]
    confidence: float
    fallback: bool
    own: replies.Reply


def hook_call(
    bot: Record,
    intent: Mapping[str, Any],
    message: Mapping[str, Any] | None,
    own: replies.Reply,
    *,
    confidence: float,
    fallback: bool,
) -> HookCall | None:
    """The webhook call of an intent with ``webhook_enabled``, when its bot has a
    ``webhook_url``: ``{"payload": {text, bot, message, intent}, "token"}`` as Tiledesk
    posts it (``text``: the intent's answer as written; ``message``: the visitor's)."""
    if not intent["webhook_enabled"] or not bot.webhook_url:
        return None
    payload = {
        "text": engine.answer_text(intent),
        "bot": BotOut.of(bot).wire(),
        "message": dict(message) if message is not None else None,
        "intent": IntentOut.of(intent).wire(),
    }
    body = orjson.dumps({"payload": payload, "token": token.sign(bot)})
    request = Request(str(bot.webhook_url), body, calls.signed_headers(bot.secret, body))
    return HookCall(request, intent, confidence, fallback, own)


async def answer_of(call: HookCall, options: calls.CallOptions) -> replies.Reply:
    """The webhook's 2xx JSON answer with a ``text`` as the reply, else the intent's own."""
    request = call.request
    try:
        answer = await calls.post_json(request.url, request.body, options, headers=request.headers)
    except calls.CallFailed as error:
        log.warning("the webhook of an intent gave no answer: %s", error)
        return call.own
    body = answer.body
    if not answer.ok or not isinstance(body, dict) or not isinstance(body.get("text"), str):
        return call.own
    return replies.webhook_reply(
        body, call.intent, confidence=call.confidence, fallback=call.fallback
    )
