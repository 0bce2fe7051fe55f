"""The intents a new ``internal`` or ``tilebot`` bot starts with, by ``template`` (§5.13):
``empty`` (the default: none), ``blank`` (a flow: welcome and fallback), ``handoff`` (a
welcome, a way to a human, a fallback) and ``example`` (a small FAQ to try the engine with).
Tiledesk's own templates are its texts; these are Tessera's, with the same intent names
(``start``, ``defaultFallback``, ``agent_handoff``) and the same reply syntax (``*`` buttons,
``tdAction:``, ``\\agent``). An unknown template gives no intents, as in Tiledesk."""

from collections.abc import Callable

from tessera.core.ids import new_uuid
from tessera.intents.schemas import IntentCreate
from tessera.intents.service import reply_action

AGENT_QUESTION = "I want to talk to a person"
_FALLBACK = (
    "Sorry, I have no answer to that yet. Ask me in other words, or talk to a person.\n"
    f"* {AGENT_QUESTION}"
)


def _intent(name: str | None, question: str, answer: str, topic: str) -> IntentCreate:
    return IntentCreate(
        intent_display_name=name, question=question or None, answer=answer, topic=topic
    )


def _empty() -> list[IntentCreate]:
    return []


def _blank() -> list[IntentCreate]:
    welcome_id = new_uuid()
    return [
        IntentCreate(
            intent_display_name="defaultFallback",
            actions=[reply_action("I did not understand. Could you say it another way?")],
            attributes={"position": {"x": 700, "y": 520}},
        ),
        IntentCreate(
            intent_display_name="start",
            actions=[{"_tdActionType": "intent", "intentName": f"#{welcome_id}"}],
            attributes={"position": {"x": 170, "y": 380}},
        ),
        IntentCreate(
            intent_display_name="welcome",
            intent_id=welcome_id,
            actions=[reply_action("Hello! How can I help you?")],
            attributes={"position": {"x": 700, "y": 110}},
        ),
    ]


def _handoff() -> list[IntentCreate]:
    return [
        _intent("start", "", f"Hello! How can I help you?\n* {AGENT_QUESTION}", "internal"),
        _intent(
            "agent_handoff", AGENT_QUESTION, "Let me find someone for you. \\agent", "internal"
        ),
        _intent("defaultFallback", "", _FALLBACK, "internal"),
    ]


def _example() -> list[IntentCreate]:
    return [
        _intent(
            "start",
            "\\start",
            "Hello, I am a bot. Pick a question below or write your own.\n"
            "* Who are you?\n* What are your opening hours?\n"
            f"* {AGENT_QUESTION}",
            "internal",
        ),
        _intent(
            "agent_handoff", AGENT_QUESTION, "Let me find someone for you. \\agent", "internal"
        ),
        _intent("defaultFallback", "", _FALLBACK, "internal"),
        _intent(None, "Hi\nHello", "Hello! What can I do for you?", "greetings"),
        _intent(
            None,
            "Who are you?",
            "I am a bot answering frequent questions.\n* Back to start tdAction:start",
            "greetings",
        ),
        _intent(
            None,
            "What are your opening hours?",
            "We answer from 9:00 to 18:00, Monday to Friday.\n* Back to start tdAction:start",
            "sample",
        ),
    ]


TEMPLATES: dict[str, Callable[[], list[IntentCreate]]] = {
    "empty": _empty,
    "blank": _blank,
    "handoff": _handoff,
    "example": _example,
}

WITH_TEMPLATES = frozenset({"internal", "tilebot"})
"""Bot types that get template intents."""


def intents_of(template: str | None) -> list[IntentCreate]:
    """The intents of ``template`` (default ``empty``)."""
    return TEMPLATES.get(template or "empty", _empty)()
