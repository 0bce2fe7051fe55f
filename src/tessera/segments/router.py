"""HTTP surface of segments: ``/{project_id}/segments`` (agents, bots, subscriptions)."""

from fastapi import APIRouter
from starlette.responses import Response

from tessera.auth.dependencies import Agent
from tessera.core.pagination import Direction, Page, page_params
from tessera.dependencies import DatabaseDep
from tessera.segments import service
from tessera.segments.schemas import SegmentCreate, SegmentList, SegmentOut, SegmentUpdate

router = APIRouter(prefix="/{project_id}/segments", tags=["segments"])


@router.get("", response_model=SegmentList)
async def list_segments(
    member: Agent,
    db: DatabaseDep,
    page: Page = 0,
    limit: str | None = None,
    sort: str | None = None,
    direction: Direction = -1,
) -> Response:
    params = page_params(page, limit, default=40)
    rows, count = await db.read(
        service.list_segments, member, page=params, sort=sort, direction=direction
    )
    segments = [SegmentOut.of(row) for row in rows]
    return SegmentList(per_page=params.limit, count=count, segments=segments).respond()


@router.get("/{segment_id}", response_model=SegmentOut)
async def get_segment(member: Agent, segment_id: str, db: DatabaseDep) -> Response:
    return SegmentOut.of(await db.read(service.get_segment, member, segment_id)).respond()


@router.post("", response_model=SegmentOut)
async def create_segment(member: Agent, body: SegmentCreate, db: DatabaseDep) -> Response:
    return SegmentOut.of(await db.write(service.create_segment, member, body)).respond()


@router.put("/{segment_id}", response_model=SegmentOut)
async def update_segment(
    member: Agent, segment_id: str, body: SegmentUpdate, db: DatabaseDep
) -> Response:
    updated = await db.write(service.update_segment, member, segment_id, body)
    return SegmentOut.of(updated).respond()


@router.delete("/{segment_id}", response_model=SegmentOut)
async def delete_segment(member: Agent, segment_id: str, db: DatabaseDep) -> Response:
    return SegmentOut.of(await db.write(service.delete_segment, member, segment_id)).respond()
