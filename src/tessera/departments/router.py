"""HTTP surface of departments: ``/{project_id}/departments``.

The list and the read by id are public (the widget calls them before anyone signs in).
"""

from fastapi import APIRouter
from starlette.responses import Response

from tessera.auth.dependencies import Admin, Agent
from tessera.core.responses import json_response
from tessera.core.schemas import respond_list
from tessera.departments import service
from tessera.departments.schemas import DepartmentCreate, DepartmentOut, DepartmentUpdate
from tessera.dependencies import DatabaseDep
from tessera.projects.dependencies import CurrentProject

router = APIRouter(prefix="/{project_id}/departments", tags=["departments"])


@router.get("", response_model=list[DepartmentOut])
async def list_departments(
    project: CurrentProject, db: DatabaseDep, sort: str | None = None
) -> Response:
    rows = await db.read(service.list_visible_departments, project, by_name=bool(sort))
    return respond_list([DepartmentOut.of(row) for row in rows])


@router.get("/allstatus", response_model=list[DepartmentOut])
async def list_all_departments(member: Agent, db: DatabaseDep, sort: str | None = None) -> Response:
    rows = await db.read(service.list_departments, member, by_name=bool(sort))
    return respond_list([DepartmentOut.of(row) for row in rows])


@router.get("/{department_id}", response_model=DepartmentOut | None)
async def get_department(project: CurrentProject, department_id: str, db: DatabaseDep) -> Response:
    """``default`` names the project's default department (``null`` when it has none)."""
    row = await db.read(service.get_department, project["id"], department_id)
    return json_response(None) if row is None else DepartmentOut.of(row).respond()


@router.post("", response_model=DepartmentOut)
async def create_department(member: Admin, body: DepartmentCreate, db: DatabaseDep) -> Response:
    return DepartmentOut.of(await db.write(service.create_department, member, body)).respond()


@router.put("/{department_id}", response_model=DepartmentOut)
async def update_department(
    member: Admin, department_id: str, body: DepartmentUpdate, db: DatabaseDep
) -> Response:
    row = await db.write(service.replace_department, member, department_id, body)
    return DepartmentOut.of(row).respond()


@router.patch("/{department_id}", response_model=DepartmentOut)
async def patch_department(
    member: Admin, department_id: str, body: DepartmentUpdate, db: DatabaseDep
) -> Response:
    row = await db.write(service.patch_department, member, department_id, body)
    return DepartmentOut.of(row).respond()


@router.delete("/{department_id}", response_model=DepartmentOut)
async def delete_department(member: Admin, department_id: str, db: DatabaseDep) -> Response:
    row = await db.write(service.delete_department, member, department_id)
    return DepartmentOut.of(row).respond()


@router.get("/{department_id}/operators")
async def department_operators(
    member: Agent, department_id: str, db: DatabaseDep, nobot: bool = False
) -> Response:
    """Whom routing would choose now in this department (``default``: the default one), and
    among whom (§5.7). ``nobot`` skips the department's bot."""
    result = await db.read(service.department_operators, member, department_id, nobot=nobot)
    return json_response(result)
