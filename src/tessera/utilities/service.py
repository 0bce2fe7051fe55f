"""Utilities (§5.28): which project a conversation belongs to, and the project's monthly
usage (``quotes``, §1.9)."""

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tessera.auth.principal import Caller, Member
from tessera.core.clock import iso
from tessera.core.db import Tx
from tessera.core.errors import AppError, BadRequest, InvalidInput, NotFound
from tessera.transcripts import service as transcripts
from tessera.utilities import repository
from tessera.utilities.schemas import COUNTED_KINDS, MAX_PREVIEW_URLS, QUOTE_KINDS, LookupOut

_DAY_MS = 86_400_000
_SLOT_DAYS = 30

# Monthly limits by plan (§1.9; ``profile.quotes`` overrides them). Tiledesk's free trial has
# the Premium limits.
_PLAN_LIMITS: dict[str, dict[str, int]] = {
    "sandbox": {"requests": 200, "tokens": 10_000, "chatbots": 2, "kbs": 1},
    "basic": {"requests": 800, "tokens": 50_000, "chatbots": 5, "kbs": 2},
    "premium": {"requests": 3000, "tokens": 250_000, "chatbots": 20, "kbs": 3},
    "custom": {"requests": 5000, "tokens": 1_000_000, "chatbots": 100, "kbs": 100},
}
_PLAN_ALIASES = {"starter": "basic", "pro": "premium", "team": "custom", "business": "custom"}


def lookup_project(tx: Tx, caller: Caller, request_id: str) -> LookupOut:
    """The conversation's project, for a caller who may read the conversation (Tiledesk tells
    any authenticated caller)."""
    try:
        project, _conversation = transcripts.readable_conversation(tx, request_id, caller)
    except NotFound:
        raise NotFound(f"Request with  {request_id} not found") from None
    return LookupOut(id_project=project.id)


def preview_urls(body: Any) -> list[str]:
    """The URLs to preview: a non-empty array of at most ten strings (422 otherwise)."""
    if not isinstance(body, list) or not body:
        raise _invalid("urls must be a non-empty array")
    if len(body) > MAX_PREVIEW_URLS:
        raise _invalid(f"urls must contain at most {MAX_PREVIEW_URLS} items")
    if not all(isinstance(url, str) for url in body):
        raise _invalid("urls must be strings")
    return list(body)


class _Unprocessable(AppError):
    """Tiledesk's url-preview answers 422 with ``{"success": false, "error": ...}``."""

    status_code = 422


def _invalid(message: str) -> AppError:
    return _Unprocessable(message, key="error")


@dataclass(frozen=True, slots=True)
class Slot:
    """The project's current monthly window: 30-day steps from its subscription start, each
    one calendar month long (Tiledesk: services/QuoteManager.js)."""

    start: int
    end: int


def slot_of(project: Any, at_ms: int) -> Slot:
    origin = _subscription_start(project)
    months = max(at_ms - origin, 0) // _DAY_MS // _SLOT_DAYS
    start = _add_months(origin, months)
    return Slot(start=start, end=_add_months(start, 1))


def usage(tx: Tx, member: Member, *, at_ms: int) -> dict[str, Any]:
    """``POST /quotes``: what the project used in its slot. Requests and messages are counted
    from the data; e-mails, AI tokens and voice minutes from the counters."""
    slot = slot_of(member.project, at_ms)
    project_id = member.project_id
    counted = repository.counters(tx, project_id, slot.start)
    quotes = {
        "requests": repository.conversations_in(tx, project_id, slot.start, slot.end),
        "messages": repository.messages_in(tx, project_id, slot.start, slot.end),
        **{kind: counted.get(kind, 0) for kind in sorted(COUNTED_KINDS)},
        "chatbots": repository.chatbots(tx, project_id),
        "kbs": 0,
    }
    return {
        "message": "ok",
        "success": True,
        "quotes": {kind: {"quote": value} for kind, value in quotes.items()},
        "slot": {"startDate": iso(slot.start), "endDate": iso(slot.end)},
    }


def is_available(tx: Tx, member: Member, kind: str, *, at_ms: int, enforced: bool) -> bool:
    """Below the plan's limit for ``kind``; always when limits are not enforced
    (``QUOTES_ENABLED`` off, Tessera's default) or the plan sets none for ``kind``."""
    if not enforced:
        return True
    limit = _limits(member.project).get(kind)
    if limit is None:
        return True
    used = usage(tx, member, at_ms=at_ms)["quotes"].get(kind, {"quote": 0})["quote"]
    return bool(used <= limit)


def increment(tx: Tx, member: Member, kind: str, amount: int, *, at_ms: int) -> dict[str, Any]:
    """``POST /quotes/incr/:type``: add to a counter (the chatbot engine reports the AI tokens
    it spent)."""
    if kind not in COUNTED_KINDS:
        known = ", ".join(sorted(COUNTED_KINDS))
        raise BadRequest(f"Unknown quote type '{kind}': use one of {known}", key="error")
    slot = slot_of(member.project, at_ms)
    value = repository.increment(tx, member.project_id, kind, slot.start, amount)
    key = f"quotes:{kind}:{member.project_id}:{_date(slot.start)}"
    return {"message": f"value incremented for key {key}", "key": key, "currentQuote": value}


def moment(date: str | None) -> int:
    """``POST /quotes`` ``date``: the usage of the slot holding that moment (now without one);
    an ISO date without zone is UTC. Anything else is a 422."""
    if not date:
        return int(datetime.now(UTC).timestamp() * 1000)
    try:
        parsed = datetime.fromisoformat(date.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput.field("date", "must be an ISO-8601 date", value=date) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.timestamp() * 1000)


def known_kind(kind: str) -> str:
    if kind not in (*QUOTE_KINDS, "chatbots", "kbs"):
        raise BadRequest(f"Unknown quote type '{kind}'", key="error")
    return kind


def _limits(project: Any) -> dict[str, int]:
    profile = project.get("profile") or {}
    plan = str(profile.get("name") or "").lower()
    plan = _PLAN_ALIASES.get(plan, plan)
    if profile.get("type") != "payment" or plan not in _PLAN_LIMITS:
        plan = "premium"
    overrides = profile.get("quotes")
    if not isinstance(overrides, dict):
        overrides = {}
    limits = dict(_PLAN_LIMITS[plan])
    limits.update({k: v for k, v in overrides.items() if isinstance(v, int)})
    return limits


def _subscription_start(project: Any) -> int:
    started = (project.get("profile") or {}).get("subStart")
    if isinstance(started, str):
        try:
            moment = datetime.fromisoformat(started.replace("Z", "+00:00"))
            if moment.tzinfo is not None:
                return int(moment.timestamp() * 1000)
        except ValueError:
            pass
    created: int = project["created_at"]
    return created


def _add_months(ms: int, months: int) -> int:
    moment = datetime.fromtimestamp(ms / 1000, UTC)
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return int(moment.replace(year=year, month=month, day=day).timestamp() * 1000)


def _date(ms: int) -> str:
    moment = datetime.fromtimestamp(ms / 1000, UTC)
    return f"{moment.month}/{moment.day}/{moment.year}"
