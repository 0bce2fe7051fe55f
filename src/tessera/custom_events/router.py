"""HTTP surface of custom events: ``/{project_id}/events`` (§5.17)."""

from fastapi import APIRouter
from starlette.responses import Response

from tessera.auth.dependencies import AgentOnly, Guest
from tessera.core.pagination import Direction, Page, PageParams
from tessera.custom_events import service
from tessera.custom_events.schemas import EventCreate, EventList, EventOut
from tessera.dependencies import DatabaseDep, SettingsDep

router = APIRouter(prefix="/{project_id}/events", tags=["events"])

_PER_PAGE = 40  # fixed: Tiledesk reads no ``limit`` here


@router.post("", response_model=EventOut)
async def emit_event(
    member: Guest, body: EventCreate, db: DatabaseDep, settings: SettingsDep
) -> Response:
    row = await db.write(service.emit_event, member, body, ttl_seconds=settings.events_ttl_seconds)
    return EventOut.of(row).respond()


@router.get("", response_model=EventList)
async def list_events(
    member: AgentOnly,
    db: DatabaseDep,
    page: Page = 0,
    project_user: str | None = None,
    sort: str | None = None,
    direction: Direction = -1,
) -> Response:
    params = PageParams(page=page, limit=_PER_PAGE)
    rows, count = await db.read(
        service.list_events,
        member,
        page=params,
        project_user=project_user,
        sort=sort,
        direction=direction,
    )
    return EventList(
        per_page=_PER_PAGE, count=count, events=[EventOut.of(r) for r in rows]
    ).respond()


@router.get("/{event_id}", response_model=EventOut)
async def get_event(member: AgentOnly, event_id: str, db: DatabaseDep) -> Response:
    return EventOut.of(await db.read(service.get_event, member, event_id)).respond()
