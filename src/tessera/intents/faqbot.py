"""The built-in FAQ bot: bots of type ``internal`` answer visitors in-process (fact sheet
§7.3), never through a webhook.

A subscriber of the event bus, so it runs once the visitor's message is committed, and
answers through the messages API's own service (the bot's messages are ordinary messages:
events, webhooks, realtime pushes, waiting time):

- a conversation created with the bot among its participants gets the answer of the bot's
  ``start`` intent (the welcome); so does a ``/start`` or ``\\start`` message. A hidden
  (TEMP) conversation is left to the widget's flow: the project's triggers start the bot
  with ``\\start`` (§14.1), so the welcome is not sent twice;
- a visitor's message gets the answer of the intent it matches: a button's action first,
  then the exact question, then the intent the bot's NLU names when the bot has a ``url``
  (``<url>/parse``, Tiledesk's external NLU), else the best full-text match (``engine``);
- nothing matches: the conversation goes to a human when its department has agents available
  now, else the bot answers its ``defaultFallback`` intent (or a built-in sentence);
- the answer is worded by ``replies``: ``\\agent`` hands over (the bot posts the ``\\agent``
  command, which the messages service acts on, §5.5.3), ``\\close`` closes the conversation
  after the text, media tags make image and frame messages; an intent with
  ``webhook_enabled`` asks the bot's ``webhook_url`` for its text (``hooks``).

A turn is planned in a read, then answered in a write. A turn that needs the NLU or a
webhook is answered in the background, so that the visitor's request never waits on them;
the turns of one conversation are answered in order.

Loop safety: messages from any bot (``bot_<id>`` or a bot's bare id), from ``system`` (but
``/start``) and commands are never answered; a bot without any intent stays silent (bots
created without a template, or driven by another engine through the API).
"""

import asyncio
import contextlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tessera.auth.principal import Caller, CallerKind, Member
from tessera.bots import repository as bots
from tessera.bots.calls import CallOptions
from tessera.bots.schemas import BotOut
from tessera.conversations import lifecycle
from tessera.conversations import repository as conversations
from tessera.conversations.models import CLOSED, TEMP
from tessera.core.db import Database, Record, Tx
from tessera.core.errors import AppError
from tessera.core.events import DomainEvent
from tessera.core.ids import is_object_id
from tessera.intents import engine, hooks, replies, repository, service
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
    welcome of a new conversation. ``message`` is the visitor's message as published."""

    project_id: str
    bot_id: str
    request_id: str
    text: str | None = None
    action: str | None = None
    sender: str | None = None
    message: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """How to answer a turn: ask the NLU first (``nlu``), or post ``reply``, unless the
    intent's webhook (``hook``) answers otherwise."""

    reply: replies.Reply | None = None
    nlu: hooks.Request | None = None
    hook: hooks.HookCall | None = None

    @property
    def calls_out(self) -> bool:
        return self.nlu is not None or self.hook is not None


class FaqBot:
    """The bus subscriber: each committed event a bot must react to becomes one answer."""

    def __init__(self, db: Database, calls: CallOptions | None = None) -> None:
        self.db = db
        self.calls = calls or CallOptions()
        self._lanes: dict[str, asyncio.Task[None]] = {}

    async def __call__(self, events: Sequence[DomainEvent]) -> None:
        for event in events:
            turn = turn_of(event)
            if turn is None:
                continue
            if turn.request_id in self._lanes:
                self._answer_later(turn, None)  # after the conversation's earlier turns
                continue
            try:
                # A read first: conversations of other bots never open a write transaction.
                plan = await self.db.read(plan_turn, turn, None)
                if plan is not None and plan.calls_out:
                    self._answer_later(turn, plan)
                elif plan is not None and plan.reply is not None:
                    await self.db.write(deliver, turn, plan.reply)
            except Exception:
                log.exception("the FAQ bot %s failed to answer in %s", turn.bot_id, turn.request_id)

    async def idle(self) -> None:
        """Wait for the answers in the background (tests, shutdown)."""
        while self._lanes:
            await asyncio.gather(*self._lanes.values(), return_exceptions=True)

    def _answer_later(self, turn: Turn, plan: Plan | None) -> None:
        previous = self._lanes.get(turn.request_id)
        task = asyncio.create_task(self._answer(turn, plan, previous))
        self._lanes[turn.request_id] = task
        task.add_done_callback(lambda done: self._release(turn.request_id, done))

    def _release(self, request_id: str, done: asyncio.Task[None]) -> None:
        if self._lanes.get(request_id) is done:
            del self._lanes[request_id]

    async def _answer(
        self, turn: Turn, plan: Plan | None, previous: asyncio.Task[None] | None
    ) -> None:
        if previous is not None:
            with contextlib.suppress(Exception):
                await previous
        try:
            reply = await self._reply(turn, plan)
            if reply is not None:
                await self.db.write(deliver, turn, reply)
        except Exception:
            log.exception("the FAQ bot %s failed to answer in %s", turn.bot_id, turn.request_id)

    async def _reply(self, turn: Turn, plan: Plan | None) -> replies.Reply | None:
        """The reply once the NLU and the intent's webhook, if any, have answered."""
        if plan is None:
            plan = await self.db.read(plan_turn, turn, None)
        if plan is not None and plan.nlu is not None:
            verdict = await hooks.ask_nlu(plan.nlu, self.calls)
            plan = await self.db.read(plan_turn, turn, verdict)
        if plan is None:
            return None
        if plan.hook is not None:
            return await hooks.answer_of(plan.hook, self.calls)
        return plan.reply


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
        message=message,
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


# ---------------------------------------------------------------- planning (a read)


@dataclass(frozen=True, slots=True)
class _Scene:
    """What a turn happens in, when the bot may answer there."""

    project: Record
    bot: Record
    conversation: Record


def _scene(tx: Tx, turn: Turn) -> _Scene | None:
    """The project, the bot and the conversation, if the bot is an internal bot out of the
    trash still taking part in the open conversation, and the turn is not a bot's."""
    project = projects.get_active(tx, turn.project_id)
    bot = bots.get(tx, turn.project_id, turn.bot_id)
    if project is None or bot is None or bot.type != INTERNAL or bot.trashed:
        return None
    if turn.sender is not None and _is_a_bot(tx, turn.project_id, turn.sender):
        return None
    conversation = conversations.get(tx, turn.project_id, turn.request_id)
    if (
        conversation is None
        or conversation.status == CLOSED
        or BOT_PREFIX + bot.id not in (conversation.participants or [])
    ):
        return None
    return _Scene(project, bot, conversation)


def _is_a_bot(tx: Tx, project_id: str, sender: str) -> bool:
    return is_object_id(sender) and bots.get(tx, project_id, sender) is not None


def plan_turn(tx: Tx, turn: Turn, verdict: hooks.NluVerdict | None) -> Plan | None:
    """How the bot answers ``turn``, None when it does not. A bot with a ``url`` that finds
    no button action nor exact question asks its NLU first (``verdict`` None: not asked
    yet); the NLU's intent is answered, an NLU that names none is no match, an NLU that
    cannot be reached leaves the matching to the engine."""
    scene = _scene(tx, turn)
    if scene is None or not repository.has_intents(tx, scene.bot.project_id, scene.bot.id):
        return None
    bot, lookup = scene.bot, _lookup(tx, scene.bot)
    if turn.text is None or turn.text.strip() in engine.START_TEXTS:
        start = lookup(engine.START, False)
        return _answering(bot, turn, start, lookup, engine.EXACT) if start else None
    chosen = _chosen(tx, bot, turn, lookup)
    if chosen is None and bot.url and verdict is None:
        return Plan(nlu=hooks.nlu_call(bot, turn.text))
    if chosen is None and verdict is not None and verdict.reached:
        chosen = _named(verdict, lookup)
    elif chosen is None:
        chosen = engine.best(service.ranked(tx, bot, turn.text))
    if chosen is not None:
        return _answering(bot, turn, chosen.intent, lookup, chosen.score)
    return _unmatched(tx, scene, turn, lookup)


def _lookup(tx: Tx, bot: Record) -> replies.IntentLookup:
    def lookup(key: str, by_intent_id: bool) -> Mapping[str, Any] | None:
        column = "intent_id" if by_intent_id else "intent_display_name"
        found = repository.find_by(tx, bot.project_id, bot.id, column, key)
        return found if found is not None and found.enabled else None

    return lookup


def _chosen(tx: Tx, bot: Record, turn: Turn, lookup: replies.IntentLookup) -> engine.Hit | None:
    """A button's action (``attributes.action``: an intent id or name, Tiledesk's
    ``tdAction``), else the intent whose question is exactly the text."""
    if turn.action is not None:
        key = turn.action.split("?", 1)[0]
        found = lookup(key, True) or lookup(key, False)
        if found is not None:
            return engine.Hit(found, engine.EXACT)
    exact = service.exact_questions(tx, bot, turn.text or "")
    return engine.Hit(exact[0], engine.EXACT) if exact else None


def _named(verdict: hooks.NluVerdict, lookup: replies.IntentLookup) -> engine.Hit | None:
    """The enabled intent the NLU named; its confidence is the NLU's own figure."""
    found = lookup(verdict.intent, False) if verdict.intent else None
    if found is None:
        return None
    confidence = verdict.confidence if verdict.confidence is not None else engine.EXACT
    return engine.Hit(found, confidence)


def _answering(
    bot: Record,
    turn: Turn,
    intent: Mapping[str, Any],
    lookup: replies.IntentLookup,
    confidence: float,
    *,
    fallback: bool = False,
) -> Plan:
    own = replies.reply_of(intent, lookup, confidence=confidence, fallback=fallback)
    hook = hooks.hook_call(bot, intent, turn.message, own, confidence=confidence, fallback=fallback)
    return Plan(reply=own, hook=hook)


def _unmatched(tx: Tx, scene: _Scene, turn: Turn, lookup: replies.IntentLookup) -> Plan:
    if _agents_available(tx, scene.project, scene.conversation):
        return Plan(reply=replies.Reply(None, hand_off=True))
    fallback = lookup(engine.FALLBACK, False)
    if fallback is not None:
        return _answering(scene.bot, turn, fallback, lookup, 0, fallback=True)
    info = {"intent_name": engine.FALLBACK, "is_fallback": True, "confidence": 0}
    return Plan(reply=replies.Reply(NOT_FOUND_TEXT, {"intent_info": info}))


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


# ---------------------------------------------------------------- answering (a write)


def deliver(tx: Tx, turn: Turn, reply: replies.Reply) -> None:
    """Post ``reply`` if the bot may still answer there (the conversation may have been
    closed or taken meanwhile): the text, then the conversation is closed (``\\close``) or
    handed over (``\\agent``)."""
    scene = _scene(tx, turn)
    if scene is None:
        return
    member = _as_member(scene.project, scene.bot)
    request_id = scene.conversation.request_id
    sender = BOT_PREFIX + scene.bot.id
    if reply.says_something:
        body = MessageCreate(
            text=reply.text,
            type=reply.type,
            metadata=reply.metadata,
            sender=sender,
            attributes=reply.attributes,
            language=reply.language or scene.bot.language,
        )
        messages.post_message(tx, member, request_id, body)
    if reply.close:
        # Tiledesk posts the command for its chat engine to act on; Tessera closes here.
        lifecycle.close_conversation(tx, member, request_id, force=False)
    elif reply.hand_off:
        command = MessageCreate(
            text=replies.AGENT_COMMAND, sender=sender, attributes={"subtype": "info"}
        )
        messages.post_message(tx, member, request_id, command)


def _as_member(project: Mapping[str, Any], bot: Record) -> Member:
    """The bot as the messages service sees a bot calling with its own token (§3.4)."""
    profile = BotOut.of(bot).wire()
    return Member(
        Caller(CallerKind.BOT, bot.id, profile, bot.project_id), project, None, None, None
    )
