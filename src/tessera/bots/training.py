"""Training a bot's NLU (§5.13): ``POST /faq_kb/train`` posts the intents of an internal bot
to its own NLU (``<url>/trainandload``); ``POST /faq_kb/aitrain`` posts those of a
``tiledesk-ai`` bot to the operator's training service.

The bot is read in a unit of work of its own, the request is sent after it (no transaction
waits on the network).

Tessera deviations: the bot is looked up in the URL's project (Tiledesk by id alone); an
intent without a question is left out of ``/train`` (Tiledesk fails on it); an NLU that
cannot be reached is a 502 (Tiledesk answers 200 without ``httpResponse``) and a bot ``url``
the server may not reach a 400. ``/aitrain`` without a training service configured (Tiledesk
falls back to a fixed address of its own) answers the "not started" reason.
"""

from dataclasses import dataclass
from typing import Any

import orjson

from tessera.auth.principal import Member
from tessera.bots import calls, repository
from tessera.bots.schemas import AiTrainIn, TrainIn
from tessera.config import Settings
from tessera.core.db import Database, Record, Tx
from tessera.core.errors import AppError, BadRequest, NotFound
from tessera.core.ids import is_object_id
from tessera.intents import service as intents

INTERNAL = "internal"
TILEDESK_AI = "tiledesk-ai"
MAX_INTENTS = 10_000
NOT_TRAINABLE = "you can train a standard internal bot or an external bot."
NOTHING_TO_TRAIN = "no faq to  train on external bot."  # sic, two spaces (Tiledesk's text)
NOT_STARTED = "Trained not started"  # sic
ONLY_TILEDESK_AI = "Training available for intentsEngine equal to tiledesk-ai only"
NO_TRAINING_SERVICE = "No training service is configured (CHATBOT_TRAINING_API_URL)"


class BadGateway(AppError):
    """The bot's NLU did not answer."""

    status_code = 502


@dataclass(frozen=True, slots=True)
class Trainer:
    """Where ``/aitrain`` sends the intents, and where the service reports back."""

    url: str | None = None
    token: str | None = None
    api_url: str = "http://localhost:3000"
    timeout_seconds: float = 10.0

    @classmethod
    def from_settings(cls, settings: Settings) -> "Trainer":
        return cls(
            url=settings.chatbot_training_api_url,
            token=settings.training_bot_jwt_token,
            api_url=settings.api_url,
            timeout_seconds=settings.webhook_timeout_seconds,
        )


# ---------------------------------------------------------------- /train


async def train(
    db: Database, member: Member, body: TrainIn, options: calls.CallOptions
) -> dict[str, Any]:
    """``{"train": {language, nlu: [{intent, examples}]}, "httpResponse": <the NLU's
    answer>}``: the bot's intents, one example per line of their question, posted to
    ``<url>/trainandload``. The NLU's answer is passed on whatever its status, as Tiledesk
    does."""
    bot, document = await db.read(_training_set, member, body.id_faq_kb)
    payload = orjson.dumps(document)
    headers = calls.signed_headers(bot.secret, payload)
    try:
        answer = await calls.post_json(
            calls.endpoint(bot.url, "trainandload"), payload, options, headers=headers
        )
    except calls.TargetNotAllowed as error:
        raise BadRequest(f"The chatbot url may not be called: {error}") from None
    except calls.CallFailed as error:
        raise BadGateway(f"The chatbot NLU did not answer: {error}") from None
    return {"train": document, "httpResponse": answer.body}


def _training_set(tx: Tx, member: Member, bot_id: str | None) -> tuple[Record, dict[str, Any]]:
    bot = intents.bot_of_project(tx, member.project_id, bot_id)
    if bot.type != INTERNAL or not bot.url:
        raise BadRequest(NOT_TRAINABLE)
    rows = intents.intents_of_bot(tx, member.project_id, bot.id)[:MAX_INTENTS]
    nlu = [
        {"intent": row.intent_display_name, "examples": row.question.split("\n")}
        for row in rows
        if row.question
    ]
    if not nlu:
        raise BadRequest(NOTHING_TO_TRAIN)
    return bot, {"language": bot.language, "nlu": nlu}


# ---------------------------------------------------------------- /aitrain


async def ai_train(
    db: Database, member: Member, body: AiTrainIn, trainer: Trainer
) -> dict[str, Any]:
    """``tiledesk-ai`` bots only: their enabled intents with a question go to the training
    service, which calls ``/:pid/bots/:id/training`` back when ``webhook_enabled`` is true;
    with ``webhook_enabled`` false the answer carries the service's (``queue_message``).
    Other bots, and no service configured, get a 200 with the ``reason`` nothing started."""
    bot, document = await db.read(_ai_training_set, member, body, trainer.api_url)
    if bot.intents_engine != TILEDESK_AI:
        return {"success": True, "message": NOT_STARTED, "reason": ONLY_TILEDESK_AI}
    if not trainer.url:
        return {"success": True, "message": NOT_STARTED, "reason": NO_TRAINING_SERVICE}
    options = calls.CallOptions(allow_private=True, timeout_seconds=trainer.timeout_seconds)
    headers = {"Authorization": trainer.token} if trainer.token else {}
    payload = orjson.dumps(document)
    try:
        answer = await calls.post_json(trainer.url, payload, options, headers=headers)
    except calls.CallFailed as error:
        return {"success": False, "message": NOT_STARTED, "error": str(error)}
    if not answer.ok:
        failed = f"the training service answered {answer.status}"
        return {"success": False, "message": NOT_STARTED, "error": failed}
    started: dict[str, Any] = {"succes": True, "message": "Training started"}  # sic
    if body.webhook_enabled is False:
        started["queue_message"] = answer.body
    return started


def _ai_training_set(
    tx: Tx, member: Member, body: AiTrainIn, api_url: str
) -> tuple[Record, dict[str, Any]]:
    bot = _chatbot(tx, member, body.id_faq_kb)
    rows = intents.intents_of_bot(tx, member.project_id, bot.id)
    document: dict[str, Any] = {
        "configuration": {"language": bot.language, "pipeline": ["lstm"]},
        "model": bot.id,
        "nlu": [
            {"intent": row.intent_display_name, "examples": row.question.split("\n")}
            for row in rows
            if row.enabled and row.question
        ],
    }
    if body.webhook_enabled is True:
        callback = f"/{member.project_id}/bots/{bot.id}/training"
        document["webhook_url"] = api_url.rstrip("/") + callback
    return bot, document


def _chatbot(tx: Tx, member: Member, bot_id: str | None) -> Record:
    """The project's bot, else Tiledesk's 404 of ``/aitrain`` (``sucess``, sic)."""
    bot = repository.get(tx, member.project_id, bot_id) if bot_id and is_object_id(bot_id) else None
    if bot is None:
        raise NotFound("Chatbot not found", key="error", success=None, sucess=False)
    return bot
