"""``GET /`` (Tiledesk's greeting), ``GET /health`` (alive) and ``GET /ready`` (database up)."""

from fastapi import APIRouter
from starlette.responses import PlainTextResponse, Response

from tessera.core.db import ping
from tessera.core.responses import json_response
from tessera.dependencies import DatabaseDep

router = APIRouter(tags=["health"])

GREETING = "Hello from Tessera, a Tiledesk-compatible server. It's UP."


@router.get("/", response_class=PlainTextResponse)
async def root() -> Response:
    return PlainTextResponse(GREETING)


@router.get("/health")
async def health() -> Response:
    return json_response({"status": "ok"})


@router.get("/ready")
async def ready(db: DatabaseDep) -> Response:
    try:
        await db.read(ping)
    except Exception as error:  # any failure to reach the database means not ready
        return json_response({"status": "unavailable", "error": type(error).__name__}, 503)
    return json_response({"status": "ok", "database": db.dialect})
