"""HTTP surface of widget settings: ``/{project_id}/widgets`` (public, fact sheet §5.22)."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from tessera.core.http import client_ip
from tessera.core.responses import json_response
from tessera.dependencies import DatabaseDep, SettingsDep
from tessera.projects.dependencies import CurrentProject
from tessera.widgets import service
from tessera.widgets.schemas import WidgetIp, WidgetSettings

router = APIRouter(prefix="/{project_id}/widgets", tags=["widgets"])


@router.get("", response_model=WidgetSettings)
async def get_widget_settings(
    project: CurrentProject, request: Request, db: DatabaseDep, settings: SettingsDep
) -> Response:
    """What the widget reads at start-up. ``ip`` is the visitor's address as the app's proxy
    settings (``TRUSTED_PROXIES``) see it, not the raw ``X-Forwarded-For`` header."""
    ip = client_ip(request.scope, settings.trusted_proxies)
    return json_response(await db.read(service.widget_settings, project, ip))


@router.get("/ip", response_model=WidgetIp)
async def get_widget_ip(
    project: CurrentProject, request: Request, settings: SettingsDep
) -> Response:
    """Diagnostics: the address as the app sees it (``ip``) and the first entry of the
    ``X-Forwarded-For`` header the request carries (``ipStandard``, ``parseIp``)."""
    ip = client_ip(request.scope, settings.trusted_proxies)
    forwarded = request.headers.get("x-forwarded-for", "").split(",")[0].strip()
    socket = request.client.host if request.client else ip
    first = forwarded or socket
    return WidgetIp(ip=ip, ipStandard=first, parseIp=first).respond()
