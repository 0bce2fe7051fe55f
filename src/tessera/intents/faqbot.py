"""The built-in FAQ bot: bots of type ``internal`` answer visitors in-process (fact sheet
§7.3), never through a webhook.

A subscriber of the event bus, so it runs once the visitor's message is committed, and
answers in a unit of work of its own, through the messages API's own service (the bot's
messages are ordinary messages: events, webhooks, realtime pushes, waiting time):

- a conversation created with the bot among its participants gets the answer of the bot's
  ``start`` intent (the welcome); so does a ``/start`` or ``\\start`` message. A hidden
  (TEMP) conversation is left to the widget's flow: the project's triggers start the bot
  with ``\\start`` (§14.1), so the welcome is not sent twice;
- a visitor's message gets the answer of the intent it matches (``engine``): a button's
  action first, then the exact question, then the best full-text match;
- nothing matches: the conversation goes to a human when its department has agents available
  now, else the bot answers its ``defaultFallback`` intent (or a built-in sentence);
- an answer containing ``\\agent`` (or an ``agent`` action) hands over: the bot posts the
  ``\\agent`` command, which the messages service acts on (routing without bots, §5.5.3).

Loop safety: messages from any bot (``bot_<id>`` or a bot's bare id), from ``system`` (but
``/start``) and commands are never answered; a bot without any intent stays silent (bots
created without a template, or driven by another engine through the API).
"""

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tessera.auth.principal import Caller, CallerKind, Member
from tessera.bots import repository as bots
from tessera.bots.schemas import BotOut
from tessera.conversations import repository as conversations
from tessera.conversations.models import CLOSED, TEMP
from tessera.core.db import Database, Record, Tx
from tessera.core.errors import AppError
from tessera.core.events import DomainEvent
from tessera.core.ids import is_object_id
from tessera.intents import engine, repository, service
from tessera.messages import service as messages
from tessera.messages.schemas import MessageCreate
from tessera.projects import repository as projects
from tessera.projects import service as project_service
from tessera.subscriptions import bot_webhook

log = logging.getLogger("tessera.faqbot")

BOT_PREFIX = "bot_"
INTERNAL = "internal"
NOT_FOUND_TEXT = "I did not find an answer in the knowledge base.\nPlease rephrase your question."
"""What a bot without a ``defaultFallback`` intent says when nothing matches (Tiledesk's
``DEFAULT_NOTFOUND_NOBOT_SENTENCE_REPLY_MESSAGE``, in our words)."""


@dataclass(frozen=True, slots=True)
class Turn:
    """Something the bot should react to: a message (``text``), or ``text`` None for the
    welcome of a new conversation."""

    project_id: str
    bot_id: str
    request_id: str
    text: str | None = None
    action: str | None = None
    sender: str | None = None


class FaqBot:
    """The bus subscriber: each committed event a bot must react to becomes one write."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def __call__(self, events: Sequence[DomainEvent]) -> None:
        for event in events:
            turn = turn_of(event)
            if turn is None:
                continue
            try:
                # A read first: conversations of other bots never open a write transaction.
                if await self.db.read(is_answering, turn):
                    await self.db.write(take_turn, turn)
            except Exception:
                log.exception("the FAQ bot %s failed to answer in %s", turn.bot_id, turn.request_id)


def turn_of(event: DomainEvent) -> Turn | None:
    """The turn an event asks for, decided on its payload alone (no query for the events of
    conversations without bots)."""
    if event.project_id is None:
        return None
    if event.name == "message.create":
        return _message_turn(event.project_id, event.payload)
    if event.name == "request.create":
        return _welcome_turn(event.project_id, event.payload)
    return None


def _message_turn(project_id: str, message: Mapping[str, Any]) -> Turn | None:
    request = message.get("request")
    if message.get("channel_type") != "group" or not isinstance(request, Mapping):
        return None
    if request.get("status") == CLOSED:
        return None
    bot_id = bot_webhook.addressee(message)
    sender = message.get("sender")
    if bot_id is None or (isinstance(sender, str) and sender.startswith(BOT_PREFIX)):
        return None
    attributes = message.get("attributes")
    action = attributes.get("action") if isinstance(attributes, Mapping) else None
    text = message.get("text")
    return Turn(
        project_id,
        bot_id,
        str(message["recipient"]),
        text=text if isinstance(text, str) else "",
        action=action if isinstance(action, str) and action else None,
        sender=sender if isinstance(sender, str) else None,
    )


def _welcome_turn(project_id: str, request: Mapping[str, Any]) -> Turn | None:
    participants = request.get("participants") or []
    bots_in = [
        participant.removeprefix(BOT_PREFIX)
        for participant in participants
        if isinstance(participant, str) and participant.startswith(BOT_PREFIX)
    ]
    if not bots_in or request.get("status") in (CLOSED, TEMP) or not is_object_id(bots_in[-1]):
        return None
    return Turn(project_id, bots_in[-1], str(request["request_id"]))


# ---------------------------------------------------------------- the write


def is_answering(tx: Tx, turn: Turn) -> bool:
    """The turn's bot is an internal bot out of the trash, with intents."""
    bot = bots.get(tx, turn.project_id, turn.bot_id)
    return (
        bot is not None
        and bot.type == INTERNAL
        and not bot.trashed
        and repository.has_intents(tx, bot.project_id, bot.id)
    )


def take_turn(tx: Tx, turn: Turn) -> None:
    """React to ``turn`` if the bot is an internal bot still in the open conversation."""
    project = projects.get_active(tx, turn.project_id)
    bot = bots.get(tx, turn.project_id, turn.bot_id)
    if project is None or bot is None or bot.type != INTERNAL or bot.trashed:
        return
    if turn.sender is not None and _is_a_bot(tx, turn.project_id, turn.sender):
        return
    conversation = conversations.get(tx, turn.project_id, turn.request_id)
    if (
        conversation is None
        or conversation.status == CLOSED
        or BOT_PREFIX + bot.id not in (conversation.participants or [])
    ):
        return
    reply = _reply(tx, project, bot, conversation, turn)
    if reply is not None:
        _post(tx, _as_member(project, bot), conversation.request_id, bot, reply)


def _is_a_bot(tx: Tx, project_id: str, sender: str) -> bool:
    return is_object_id(sender) and bots.get(tx, project_id, sender) is not None


def _reply(
    tx: Tx, project: Mapping[str, Any], bot: Record, conversation: Record, turn: Turn
) -> engine.Reply | None:
    lookup = _lookup(tx, bot)
    if turn.text is None or turn.text.strip() in engine.START_TEXTS:
        start = lookup(engine.START, False)
        return engine.reply_of(start, lookup, confidence=engine.EXACT) if start else None
    if not repository.has_intents(tx, bot.project_id, bot.id):
        return None
    chosen = _chosen(tx, bot, turn, lookup)
    if chosen is not None:
        return engine.reply_of(chosen.intent, lookup, confidence=chosen.score)
    if _agents_available(tx, project, conversation):
        return engine.Reply(None, hand_off=True)
    fallback = lookup(engine.FALLBACK, False)
    if fallback is not None:
        return engine.reply_of(fallback, lookup, confidence=0, fallback=True)
    info = {"intent_name": engine.FALLBACK, "is_fallback": True, "confidence": 0}
    return engine.Reply(NOT_FOUND_TEXT, {"intent_info": info})


def _lookup(tx: Tx, bot: Record) -> engine.IntentLookup:
    def lookup(key: str, by_intent_id: bool) -> Mapping[str, Any] | None:
        column = "intent_id" if by_intent_id else "intent_display_name"
        found = repository.find_by(tx, bot.project_id, bot.id, column, key)
        return found if found is not None and found.enabled else None

    return lookup


def _chosen(tx: Tx, bot: Record, turn: Turn, lookup: engine.IntentLookup) -> engine.Hit | None:
    """A button's action (``attributes.action``: an intent id or name, Tiledesk's
    ``tdAction``), else the exact question, else the best ranked match."""
    if turn.action is not None:
        key = turn.action.split("?", 1)[0]
        found = lookup(key, True) or lookup(key, False)
        if found is not None:
            return engine.Hit(found, engine.EXACT)
    text = turn.text or ""
    exact = service.exact_questions(tx, bot, text)
    if exact:
        return engine.Hit(exact[0], engine.EXACT)
    return engine.best(service.ranked(tx, bot, text))


def _agents_available(tx: Tx, project: Mapping[str, Any], conversation: Record) -> bool:
    """Someone could take the conversation now in its department (the default one when it
    has none, or it was deleted)."""
    department_id = conversation.department_id
    try:
        found = project_service.available_agents(
            tx, project, raw=False, department_id=department_id
        )
    except AppError:
        found = project_service.available_agents(tx, project, raw=False, department_id=None)
    return bool(found)


def _as_member(project: Mapping[str, Any], bot: Record) -> Member:
    """The bot as the messages service sees a bot calling with its own token (§3.4)."""
    profile = BotOut.of(bot).wire()
    return Member(
        Caller(CallerKind.BOT, bot.id, profile, bot.project_id), project, None, None, None
    )


def _post(tx: Tx, member: Member, request_id: str, bot: Record, reply: engine.Reply) -> None:
    sender = BOT_PREFIX + bot.id
    if reply.text:
        messages.post_message(
            tx,
            member,
            request_id,
            MessageCreate(
                text=reply.text, sender=sender, attributes=reply.attributes, language=bot.language
            ),
        )
    if reply.hand_off:
        messages.post_message(
            tx,
            member,
            request_id,
            MessageCreate(text=engine.AGENT_COMMAND, sender=sender, attributes={"subtype": "info"}),
        )
