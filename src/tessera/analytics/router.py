"""HTTP surface of analytics (§5.19): ``/{project_id}/analytics`` (admins) and the widget's
``/{project_id}/publicanalytics/waiting/current`` (public).

Each route declares exactly the query parameters Tiledesk's route reads, plus ``timezone``
on the time-bucketed ones; the service answers MongoDB's aggregation arrays as they are."""

from fastapi import APIRouter
from starlette.responses import Response

from tessera.analytics import service
from tessera.analytics.schemas import Group, TagChart, TotalCount
from tessera.auth.dependencies import Admin
from tessera.core.responses import json_response
from tessera.dependencies import DatabaseDep

router = APIRouter(prefix="/{project_id}/analytics", tags=["analytics"])
public_router = APIRouter(prefix="/{project_id}/publicanalytics", tags=["analytics"])

Counted = list[TotalCount]
Groups = list[Group]


# ---------------------------------------------------------------- conversations


@router.get("/requests/count", response_model=Counted)
async def requests_count(member: Admin, db: DatabaseDep) -> Response:
    return json_response(await db.read(service.requests_count, member.project_id))


@router.get("/requests/aggregate/status", response_model=Counted)
async def requests_aggregate_status(member: Admin, db: DatabaseDep) -> Response:
    """Counts like ``/requests/count`` (Tiledesk never implemented the status split)."""
    return json_response(await db.read(service.requests_count, member.project_id))


@router.get("/requests/aggregate/day", response_model=Groups)
async def requests_by_day(
    member: Admin,
    db: DatabaseDep,
    lastdays: str | None = None,
    department_id: str | None = None,
    participant: str | None = None,
    channel: str | None = None,
    timezone: str | None = None,
) -> Response:
    query = service.request_query(
        lastdays=lastdays,
        department_id=department_id,
        participant=participant,
        channel=channel,
        timezone=timezone,
    )
    return json_response(await db.read(service.requests_by_day, member.project_id, query))


@router.get("/requests/aggregate/status/day", response_model=Groups)
async def requests_by_status_and_day(
    member: Admin,
    db: DatabaseDep,
    lastdays: str | None = None,
    department_id: str | None = None,
    participant: str | None = None,
    timezone: str | None = None,
) -> Response:
    query = service.request_query(
        lastdays=lastdays, department_id=department_id, participant=participant, timezone=timezone
    )
    found = await db.read(service.requests_by_status_and_day, member.project_id, query)
    return json_response(found)


@router.get("/requests/aggregate/month", response_model=Groups)
async def requests_by_month(
    member: Admin, db: DatabaseDep, department_id: str | None = None, timezone: str | None = None
) -> Response:
    query = service.request_query(department_id=department_id, timezone=timezone)
    return json_response(await db.read(service.requests_by_month, member.project_id, query))


@router.get("/requests/aggregate/week", response_model=Groups)
async def requests_by_week(member: Admin, db: DatabaseDep, timezone: str | None = None) -> Response:
    query = service.request_query(timezone=timezone)
    return json_response(await db.read(service.requests_by_week, member.project_id, query))


@router.get("/requests/aggregate/hours", response_model=Groups)
async def requests_by_hour(member: Admin, db: DatabaseDep, timezone: str | None = None) -> Response:
    query = service.request_query(timezone=timezone)
    return json_response(await db.read(service.requests_by_hour, member.project_id, query))


@router.get("/requests/aggregate/dayoftheweek/hours", response_model=Groups)
async def requests_by_weekday_and_hour(
    member: Admin, db: DatabaseDep, timezone: str | None = None
) -> Response:
    query = service.request_query(timezone=timezone)
    found = await db.read(service.requests_by_weekday_and_hour, member.project_id, query)
    return json_response(found)


@router.get("/requests/waiting", response_model=Groups)
async def waiting(member: Admin, db: DatabaseDep, last: str | None = None) -> Response:
    """``last``: the window in seconds (30 days by default)."""
    window = service.seconds(last)
    return json_response(await db.read(service.waiting, member.project_id, window))


@router.get("/requests/waiting/day/last", response_model=Groups)
async def waiting_last_day(member: Admin, db: DatabaseDep) -> Response:
    return json_response(await db.read(service.waiting_last_day, member.project_id))


@router.get("/requests/waiting/day", response_model=Groups)
async def waiting_by_day(
    member: Admin,
    db: DatabaseDep,
    lastdays: str | None = None,
    department_id: str | None = None,
    participant: str | None = None,
    channel: str | None = None,
    timezone: str | None = None,
) -> Response:
    query = service.request_query(
        lastdays=lastdays,
        department_id=department_id,
        participant=participant,
        channel=channel,
        timezone=timezone,
    )
    return json_response(await db.read(service.waiting_by_day, member.project_id, query))


@router.get("/requests/waiting/month", response_model=Groups)
async def waiting_by_month(member: Admin, db: DatabaseDep, timezone: str | None = None) -> Response:
    query = service.request_query(timezone=timezone)
    return json_response(await db.read(service.waiting_by_month, member.project_id, query))


@router.get("/requests/duration", response_model=Groups)
async def duration(member: Admin, db: DatabaseDep) -> Response:
    return json_response(await db.read(service.duration, member.project_id))


@router.get("/requests/duration/day", response_model=Groups)
async def duration_by_day(
    member: Admin,
    db: DatabaseDep,
    lastdays: str | None = None,
    department_id: str | None = None,
    participant: str | None = None,
    channel: str | None = None,
    timezone: str | None = None,
) -> Response:
    query = service.request_query(
        lastdays=lastdays,
        department_id=department_id,
        participant=participant,
        channel=channel,
        timezone=timezone,
    )
    return json_response(await db.read(service.duration_by_day, member.project_id, query))


@router.get("/requests/duration/month", response_model=Groups)
async def duration_by_month(
    member: Admin, db: DatabaseDep, timezone: str | None = None
) -> Response:
    query = service.request_query(timezone=timezone)
    return json_response(await db.read(service.duration_by_month, member.project_id, query))


@router.get("/requests/satisfaction", response_model=Groups)
async def satisfaction(member: Admin, db: DatabaseDep) -> Response:
    return json_response(await db.read(service.satisfaction, member.project_id))


@router.get("/requests/satisfaction/day", response_model=Groups)
async def satisfaction_by_day(
    member: Admin,
    db: DatabaseDep,
    lastdays: str | None = None,
    department_id: str | None = None,
    participant: str | None = None,
    channel: str | None = None,
    timezone: str | None = None,
) -> Response:
    query = service.request_query(
        lastdays=lastdays,
        department_id=department_id,
        participant=participant,
        channel=channel,
        timezone=timezone,
    )
    return json_response(await db.read(service.satisfaction_by_day, member.project_id, query))


@router.get("/requests/satisfaction/month", response_model=Groups)
async def satisfaction_by_month(
    member: Admin, db: DatabaseDep, timezone: str | None = None
) -> Response:
    query = service.request_query(timezone=timezone)
    found = await db.read(service.satisfaction_by_month, member.project_id, query)
    return json_response(found)


@router.get("/requests/hasBot/count", response_model=Counted)
async def bot_requests_count(member: Admin, db: DatabaseDep) -> Response:
    return json_response(await db.read(service.bot_requests_count, member.project_id))


@router.get("/requests/aggregate/hasBot/day", response_model=Groups)
async def bot_requests_by_day(
    member: Admin,
    db: DatabaseDep,
    lastdays: str | None = None,
    department_id: str | None = None,
    channel: str | None = None,
    timezone: str | None = None,
) -> Response:
    query = service.request_query(
        lastdays=lastdays, department_id=department_id, channel=channel, timezone=timezone
    )
    return json_response(await db.read(service.bot_requests_by_day, member.project_id, query))


@router.get("/requests/aggregate/sourcePage", response_model=Groups)
async def requests_by_source_page(
    member: Admin, db: DatabaseDep, lastdays: str | None = None, department_id: str | None = None
) -> Response:
    query = service.request_query(lastdays=lastdays, department_id=department_id)
    found = await db.read(service.requests_by_source_page, member.project_id, query)
    return json_response(found)


@router.get("/requests/aggregate/attributes/_answerid", response_model=Groups)
async def messages_by_answer(
    member: Admin,
    db: DatabaseDep,
    lastdays: str | None = None,
    sender: str | None = None,
    recipient: str | None = None,
) -> Response:
    """Bot answers: messages of the last ``lastdays`` (7) by ``attributes._answerid``."""
    query = service.message_query(lastdays=lastdays, sender=sender, recipient=recipient)
    found = await db.read(service.messages_by_key, member.project_id, "_answerid", query)
    return json_response(found)


# ---------------------------------------------------------------- visitors


@router.get("/project_users/count", response_model=Counted)
async def visitors_count(member: Admin, db: DatabaseDep) -> Response:
    return json_response(await db.read(service.visitors_count, member.project_id))


@router.get("/project_users/aggregate/day", response_model=Groups)
async def visitors_by_day(
    member: Admin, db: DatabaseDep, lastdays: str | None = None, timezone: str | None = None
) -> Response:
    query = service.request_query(lastdays=lastdays, timezone=timezone)
    return json_response(await db.read(service.visitors_by_day, member.project_id, query))


@router.get("/project_users/aggregate/month", response_model=Groups)
async def visitors_by_month(
    member: Admin, db: DatabaseDep, timezone: str | None = None
) -> Response:
    query = service.request_query(timezone=timezone)
    found = await db.read(service.visitors_by, member.project_id, service.MONTH, query)
    return json_response(found)


@router.get("/project_users/aggregate/week", response_model=Groups)
async def visitors_by_week(member: Admin, db: DatabaseDep, timezone: str | None = None) -> Response:
    query = service.request_query(timezone=timezone)
    found = await db.read(service.visitors_by, member.project_id, service.WEEK, query)
    return json_response(found)


# ---------------------------------------------------------------- messages


@router.get("/messages/count", response_model=Counted)
async def messages_count(
    member: Admin,
    db: DatabaseDep,
    sender: str | None = None,
    recipient: str | None = None,
    attributes_answerid: str | None = None,
) -> Response:
    query = service.message_query(sender=sender, recipient=recipient, answer_id=attributes_answerid)
    return json_response(await db.read(service.messages_count, member.project_id, query))


@router.get("/messages/aggregate/day", response_model=Groups)
async def messages_by_day(
    member: Admin,
    db: DatabaseDep,
    lastdays: str | None = None,
    sender: str | None = None,
    recipient: str | None = None,
    channel: str | None = None,
    timezone: str | None = None,
) -> Response:
    query = service.message_query(
        lastdays=lastdays, sender=sender, recipient=recipient, channel=channel, timezone=timezone
    )
    return json_response(await db.read(service.messages_by_day, member.project_id, query))


@router.get("/messages/aggregate/month", response_model=Groups)
async def messages_by_month(
    member: Admin,
    db: DatabaseDep,
    sender: str | None = None,
    recipient: str | None = None,
    timezone: str | None = None,
) -> Response:
    query = service.message_query(sender=sender, recipient=recipient, timezone=timezone)
    found = await db.read(service.messages_by, member.project_id, service.MONTH, query)
    return json_response(found)


@router.get("/messages/aggregate/week", response_model=Groups)
async def messages_by_week(
    member: Admin,
    db: DatabaseDep,
    sender: str | None = None,
    recipient: str | None = None,
    timezone: str | None = None,
) -> Response:
    query = service.message_query(sender=sender, recipient=recipient, timezone=timezone)
    found = await db.read(service.messages_by, member.project_id, service.WEEK, query)
    return json_response(found)


@router.get("/messages/aggregate/sender", response_model=Groups)
async def messages_by_sender(
    member: Admin,
    db: DatabaseDep,
    lastdays: str | None = None,
    sender: str | None = None,
    recipient: str | None = None,
) -> Response:
    query = service.message_query(lastdays=lastdays, sender=sender, recipient=recipient)
    found = await db.read(service.messages_by_key, member.project_id, "sender", query)
    return json_response(found)


# ---------------------------------------------------------------- events and tags


@router.get("/events/aggregate/day", response_model=Groups)
async def events_by_day(
    member: Admin,
    db: DatabaseDep,
    lastdays: str | None = None,
    name: str | None = None,
    timezone: str | None = None,
) -> Response:
    query = service.event_query(lastdays=lastdays, name=name, timezone=timezone)
    return json_response(await db.read(service.events_by_day, member.project_id, query))


@router.get("/tags/{type}", response_model=TagChart)
async def tag_chart(
    member: Admin,
    db: DatabaseDep,
    type: str,
    start_date: str | None = None,
    end_date: str | None = None,
    timezone: str | None = None,
) -> Response:
    """Tag usage per day between ``start_date`` and ``end_date`` (``MM/DD/YYYY``), for
    ``type`` ``conversation-tag``."""
    query = service.tag_query(type, start_date=start_date, end_date=end_date, timezone=timezone)
    return json_response(await db.read(service.tag_chart, member.project_id, query))


# ---------------------------------------------------------------- public


@public_router.get("/waiting/current", response_model=Groups)
async def current_waiting(project_id: str, db: DatabaseDep) -> Response:
    """The widget's "typical reply time": average wait of the last four hours."""
    return json_response(await db.read(service.public_waiting, project_id))
