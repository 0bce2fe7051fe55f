"""How the built-in FAQ engine picks an answer (fact sheet §7.3, bots of type ``internal``;
``replies`` words it). Pure functions over intent rows, so that both databases give the
same answer: the database only finds the candidates (the search index, the same words on
both), the ranking happens here.

Ranking: the visitor's words against each line of an intent's question (lines are
alternative phrasings) and against its answer, as Dice coefficients (twice the shared words
over the sum of the sizes), weighted 4 to 1, on a 0-100 scale; 100 when a question line has
exactly the visitor's words. Ties go to the oldest intent. Below ``THRESHOLD`` the engine
considers that nothing matched (Tiledesk answers the best ``$text`` hit, however weak, which
makes "no match" impossible to act on).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tessera.search.text import words

EXACT = 100.0
THRESHOLD = 20.0
"""The least score the engine answers with."""

START = "start"
FALLBACK = "defaultFallback"
SPECIAL = frozenset({START, FALLBACK})
"""Intents the engine reaches by name only: the welcome and the answer of last resort."""

START_TEXTS = frozenset({"\\start", "/start"})

_QUESTION_WEIGHT = 0.8
_ANSWER_WEIGHT = 0.2


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
