"""Reading many conversations (§5.4.1, §5.4.2): the agents' list and its CSV, the caller's
own conversations (``/me``) and the queue counters (``/count``).

Who sees what (§4.4) is decided here; ``queries.py`` turns filters into SQL.
"""

import calendar
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import ColumnElement, or_

from tessera.auth.principal import Member
from tessera.conversations import queries, repository
from tessera.conversations.models import ASSIGNED, CANDIDATE, CLOSED, PARTICIPANT, UNASSIGNED
from tessera.conversations.models import requests as r
from tessera.conversations.schemas import (
    QuotaSlot,
    RequestCounts,
    RequestCsvQuery,
    RequestOut,
    RequestQuery,
)
from tessera.conversations.service import present_many, present_saved
from tessera.core.clock import from_datetime, parse_iso
from tessera.core.db import Record, Tx
from tessera.core.pagination import PageParams, page_params
from tessera.leads import repository as leads
from tessera.projects.schemas import ProjectOut
from tessera.search import service as search
from tessera.search.models import REQUEST

PAGE_SIZE = 40
MAX_PAGE_SIZE = 100
CSV_PAGE_SIZE = 100_000

READ_ALL = "request_read_all"
READ_GROUP = "request_read_group"


class Scope(Enum):
    """How much of a project's conversations a member reads (§4.4)."""

    ALL = "all"
    GROUP = "group"  # where the member takes part or was a routing candidate
    OWN = "own"  # where the member takes part


def reading_scope(member: Member) -> Scope:
    """Tiledesk's "has permission or role": a member with permissions (its own, or its
    custom role's) is judged by them alone; otherwise owners and admins read all, agents
    their group, anyone else (supervisor, teammate, a custom role without permissions) only
    what they take part in. Bots and subscriptions act without a membership and read all."""
    if member.membership is None:
        return Scope.ALL
    permissions = member.permissions
    if permissions:
        if READ_ALL in permissions:
            return Scope.ALL
        return Scope.GROUP if READ_GROUP in permissions else Scope.OWN
    if member.role_name in ("owner", "admin"):
        return Scope.ALL
    return Scope.GROUP if member.role_name == "agent" else Scope.OWN


def export_scope(member: Member, mine: bool) -> Scope:
    """The CSV export has its own rule in Tiledesk: owners and admins export all (their
    group with ``mine``), every other member their group."""
    if member.membership is None:
        return Scope.ALL
    if member.role_name in ("owner", "admin") and not mine:
        return Scope.ALL
    return Scope.GROUP


def _visibility(member: Member, scope: Scope) -> list[ColumnElement[bool]]:
    if scope is Scope.ALL:
        return []
    kinds = (PARTICIPANT, CANDIDATE) if scope is Scope.GROUP else (PARTICIPANT,)
    return [queries.seen_by(member.caller.id, kinds)]


# ------------------------------------------------------------------ lists


def list_requests(tx: Tx, member: Member, query: RequestQuery) -> dict[str, Any]:
    """``GET /:pid/requests``: a page of the conversations the member may read."""
    conditions = [
        queries.status_condition(query.status, default=queries.LIST_DEFAULT_STATUS),
        queries.preflight_condition(query),
        *_visibility(member, reading_scope(member)),
        *queries.filters(query),
    ]
    return _page(tx, member, query, conditions)


def list_my_requests(tx: Tx, member: Member, query: RequestQuery) -> dict[str, Any]:
    """``GET /:pid/requests/me``: the caller's own conversations (any role, guests too)."""
    membership_id = member.membership["id"] if member.membership is not None else None
    conditions = [
        queries.status_condition(query.status, default=queries.ME_DEFAULT_STATUS),
        queries.preflight_condition(query),
        queries.requested_by(membership_id),
        *queries.filters(query),
    ]
    return _page(tx, member, query, conditions)


def _page(
    tx: Tx,
    member: Member,
    query: RequestQuery,
    conditions: Iterable[ColumnElement[bool] | None],
) -> dict[str, Any]:
    page = page_params(query.page, query.limit, default=PAGE_SIZE, reset_above=MAX_PAGE_SIZE)
    rows, count = _search(tx, member, query, conditions, page, with_count=query.no_count != "true")
    presented = present_many(tx, member.project, rows, populate=query.no_populate != "true")
    # The documents are wire-ready already: wrapping them in ``RequestList`` would walk and
    # convert every one of them a second time (a third of a page's cost). Same shape:
    # ``count`` is left out with ``no_count``.
    answer = {"perPage": page.limit, "count": count, "requests": presented}
    return {key: value for key, value in answer.items() if value is not None}


def _search(
    tx: Tx,
    member: Member,
    query: RequestQuery,
    conditions: Iterable[ColumnElement[bool] | None],
    page: PageParams,
    *,
    with_count: bool,
) -> tuple[list[Record], int]:
    """Run a list query. ``full_text`` restricts it to the search index's hits, best
    matches first unless ``no_textscore=true`` (§1.5)."""
    hits = (
        search.matching(tx, member.project_id, REQUEST, query.full_text)
        if query.full_text
        else None
    )
    ranked = hits if hits is not None and query.no_textscore != "true" else None
    return repository.search(
        tx,
        member.project_id,
        conditions=[condition for condition in conditions if condition is not None],
        order=queries.ordering(query.sort, query.direction, scores=ranked),
        page=page,
        with_count=with_count,
        hits=hits,
    )


def recent_for_realtime(tx: Tx, member: Member, limit: int) -> list[dict[str, Any]]:
    """The first frame of the realtime ``/<pid>/requests`` topic (§6.4): the ``limit`` most
    recently updated live conversations the member may read, as lean documents (ids, not
    populated) with ``snapshot.agents`` reduced to ids and ``snapshot.requester``'s
    ``isAuthenticated``."""
    rows, _count = repository.search(
        tx,
        member.project_id,
        conditions=[queries.LIVE_LIST, *_visibility(member, reading_scope(member))],
        order=queries.ordering("updatedAt", -1),
        page=PageParams(0, limit),
        with_count=False,
    )
    return [_lean(row) for row in rows]


def _lean(row: Record) -> dict[str, Any]:
    document = present_saved(row)
    snapshot = dict(document.get("snapshot") or {})
    requester = snapshot.get("requester")
    if isinstance(requester, dict):
        snapshot["requester"] = {**requester, "isAuthenticated": requester.get("role") != "guest"}
    snapshot["agents"] = [{"id_user": agent.get("id_user")} for agent in snapshot.get("agents", [])]
    document["snapshot"] = snapshot
    return document


# ------------------------------------------------------------------ CSV

CSV_COLUMNS = (
    "_id", "preflight", "hasBot", "participants", "priority", "followers",
    "participantsAgents", "participantsBots", "request_id", "requester", "first_text",
    "subject", "sourcePage", "language", "userAgent", "assigned_at", "id_project",
    "createdBy", "tags", "auto_close", "createdAt", "contact", "draft", "smartAssignment",
    "updatedAt", "ticket_id", "workingStatus", "first_response_at", "waiting_time",
    "closed_at", "closed_by", "duration", "rating", "rating_message",
    "channel_name", "department_name", "lead_fullname", "lead_email",
    "caller_phone", "called_phone", "call_id",
)  # fmt: skip
"""The request document in Tiledesk's field order without ``transcript``, ``status``,
``__v`` and the objects it drops (``lead``, ``department``, ``channel``, ``attributes``,
``notes``, ``channelOutbound``, ``location``, ``snapshot``), then the columns it adds.
(Tiledesk takes its header from the first row's keys, so its columns vary; these are all
of them, always.)"""

_ID_LISTS = ("participants", "followers", "participantsAgents", "participantsBots")


def export_requests(tx: Tx, member: Member, query: RequestCsvQuery) -> list[dict[str, Any]]:
    """``GET /:pid/requests/csv``: the CSV rows of the list's filters, up to 100000 a page."""
    conditions = [
        queries.status_condition(query.status, default=queries.LIST_DEFAULT_STATUS),
        queries.preflight_condition(query),
        *_visibility(member, export_scope(member, bool(query.mine))),
        *queries.filters(query),
    ]
    page = PageParams(page=query.page, limit=CSV_PAGE_SIZE)
    rows, _count = _search(tx, member, query, conditions, page, with_count=False)
    lead_ids = [lead_id for lead_id in dict.fromkeys(row.lead_id for row in rows) if lead_id]
    found_leads = leads.get_many(tx, member.project_id, lead_ids)
    found_departments = repository.departments_by_id(
        tx, member.project_id, [row.department_id for row in rows]
    )
    return [_csv_row(row, found_leads, found_departments) for row in rows]


def _csv_row(
    row: Record, found_leads: Mapping[str, Record], found_departments: Mapping[str, Record]
) -> dict[str, Any]:
    """One line: id lists comma-joined and tag names joined by ", " as Tiledesk writes them;
    the call's phones and id from ``attributes``."""
    document = RequestOut.model_validate({**dict(row), "lead_pk": row.lead_id}).wire()
    lead = found_leads.get(row.lead_id) if row.lead_id else None
    department = found_departments.get(row.department_id) if row.department_id else None
    attributes = row.attributes or {}
    line: dict[str, Any] = {key: document.get(key) for key in CSV_COLUMNS}
    line.update({key: ",".join(document[key]) for key in _ID_LISTS})
    line.update(
        tags=", ".join(str(tag.get("tag", "")) for tag in row.tags),
        channel_name=(row.channel or {}).get("name") or "",
        department_name=department.name if department is not None else "",
        lead_fullname=(lead.fullname if lead is not None else None) or "",
        lead_email=(lead.email if lead is not None else None) or "",
        caller_phone=attributes.get("caller_phone"),
        called_phone=attributes.get("called_phone"),
        call_id=attributes.get("call_id"),
    )
    return line


# ------------------------------------------------------------------ counters


def count_requests(
    tx: Tx, member: Member, *, merge_assigned: bool, conversation_quota: bool
) -> dict[str, Any]:
    """``GET /:pid/requests/count``: project-wide, as in Tiledesk (no visibility rule), test
    conversations (``draft``) never counted."""
    not_draft = or_(r.c.draft.is_(None), r.c.draft.is_(False))
    if conversation_quota:
        return _quota_counts(tx, member, not_draft)
    states = repository.count_by_state(
        tx,
        member.project_id,
        [not_draft, r.c.preflight.is_(False), r.c.status.in_([UNASSIGNED, ASSIGNED])],
    )
    unassigned = sum(s.n for s in states if s.status == UNASSIGNED)
    human = sum(s.n for s in states if s.status == ASSIGNED and not s.has_bot)
    bot = sum(s.n for s in states if s.status == ASSIGNED and s.has_bot)
    if merge_assigned:
        return RequestCounts(unassigned=unassigned, assigned=human + bot).wire()
    return RequestCounts(unassigned=unassigned, assigned=human, bot_assigned=bot).wire()


def _quota_counts(tx: Tx, member: Member, not_draft: ColumnElement[bool]) -> dict[str, Any]:
    """Open (queued or assigned) and closed conversations created in the current month of
    the plan, preflight ones included."""
    start, end = current_slot(member.project, datetime.now(UTC))
    states = repository.count_by_state(
        tx,
        member.project_id,
        [
            not_draft,
            r.c.status.in_([UNASSIGNED, ASSIGNED, CLOSED]),
            r.c.created_at >= from_datetime(start),
            r.c.created_at <= from_datetime(end),
        ],
    )
    slot = QuotaSlot(start_date=start.strftime("%d/%m/%Y"), end_date=end.strftime("%d/%m/%Y"))
    return RequestCounts(
        open=sum(s.n for s in states if s.status in (UNASSIGNED, ASSIGNED)),
        closed=sum(s.n for s in states if s.status == CLOSED),
        slot=slot,
    ).wire()


def current_slot(project: Mapping[str, Any], now: datetime) -> tuple[datetime, datetime]:
    """The plan month containing ``now`` (Tiledesk's quota slot): months counted from the
    subscription start while the subscription is active, else from its end, else from the
    project's creation; from that day's midnight to the last millisecond before the same
    day of the next month (UTC)."""
    anchor = _slot_anchor(project)
    months = (now.year - anchor.year) * 12 + now.month - anchor.month
    if _add_months(anchor, months) > now:
        months -= 1
    start = _add_months(anchor, months).replace(hour=0, minute=0, second=0, microsecond=0)
    last_day = _add_months(anchor, months + 1) - timedelta(days=1)
    end = last_day.replace(hour=23, minute=59, second=59, microsecond=999_000)
    return start, end


def _slot_anchor(project: Mapping[str, Any]) -> datetime:
    profile = project.get("profile") or {}
    key = "subStart" if ProjectOut.of(project).is_active_subscription else "subEnd"
    value = profile.get(key)
    millis = parse_iso(value) if isinstance(value, str) else None
    if millis is None:
        millis = int(project["created_at"])
    return datetime.fromtimestamp(millis / 1000, UTC)


def _add_months(moment: datetime, months: int) -> datetime:
    """``moment`` plus ``months`` calendar months, the day clamped to the month's length."""
    year, month = divmod(moment.month - 1 + months, 12)
    year += moment.year
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)
