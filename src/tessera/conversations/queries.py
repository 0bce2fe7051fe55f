"""The request lists' parameters (§5.4.1, §5.4.2) as SQL conditions and orderings.

Query building only: nothing here runs a statement. Who may see what is decided by the
listing use cases (``listing.py``); this module turns each decision and each filter into a
where-clause on ``requests``. A parameter a client got wrong raises the 4xx Tessera answers
where Tiledesk crashed with a 500.
"""

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import ColumnElement, Subquery, and_, exists, false, or_

from tessera.conversations.models import ABANDONED, CLOSED, PARTICIPANT, TEMP, request_agents
from tessera.conversations.models import requests as r
from tessera.conversations.schemas import RequestQuery
from tessera.core.clock import from_datetime
from tessera.core.db import JsonArrayHasObject, JsonPathEquals, JsonPathExists, JsonPathText
from tessera.core.errors import BadRequest, InvalidInput

DEFAULT_TIMEZONE = "Europe/Rome"
_OFFLINE_CHANNELS = ("email", "form")
_MINUTE_MS = 60_000
_MAX_STATUS = 2**31 - 1

LIST_DEFAULT_STATUS = and_(r.c.status < CLOSED, r.c.status.not_in([TEMP, ABANDONED]))
"""``GET /requests`` without ``status``: open conversations, minus the hidden (50) and the
fully abandoned (150) ones."""
ME_DEFAULT_STATUS = r.c.status < CLOSED
"""``GET /requests/me`` without ``status``: every open conversation of the caller."""

SORTABLE: dict[str, ColumnElement[Any]] = {
    "createdAt": r.c.created_at,
    "updatedAt": r.c.updated_at,
    "ticket_id": r.c.ticket_id,
    "status": r.c.status,
    "request_id": r.c.request_id,
    "first_text": r.c.first_text,
    "subject": r.c.subject,
    "priority": r.c.priority,
    "assigned_at": r.c.assigned_at,
    "closed_at": r.c.closed_at,
    "first_response_at": r.c.first_response_at,
    "waiting_time": r.c.waiting_time,
    "duration": r.c.duration,
    "rating": r.c.rating,
    "hasBot": r.c.has_bot,
    "preflight": r.c.preflight,
    "workingStatus": r.c.working_status,
    "smartAssignment": r.c.smart_assignment,
    "draft": r.c.draft,
    "department": r.c.department_id,
    "lead": r.c.lead_id,
    "requester": r.c.requester_id,
    "language": r.c.language,
    "sourcePage": r.c.source_page,
    "createdBy": r.c.created_by,
    "closed_by": r.c.closed_by,
}
"""Wire field -> column for ``sort``; another field sorts by ``createdAt``."""

RANGE_FIELDS: dict[str, ColumnElement[Any]] = {
    "createdAt": r.c.created_at,
    "updatedAt": r.c.updated_at,
    "assigned_at": r.c.assigned_at,
    "first_response_at": r.c.first_response_at,
    "closed_at": r.c.closed_at,
}
"""The dates ``filterRangeField`` may name."""


# ------------------------------------------------------------------ status and who


LIVE_LIST = and_(
    r.c.status > TEMP,
    r.c.status < CLOSED,
    r.c.status != ABANDONED,
    r.c.preflight.is_(False),
    or_(r.c.draft.is_(None), r.c.draft.is_(False)),
)
"""The realtime ``/<pid>/requests`` topic's conversations (§6.4): open, neither hidden nor
abandoned nor preflight, and no test (draft) conversations."""


def status_condition(
    raw: str | None, *, default: ColumnElement[bool]
) -> ColumnElement[bool] | None:
    """``status``: ``all`` (no condition), a comma list of codes, or nothing (``default``).

    Tiledesk silently drops codes that are not numbers (and lists every status when none is
    left); Tessera answers 422 so that a typo does not list the archive."""
    if not raw:
        return default
    if raw == "all":
        return None
    codes = [_status_code(token.strip(), raw) for token in raw.split(",") if token.strip()]
    return r.c.status.in_(codes) if codes else default


def _status_code(token: str, raw: str) -> int:
    try:
        code = int(token)
    except ValueError:
        code = None
    if code is None or not 0 <= code <= _MAX_STATUS:
        raise InvalidInput.field(
            "status", "must be 'all' or a comma list of status codes", value=raw, location="query"
        )
    return code


def preflight_condition(query: RequestQuery) -> ColumnElement[bool] | None:
    """Preflight conversations (created before the visitor wrote) are left out unless
    ``preflight=true``."""
    return None if query.preflight == "true" else r.c.preflight.is_(False)


def seen_by(agent: str, kinds: Collection[str]) -> ColumnElement[bool]:
    """Conversations where ``agent`` (a user id, or ``bot_<id>``) is among the ``kinds`` of
    ``request_agents`` (participant, routing candidate): a primary-key lookup per row."""
    return exists().where(
        request_agents.c.request_pk == r.c.id,
        request_agents.c.agent == agent,
        request_agents.c.kind.in_(list(kinds)),
    )


def requested_by(membership_id: str | None) -> ColumnElement[bool]:
    """``/me``: the conversations whose requester is this membership (none for callers
    without one: bots and subscriptions)."""
    if membership_id is None:
        return false()
    return r.c.requester_id == membership_id


# ------------------------------------------------------------------ filters


def filters(query: RequestQuery) -> list[ColumnElement[bool]]:
    """Every filter of the §5.4.2 table but ``status``, ``preflight`` and ``full_text``
    (a join with the search index's hits: ``listing._search`` and ``ordering``)."""
    candidates: list[ColumnElement[bool] | None] = [
        r.c.department_id == query.dept_id if query.dept_id else None,
        r.c.lead_id == query.lead if query.lead else None,
        _participant(query.participant) if query.participant else None,
        r.c.has_bot.is_(query.hasbot) if query.hasbot is not None else None,
        JsonArrayHasObject(r.c.tags, "tag", query.tags) if query.tags else None,
        _location(query.location) if query.location else None,
        r.c.ticket_id == query.ticket_id if query.ticket_id is not None else None,
        r.c.priority == query.priority if query.priority else None,
        _is(r.c.smart_assignment, query.smartAssignment),
        _phone(query.phone) if query.phone else None,
        _channel(query.channel) if query.channel else None,
        _working_status(query),
        _duration(query.duration, query.duration_op),
        r.c.rating.is_not(None) if query.rated == "true" else None,
        or_(r.c.draft.is_(None), r.c.draft.is_(False)) if query.draft == "false" else None,
        _abandoned(query),
        date_range(query),
        *_snapshot_filters(query),
        *_voice_filters(query),
    ]
    return [condition for condition in candidates if condition is not None]


def _is(column: ColumnElement[Any], value: bool | None) -> ColumnElement[bool] | None:
    return column.is_(value) if value is not None else None


def _participant(participant: str) -> ColumnElement[bool]:
    return seen_by(participant, (PARTICIPANT,))


def _location(value: str) -> ColumnElement[bool]:
    """``location`` is an object (§9.4): Mongoose cannot cast a query string to it and
    Tiledesk answers 500 with this message; Tessera answers 400."""
    raise BadRequest(
        f'Cast to Embedded failed for value "{value}" (type string) at path "location" '
        'for model "request"',
        key="error",
    )


def _phone(phone: str) -> ColumnElement[bool] | None:
    """The digits of ``phone`` anywhere in ``contact.phone`` ("3456677888" finds
    "+393456677888"); no digits, no filter."""
    digits = re.sub(r"\D", "", phone)
    if not digits:
        return None
    return JsonPathText(r.c.contact, ("phone",)).contains(digits, autoescape=True)


def _channel(channel: str) -> ColumnElement[bool]:
    """``offline`` = e-mail and form channels, ``online`` = every other (or none), else the
    channel's exact name."""
    name = JsonPathText(r.c.channel, ("name",))
    if channel == "offline":
        return name.in_(_OFFLINE_CHANNELS)
    if channel == "online":
        return or_(name.is_(None), name.not_in(_OFFLINE_CHANNELS))
    return JsonPathEquals(r.c.channel, ("name",), channel)


def _working_status(query: RequestQuery) -> ColumnElement[bool] | None:
    """``workingStatus[nin]`` wins over ``[in]``, which wins over ``[ne]``; MongoDB's
    ``$ne``/``$nin`` also match conversations without a working status."""
    column = r.c.working_status
    excluded = _words(query.working_status_nin)
    included = _words(query.working_status_in)
    if excluded:
        return or_(column.is_(None), column.not_in(excluded))
    if included:
        return column.in_(included)
    if query.working_status_ne:
        return or_(column.is_(None), column != query.working_status_ne)
    return None


def _words(raw: str | None) -> list[str]:
    return [word.strip() for word in (raw or "").split(",") if word.strip()]


def _duration(minutes: float | None, operator: str | None) -> ColumnElement[bool] | None:
    """``duration`` minutes against the stored milliseconds: ``gt`` is at least, ``lt`` at
    most (Tiledesk's ``$gte``/``$lte``); another operator is ignored, as Tiledesk does."""
    if minutes is None or not operator:
        return None
    bound = minutes * _MINUTE_MS
    if operator == "gt":
        return r.c.duration >= bound
    if operator == "lt":
        return r.c.duration <= bound
    return None


def _abandoned(query: RequestQuery) -> ColumnElement[bool] | None:
    """Tiledesk reads the misspelt ``abandonded`` and then checks ``abandoned=true``: both
    parameters are needed (§5.4.2)."""
    if query.abandonded and query.abandoned == "true":
        return JsonPathEquals(r.c.attributes, ("fully_abandoned",), True)
    return None


def _snapshot_filters(query: RequestQuery) -> list[ColumnElement[bool]]:
    snapshot = r.c.snapshot
    conditions: list[ColumnElement[bool]] = []
    text_filters = (
        (("lead", "email"), query.requester_email),
        (("department", "routing"), query.snap_department_routing),
        (("department", "id_bot"), query.snap_department_id_bot),
        (("lead", "lead_id"), query.snap_lead_lead_id),
        (("lead", "email"), query.snap_lead_email),
    )
    for path, value in text_filters:
        if value:
            conditions.append(JsonPathEquals(snapshot, path, value))
    if query.snap_department_default is not None:
        conditions.append(
            JsonPathEquals(snapshot, ("department", "default"), query.snap_department_default)
        )
    if query.snap_department_id_bot_exists is not None:
        has_bot = JsonPathExists(snapshot, ("department", "id_bot"))
        conditions.append(has_bot if query.snap_department_id_bot_exists else ~has_bot)
    return conditions


def _voice_filters(query: RequestQuery) -> list[ColumnElement[bool]]:
    """``caller``, ``called``, ``call_id``: the phone call's attributes."""
    pairs = (
        ("caller_phone", query.caller),
        ("called_phone", query.called),
        ("call_id", query.call_id),
    )
    return [JsonPathEquals(r.c.attributes, (key,), value) for key, value in pairs if value]


# ------------------------------------------------------------------ dates


@dataclass(frozen=True, slots=True)
class _LocalDate:
    raw: str
    day: date
    at: time | None  # None: the date alone, without a time of day


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_YEAR_MONTH_DAY = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
_DATE_AND_TIME = re.compile(r"(\S+?),?(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def date_range(query: RequestQuery) -> ColumnElement[bool] | None:
    """``start_date``/``end_date`` (else the ``_time`` variants) in ``timezone``, on
    ``filterRangeField``. A date alone starts at midnight and ends before the next one;
    a date with a time is exact and the end is inclusive."""
    start, end = query.start_date, query.end_date
    if not (start or end):
        start, end = query.start_date_time, query.end_date_time
    if not (start or end):
        return None
    zone = _zone(query.timezone or DEFAULT_TIMEZONE)
    column = _range_column(query.filterRangeField)
    conditions = []
    if start:
        first = _parse_date(start, zone)
        conditions.append(column >= _epoch(first, zone, next_day=False))
    if end:
        last = _parse_date(end, zone)
        if last.at is None:
            conditions.append(column < _epoch(last, zone, next_day=True))
        else:
            conditions.append(column <= _epoch(last, zone, next_day=False))
    return and_(*conditions)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadRequest(
            f"Invalid timezone: {name}. Please use a valid IANA timezone "
            '(e.g., "Europe/Rome", "America/New_York")',
            key="error",
        ) from None


def _range_column(field: str | None) -> ColumnElement[Any]:
    column = RANGE_FIELDS.get(field or "createdAt")
    if column is None:
        raise BadRequest(
            f"Invalid filterRangeField: {field}. Use one of {', '.join(RANGE_FIELDS)}",
            key="error",
        )
    return column


def _parse_date(raw: str, zone: ZoneInfo) -> _LocalDate:
    """``DD/MM/YYYY`` or ``YYYY/MM/DD``, optionally followed (after a space or a comma) by
    ``HH:mm`` or ``HH:mm:ss``."""
    parsed = _DATE_AND_TIME.fullmatch(raw.strip())
    day = _calendar_day(parsed.group(1)) if parsed else None
    if parsed is None or day is None:
        raise _unparsable(raw, zone)
    if parsed.group(2) is None:
        return _LocalDate(raw, day, None)
    hour, minute, second = (int(part or 0) for part in parsed.group(2, 3, 4))
    try:
        return _LocalDate(raw, day, time(hour, minute, second))
    except ValueError:
        raise _unparsable(raw, zone) from None


def _calendar_day(text: str) -> date | None:
    numbers: tuple[str, ...]
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        numbers = (match.group(3), match.group(2), match.group(1))
    elif match := _YEAR_MONTH_DAY.fullmatch(text):
        numbers = match.groups()
    else:
        return None
    year, month, day = (int(number) for number in numbers)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _unparsable(raw: str, zone: ZoneInfo) -> BadRequest:
    return BadRequest(f"Unable to parse the date: {raw} with timezone: {zone.key}", key="error")


def _epoch(moment: _LocalDate, zone: ZoneInfo, *, next_day: bool) -> int:
    """Epoch milliseconds of ``moment`` in ``zone`` (midnight without a time), or of the
    midnight after its day; a date at the ends of the calendar is out of range (400)."""
    try:
        day = moment.day + timedelta(days=1) if next_day else moment.day
        return from_datetime(datetime.combine(day, moment.at or time(), tzinfo=zone))
    except (OverflowError, ValueError):
        raise BadRequest(f"Date out of range: {moment.raw}", key="error") from None


# ------------------------------------------------------------------ order


def ordering(
    sort: str | None, direction: int, *, scores: Subquery | None = None
) -> list[ColumnElement[Any]]:
    """ORDER BY the best ``full_text`` matches first when ``scores`` (the search hits) are
    given, else by the wire field ``sort`` in ``direction``; then ``_id`` so that pages are
    stable. Missing values come first when ascending and last when descending, as in
    MongoDB, on both databases."""
    if scores is not None:
        return [scores.c.score.desc(), r.c.id.desc()]
    column = SORTABLE.get(sort or "createdAt", SORTABLE["createdAt"])
    if not getattr(column, "nullable", True):
        # No NULLS clause on a column without NULLs: it would keep the database from
        # walking an index in order (``ix_requests_list``).
        return [column.asc(), r.c.id.asc()] if direction == 1 else [column.desc(), r.c.id.desc()]
    if direction == 1:
        return [column.asc().nulls_first(), r.c.id.asc()]
    return [column.desc().nulls_last(), r.c.id.desc()]
