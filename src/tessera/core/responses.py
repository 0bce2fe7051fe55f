"""JSON responses as Express sends them: orjson-encoded, ``application/json; charset=utf-8``."""

from typing import Any

import orjson
from starlette.responses import JSONResponse as StarletteJSONResponse

JSON_MEDIA_TYPE = "application/json; charset=utf-8"


class JSONResponse(StarletteJSONResponse):
    """A response whose content is encoded with orjson (non-str keys allowed). A subclass of
    Starlette's so that FastAPI documents the bodies as JSON."""

    media_type = JSON_MEDIA_TYPE

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


def json_response(
    content: Any, status_code: int = 200, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(content, status_code=status_code, headers=headers)
