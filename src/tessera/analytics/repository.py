"""SQL of the analytics: counts, sums and groups over conversations, messages, memberships
and custom events, always inside one project.

Time buckets arrive as UTC ranges (``buckets.py``): the same integer comparisons on SQLite
and PostgreSQL, served by the ``(project_id, created_at)`` indexes. Averages are divided so
that both databases round them the same way (see ``_averaged``)."""

from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Float,
    Integer,
    Select,
    String,
    Table,
    case,
    cast,
    column,
    func,
    literal,
    literal_column,
    select,
    text,
)

from tessera.conversations.models import PARTICIPANT, request_agents, requests
from tessera.core.db import JsonPathText, Record, Tx
from tessera.custom_events.models import events
from tessera.messages.models import messages
from tessera.project_users.models import STATUS_ACTIVE, project_users


class Source(StrEnum):
    REQUESTS = "requests"
    MESSAGES = "messages"
    MEMBERS = "project_users"
    EVENTS = "events"


_TABLES: dict[Source, Table] = {
    Source.REQUESTS: requests,
    Source.MESSAGES: messages,
    Source.MEMBERS: project_users,
    Source.EVENTS: events,
}

# Group keys by their name in the answer's ``_id``.
_KEYS: dict[str, ColumnElement[Any]] = {
    "status": requests.c.status,
    "hasBot": requests.c.has_bot,
    "sourcePage": requests.c.source_page,
    "sender": messages.c.sender,
    # As text on both databases (SQLite's json_extract would keep a number a number).
    "_answerid": cast(JsonPathText(messages.c.attributes, ("_answerid",)), String),
    "name": events.c.name,
}

# Tables with an index on (project_id, created_at).
_BY_CREATION = frozenset({Source.REQUESTS, Source.MESSAGES, Source.EVENTS})

# Averaged values, in milliseconds or rating points.
_MEASURES: dict[str, ColumnElement[Any]] = {
    "waiting_time": requests.c.waiting_time,
    # MongoDB's ``$subtract: [closed_at, createdAt]``: null while the conversation is open.
    "duration": requests.c.closed_at - requests.c.created_at,
    "rating": requests.c.rating,
}

Conditions = list[ColumnElement[bool]]


def request_conditions(
    project_id: str,
    *,
    since: int | None = None,
    include_preflight: bool = False,
    department_id: str | None = None,
    participant: str | None = None,
    channel: str | None = None,
    has_bot: bool | None = None,
) -> Conditions:
    """Conversations of the project; the widget's preflight ones are left out unless
    ``include_preflight`` (only the public waiting time counts them, as in Tiledesk)."""
    found: Conditions = [requests.c.project_id == project_id]
    if since is not None:
        found.append(requests.c.created_at >= since)
    if not include_preflight:
        found.append(requests.c.preflight.is_(False))
    if department_id is not None:
        found.append(requests.c.department_id == department_id)
    if participant is not None:
        # ``request_agents`` mirrors ``participants`` with an index (project, agent, kind).
        taking_part = select(request_agents.c.request_pk).where(
            request_agents.c.project_id == project_id,
            request_agents.c.agent == participant,
            request_agents.c.kind == PARTICIPANT,
        )
        found.append(requests.c.id.in_(taking_part))
    if channel is not None:
        found.append(JsonPathText(requests.c.channel, ("name",)) == channel)
    if has_bot is not None:
        found.append(requests.c.has_bot.is_(has_bot))
    return found


def message_conditions(
    project_id: str,
    *,
    since: int | None = None,
    sender: str | None = None,
    recipient: str | None = None,
    channel: str | None = None,
    answer_id: str | None = None,
) -> Conditions:
    found: Conditions = [messages.c.project_id == project_id]
    if since is not None:
        found.append(messages.c.created_at >= since)
    if sender is not None:
        found.append(messages.c.sender == sender)
    if recipient is not None:
        found.append(messages.c.recipient == recipient)
    if channel is not None:
        found.append(JsonPathText(messages.c.channel, ("name",)) == channel)
    if answer_id is not None:
        found.append(JsonPathText(messages.c.attributes, ("_answerid",)) == answer_id)
    return found


def visitor_conditions(project_id: str, *, since: int | None = None) -> Conditions:
    """Active memberships of visitors (guests and end users): the project's contacts."""
    found: Conditions = [
        project_users.c.project_id == project_id,
        project_users.c.role.in_(["guest", "user"]),
        project_users.c.status == STATUS_ACTIVE,
    ]
    if since is not None:
        found.append(project_users.c.created_at >= since)
    return found


def event_conditions(
    project_id: str, now: int, *, since: int | None = None, name: str | None = None
) -> Conditions:
    """Unexpired custom events; without a ``name``, all but ``typing.start`` (§5.19)."""
    found: Conditions = [events.c.project_id == project_id, events.c.expires_at > now]
    if since is not None:
        found.append(events.c.created_at >= since)
    found.append(events.c.name == name if name is not None else events.c.name != "typing.start")
    return found


def span(tx: Tx, source: Source, project_id: str, since: int | None) -> tuple[int, int] | None:
    """The first and last ``created_at`` of the project's rows since ``since``, or None
    without rows: two index probes, or one scan where ``created_at`` is not indexed."""
    table = _TABLES[source]
    where = [table.c.project_id == project_id]
    if since is not None:
        where.append(table.c.created_at >= since)
    first, last = func.min(table.c.created_at), func.max(table.c.created_at)
    if source in _BY_CREATION:
        statement = select(
            select(first).where(*where).scalar_subquery(),
            select(last).where(*where).scalar_subquery(),
        )
    else:
        statement = select(first, last).where(*where)
    row = tx.conn.execute(statement).one()
    if row[0] is None:
        return None
    return int(row[0]), int(row[1])


def totals(
    tx: Tx, source: Source, conditions: Conditions, *, measure: str | None = None
) -> tuple[int, int, int]:
    """How many rows match, and the sum and number of non-null values of ``measure``."""
    table = _TABLES[source]
    statement = select(func.count(), *_measured(measure)).select_from(table).where(*conditions)
    row = tx.conn.execute(statement).one()
    return int(row[0]), _integer(row[1]) if measure else 0, int(row[2]) if measure else 0


def groups(tx: Tx, source: Source, conditions: Conditions, key: str) -> list[tuple[Any, int]]:
    """Matching rows counted by the value of ``key``: ``(value, count)`` pairs (plain
    tuples: a group per sender can mean thousands of them)."""
    value = _KEYS[key]
    statement = (
        select(value, func.count()).select_from(_TABLES[source]).where(*conditions).group_by(value)
    )
    return [(row[0], int(row[1])) for row in tx.conn.execute(statement)]


def bucketed(
    tx: Tx,
    source: Source,
    conditions: Conditions,
    ranges: Sequence[tuple[int, int]],
    *,
    key: str | None = None,
    measure: str | None = None,
) -> list[Record]:
    """Matching rows grouped by the range that holds their ``created_at`` (``bucket``: its
    index in ``ranges``, which follow each other without gaps) and by ``key`` when given:
    ``count``, and the ``average`` of ``measure`` (null when no row has a value).

    Without a key, on a table indexed by ``(project_id, created_at)``, each range is one
    index range scan (a correlated subquery per range): no sort, whatever the number of
    rows, which is what the all-time routes over a million messages need. Otherwise one pass
    over the rows computes each row's range (a binary search written as nested ``CASE``)
    and groups on it."""
    if key is None and source in _BY_CREATION:
        return _bucketed_by_range(tx, _TABLES[source], conditions, ranges, measure)
    table = _TABLES[source]
    bucket = _bucket_of(table.c.created_at, ranges).label("bucket")
    grouping: list[ColumnElement[Any]] = [bucket]
    if key is not None:
        grouping.append(_KEYS[key].label("key"))
    statement = (
        select(*grouping, func.count().label("count"), *_averaged(measure))
        .select_from(table)
        .where(*conditions, *_within(table.c.created_at, ranges))
        .group_by(*_variable(grouping, ranges))
    )
    return [row for row in tx.all(statement) if row.count]


def tag_usage(tx: Tx, project_id: str, ranges: Sequence[tuple[int, int]]) -> list[Record]:
    """How many conversations created in each range carry each tag (``bucket``, ``key``,
    ``count``). The tags are unnested per dialect: ``json_each`` / ``jsonb_array_elements``."""
    if tx.conn.dialect.name == "postgresql":
        element = func.jsonb_array_elements(requests.c.tags).table_valued(
            "value", joins_implicitly=True
        )
        name: ColumnElement[Any] = element.c.value.op("->>")(literal("tag", String))
    else:
        element = func.json_each(requests.c.tags).table_valued("value", joins_implicitly=True)
        name = func.json_extract(element.c.value, "$.tag")
    bucket = _bucket_of(requests.c.created_at, ranges)
    statement: Select[Any] = (
        select(bucket.label("bucket"), name.label("key"), func.count().label("count"))
        .select_from(requests)
        .select_from(element)
        .where(requests.c.project_id == project_id, requests.c.preflight.is_(False))
        .where(*_within(requests.c.created_at, ranges), name.is_not(None))
        .group_by(*_variable([bucket, name], ranges))
    )
    return tx.all(statement)


def _bucketed_by_range(
    tx: Tx,
    table: Table,
    conditions: Conditions,
    ranges: Sequence[tuple[int, int]],
    measure: str | None,
) -> list[Record]:
    """One row per range: ``WITH buckets AS (VALUES (index, start, end), ...)`` (both
    databases name the columns ``column1``..``column3``) and a correlated aggregate each.
    The values are integers computed by the code (never client text), written inline so
    that a long calendar is not thousands of parameters."""
    rows = ", ".join(
        f"({index}, {int(start)}, {int(end)})" for index, (start, end) in enumerate(ranges)
    )
    bounds = (
        text(f"VALUES {rows}")
        .columns(
            column("column1", Integer), column("column2", BigInteger), column("column3", BigInteger)
        )
        .cte("buckets")
    )
    inside = [
        *conditions,
        table.c.created_at >= bounds.c.column2,
        table.c.created_at < bounds.c.column3,
    ]
    aggregates = [func.count(), *_averaged(measure)]
    columns = [
        select(aggregate).select_from(table).where(*inside).scalar_subquery().label(name)
        for aggregate, name in zip(aggregates, ("count", "average"), strict=False)
    ]
    statement = select(bounds.c.column1.label("bucket"), *columns).select_from(bounds)
    return [row for row in tx.all(statement) if row.count]


def _bucket_of(value: ColumnElement[int], ranges: Sequence[tuple[int, int]]) -> ColumnElement[int]:
    """The index of the range holding ``value`` (ranges contiguous and sorted), as a binary
    search: about log2(len(ranges)) comparisons per row, the same SQL on both databases.
    Bounds are inline integers computed by the code: no parameters to repeat in GROUP BY."""

    def search(low: int, high: int) -> ColumnElement[int]:
        if low == high:
            return literal_column(str(low), Integer)
        middle = (low + high + 1) // 2
        bound = literal_column(str(int(ranges[middle][0])), BigInteger)
        return case((value < bound, search(low, middle - 1)), else_=search(middle, high))

    return search(0, len(ranges) - 1)


def _variable(
    grouping: list[ColumnElement[Any]], ranges: Sequence[tuple[int, int]]
) -> list[ColumnElement[Any]]:
    """The GROUP BY terms: with a single range the bucket is the constant ``0``, which
    GROUP BY would read as a column position, so it is left out."""
    return grouping if len(ranges) > 1 else grouping[1:]


def _within(value: ColumnElement[int], ranges: Sequence[tuple[int, int]]) -> Conditions:
    return [value >= ranges[0][0], value < ranges[-1][1]]


def _averaged(measure: str | None) -> list[ColumnElement[Any]]:
    """MongoDB's ``$avg`` in one pass: the exact integer sum, as a double, divided by the
    number of values, so both databases round the quotient once, like Python and
    JavaScript do (PostgreSQL's own ``avg`` of integers is a ``numeric``)."""
    if measure is None:
        return []
    value = _MEASURES[measure]
    total = cast(func.sum(value), Float)
    return [(total / func.nullif(func.count(value), 0)).label("average")]


def _measured(measure: str | None) -> list[ColumnElement[Any]]:
    if measure is None:
        return []
    value = _MEASURES[measure]
    return [func.sum(value).label("total"), func.count(value).label("counted")]


def _integer(value: Any) -> int:
    """A SUM of integers: ``int`` on SQLite, ``Decimal`` on PostgreSQL; 0 when all null."""
    return int(value) if value is not None else 0
