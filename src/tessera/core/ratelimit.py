"""Per-client moving-window rate limit with standard ``RateLimit-*`` headers.

The client is the subject its credentials name (the token's ``_id``, or the Basic e-mail),
else its IP address. Counters live in memory, or in Redis when one is configured so that
every worker and host shares them. If the counter store fails, requests are let through
(and the failure logged): an outage of Redis must not take the API down with it.
"""

import base64
import logging
import math
import time
from urllib.parse import parse_qs

import orjson
from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tessera.core.errors import RateLimited
from tessera.core.http import client_ip

log = logging.getLogger("tessera.ratelimit")
_WARNING_INTERVAL_SECONDS = 30.0


class RateLimiter:
    """Counts hits per client key in a moving window."""

    def __init__(self, limit: str, redis_url: str | None) -> None:
        self.item: RateLimitItem = parse(limit)
        self._storage = (
            storage_from_string(
                "async+" + redis_url, implementation="redispy", key_prefix="tessera-ratelimit"
            )
            if redis_url
            else storage_from_string("async+memory://")
        )
        self._strategy = MovingWindowRateLimiter(self._storage)
        self._last_warning = 0.0

    @property
    def description(self) -> str:
        return f"{self.item.amount} per {self.item.multiples} {self.item.GRANULARITY.name}"

    async def hit(self, key: str) -> tuple[bool, int, float] | None:
        """``(allowed, remaining, reset_at)``, or None when the counter store is unreachable."""
        try:
            allowed = await self._strategy.hit(self.item, key)
            stats = await self._strategy.get_window_stats(self.item, key)
        except Exception as error:
            self._warn(error)
            return None
        return allowed, stats.remaining, stats.reset_time

    def _warn(self, error: Exception) -> None:
        """Log an outage of the counter store, at most every 30 seconds."""
        now = time.monotonic()
        if now - self._last_warning >= _WARNING_INTERVAL_SECONDS:
            self._last_warning = now
            log.warning("rate-limit store unavailable, requests let through: %s", error)

    async def close(self) -> None:
        # ``limits`` (pinned) keeps its redis-py client at ``storage.bridge.storage`` and has
        # no close of its own; memory storage has nothing to close.
        client = getattr(getattr(self._storage, "bridge", None), "storage", None)
        if client is not None:
            await client.aclose()


class RateLimit:
    """ASGI middleware applying a ``RateLimiter`` to every HTTP request but the exempt ones."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limiter: RateLimiter,
        trusted_proxies: int,
        exempt_paths: frozenset[str],
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.trusted_proxies = trusted_proxies
        self.exempt_paths = exempt_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] == "OPTIONS"
            or scope["path"] in self.exempt_paths
        ):
            await self.app(scope, receive, send)
            return
        verdict = await self.limiter.hit(client_key(scope, self.trusted_proxies))
        if verdict is None:
            await self.app(scope, receive, send)
            return
        allowed, remaining, reset_at = verdict
        reset_in = max(math.ceil(reset_at - time.time()), 0)
        headers = [
            (b"ratelimit-limit", str(self.limiter.item.amount).encode()),
            (b"ratelimit-remaining", str(remaining).encode()),
            (b"ratelimit-reset", str(reset_in).encode()),
        ]
        if not allowed:
            await _reject(send, self._error(max(reset_in, 1)), headers)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *headers]}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _error(self, retry_after: int) -> RateLimited:
        limit = self.limiter.description
        return RateLimited(
            f"Too many requests: the limit is {limit}. Retry in {retry_after} s.",
            retry_after=retry_after,
            limit=limit,
        )


async def _reject(send: Send, error: RateLimited, headers: list[tuple[bytes, bytes]]) -> None:
    payload = orjson.dumps(error.body())
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"content-length", str(len(payload)).encode()),
                (b"retry-after", str(error.retry_after).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


def client_key(scope: Scope, trusted_proxies: int) -> str:
    """Who is calling, cheaply and without verifying anything (verification comes later)."""
    credentials = _credentials(scope)
    if credentials:
        scheme, _, value = credentials.partition(" ")
        scheme = scheme.lower()
        if scheme == "basic":
            email = _basic_email(value)
            if email:
                return "basic:" + email
        subject = _token_subject(value if value else scheme)
        if subject:
            return "token:" + subject
    return "ip:" + client_ip(scope, trusted_proxies)


def _credentials(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            return bytes(value).decode("latin-1").strip()
    query = scope.get("query_string", b"")
    if b"secret_token=" in query:
        tokens: list[str] = parse_qs(query.decode("latin-1")).get("secret_token", [])
        if tokens:
            return tokens[0]
    return None


def _basic_email(value: str) -> str | None:
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except ValueError:
        return None
    email, separator, _password = decoded.partition(":")
    return email.lower() if separator else None


def _token_subject(token: str) -> str | None:
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        claims = orjson.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, orjson.JSONDecodeError):
        return None
    if not isinstance(claims, dict):
        return None
    subject = claims.get("_id") or (claims.get("_doc") or {}).get("_id")
    return str(subject) if subject else None
