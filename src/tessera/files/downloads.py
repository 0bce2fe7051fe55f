"""Responses carrying a stored file's bytes.

Every download says ``nosniff``; a type a browser could run (HTML, SVG, anything not known
to be inert) is also sandboxed by a Content-Security-Policy, so that a file served from the
API's own origin can never run script there.
"""

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from starlette.responses import Response, StreamingResponse

from tessera.files.policy import INLINE_SAFE_TYPES
from tessera.files.storage import FileMissing, Storage, UnsafeKey


class BytesMissing(Exception):
    """The row exists but the storage has no bytes for it (removed by a purge meanwhile)."""


def file_response(
    storage: Storage, row: Mapping[str, Any], *, attachment: bool = False
) -> Response:
    try:
        chunks = storage.chunks(row["path"])
    except (FileMissing, UnsafeKey):
        raise BytesMissing(row["path"]) from None
    headers = {"Content-Length": str(row["size"]), "X-Content-Type-Options": "nosniff"}
    if row["content_type"] not in INLINE_SAFE_TYPES:
        headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if attachment:
        headers["Content-Disposition"] = content_disposition(row["filename"])
    return StreamingResponse(chunks, media_type=row["content_type"], headers=headers)


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the exact UTF-8 one (RFC 6266)."""
    fallback = filename.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
