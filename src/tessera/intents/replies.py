"""How an intent's answer becomes the bot's message: Tiledesk's reply syntax (fact sheet §7.3;
``@tiledesk/tiledesk-chatbot-util``'s ``parseReply``, as the internal bot uses it). Pure
functions over intent rows.

- ``\\agent`` hands the conversation over to a human, ``\\close`` closes it, after the text;
- a line ``tdImage:<url>`` makes an ``image`` message (``metadata: {src, width?, height?}``),
  ``tdFrame:<url>`` a ``frame``, ``tdVideo:<url>`` a ``frame`` with ``metadata.type:
  "video"`` (a YouTube ``watch?v=`` page becomes its ``/embed/`` address); a size may follow
  the tag: ``tdImage,w200 h100:<url>``. The first line of each tag counts, its line leaves
  the text;
- lines starting with ``*`` are buttons (``tdAction:<intent>`` at the end makes an action
  button);
- an intent with ``webhook_enabled`` may have its text replaced by the bot's webhook
  (``webhook_reply``).
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tessera.intents.engine import FALLBACK, answer_text

AGENT_COMMAND = "\\agent"
CLOSE_COMMAND = "\\close"
TEXT, IMAGE, FRAME, VIDEO = "text", "image", "frame", "video"

_MAX_HOPS = 5
_BUTTON = re.compile(r"^\*\s*(?P<label>.+?)\s*$")
_ACTION = re.compile(r"\s*tdAction:(?P<action>\S+)\s*$")
# Tag, optional size, then an http(s) address to the end of the line (Tiledesk's
# ``^(tdImage.*):(http(?:s)*.*)``, first match of the text).
_MEDIA = {
    tag: re.compile(rf"^{tag}(?P<size>[^:\n]*):(?P<url>https?:.*)$", re.MULTILINE)
    for tag in ("tdImage", "tdFrame", "tdVideo")
}
_SIZE = re.compile(r",\s*(?:w(?P<width>\d+))?\s*(?:h(?P<height>\d+))?")
_YOUTUBE_WATCH = "https://www.youtube.com/watch?v="

IntentLookup = Callable[[str, bool], Mapping[str, Any] | None]
"""Finds one of the bot's intents: ``lookup(key, by_intent_id)``, by ``intent_id`` when
``by_intent_id`` else by ``intent_display_name``."""


@dataclass(frozen=True, slots=True)
class Reply:
    """What the bot posts: a message (``text`` None and ``type`` text: nothing to say), then,
    when ``close``, the conversation is closed, else when ``hand_off`` the ``\\agent``
    command routes it to a human."""

    text: str | None
    attributes: dict[str, Any] = field(default_factory=dict)
    hand_off: bool = False
    close: bool = False
    type: str = TEXT
    metadata: dict[str, Any] | None = None
    language: str | None = None

    @property
    def says_something(self) -> bool:
        return bool(self.text) or self.type != TEXT


def reply_of(
    intent: Mapping[str, Any],
    lookup: IntentLookup,
    *,
    confidence: float,
    fallback: bool = False,
) -> Reply:
    """The reply an intent makes. ``\\agent`` in the text, or an ``agent`` action, hands the
    conversation over; ``\\close`` closes it; an ``intent`` action (``intentName``
    ``#<intent_id>`` or a name) continues with that intent, a few hops at most."""
    texts: list[str] = []
    hand_off = close = False
    current: Mapping[str, Any] | None = intent
    for _ in range(_MAX_HOPS):
        if current is None:
            break
        said, agent, closing = _commands(answer_text(current))
        hand_off = hand_off or agent or _has_agent_action(current)
        close = close or closing
        if said.strip():
            texts.append(said.strip())
        current = _next_intent(current, lookup)
    info = intent_info(intent, confidence=confidence, fallback=fallback)
    return worded("\n".join(texts), info, hand_off=hand_off, close=close)


def webhook_reply(
    answer: Mapping[str, Any], intent: Mapping[str, Any], *, confidence: float, fallback: bool
) -> Reply:
    """The reply made of the intent webhook's answer (its ``text``, worded with the same
    syntax), as Tiledesk's ``faqBotSupport``: the answer's ``attributes`` join the message's,
    its ``type``, ``metadata`` and ``language`` win over the worded ones. The intent's
    ``agent`` action still hands over."""
    said, agent, close = _commands(str(answer["text"]))
    extra = answer.get("attributes")
    base = {
        **intent_info(intent, confidence=confidence, fallback=fallback),
        **(extra if isinstance(extra, dict) else {}),
    }
    reply = worded(said.strip(), base, hand_off=agent or _has_agent_action(intent), close=close)
    kind, metadata, language = answer.get("type"), answer.get("metadata"), answer.get("language")
    return Reply(
        reply.text,
        reply.attributes,
        reply.hand_off,
        reply.close,
        kind if isinstance(kind, str) and kind else reply.type,
        metadata if isinstance(metadata, dict) else reply.metadata,
        language if isinstance(language, str) and language else None,
    )


def intent_info(intent: Mapping[str, Any], *, confidence: float, fallback: bool) -> dict[str, Any]:
    """``_answerid`` and ``intent_info``: which intent answered, how sure the engine was."""
    return {
        "_answerid": intent["id"],
        "intent_info": {
            "intent_name": FALLBACK if fallback else intent["intent_display_name"],
            "is_fallback": fallback,
            "confidence": 0 if fallback else confidence,
        },
    }


def worded(
    raw: str, attributes: dict[str, Any], *, hand_off: bool = False, close: bool = False
) -> Reply:
    """``raw`` as a message: media tags and buttons taken out of the text."""
    text, kind, metadata = _media(raw)
    text, buttons = _buttons(text)
    attributes = dict(attributes)
    if buttons or kind != TEXT:
        attributes["_raw_message"] = raw
    if buttons:
        attributes["attachment"] = {"type": "template", "buttons": buttons}
    return Reply(text or None, attributes, hand_off, close, kind, metadata)


def _commands(text: str) -> tuple[str, bool, bool]:
    """The text without ``\\agent`` and ``\\close``, and whether each was there."""
    agent, close = AGENT_COMMAND in text, CLOSE_COMMAND in text
    return text.replace(CLOSE_COMMAND, "").replace(AGENT_COMMAND, ""), agent, close


def _has_agent_action(intent: Mapping[str, Any]) -> bool:
    return any(
        isinstance(action, dict) and action.get("_tdActionType") == "agent"
        for action in intent["actions"] or []
    )


def _next_intent(intent: Mapping[str, Any], lookup: IntentLookup) -> Mapping[str, Any] | None:
    for action in intent["actions"] or []:
        if not isinstance(action, dict):
            continue
        name = action.get("intentName")
        if action.get("_tdActionType") == "intent" and isinstance(name, str) and name:
            if name.startswith("#"):
                return lookup(name[1:], True)
            return lookup(name, False)
    return None


def _media(raw: str) -> tuple[str, str, dict[str, Any] | None]:
    """The text without its media tags, the message type and its ``metadata``. Images, then
    frames, then videos are looked for; the last found sets the type, as in Tiledesk."""
    text, kind, metadata = raw, TEXT, None
    for tag, pattern in _MEDIA.items():
        found = pattern.search(text)
        if found is None:
            continue
        text = text.replace(found.group(0), "", 1).strip()
        url = found["url"].strip()
        kind = IMAGE if tag == "tdImage" else FRAME
        metadata = {"src": _embeddable(url) if tag == "tdVideo" else url}
        if tag == "tdVideo":
            metadata["type"] = VIDEO
        metadata.update(_size(found["size"]))
    return text, kind, metadata


def _size(tag_suffix: str) -> dict[str, int]:
    """``,w200 h100`` after the tag: ``{"width": 200, "height": 100}`` (either may be left
    out)."""
    found = _SIZE.search(tag_suffix)
    if found is None:
        return {}
    return {
        name: int(found[name]) for name in ("width", "height") if found[name] and int(found[name])
    }


def _embeddable(url: str) -> str:
    """A YouTube page address becomes its embeddable one, which a frame can show."""
    if not url.startswith(_YOUTUBE_WATCH):
        return url
    video = parse_qs(urlsplit(url).query).get("v")
    return f"https://www.youtube.com/embed/{video[0]}" if video else url


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
