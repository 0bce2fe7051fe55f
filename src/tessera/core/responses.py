"""JSON responses as Express sends them: orjson-encoded, ``application/json; charset=utf-8``."""

from typing import Any

import orjson
from starlette.responses import Response

JSON_MEDIA_TYPE = "application/json; charset=utf-8"


class JSONResponse(Response):
    """A response whose content is encoded with orjson (dates and non-str keys allowed)."""

    media_type = JSON_MEDIA_TYPE

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


def json_response(
    content: Any, status_code: int = 200, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(content, status_code=status_code, headers=headers)
