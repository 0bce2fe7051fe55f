"""HTTP surface of the utilities (§5.28):

* ``/requests_util/lookup/id_project/{request_id}``, ``/testauth``,
  ``/troubleshooting/headers`` and ``/urls/redirect`` (top level);
* ``/{project_id}/url-preview`` (public), ``/{project_id}/authtestWithRoleCheck``,
  ``/{project_id}/project_users_test`` and ``/{project_id}/quotes``.
"""

import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from tessera.auth.dependencies import Agent, AgentOrSubscription, CurrentCaller, require_role
from tessera.auth.principal import CallerKind, Member
from tessera.core.responses import json_response
from tessera.dependencies import DatabaseDep, SettingsDep
from tessera.project_users.schemas import ProjectUserOut
from tessera.utilities import diagnostics, service
from tessera.utilities.preview import PreviewOptions, previews
from tessera.utilities.schemas import IncrementIn, LookupOut, PreviewIn, QuotesIn

# Tiledesk's diagnostics answer with ``res.send('{"success":true}')``: a string, which
# Express sends as HTML.
_SUCCESS = '{"success":true}'

AnyMemberOrBot = Annotated[
    Member, Depends(require_role(None, machines=frozenset({CallerKind.BOT})))
]

requests_util_router = APIRouter(prefix="/requests_util", tags=["utilities"])
testauth_router = APIRouter(prefix="/testauth", tags=["utilities"])
troubleshooting_router = APIRouter(prefix="/troubleshooting", tags=["utilities"])
urls_router = APIRouter(prefix="/urls", tags=["utilities"])
url_preview_router = APIRouter(prefix="/{project_id}/url-preview", tags=["utilities"])
authtest_router = APIRouter(prefix="/{project_id}/authtestWithRoleCheck", tags=["utilities"])
project_users_test_router = APIRouter(prefix="/{project_id}/project_users_test", tags=["utilities"])
quotes_router = APIRouter(prefix="/{project_id}/quotes", tags=["utilities"])


@requests_util_router.get("/lookup/id_project/{request_id}", response_model=LookupOut)
async def lookup_request_project(
    caller: CurrentCaller, request_id: str, db: DatabaseDep
) -> Response:
    return (await db.read(service.lookup_project, caller, request_id)).respond()


@testauth_router.get("")
async def test_auth(caller: CurrentCaller) -> Response:
    return HTMLResponse(_SUCCESS)


@testauth_router.get("/noentitycheck")
async def test_auth_without_entity_check(caller: CurrentCaller) -> Response:
    return HTMLResponse(_SUCCESS)


@troubleshooting_router.get("/headers")
async def echo_headers(request: Request) -> Response:
    """The headers that reached the server (proxies' additions included), credentials masked."""
    return json_response(diagnostics.echoed_headers(request.headers.items()))


@urls_router.get("/redirect")
async def redirect(settings: SettingsDep, path: str | None = None) -> Response:
    origins = diagnostics.allowed_origins(
        (settings.widget_location, settings.widget_test_location, settings.email_baseurl),
        settings.redirect_allowed_origins,
    )
    return RedirectResponse(diagnostics.redirect_target(path, origins), status_code=302)


@url_preview_router.post("")
async def preview_urls(body: PreviewIn, settings: SettingsDep) -> Response:
    urls = service.preview_urls(body.urls)
    options = PreviewOptions(
        allow_private=settings.url_preview_allow_private_targets,
        timeout_seconds=settings.url_preview_timeout_seconds,
        max_bytes=settings.url_preview_max_bytes,
    )
    return json_response(await previews(urls, options))


@authtest_router.get("")
async def test_auth_in_project(caller: CurrentCaller) -> Response:
    return HTMLResponse(_SUCCESS)


@authtest_router.get("/bot")
async def test_auth_as_bot(member: AnyMemberOrBot) -> Response:
    return HTMLResponse(_SUCCESS)


@authtest_router.get("/noentitycheck")
async def test_auth_in_project_without_entity_check(caller: CurrentCaller) -> Response:
    return HTMLResponse(_SUCCESS)


@project_users_test_router.get("/test")
async def test_project_user(member: AgentOrSubscription) -> Response:
    """The caller's membership (a subscription has none: an empty body, as in Tiledesk)."""
    if member.membership is None:
        return Response(status_code=200)
    return ProjectUserOut.of(member.membership).respond()


@quotes_router.post("")
async def get_quotes(member: Agent, db: DatabaseDep, body: QuotesIn) -> Response:
    at_ms = service.moment(body.date)
    return json_response(await db.read(service.usage, member, at_ms=at_ms))


@quotes_router.get("/{kind}")
async def check_quote(member: Agent, kind: str, db: DatabaseDep, settings: SettingsDep) -> Response:
    available = await db.read(
        service.is_available,
        member,
        service.known_kind(kind),
        at_ms=int(time.time() * 1000),
        enforced=settings.quotes_enabled,
    )
    return json_response({"isAvailable": available})


@quotes_router.post("/incr/{kind}")
async def increment_quote(member: Agent, kind: str, db: DatabaseDep, body: IncrementIn) -> Response:
    result: dict[str, Any] = await db.write(
        service.increment, member, kind, body.tokens, at_ms=int(time.time() * 1000)
    )
    return json_response(result)
