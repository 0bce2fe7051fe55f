"""Files sent as multipart ``uploadFile`` (Tiledesk's multer uploads: CSV of intents, bot
JSON), read whole with a size limit."""

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from tessera.core.errors import BadRequest, InvalidInput, PayloadTooLarge

UPLOAD_LIMIT = 10 * 1024 * 1024
"""Largest accepted file, in bytes (a bot of thousands of intents is far below)."""

FIELD = "uploadFile"


async def read_upload(file: UploadFile) -> bytes:
    """The file's bytes; 413 (§1.1's body) when larger than ``UPLOAD_LIMIT``."""
    data = await file.read(UPLOAD_LIMIT + 1)
    if len(data) > UPLOAD_LIMIT:
        raise PayloadTooLarge(
            "Content Too Large", key="err", success=None, limit_file_size=UPLOAD_LIMIT
        )
    return data


async def file_or_body(request: Request) -> bytes:
    """The ``uploadFile`` of a multipart request, else the request's own (JSON) body, as
    Tiledesk's ``importjson`` accepts either."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return await request.body()
    try:
        async with request.form(max_files=1, max_fields=20) as form:
            file = form.get(FIELD)
            if not isinstance(file, UploadFile):
                raise InvalidInput.field(FIELD, "a file is required")
            return await read_upload(file)
    except MultiPartException:
        raise BadRequest("Malformed multipart body", key="error") from None
