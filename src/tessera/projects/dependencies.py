"""The ``/:pid`` project check every project-scoped route runs first (fact sheet §2, step 4).

It answers 400 for a malformed or unknown project before any credential is looked at, then
applies the project's IP allow/deny lists and its banned users.
"""

import ipaddress
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.responses import Response

from tessera.auth.tokens import InvalidToken, strip_scheme, unverified_claims
from tessera.core.errors import AppError, BadRequest, NotFound
from tessera.core.http import client_ip
from tessera.core.ids import is_object_id
from tessera.core.responses import json_response
from tessera.dependencies import DatabaseDep, SettingsDep
from tessera.projects import repository


async def current_project(
    project_id: str, request: Request, db: DatabaseDep, settings: SettingsDep
) -> Mapping[str, Any]:
    if not is_object_id(project_id):
        raise BadRequest(f"Invalid project id: {project_id}", key="error", success=None)
    project = await db.lookup(repository.get_active, project_id)
    if project is None:
        raise BadRequest(f"Project not found with id: {project_id}", key="error", success=None)
    _check_filters(project, request, settings.trusted_proxies)
    return project


async def project_if_active(project_id: str, db: DatabaseDep) -> Mapping[str, Any] | None:
    """``/projects/:pid`` routes: no 400 check, a missing project just has no members."""
    return await db.lookup(repository.get_active, project_id) if is_object_id(project_id) else None


async def project_any_status(project_id: str, db: DatabaseDep) -> Mapping[str, Any] | None:
    """``GET /projects/:pid``: a soft-deleted project still has members, who are told it is
    gone (404) rather than that they do not belong to it."""
    project = await db.read(repository.get, project_id) if is_object_id(project_id) else None
    return dict(project._mapping) if project is not None else None


CurrentProject = Annotated[Mapping[str, Any], Depends(current_project)]
ProjectIfActive = Annotated[Mapping[str, Any] | None, Depends(project_if_active)]
ProjectAnyStatus = Annotated[Mapping[str, Any] | None, Depends(project_any_status)]


class _Filtered(AppError):
    status_code = 401


def _check_filters(project: Mapping[str, Any], request: Request, trusted_proxies: int) -> None:
    ip = client_ip(request.scope, trusted_proxies)
    if project["ip_filter_enabled"] and not _matches(ip, project["ip_filter"]):
        raise _Filtered("error project ip filter", key="err", success=None)
    if project["ip_filter_deny_enabled"] and _matches(ip, project["ip_filter_deny"]):
        raise _Filtered("error project deny ip filter", key="err", success=None)
    banned = project["banned_users"]
    if banned and _token_subject(request) in {entry.get("id") for entry in banned}:
        raise _Filtered("error projectBanUserFilter by id", key="err", success=None)


def _matches(ip: str, networks: list[str]) -> bool:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    for entry in networks or []:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def _token_subject(request: Request) -> str | None:
    value = request.headers.get("authorization") or request.query_params.get("secret_token")
    if not value or value.lower().startswith("basic "):
        return None
    try:
        claims = unverified_claims(strip_scheme(value))
    except InvalidToken:
        return None
    subject = claims.get("_id")
    return str(subject) if subject else None


async def unmatched_route(request: Request) -> Response:
    """Paths no route serves: like Express, the first segment is taken for a project id."""
    db = request.app.state.db
    first = request.url.path.strip("/").split("/", 1)[0]
    try:
        if not is_object_id(first):
            raise BadRequest(f"Invalid project id: {first}", key="error", success=None)
        if await db.lookup(repository.get_active, first) is None:
            raise BadRequest(f"Project not found with id: {first}", key="error", success=None)
        raise NotFound(f"Cannot {request.method} {request.url.path}")
    except AppError as error:
        return json_response(error.body(), error.status_code)
