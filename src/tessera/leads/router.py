"""HTTP surface of leads (contacts): ``/{project_id}/leads``."""

from typing import Annotated, Any

from fastapi import APIRouter, Body
from starlette.responses import Response

from tessera.auth.dependencies import Agent
from tessera.core.csv import csv_response, render_csv
from tessera.core.pagination import Direction, Page, page_params
from tessera.core.responses import json_response
from tessera.dependencies import DatabaseDep
from tessera.leads import service
from tessera.leads.schemas import CSV_COLUMNS, LeadCreate, LeadList, LeadOut, LeadUpdate

router = APIRouter(prefix="/{project_id}/leads", tags=["leads"])

JsonObjectBody = Annotated[dict[str, Any], Body()]

_CSV_PAGE = 100_000


@router.get("", response_model=LeadList)
async def list_leads(
    member: Agent,
    db: DatabaseDep,
    page: Page = 0,
    limit: str | None = None,
    sort: str | None = None,
    direction: Direction = -1,
    full_text: str | None = None,
    email: str | None = None,
    with_email: str | None = None,
    with_fullname: str | None = None,
    tags: str | None = None,
    status: int | None = None,
    segment: str | None = None,
) -> Response:
    params = page_params(page, limit, default=40)
    rows, count = await db.read(
        service.search_leads,
        member,
        page=params,
        full_text=full_text,
        email=email,
        with_email=bool(with_email),
        with_fullname=bool(with_fullname),
        tag=tags,
        status=status,
        segment=segment,
        sort=sort,
        direction=direction,
    )
    return LeadList(
        per_page=params.limit, count=count, leads=[LeadOut.of(r) for r in rows]
    ).respond()


@router.get("/csv")
async def export_leads_csv(
    member: Agent,
    db: DatabaseDep,
    page: Page = 0,
    sort: str | None = None,
    direction: Direction = -1,
    full_text: str | None = None,
    email: str | None = None,
) -> Response:
    params = page_params(page, str(_CSV_PAGE), default=_CSV_PAGE)
    rows = await db.read(
        service.export_leads,
        member,
        page=params,
        full_text=full_text,
        email=email,
        sort=sort,
        direction=direction,
    )
    return csv_response(render_csv((LeadOut.of(row).wire() for row in rows), CSV_COLUMNS))


@router.get("/{lead_id}", response_model=LeadOut)
async def get_lead(member: Agent, lead_id: str, db: DatabaseDep) -> Response:
    return LeadOut.of(await db.read(service.get_lead, member, lead_id)).respond()


@router.post("", response_model=LeadOut)
async def create_lead(member: Agent, body: LeadCreate, db: DatabaseDep) -> Response:
    return LeadOut.of(await db.write(service.create_lead, member, body)).respond()


@router.put("/{lead_id}", response_model=LeadOut)
async def update_lead(member: Agent, lead_id: str, body: LeadUpdate, db: DatabaseDep) -> Response:
    return LeadOut.of(await db.write(service.update_lead, member, lead_id, body)).respond()


@router.patch("/{lead_id}/attributes", response_model=LeadOut)
async def patch_lead_attributes(
    member: Agent, lead_id: str, body: JsonObjectBody, db: DatabaseDep
) -> Response:
    return LeadOut.of(await db.write(service.merge_attributes, member, lead_id, body)).respond()


@router.post("/{lead_id}/properties", response_model=LeadOut)
async def add_lead_properties(
    member: Agent, lead_id: str, body: JsonObjectBody, db: DatabaseDep
) -> Response:
    return LeadOut.of(await db.write(service.merge_properties, member, lead_id, body)).respond()


@router.patch("/{lead_id}/properties", response_model=LeadOut)
async def patch_lead_properties(
    member: Agent, lead_id: str, body: JsonObjectBody, db: DatabaseDep
) -> Response:
    return LeadOut.of(await db.write(service.merge_properties, member, lead_id, body)).respond()


@router.put("/{lead_id}/tag", response_model=LeadOut)
async def add_lead_tags(
    member: Agent, lead_id: str, db: DatabaseDep, body: Annotated[list[str], Body()]
) -> Response:
    return LeadOut.of(await db.write(service.add_tags, member, lead_id, body)).respond()


@router.delete("/{lead_id}/tag/{tag}", response_model=LeadOut)
async def remove_lead_tag(member: Agent, lead_id: str, tag: str, db: DatabaseDep) -> Response:
    return LeadOut.of(await db.write(service.remove_tag, member, lead_id, tag)).respond()


@router.delete("/{lead_id}", response_model=LeadOut)
async def delete_lead(member: Agent, lead_id: str, db: DatabaseDep) -> Response:
    return LeadOut.of(await db.write(service.delete_lead, member, lead_id)).respond()


@router.delete("/{lead_id}/physical")
async def delete_lead_physically(member: Agent, lead_id: str, db: DatabaseDep) -> Response:
    return json_response(await db.write(service.delete_lead_physically, member, lead_id))
