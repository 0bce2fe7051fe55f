"""How the built-in FAQ engine picks and words an answer (fact sheet §7.3, bots of type
``internal``). Pure functions over intent rows, so that both databases give the same answer:
the database only finds the candidates (the search index, the same words on both), the
ranking happens here.

Ranking: the visitor's words against each line of an intent's question (lines are
alternative phrasings) and against its answer, as Dice coefficients (twice the shared words
over the sum of the sizes), weighted 4 to 1, on a 0-100 scale; 100 when a question line has
exactly the visitor's words. Ties go to the oldest intent. Below ``THRESHOLD`` the engine
considers that nothing matched (Tiledesk answers the best ``$text`` hit, however weak, which
makes "no match" impossible to act on).
"""

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tessera.search.text import words

EXACT = 100.0
THRESHOLD = 20.0
"""The least score the engine answers with."""

START = "start"
FALLBACK = "defaultFallback"
SPECIAL = frozenset({START, FALLBACK})
"""Intents the engine reaches by name only: the welcome and the answer of last resort."""

AGENT_COMMAND = "\\agent"
START_TEXTS = frozenset({"\\start", "/start"})

_QUESTION_WEIGHT = 0.8
_ANSWER_WEIGHT = 0.2
_BUTTON = re.compile(r"^\*\s*(?P<label>.+?)\s*$")
_ACTION = re.compile(r"\s*tdAction:(?P<action>\S+)\s*$")
_MAX_HOPS = 5


IntentLookup = Callable[[str, bool], Mapping[str, Any] | None]
"""Finds one of the bot's intents: ``lookup(key, by_intent_id)``, by ``intent_id`` when
``by_intent_id`` else by ``intent_display_name``."""


@dataclass(frozen=True, slots=True)
class Hit:
    intent: Mapping[str, Any]
    score: float


def rank(text: str, candidates: Iterable[Mapping[str, Any]]) -> list[Hit]:
    """``candidates`` that share a word with ``text``, best first (special intents left out)."""
    asked = words(text)
    wanted = set(asked)
    if not wanted:
        return []
    hits = [
        Hit(intent, _score(asked, wanted, intent))
        for intent in candidates
        if intent["intent_display_name"] not in SPECIAL
    ]
    found = [hit for hit in hits if hit.score > 0]
    return sorted(found, key=lambda hit: (-hit.score, hit.intent["created_at"], hit.intent["id"]))


def best(hits: Sequence[Hit]) -> Hit | None:
    """The hit the engine answers with: the first one, when it scores at least THRESHOLD."""
    return hits[0] if hits and hits[0].score >= THRESHOLD else None


def _score(asked: list[str], wanted: set[str], intent: Mapping[str, Any]) -> float:
    lines = [words(line) for line in (intent["question"] or "").splitlines()]
    if any(line == asked for line in lines):
        return EXACT
    question = max((_dice(wanted, set(line)) for line in lines), default=0.0)
    answer = _dice(wanted, set(words(answer_text(intent))))
    return round(100 * (_QUESTION_WEIGHT * question + _ANSWER_WEIGHT * answer), 2)


def _dice(first: set[str], second: set[str]) -> float:
    if not first or not second:
        return 0.0
    return 2 * len(first & second) / (len(first) + len(second))


def answer_text(intent: Mapping[str, Any]) -> str:
    """What an intent says: its ``answer``, else the texts of its ``reply`` actions (intents
    made with the flow designer keep their text there)."""
    if intent["answer"]:
        return str(intent["answer"])
    return "\n".join(
        str(action["text"])
        for action in intent["actions"] or []
        if isinstance(action, dict)
        and action.get("_tdActionType") == "reply"
        and isinstance(action.get("text"), str)
    )


# ---------------------------------------------------------------- wording the answer


@dataclass(frozen=True, slots=True)
class Reply:
    """What the bot posts: a text message (None: nothing to say), then, when ``hand_off``, the
    ``\\agent`` command that routes the conversation to a human."""

    text: str | None
    attributes: dict[str, Any] = field(default_factory=dict)
    hand_off: bool = False


def reply_of(
    intent: Mapping[str, Any],
    lookup: IntentLookup,
    *,
    confidence: float,
    fallback: bool = False,
) -> Reply:
    """The reply an intent makes. ``\\agent`` in the text, or an ``agent`` action, hands the
    conversation over; an ``intent`` action (``intentName`` ``#<intent_id>`` or a name)
    continues with that intent, a few hops at most; lines starting with ``*`` are buttons
    (``tdAction:<intent>`` at the end makes an action button), as Tiledesk's reply syntax."""
    texts: list[str] = []
    hand_off = False
    current: Mapping[str, Any] | None = intent
    for _ in range(_MAX_HOPS):
        if current is None:
            break
        said = answer_text(current)
        if AGENT_COMMAND in said:
            hand_off = True
            said = said.replace(AGENT_COMMAND, "")
        if said.strip():
            texts.append(said.strip())
        actions = [a for a in current["actions"] or [] if isinstance(a, dict)]
        hand_off = hand_off or any(a.get("_tdActionType") == "agent" for a in actions)
        current = _next_intent(actions, lookup)
    raw = "\n".join(texts)
    text, buttons = _buttons(raw)
    attributes: dict[str, Any] = {
        "_answerid": intent["id"],
        "intent_info": {
            "intent_name": FALLBACK if fallback else intent["intent_display_name"],
            "is_fallback": fallback,
            "confidence": 0 if fallback else confidence,
        },
    }
    if buttons:
        attributes["_raw_message"] = raw
        attributes["attachment"] = {"type": "template", "buttons": buttons}
    return Reply(text or None, attributes, hand_off)


def _next_intent(actions: list[dict[str, Any]], lookup: IntentLookup) -> Mapping[str, Any] | None:
    for action in actions:
        name = action.get("intentName")
        if action.get("_tdActionType") == "intent" and isinstance(name, str) and name:
            if name.startswith("#"):
                return lookup(name[1:], True)
            return lookup(name, False)
    return None


def _buttons(raw: str) -> tuple[str, list[dict[str, Any]]]:
    lines: list[str] = []
    buttons: list[dict[str, Any]] = []
    for line in raw.splitlines():
        button = _BUTTON.match(line)
        if button is None:
            lines.append(line)
            continue
        label = button["label"]
        action = _ACTION.search(label)
        if action is not None:
            label = label[: action.start()].strip()
            buttons.append({"type": "action", "value": label, "action": action["action"]})
        else:
            buttons.append({"type": "text", "value": label})
    return "\n".join(lines).strip(), buttons
