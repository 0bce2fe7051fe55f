"""HTTP surface of projects: ``/projects`` (no ``/:pid`` project check, per-route guards)."""

from typing import Any

from fastapi import APIRouter, Body
from starlette.responses import Response

from tessera.auth.dependencies import CurrentUser, ProjectAdmin, ProjectOwner, ProjectReader
from tessera.auth.principal import Caller, Role
from tessera.context import Context
from tessera.core.errors import AppError, NotFound, PermissionDenied
from tessera.core.responses import json_response
from tessera.core.schemas import respond_list
from tessera.dependencies import ContextDep, DatabaseDep
from tessera.project_users.schemas import ProjectUserOut
from tessera.projects import service
from tessera.projects.dependencies import ProjectIfActive
from tessera.projects.hours import HoursError
from tessera.projects.models import PROJECT_ACTIVE
from tessera.projects.schemas import (
    AvailableAgent,
    BanIn,
    OpenState,
    ProjectBrief,
    ProjectCreate,
    ProjectOut,
)

router = APIRouter(prefix="/projects", tags=["projects"])

JsonBody = Body(default_factory=dict)
_ADMINISTRATORS = frozenset({Role.ADMIN.value, Role.OWNER.value})


@router.post("", response_model=ProjectOut)
async def create_project(caller: CurrentUser, body: ProjectCreate, db: DatabaseDep) -> Response:
    project = await db.write(service.create_project, caller, body)
    return ProjectOut.of(project).respond()


@router.get("", response_model=list[ProjectUserOut])
async def list_projects(caller: CurrentUser, db: DatabaseDep) -> Response:
    pairs = await db.read(service.list_my_projects, caller)
    return respond_list(
        [
            ProjectUserOut.of(
                membership,
                project_id=ProjectOut.of(project).for_reader(
                    administers=membership.role in _ADMINISTRATORS
                ),
            )
            for membership, project in pairs
        ]
    )


@router.get("/all", response_model=list[ProjectBrief])
async def list_all_projects(caller: CurrentUser, db: DatabaseDep, context: ContextDep) -> Response:
    if not _is_super_admin(caller, context):
        raise PermissionDenied(
            "You don't have the permission required to perform the operation", key="error"
        )
    rows = await db.read(service.all_projects)
    return respond_list([ProjectBrief.model_validate(row) for row in rows])


@router.get("/{project_id}", response_model=ProjectOut)
async def get_project(member: ProjectReader) -> Response:
    """A member asking for a soft-deleted project hears it is gone, as in Tiledesk."""
    if member.project["status"] != PROJECT_ACTIVE:
        raise NotFound("Object not found.")
    project = ProjectOut.model_validate(dict(member.project))
    return project.for_reader(administers=member.has_role(Role.ADMIN)).respond()


@router.put("/{project_id}", response_model=ProjectOut)
async def update_project(
    member: ProjectAdmin,
    db: DatabaseDep,
    context: ContextDep,
    body: dict[str, Any] = JsonBody,
) -> Response:
    super_admin = _is_super_admin(member.caller, context)
    project = await db.write(
        service.update_project, member, body, patch=False, super_admin=super_admin
    )
    return ProjectOut.of(project).respond()


@router.patch("/{project_id}", response_model=ProjectOut)
async def patch_project(
    member: ProjectAdmin, db: DatabaseDep, body: dict[str, Any] = JsonBody
) -> Response:
    project = await db.write(service.update_project, member, body, patch=True, super_admin=False)
    return ProjectOut.of(project).respond()


@router.patch("/{project_id}/attributes", response_model=ProjectOut)
async def patch_project_attributes(
    member: ProjectAdmin, db: DatabaseDep, body: dict[str, Any] = JsonBody
) -> Response:
    project = await db.write(service.merge_attributes, member, body)
    return ProjectOut.of(project).respond()


@router.post("/{project_id}/ban", response_model=ProjectOut)
async def ban_user(member: ProjectAdmin, body: BanIn, db: DatabaseDep) -> Response:
    project = await db.write(service.ban_user, member, body)
    return ProjectOut.of(project).respond()


@router.delete("/{project_id}/ban/{ban_id}", response_model=ProjectOut)
async def unban_user(member: ProjectAdmin, ban_id: str, db: DatabaseDep) -> Response:
    project = await db.write(service.unban_user, member, ban_id)
    return ProjectOut.of(project).respond()


@router.delete("/{project_id}", response_model=ProjectOut)
async def delete_project(member: ProjectOwner, db: DatabaseDep) -> Response:
    project = await db.write(service.delete_project, member)
    return ProjectOut.of(project).respond()


@router.delete("/{project_id}/physical")
async def delete_project_physically(member: ProjectOwner, db: DatabaseDep) -> Response:
    return json_response(await db.write(service.delete_project_physically, member))


@router.put("/{project_id}/downgradeplan", response_model=ProjectOut)
async def downgrade_plan(
    member: ProjectOwner, db: DatabaseDep, body: dict[str, Any] = JsonBody
) -> Response:
    project = await db.write(service.downgrade_plan, member, body)
    return ProjectOut.of(project).respond()


@router.get("/{project_id}/isopen", response_model=OpenState)
async def is_project_open(
    project_id: str, project: ProjectIfActive, timeSlot: str | None = None
) -> Response:
    slot = bool(timeSlot)  # an empty timeSlot asks for the project's hours, as in Tiledesk
    if project is None:
        detail = {"errorCode": 1010, "msg": "project not found for id", "projectId": project_id}
        raise _UnknownProject(detail, slot=slot)
    try:
        return OpenState(isopen=service.is_open(project, timeSlot)).respond()
    except HoursError as error:
        raise _HoursUnreadable({"errorCode": error.code, "msg": error.message}, slot=slot) from None


@router.get("/{project_id}/users/availables", response_model=list[AvailableAgent])
async def list_available_users(
    project_id: str,
    project: ProjectIfActive,
    db: DatabaseDep,
    raw: str | None = None,
    department: str | None = None,
) -> Response:
    if project is None:
        raise NotFound("Object not found.")
    agents = await db.read(
        service.available_agents, project, raw=_truthy(raw), department_id=department
    )
    return json_response(agents)


def _truthy(value: str | None) -> bool:
    return value is not None and value.lower() not in ("", "false", "0")


def _is_super_admin(caller: Caller, context: Context) -> bool:
    return bool(context.admin_email) and caller.profile.get("email") == context.admin_email


class _HoursUnreadable(AppError):
    """Tiledesk answers 500 here; the stored hours (or the slot asked for) are at fault, not
    the server: 422. The body keeps Tiledesk's ``{errorCode, msg}`` object."""

    status_code = 422

    def __init__(self, detail: dict[str, Any], *, slot: bool) -> None:
        super().__init__(str(detail["msg"]), key="error" if slot else "msg")
        self.detail = detail

    def body(self) -> dict[str, Any]:
        return {"success": False, self.key: self.detail}


class _UnknownProject(_HoursUnreadable):
    """Tiledesk's ``errorCode`` 1010 (also a 500 there): no active project has this id."""

    status_code = 404
