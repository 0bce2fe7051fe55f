"""Requests the server sends for a bot: to its NLU (``url``), its intent webhook
(``webhook_url``) and the training service.

A bot's addresses are typed by a project admin, so they are reached like webhooks: public
addresses only unless the operator allows private ones (``core.targets``: the host is
resolved, checked and the connection pinned to the checked address), no redirects, a
deadline for the whole exchange and a cap on the answer's size. Failures are one exception,
``CallFailed``, whose message says what went wrong without the answer's content.
"""

import time
from dataclasses import dataclass
from typing import Any

import anyio
import httpx
import orjson

from tessera.config import Settings
from tessera.core import targets
from tessera.subscriptions import delivery

USER_AGENT = "tiledesk-bot"
MAX_ANSWER_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class CallOptions:
    allow_private: bool = False
    timeout_seconds: float = 10.0
    origin: str = "http://localhost:3000"

    @classmethod
    def from_settings(cls, settings: Settings) -> "CallOptions":
        return cls(
            allow_private=settings.webhook_allow_private_targets,
            timeout_seconds=settings.webhook_timeout_seconds,
            origin=settings.webhook_origin,
        )


@dataclass(frozen=True, slots=True)
class Answer:
    """What the target answered: its status and its body, parsed when it is JSON (else the
    text; None when empty)."""

    status: int
    body: Any

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class CallFailed(Exception):
    """No answer: the target is not allowed, unreachable, too slow or answered too much."""


class TargetNotAllowed(CallFailed):
    """The target is not an http(s) URL, or not a public address (private ones refused)."""


def endpoint(url: str, name: str) -> str:
    """``<url>/<name>``, a trailing ``/`` of ``url`` not doubled."""
    return f"{url.rstrip('/')}/{name}"


def signed_headers(secret: str, body: bytes) -> dict[str, str]:
    """Tessera's timestamp and signature of ``body`` keyed with the bot's secret, as on its
    webhook deliveries: the receiver can tell the server's requests from others'."""
    timestamp = int(time.time())
    return {
        delivery.TIMESTAMP_HEADER: str(timestamp),
        delivery.SIGNATURE_HEADER: delivery.signature(secret, timestamp, body),
    }


async def post_json(
    url: str,
    body: bytes,
    options: CallOptions,
    *,
    headers: dict[str, str] | None = None,
) -> Answer:
    """POST ``body`` (JSON) to ``url`` with Tiledesk's bot headers (``User-Agent:
    tiledesk-bot``, ``Origin``) and ``headers``."""
    sent = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Origin": options.origin,
        **(headers or {}),
    }
    try:
        with anyio.fail_after(options.timeout_seconds):
            return await _post(url, body, sent, options)
    except TimeoutError:
        raise CallFailed(f"no answer from {url} within {options.timeout_seconds:g} s") from None
    except targets.TargetRefused as error:
        raise TargetNotAllowed(str(error)) from None
    except httpx.InvalidURL:
        raise TargetNotAllowed(f"{url} is not a valid URL") from None
    except (httpx.HTTPError, OSError) as error:
        raise CallFailed(f"could not reach {url}: {str(error) or type(error).__name__}") from None


async def _post(url: str, body: bytes, headers: dict[str, str], options: CallOptions) -> Answer:
    target = httpx.URL(url)
    if target.scheme not in ("http", "https") or not target.host:
        raise TargetNotAllowed(f"{url} is not an http(s) URL")
    if not options.allow_private and targets.names_private_host(url):
        raise TargetNotAllowed(f"{url} is not a public address")
    pinned = targets.unpinned(url) if options.allow_private else await targets.pin_public(url)
    async with (
        httpx.AsyncClient(follow_redirects=False, timeout=options.timeout_seconds) as http,
        http.stream(
            "POST",
            pinned.url,
            content=body,
            headers={**headers, **pinned.headers},
            extensions=pinned.extensions,
        ) as response,
    ):
        content = await _bounded(response, url)
        return Answer(response.status_code, _parsed(content, response.encoding))


async def _bounded(response: httpx.Response, url: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > MAX_ANSWER_BYTES:
            raise CallFailed(f"the answer of {url} is larger than {MAX_ANSWER_BYTES} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _parsed(content: bytes, encoding: str | None) -> Any:
    """The body as JSON when it is JSON (as Tiledesk's ``request`` module reads it with
    ``json: true``), else as text; None when empty."""
    if not content.strip():
        return None
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        return content.decode(encoding or "utf-8", errors="replace")
