"""HTTP surface of activities: ``/{project_id}/activities`` (§5.18, admins only)."""

from fastapi import APIRouter
from starlette.responses import Response

from tessera.activities import service
from tessera.activities.schemas import CSV_COLUMNS, ActivityList
from tessera.auth.dependencies import Admin
from tessera.core.csv import csv_response, render_csv
from tessera.core.pagination import Direction, Page, PageParams
from tessera.dependencies import DatabaseDep

router = APIRouter(prefix="/{project_id}/activities", tags=["activities"])

_CSV_PAGE = 100_000


@router.get("", response_model=ActivityList)
async def list_activities(
    member: Admin,
    db: DatabaseDep,
    page: Page = 0,
    limit: str | None = None,
    chart: str | None = None,
    start_date: str | None = None,
    end_date: str | None = None,
    agent_id: str | None = None,
    activities: str | None = None,
    sort: str | None = None,
    direction: Direction = -1,
) -> Response:
    window = service.window(page, limit, chart)
    query = service.activity_filter(
        start_date=start_date,
        end_date=end_date,
        agent_id=agent_id,
        activities=activities,
        sort=sort,
        direction=direction,
    )
    found, count = await db.read(service.list_activities, member, query, window.page)
    return ActivityList(
        per_page=window.page.limit,
        count=count,
        activities=found,
        chart=window.chart or None,
        limit_warning=window.warning,
    ).respond()


@router.get("/csv")
async def export_activities_csv(
    member: Admin,
    db: DatabaseDep,
    page: Page = 0,
    start_date: str | None = None,
    end_date: str | None = None,
    agent_id: str | None = None,
    activities: str | None = None,
    sort: str | None = None,
    direction: Direction = -1,
) -> Response:
    query = service.activity_filter(
        start_date=start_date,
        end_date=end_date,
        agent_id=agent_id,
        activities=activities,
        sort=sort,
        direction=direction,
    )
    rows = await db.read(service.export_activities, member, query, PageParams(page, _CSV_PAGE))
    return csv_response(render_csv(rows, CSV_COLUMNS))
