"""Activity use cases (§5.18): recording (the commit hook), the list, the CSV export and the
purge of expired activities."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement

from tessera.activities import archiver, repository
from tessera.activities.messages import message_of
from tessera.activities.schemas import ActivityFilter, ActivityOut
from tessera.auth.principal import Member
from tessera.core.db import Record, Tx
from tessera.core.errors import InvalidInput
from tessera.core.events import DomainEvent
from tessera.core.pagination import PageParams

_DAY_MS = 86_400_000
_DATE_FORMAT = "%d/%m/%Y"
_DEFAULT_LIMIT = 40
_LIST_MAX = 100
_CHART_MAX = 1000
_CHART_WARNING = (
    "Limit exceeded the maximum allowed value of 1000. "
    "Only the first 1000 matching activities are returned."
)
_CHART_VALUES = frozenset({"true", "1"})


@dataclass(frozen=True, slots=True)
class Window:
    """The page of the list, whether it is the chart view, and the chart's warning."""

    page: PageParams
    chart: bool
    warning: str | None


def window(page: int, limit: str | None, chart: str | None) -> Window:
    """Tiledesk's limits: 40 by default (also for anything that is not a positive number),
    at most 100, or 1000 for the chart view (``chart=true``), which then says it cut."""
    try:
        requested = int(limit) if limit else _DEFAULT_LIMIT
    except ValueError:
        requested = _DEFAULT_LIMIT
    requested = requested if requested > 0 else _DEFAULT_LIMIT
    if chart in _CHART_VALUES:
        warning = _CHART_WARNING if requested > _CHART_MAX else None
        return Window(PageParams(page, min(requested, _CHART_MAX)), True, warning)
    return Window(PageParams(page, min(requested, _LIST_MAX)), False, None)


def record(tx: Tx, events: Sequence[DomainEvent]) -> None:
    """The commit hook (``Database.add_commit_hook``): the activities of a write's events,
    stored in its transaction."""
    repository.add_many(
        tx,
        (
            {
                "project_id": draft.project_id,
                "actor": draft.actor,
                "verb": draft.verb,
                "action_obj": draft.action,
                "target": draft.target,
                "related": draft.related,
                "involved_user_ids": draft.involved_user_ids() or None,
            }
            for draft in archiver.drafts(tx, events)
        ),
    )


def present(row: Record) -> dict[str, Any]:
    """The activity as the list shows it: the document and its message."""
    document = ActivityOut.of(row).wire()
    document["message"] = message_of(document)
    return document


def activity_filter(
    *,
    start_date: str | None,
    end_date: str | None,
    agent_id: str | None,
    activities: str | None,
    sort: str | None,
    direction: int,
) -> ActivityFilter:
    """The query's filters. Dates are days (``DD/MM/YYYY``, UTC): from the start of
    ``start_date`` to the end of ``end_date``; as in Tiledesk, ``end_date`` alone is ignored."""
    start = _day(start_date, "start_date") if start_date else None
    end = _day(end_date, "end_date") + _DAY_MS - 1 if start_date and end_date else None
    verbs = tuple(verb for verb in (activities or "").split(",") if verb)
    return ActivityFilter(start, end, agent_id or None, verbs, sort, direction)


def _day(value: str, param: str) -> int:
    try:
        day = datetime.strptime(value, _DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise InvalidInput.field(
            param, "must be a date as DD/MM/YYYY", value=value, location="query"
        ) from None
    return int(day.timestamp() * 1000)


def list_activities(
    tx: Tx, member: Member, query: ActivityFilter, page: PageParams
) -> tuple[list[dict[str, Any]], int]:
    rows, count = repository.search(
        tx,
        member.project_id,
        conditions=_conditions(query),
        page=page,
        sort=query.sort,
        direction=query.direction,
    )
    return [present(row) for row in rows], count


def export_activities(
    tx: Tx, member: Member, query: ActivityFilter, page: PageParams
) -> list[dict[str, Any]]:
    """One page of the CSV export: a row per activity (Tiledesk's columns)."""
    rows, _count = repository.search(
        tx,
        member.project_id,
        conditions=_conditions(query),
        page=page,
        sort=query.sort,
        direction=query.direction,
        with_count=False,
    )
    return [csv_row(present(row)) for row in rows]


def _conditions(query: ActivityFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if query.start is not None:
        conditions.append(repository.created_from(query.start))
    if query.end is not None:
        conditions.append(repository.created_until(query.end))
    if query.agent_id:
        conditions.append(repository.involving(query.agent_id))
    if query.verbs:
        conditions.append(repository.with_verbs(query.verbs))
    return conditions


def csv_row(activity: dict[str, Any]) -> dict[str, Any]:
    """The flat row of Tiledesk's activities CSV."""
    actor = activity["actor"]
    action = activity.get("actionObj") or {}
    target = activity["target"]
    found = target.get("object")
    subject: dict[str, Any] = found if isinstance(found, dict) else {}
    person = subject.get("id_user")
    user: dict[str, Any] = person if isinstance(person, dict) else {}
    return {
        "message": activity["message"],
        "activity_id": activity["_id"],
        "createdAt": activity["createdAt"],
        "updatedAt": activity["updatedAt"],
        "project_id": activity["id_project"],
        "actor_name": actor.get("name"),
        "actor_id": actor.get("id"),
        "actor_type": actor.get("type"),
        "verb": activity["verb"],
        "target_user_fullname": " ".join(
            part for part in (user.get("firstname"), user.get("lastname")) if part
        ),
        "target_email": subject.get("email"),
        "target_type": target.get("type"),
        "target_user_id": user.get("_id"),
        "actionObj_email": action.get("email"),
        "actionObj_id_project": action.get("id_project"),
        "actionObj_project_name": action.get("project_name"),
        "actionObj_role": action.get("role"),
        "actionObj_user_available": action.get("user_available"),
        "target_id": target.get("id"),
        "target_createdAt": subject.get("createdAt"),
        "target_createdBy": subject.get("createdBy"),
        "target_role": subject.get("role"),
        "target_user_available": subject.get("user_available"),
    }


def purge_expired(tx: Tx, now: int, *, days: int) -> int:
    """Delete the activities older than ``days`` at ``now`` (the scheduler runs it)."""
    return repository.purge(tx, now - days * _DAY_MS)
