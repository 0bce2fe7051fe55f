"""Analytics (§5.19): Tiledesk's dashboard aggregates, answered in the shapes of its MongoDB
pipelines (``pubmodules/analytics/analytics.js``, ``routes/public-analytics.js``).

What each route reads, its default window, its ``_id`` keys (in their order) and its sort
are Tiledesk's, quirks included: ``/requests/aggregate/status`` counts like
``/requests/count`` (never implemented upstream), ``/waiting/day`` sorts by its first key,
the day of the month, ``/duration/month`` only looks at the last 30 days, an empty
``$count`` is ``[]``. Extension: every time-bucketed route takes ``timezone`` (an IANA name
or an offset; UTC by default, which is what Tiledesk computes); the weekday of
``/dayoftheweek/hours`` is taken in that timezone too, where Tiledesk mixes a local hour with
a UTC weekday."""

import math
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from tessera.analytics import repository
from tessera.analytics.buckets import (
    Unit,
    buckets,
    mongo_weekday,
    parse_timezone,
    sunday_week,
    to_local,
    to_ms,
)
from tessera.analytics.repository import Conditions, Source
from tessera.analytics.schemas import EventQuery, MessageQuery, RequestQuery, TagQuery
from tessera.core.db import Tx
from tessera.core.errors import BadRequest, InvalidInput

Document = dict[str, Any]

_DAY_MS = 86_400_000
_LAST_30_DAYS = 30.0
_LAST_7_DAYS = 7.0
_PUBLIC_WAITING_MS = 4 * 3_600_000
_OBJECT_ID_LENGTH = 24
_HEX = frozenset("0123456789abcdefABCDEF")
# Farther than any stored row: bounds the window of absurd ``lastdays`` values.
_MAX_WINDOW_MS = 400 * 365 * _DAY_MS
CONVERSATION_TAG = "conversation-tag"

# ``_id`` date keys, in Tiledesk's order.
DAY = ("year", "month", "day")
DAY_REVERSED = ("day", "month", "year")
MONTH = ("year", "month")
MONTH_REVERSED = ("month", "year")
WEEK = ("year", "month", "week")
ASCENDING, DESCENDING = 1, -1

_PARTS: dict[str, Callable[[datetime], int]] = {
    "year": lambda local: local.year,
    "month": lambda local: local.month,
    "day": lambda local: local.day,
    "week": sunday_week,
    "hour": lambda local: local.hour,
    "weekday": mongo_weekday,
}
_UNIT_OF_PARTS = {
    DAY: Unit.DAY,
    DAY_REVERSED: Unit.DAY,
    MONTH: Unit.MONTH,
    MONTH_REVERSED: Unit.MONTH,
    WEEK: Unit.WEEK,
}

# ---------------------------------------------------------------- parameters


def request_query(
    *,
    lastdays: str | None = None,
    timezone: str | None = None,
    department_id: str | None = None,
    participant: str | None = None,
    channel: str | None = None,
) -> RequestQuery:
    """The parameters of a conversation aggregate. As in Express, an empty value is no value
    (the dashboard sends ``department_id=&participant=``)."""
    return RequestQuery(
        days=_days(lastdays),
        zone=_zone(timezone),
        department_id=_object_id(department_id, "department_id"),
        participant=participant or None,
        channel=channel or None,
    )


def message_query(
    *,
    lastdays: str | None = None,
    timezone: str | None = None,
    sender: str | None = None,
    recipient: str | None = None,
    channel: str | None = None,
    answer_id: str | None = None,
) -> MessageQuery:
    return MessageQuery(
        days=_days(lastdays),
        zone=_zone(timezone),
        sender=sender or None,
        recipient=recipient or None,
        channel=channel or None,
        answer_id=answer_id or None,
    )


def event_query(
    *, lastdays: str | None = None, timezone: str | None = None, name: str | None = None
) -> EventQuery:
    return EventQuery(days=_days(lastdays), zone=_zone(timezone), name=name or None)


def seconds(value: str | None) -> float | None:
    """``last`` of ``/requests/waiting``: a window in seconds."""
    return _number(value, "last")


def tag_query(
    kind: str, *, start_date: str | None, end_date: str | None, timezone: str | None
) -> TagQuery:
    """Days from ``start_date`` to ``end_date`` included, ``MM/DD/YYYY`` as the dashboard
    sends them (or ``YYYY-MM-DD``)."""
    return TagQuery(
        type=kind,
        first=_date(start_date, "start_date") if start_date else None,
        last=_date(end_date, "end_date") if end_date else None,
        zone=_zone(timezone),
    )


def _days(value: str | None) -> float | None:
    return _number(value, "lastdays")


def _number(value: str | None, param: str) -> float | None:
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise InvalidInput.field(param, "must be a number", value=value, location="query")
    return number


def _zone(value: str | None) -> tzinfo:
    if not value:
        return UTC
    try:
        return parse_timezone(value)
    except ValueError:
        raise InvalidInput.field(
            "timezone",
            "must be an IANA timezone name or an offset like +02:00",
            value=value,
            location="query",
        ) from None


def _object_id(value: str | None, param: str) -> str | None:
    if not value:
        return None
    if len(value) != _OBJECT_ID_LENGTH or not set(value) <= _HEX:
        raise InvalidInput.field(param, "must be an ObjectId", value=value, location="query")
    return value.lower()


def _date(value: str, param: str) -> date:
    for pattern in ("%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, pattern).replace(tzinfo=UTC).date()
        except ValueError:
            continue
    raise BadRequest(f"Invalid date: {param}", key="error")


def _since(now: int, days: float) -> int:
    window = max(min(round(days * _DAY_MS), _MAX_WINDOW_MS), -_MAX_WINDOW_MS)
    return now - window


# ---------------------------------------------------------------- conversations


def requests_count(tx: Tx, project_id: str) -> list[Document]:
    """Conversations of the last 30 days (``/requests/count``, and
    ``/requests/aggregate/status`` which Tiledesk never went on to implement)."""
    since = _since(tx.now, _LAST_30_DAYS)
    return _count(tx, Source.REQUESTS, repository.request_conditions(project_id, since=since))


def bot_requests_count(tx: Tx, project_id: str) -> list[Document]:
    since = _since(tx.now, _LAST_30_DAYS)
    conditions = repository.request_conditions(project_id, since=since, has_bot=True)
    return _count(tx, Source.REQUESTS, conditions)


def requests_by_day(tx: Tx, project_id: str, query: RequestQuery) -> list[Document]:
    return _requests_series(
        tx, project_id, query, _LAST_7_DAYS, DAY, ASCENDING,
        department=True, participant=True, channel=True,
    )  # fmt: skip


def requests_by_status_and_day(tx: Tx, project_id: str, query: RequestQuery) -> list[Document]:
    return _requests_series(
        tx, project_id, query, _LAST_7_DAYS, DAY, ASCENDING,
        key="status", department=True, participant=True,
    )  # fmt: skip


def bot_requests_by_day(tx: Tx, project_id: str, query: RequestQuery) -> list[Document]:
    return _requests_series(
        tx, project_id, query, _LAST_7_DAYS, DAY, ASCENDING,
        key="hasBot", department=True, channel=True,
    )  # fmt: skip


def requests_by_month(tx: Tx, project_id: str, query: RequestQuery) -> list[Document]:
    return _requests_series(tx, project_id, query, None, MONTH, ASCENDING, department=True)


def requests_by_week(tx: Tx, project_id: str, query: RequestQuery) -> list[Document]:
    return _requests_series(tx, project_id, query, None, WEEK, ASCENDING)


def requests_by_hour(tx: Tx, project_id: str, query: RequestQuery) -> list[Document]:
    """Conversations of the last 30 days by local hour of the day, latest hour first."""
    return _by_hour(tx, project_id, query, ("hour",))


def requests_by_weekday_and_hour(tx: Tx, project_id: str, query: RequestQuery) -> list[Document]:
    """The heat map: by local hour and ``weekday`` (1 Sunday .. 7 Saturday), descending."""
    return _by_hour(tx, project_id, query, ("hour", "weekday"))


def requests_by_source_page(tx: Tx, project_id: str, query: RequestQuery) -> list[Document]:
    days = query.days if query.days is not None else _LAST_30_DAYS
    conditions = repository.request_conditions(
        project_id, since=_since(tx.now, days), department_id=query.department_id
    )
    return _counted_by(
        repository.groups(tx, Source.REQUESTS, conditions, "sourcePage"), "sourcePage"
    )


def waiting(tx: Tx, project_id: str, last_seconds: float | None) -> list[Document]:
    """Average first-response wait of the conversations of the last ``last`` seconds (30
    days by default)."""
    window = last_seconds / 86_400 if last_seconds is not None else _LAST_30_DAYS
    since = _since(tx.now, window)
    conditions = repository.request_conditions(project_id, since=since)
    return _average(tx, project_id, conditions, "waiting_time", "waiting_time_avg")


def waiting_last_day(tx: Tx, project_id: str) -> list[Document]:
    conditions = repository.request_conditions(project_id, since=_since(tx.now, 1))
    return _average(tx, project_id, conditions, "waiting_time", "waiting_time_avg")


def public_waiting(tx: Tx, project_id: str) -> list[Document]:
    """The widget's "typical reply time": the last four hours, preflight ones included."""
    conditions = repository.request_conditions(
        project_id, since=tx.now - _PUBLIC_WAITING_MS, include_preflight=True
    )
    return _average(tx, project_id, conditions, "waiting_time", "waiting_time_avg")


def waiting_by_day(tx: Tx, project_id: str, query: RequestQuery) -> list[Document]:
    return _requests_series(
        tx, project_id, query, _LAST_7_DAYS, DAY_REVERSED, DESCENDING,
        measure=("waiting_time", "waiting_time_avg"),
        department=True, participant=True, channel=True,
    )  # fmt: skip


def waiting_by_month(tx: Tx, project_id: str, query: RequestQuery) -> list[Document]:
    return _requests_series(
        tx, project_id, query, None, MONTH_REVERSED, DESCENDING,
        measure=("waiting_time", "waiting_time_avg"),
    )  # fmt: skip


def duration(tx: Tx, project_id: str) -> list[Document]:
    """Average time from creation to close, over the last 30 days."""
    conditions = repository.request_conditions(project_id, since=_since(tx.now, _LAST_30_DAYS))
    return _average(tx, project_id, conditions, "duration", "duration_avg")


def duration_by_day(tx: Tx, project_id: str, query: RequestQuery) -> list[Document]:
    return _requests_series(
        tx, project_id, query, _LAST_7_DAYS, DAY_REVERSED, DESCENDING,
        measure=("duration", "duration_avg"), department=True, participant=True, channel=True,
    )  # fmt: skip


def duration_by_month(tx: Tx, project_id: str, query: RequestQuery) -> list[Document]:
    # Tiledesk's month view of durations only covers the last 30 days.
    window = RequestQuery(days=_LAST_30_DAYS, zone=query.zone)
    return _requests_series(
        tx, project_id, window, _LAST_30_DAYS, MONTH_REVERSED, DESCENDING,
        measure=("duration", "duration_avg"),
    )  # fmt: skip


def satisfaction(tx: Tx, project_id: str) -> list[Document]:
    """Average rating of every conversation ever rated."""
    conditions = repository.request_conditions(project_id)
    return _average(tx, project_id, conditions, "rating", "satisfaction_avg")


def satisfaction_by_day(tx: Tx, project_id: str, query: RequestQuery) -> list[Document]:
    return _requests_series(
        tx, project_id, query, _LAST_7_DAYS, DAY_REVERSED, DESCENDING,
        measure=("rating", "satisfaction_avg"), department=True, participant=True, channel=True,
    )  # fmt: skip


def satisfaction_by_month(tx: Tx, project_id: str, query: RequestQuery) -> list[Document]:
    # Unsorted in Tiledesk; sorted here like the other month averages.
    return _requests_series(
        tx, project_id, query, None, MONTH_REVERSED, DESCENDING,
        measure=("rating", "satisfaction_avg"),
    )  # fmt: skip


def _requests_series(
    tx: Tx,
    project_id: str,
    query: RequestQuery,
    default_days: float | None,
    parts: tuple[str, ...],
    direction: int,
    *,
    key: str | None = None,
    measure: tuple[str, str] | None = None,
    department: bool = False,
    participant: bool = False,
    channel: bool = False,
) -> list[Document]:
    """A time series of conversations. ``default_days`` None means all time (``lastdays``
    is not read); ``department``, ``participant`` and ``channel`` say which filters the
    route reads in Tiledesk."""
    days = query.days if query.days is not None else default_days
    since = None if default_days is None or days is None else _since(tx.now, days)
    conditions = repository.request_conditions(
        project_id,
        department_id=query.department_id if department else None,
        participant=query.participant if participant else None,
        channel=query.channel if channel else None,
    )
    return _series(
        tx, Source.REQUESTS, project_id, conditions,
        since=since, zone=query.zone, unit=_UNIT_OF_PARTS[parts], parts=parts,
        direction=direction, key=key, measure=measure,
    )  # fmt: skip


def _by_hour(
    tx: Tx, project_id: str, query: RequestQuery, parts: tuple[str, ...]
) -> list[Document]:
    since = _since(tx.now, _LAST_30_DAYS)
    conditions = repository.request_conditions(project_id)
    return _series(
        tx, Source.REQUESTS, project_id, conditions,
        since=since, zone=query.zone, unit=Unit.HOUR, parts=parts, direction=DESCENDING,
    )  # fmt: skip


# ---------------------------------------------------------------- visitors


def visitors_count(tx: Tx, project_id: str) -> list[Document]:
    """Visitors (guest and end-user memberships, active) who arrived in the last 30 days."""
    since = _since(tx.now, _LAST_30_DAYS)
    return _count(tx, Source.MEMBERS, repository.visitor_conditions(project_id, since=since))


def visitors_by_day(tx: Tx, project_id: str, query: RequestQuery) -> list[Document]:
    since = _since(tx.now, query.days if query.days is not None else _LAST_7_DAYS)
    conditions = repository.visitor_conditions(project_id)
    return _series(
        tx, Source.MEMBERS, project_id, conditions,
        since=since, zone=query.zone, unit=Unit.DAY, parts=DAY, direction=ASCENDING,
    )  # fmt: skip


def visitors_by(
    tx: Tx, project_id: str, parts: tuple[str, ...], query: RequestQuery
) -> list[Document]:
    """All-time visitors by ``MONTH`` or ``WEEK``."""
    conditions = repository.visitor_conditions(project_id)
    return _series(
        tx, Source.MEMBERS, project_id, conditions,
        since=None, zone=query.zone, unit=_UNIT_OF_PARTS[parts], parts=parts,
        direction=ASCENDING,
    )  # fmt: skip


# ---------------------------------------------------------------- messages


def messages_count(tx: Tx, project_id: str, query: MessageQuery) -> list[Document]:
    """Messages of the last 30 days, by ``sender``, ``recipient`` or ``attributes_answerid``."""
    conditions = repository.message_conditions(
        project_id,
        since=_since(tx.now, _LAST_30_DAYS),
        sender=query.sender,
        recipient=query.recipient,
        answer_id=query.answer_id,
    )
    return _count(tx, Source.MESSAGES, conditions)


def messages_by_day(tx: Tx, project_id: str, query: MessageQuery) -> list[Document]:
    since = _since(tx.now, query.days if query.days is not None else _LAST_7_DAYS)
    conditions = repository.message_conditions(
        project_id,
        sender=query.sender,
        recipient=query.recipient,
        channel=query.channel,
    )
    return _series(
        tx, Source.MESSAGES, project_id, conditions,
        since=since, zone=query.zone, unit=Unit.DAY, parts=DAY, direction=ASCENDING,
    )  # fmt: skip


def messages_by(
    tx: Tx, project_id: str, parts: tuple[str, ...], query: MessageQuery
) -> list[Document]:
    """All-time messages by ``MONTH`` or ``WEEK``."""
    conditions = repository.message_conditions(
        project_id, sender=query.sender, recipient=query.recipient
    )
    return _series(
        tx, Source.MESSAGES, project_id, conditions,
        since=None, zone=query.zone, unit=_UNIT_OF_PARTS[parts], parts=parts,
        direction=ASCENDING,
    )  # fmt: skip


def messages_by_key(tx: Tx, project_id: str, key: str, query: MessageQuery) -> list[Document]:
    """Messages of the last ``lastdays`` (7) counted by ``sender`` or by the bot answer that
    produced them (``_answerid``, the route ``/requests/aggregate/attributes/_answerid``)."""
    since = _since(tx.now, query.days if query.days is not None else _LAST_7_DAYS)
    conditions = repository.message_conditions(
        project_id, since=since, sender=query.sender, recipient=query.recipient
    )
    return _counted_by(repository.groups(tx, Source.MESSAGES, conditions, key), key)


# ---------------------------------------------------------------- events and tags


def events_by_day(tx: Tx, project_id: str, query: EventQuery) -> list[Document]:
    since = _since(tx.now, query.days if query.days is not None else _LAST_7_DAYS)
    conditions = repository.event_conditions(project_id, tx.now, name=query.name)
    return _series(
        tx, Source.EVENTS, project_id, conditions,
        since=since, zone=query.zone, unit=Unit.DAY, parts=DAY, direction=ASCENDING,
        key="name",
    )  # fmt: skip


def tag_chart(tx: Tx, project_id: str, query: TagQuery) -> Document:
    """``{"dates": ["DD/MM/YYYY", ...], "series": [{"name", "values"}]}``: for type
    ``conversation-tag``, the conversations created each day that carry each tag, by default
    over the last seven days, today included. Only days with tags are listed, as Tiledesk
    lists only the days it recorded."""
    today = to_local(tx.now, query.zone).date()
    first = query.first or today - timedelta(days=6)
    last = query.last or today
    if first > last:
        raise BadRequest("Invalid dates: start_date can't be greater of end_date", key="error")
    if query.type != CONVERSATION_TAG:
        return {"dates": [], "series": []}
    start = to_ms(datetime.combine(first, time()), query.zone)
    end = to_ms(datetime.combine(last + timedelta(days=1), time()), query.zone)
    calendar = buckets(start, end - 1, query.zone, Unit.DAY)
    rows = repository.tag_usage(tx, project_id, [(b.start, b.end) for b in calendar])
    counts: dict[int, dict[str, int]] = {}
    for row in sorted(rows, key=lambda row: (row.bucket, str(row.key))):
        counts.setdefault(row.bucket, {})[str(row.key)] = int(row.count)
    days = sorted(counts)
    names = list(dict.fromkeys(name for day in days for name in counts[day]))
    return {
        "dates": [calendar[day].local.strftime("%d/%m/%Y") for day in days],
        "series": [
            {"name": name, "values": [counts[day].get(name, 0) for day in days]} for name in names
        ],
    }


# ---------------------------------------------------------------- shared shapes


def _count(tx: Tx, source: Source, conditions: Conditions) -> list[Document]:
    """MongoDB's ``$count``: nothing at all when nothing matched."""
    count, _total, _counted = repository.totals(tx, source, conditions)
    return [{"totalCount": count}] if count else []


def _average(
    tx: Tx, project_id: str, conditions: Conditions, measure: str, name: str
) -> list[Document]:
    """``$group`` by project with ``$avg``: no group without rows; a null average when no
    row has a value."""
    count, total, counted = repository.totals(tx, Source.REQUESTS, conditions, measure=measure)
    if not count:
        return []
    return [{"_id": project_id, name: _mean(total, counted)}]


def _series(
    tx: Tx,
    source: Source,
    project_id: str,
    conditions: Conditions,
    *,
    since: int | None,
    zone: tzinfo,
    unit: Unit,
    parts: tuple[str, ...],
    direction: int,
    key: str | None = None,
    measure: tuple[str, str] | None = None,
) -> list[Document]:
    """Rows grouped by the local date ``parts`` of their ``created_at`` (and by ``key``),
    counted or averaged, sorted on the ``_id`` keys in order as MongoDB sorts documents.
    The window (``since``) is applied here, through the buckets: ``conditions`` leave it
    out."""
    found = repository.span(tx, source, project_id, since)
    if found is None:
        return []
    calendar = buckets(found[0], found[1], zone, unit)
    ranges = [(bucket.start, bucket.end) for bucket in calendar]
    # The window starts inside the first bucket: clipping the bucket applies it (a separate
    # ``created_at >= since`` would make each range scan start at ``since``).
    ranges[0] = (max(ranges[0][0], since or 0), ranges[0][1])
    rows = repository.bucketed(
        tx, source, conditions, ranges, key=key, measure=measure[0] if measure else None
    )
    # Counts of buckets with the same label add up (hours of the day over a month); averaged
    # series are by day or month, whose buckets all have labels of their own.
    merged: dict[tuple[Any, ...], Any] = {}
    for row in rows:
        local = calendar[row.bucket].local
        group = tuple(_PARTS[part](local) for part in parts) + ((row.key,) if key else ())
        if measure:
            merged[group] = _js_number(row.average)
        else:
            merged[group] = merged.get(group, 0) + int(row.count)
    names = parts + ((key,) if key else ())
    value_name = measure[1] if measure else "count"
    documents = [
        {"_id": _present(dict(zip(names, group, strict=True))), value_name: value}
        for group, value in merged.items()
    ]
    return _sorted(documents, names, direction)


def _present(keys: dict[str, Any]) -> dict[str, Any]:
    """A group ``_id``: a key whose value is missing is absent, as in MongoDB."""
    return {name: value for name, value in keys.items() if value is not None}


def _mean(total: int, counted: int) -> int | float | None:
    """``$avg``: null without values."""
    return _js_number(total / counted) if counted else None


def _js_number(value: float | None) -> int | float | None:
    """Whole numbers written without a fraction, as JavaScript writes them."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def _counted_by(pairs: list[tuple[Any, int]], name: str) -> list[Document]:
    """``[{"_id": {name: value}, "count": n}]`` in ascending order of value."""
    pairs.sort(key=lambda pair: _rank(pair[0]))
    return [{"_id": {name: value} if value is not None else {}, "count": n} for value, n in pairs]


def _sorted(documents: list[Document], names: Sequence[str], direction: int) -> list[Document]:
    """MongoDB's ``$sort`` on ``_id``: key by key in order."""

    def rank(document: Document) -> tuple[tuple[int, Any], ...]:
        keys = document["_id"]
        return tuple(_rank(keys.get(name)) for name in names)

    return sorted(documents, key=rank, reverse=direction == DESCENDING)


def _rank(value: Any) -> tuple[int, Any]:
    """MongoDB's order of values: missing (or null) first, then numbers, strings, booleans."""
    if value is None:
        return (0, 0)
    if isinstance(value, bool):
        return (3, value)
    if isinstance(value, int | float):
        return (1, value)
    return (2, str(value))
