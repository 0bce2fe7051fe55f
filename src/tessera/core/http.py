"""ASGI middlewares for Tiledesk's HTTP conventions (fact sheet §1.1, §1.8).

* ``normalize_path``: ``/v2`` and ``/v3`` prefixes removed, ``//`` collapsed, trailing ``/``
  dropped, so every route answers at ``/x``, ``/x/``, ``/v3/x`` and ``//x``.
* ``Cors``: ``Access-Control-Allow-Origin: *`` everywhere; every OPTIONS is a 204 preflight.
* ``BodyGuard``: bodies over the limit are 413, malformed JSON is 400, url-encoded forms
  become JSON, other media types are 415, an empty body reads as ``{}``. Multipart bodies
  (uploads) are passed on unread, but counted as they stream against their own, larger
  limit (``MAX_UPLOAD_FILE_SIZE`` plus room for the multipart envelope).
"""

import re
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tessera.core.errors import AppError, BadRequest, PayloadTooLarge, UnsupportedMediaType
from tessera.core.forms import parse_form

_VERSION_PREFIX = re.compile(r"^/v[23](?=/|$)")
_SLASHES = re.compile(r"/{2,}")


def normalize_path(path: str) -> str:
    path = _SLASHES.sub("/", path)
    path = _VERSION_PREFIX.sub("", path) or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    return path


class PathNormalizer:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            path = normalize_path(scope["path"])
            if path != scope["path"]:
                scope = {**scope, "path": path, "raw_path": path.encode()}
        await self.app(scope, receive, send)


_CORS_METHODS = b"GET,HEAD,PUT,PATCH,POST,DELETE"


class Cors:
    """The ``cors`` package's defaults as Tiledesk installs them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            await self._preflight(scope, send)
            return

        async def send_with_origin(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"access-control-allow-origin", b"*"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_origin)

    @staticmethod
    async def _preflight(scope: Scope, send: Send) -> None:
        headers = [
            (b"access-control-allow-origin", b"*"),
            (b"access-control-allow-methods", _CORS_METHODS),
            (b"vary", b"Access-Control-Request-Headers"),
            (b"content-length", b"0"),
        ]
        requested = _header(scope, b"access-control-request-headers")
        if requested:
            headers.append((b"access-control-allow-headers", requested))
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b""})


_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class BodyGuard:
    """Reads JSON and form bodies whole, checks them and hands the app clean JSON."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limit: int,
        upload_limit: int | None = None,
        passthrough_prefixes: tuple[str, ...] = (),
    ):
        self.app = app
        self.limit = limit
        self.upload_limit = upload_limit
        self.passthrough_prefixes = passthrough_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        media_type = _media_type(scope)
        if media_type == "multipart/form-data" and self.upload_limit is not None:
            await _bounded(self.app, scope, receive, send, self.upload_limit)
            return
        if media_type == "multipart/form-data" or scope["path"].startswith(
            self.passthrough_prefixes
        ):
            await self.app(scope, receive, send)
            return
        try:
            body = await self._read(scope, receive)
            json_body = _as_json(media_type, body)
        except AppError as error:
            await _send_error(send, error)
            return
        await self.app(_with_json_headers(scope, json_body), _replay(json_body), send)

    async def _read(self, scope: Scope, receive: Receive) -> bytes:
        declared = _header(scope, b"content-length")
        if declared and declared.isdigit() and int(declared) > self.limit:
            raise _too_large(self.limit)
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                raise _too_large(self.limit)
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge("Request entity too large", key="err", success=None, limit=limit)


# Room for the multipart boundaries, part headers and small fields around the file.
MULTIPART_ENVELOPE = 64 * 1024


class _UploadTooLarge(Exception):
    """Raised from ``receive`` once a multipart body has streamed past its limit."""


async def _bounded(app: ASGIApp, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    """Run ``app`` on a multipart body without reading it first, stopping it with 413
    (Tiledesk's ``{"err": "Content Too Large", "limit_file_size": ...}``) when the body,
    declared or streamed, exceeds ``limit`` plus the envelope."""
    error = PayloadTooLarge("Content Too Large", key="err", success=None, limit_file_size=limit)
    allowed = limit + MULTIPART_ENVELOPE
    declared = _header(scope, b"content-length")
    if declared and declared.isdigit() and int(declared) > allowed:
        await _send_error(send, error)
        return
    received = 0
    started = False

    async def counting_receive() -> Message:
        nonlocal received
        message = await receive()
        received += len(message.get("body", b""))
        if received > allowed:
            raise _UploadTooLarge
        return message

    async def watching_send(message: Message) -> None:
        nonlocal started
        started = started or message["type"] == "http.response.start"
        await send(message)

    try:
        await app(scope, counting_receive, watching_send)
    except _UploadTooLarge:
        if started:
            raise
        await _send_error(send, error)


def _as_json(media_type: str, body: bytes) -> bytes:
    if not body.strip():
        return b"{}"
    if media_type == "application/x-www-form-urlencoded":
        return _without_nul(orjson.dumps(parse_form(body)))
    if _is_json_type(media_type) or (media_type == "" and _parses(body)):
        _check_json(body)
        return _without_nul(body)
    shown = media_type or "none"
    raise UnsupportedMediaType(
        f"Unsupported content type '{shown}': send application/json or "
        "application/x-www-form-urlencoded",
        key="error",
    )


def _is_json_type(media_type: str) -> bool:
    return media_type in ("application/json", "text/json") or media_type.endswith("+json")


def _parses(body: bytes) -> bool:
    try:
        orjson.loads(body)
    except orjson.JSONDecodeError:
        return False
    return True


def _without_nul(body: bytes) -> bytes:
    """Refuse NUL characters: PostgreSQL stores neither them in text nor ``\\u0000`` in
    JSONB, and no chat text needs one. (A literal backslash before ``u0000`` is refused too:
    a harmless false positive.)"""
    if b"\\u0000" in body or b"\x00" in body:
        raise BadRequest("Text must not contain NUL characters (\\u0000)", key="error")
    return body


def _check_json(body: bytes) -> None:
    try:
        orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise BadRequest(f"Malformed JSON body: {error}", key="error") from None


def _with_json_headers(scope: Scope, body: bytes) -> Scope:
    headers = [
        (name, value)
        for name, value in scope["headers"]
        if name not in (b"content-type", b"content-length", b"transfer-encoding")
    ]
    headers.append((b"content-type", b"application/json"))
    headers.append((b"content-length", str(len(body)).encode()))
    return {**scope, "headers": headers}


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


async def _send_error(send: Send, error: AppError) -> None:
    payload = orjson.dumps(error.body())
    headers = [
        (b"content-type", b"application/json; charset=utf-8"),
        (b"content-length", str(len(payload)).encode()),
        *((k.lower().encode(), v.encode()) for k, v in error.headers().items()),
    ]
    await send({"type": "http.response.start", "status": error.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


def _media_type(scope: Scope) -> str:
    value = _header(scope, b"content-type")
    return value.decode("latin-1").split(";", 1)[0].strip().lower() if value else ""


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


def client_ip(scope: Scope, trusted_proxies: int) -> str:
    """The client address, read from ``X-Forwarded-For`` only through ``trusted_proxies`` hops."""
    if trusted_proxies > 0:
        forwarded = _header(scope, b"x-forwarded-for")
        if forwarded:
            hops = [part.strip() for part in forwarded.decode("latin-1").split(",")]
            return hops[max(len(hops) - trusted_proxies, 0)]
    client: Any = scope.get("client")
    return str(client[0]) if client else "unknown"
