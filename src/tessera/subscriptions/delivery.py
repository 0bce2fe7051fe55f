"""What a webhook POST carries (fact sheet §7.1 plus Tessera's signature) and when a failed
one is tried again. Pure functions: the dispatcher does the I/O."""

import hashlib
import hmac
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from tessera.auth import tokens
from tessera.core.db import Record
from tessera.subscriptions.schemas import SubscriptionOut

USER_AGENT = "tiledesk-webhooks"
DELIVERY_HEADER = "X-Tessera-Delivery"
TIMESTAMP_HEADER = "X-Tessera-Timestamp"
SIGNATURE_HEADER = "X-Tessera-Signature"

FIRST_RETRY_MS = 10_000
MAX_RETRY_MS = 60 * 60 * 1000
RETRY_WINDOW_MS = 24 * 60 * 60 * 1000
"""A failing delivery is tried again until at least this long after the event, then given up."""

RESPONSE_EXCERPT = 1000  # characters of a target's answer kept in the log


def hook_document(subscription: Record) -> dict[str, Any]:
    """``hook``: the subscription without ``secret`` and ``global`` (§7.1)."""
    return SubscriptionOut.of(subscription).wire()


def subscription_audience(subscription_id: str) -> str:
    return f"{tokens.ISSUER}/subscriptions/{subscription_id}"


def subscription_token(subscription: Record) -> str:
    """The JWT of §3.2: the hook document signed with the subscription's own secret, no
    expiry; it authenticates callbacks as ``Authorization: JWT <token>``."""
    return tokens.sign(
        hook_document(subscription),
        subscription.secret,
        subject="subscription",
        audience=subscription_audience(subscription.id),
        with_jti=False,
    )


def request_body(event_time_ms: int, payload: Mapping[str, Any], subscription: Record) -> bytes:
    """Tiledesk's envelope ``{"timestamp", "payload", "hook", "token"}``. ``timestamp`` is
    when the event happened, so every retry of a delivery carries the same body apart
    from a freshly signed token."""
    return orjson.dumps(
        {
            "timestamp": event_time_ms,
            "payload": payload,
            "hook": hook_document(subscription),
            "token": subscription_token(subscription),
        }
    )


def signature(secret: str, timestamp_s: int, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256, keyed with the subscription secret, of
    ``"<timestamp>.<raw body>"`` (a receiver checks it and rejects stale timestamps)."""
    digest = hmac.new(secret.encode(), f"{timestamp_s}.".encode() + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


@dataclass(frozen=True, slots=True)
class SignedRequest:
    body: bytes
    headers: dict[str, str]


def signed_request(
    delivery_id: str,
    event_time_ms: int,
    payload: Mapping[str, Any],
    subscription: Record,
    *,
    now_ms: int,
    origin: str,
) -> SignedRequest:
    """The body and headers of one attempt: Tiledesk's headers, the plain ``x-hook-secret``
    kept for compatibility, then Tessera's delivery id, timestamp and signature."""
    body = request_body(event_time_ms, payload, subscription)
    timestamp = now_ms // 1000
    headers = {
        "Content-Type": "application/json",
        "x-hook-secret": subscription.secret,
        "User-Agent": USER_AGENT,
        "Origin": origin,
        DELIVERY_HEADER: delivery_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(subscription.secret, timestamp, body),
    }
    return SignedRequest(body, headers)


def retry_delay_ms(failures: int, uniform: Callable[[float, float], float] = random.uniform) -> int:
    """Wait before the next try after ``failures`` failed ones: 10 s doubling up to 1 h,
    half of it random ("equal jitter"), so receivers coming back are not stampeded."""
    ceiling = min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** min(failures - 1, 20))
    return int(ceiling / 2 + uniform(0, ceiling / 2))


def gives_up(created_at_ms: int, now_ms: int) -> bool:
    """After a failure at ``now_ms``: true once the retry window has passed."""
    return now_ms - created_at_ms >= RETRY_WINDOW_MS


def is_success(status_code: int) -> bool:
    return 200 <= status_code < 300
