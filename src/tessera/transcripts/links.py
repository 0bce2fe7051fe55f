"""Signed transcript links: an HMAC-SHA256, keyed with the global secret, over the project,
the conversation and an expiry. Whoever holds the link reads that one transcript until it
expires; nothing else can be derived from it."""

import hashlib
import hmac

_PURPOSE = b"tessera.transcript.v1"


def signature(secret: str, project_id: str, request_id: str, expires: int) -> str:
    message = b"\n".join(
        (_PURPOSE, project_id.encode(), request_id.encode(), str(expires).encode())
    )
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def is_valid(
    secret: str, project_id: str, request_id: str, expires: int, given: str, *, now_s: int
) -> bool:
    """The link was signed by this server for this conversation and has not expired."""
    if expires <= now_s:
        return False
    expected = signature(secret, project_id, request_id, expires)
    return hmac.compare_digest(expected, given.strip().lower())
