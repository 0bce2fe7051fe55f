"""HTTP surface: ``/{project_id}/keys`` and ``/{project_id}/jwt`` (both admin-only in Tessera,
except ``decode``, which only checks a token the caller already holds)."""

from typing import Any

import anyio
from fastapi import APIRouter, Body, Request
from starlette.responses import Response

from tessera.auth.dependencies import Admin
from tessera.auth.tokens import strip_scheme
from tessera.core.errors import PermissionDenied
from tessera.core.responses import json_response
from tessera.dependencies import DatabaseDep
from tessera.keys import service
from tessera.projects.dependencies import CurrentProject

keys_router = APIRouter(prefix="/{project_id}/keys", tags=["keys"])
jwt_router = APIRouter(prefix="/{project_id}/jwt", tags=["keys"])


@keys_router.post("/generate")
async def generate_project_keys(member: Admin, db: DatabaseDep) -> Response:
    public_key, private_key = await anyio.to_thread.run_sync(service.new_key_pair)
    return json_response(await db.write(service.generate_keys, member, public_key, private_key))


@jwt_router.post("/decode")
async def decode_custom_token(
    project: CurrentProject, request: Request, db: DatabaseDep
) -> Response:
    header = request.headers.get("authorization", "")
    if len(header.split()) != 2:
        raise PermissionDenied("Unauthorized.")
    return json_response(await db.read(service.decode_token, project, strip_scheme(header)))


@jwt_router.post("/generatetestjwt")
async def generate_test_custom_token(
    member: Admin, db: DatabaseDep, body: dict[str, Any] = Body(default_factory=dict)
) -> Response:
    return json_response(await db.read(service.generate_test_token, member, body))
