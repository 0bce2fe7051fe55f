"""The only code that writes error bodies: AppError, request validation and unexpected errors."""

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import PlainTextResponse, Response

from tessera.core.errors import AppError, Unauthorized
from tessera.core.responses import json_response

log = logging.getLogger("tessera.errors")

UnmatchedRoute = Callable[[Request], Awaitable[Response]]

# Sub-fields pydantic reports for a body model (("body", "email")) become express-validator's
# ``param``; the location keeps Tiledesk's words.
_LOCATIONS = {"body": "body", "query": "query", "path": "params", "header": "headers"}


def install(app: FastAPI, unmatched_route: UnmatchedRoute) -> None:
    """Register the handlers. ``unmatched_route`` answers paths no route matches."""

    async def on_app_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, AppError)
        return json_response(exc.body(), exc.status_code, exc.headers())

    async def on_unmatched(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code in (404, 405):
            return await unmatched_route(request)
        return json_response({"success": False, "msg": exc.detail}, exc.status_code)

    app.add_exception_handler(AppError, on_app_error)
    app.add_exception_handler(Unauthorized, _on_unauthorized)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_unmatched)
    app.add_exception_handler(Exception, _on_unexpected)


async def _on_unauthorized(request: Request, exc: Exception) -> Response:
    return PlainTextResponse(
        "Unauthorized", status_code=401, headers={"WWW-Authenticate": 'Basic realm="Users"'}
    )


async def _on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [_express_validator_entry(error) for error in exc.errors()]
    return json_response({"errors": errors}, 422)


_JSON_SAFE_INTEGERS = (-(2**63), 2**64 - 1)


def _express_validator_entry(error: Any) -> dict[str, Any]:
    location, *path = error.get("loc", ("body",))
    entry: dict[str, Any] = {
        "msg": "Invalid value",
        "param": ".".join(str(part) for part in path) or location,
        "location": _LOCATIONS.get(location, location),
        "reason": error.get("msg", "Invalid value"),
    }
    value = error.get("input")
    if isinstance(value, int) and not _JSON_SAFE_INTEGERS[0] <= value <= _JSON_SAFE_INTEGERS[1]:
        entry["value"] = str(value)  # beyond 64 bits: orjson cannot write it as a number
    elif isinstance(value, str | int | float | bool):
        entry["value"] = value
    return entry


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return json_response({"err": "error"}, 500)
