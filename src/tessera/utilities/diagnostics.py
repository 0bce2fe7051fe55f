"""``GET /troubleshooting/headers`` and ``GET /urls/redirect`` (§5.28), without Tiledesk's holes.

Tiledesk echoes every request header and logs them, and redirects anywhere it is told to (an
open redirect, fact sheet §12.10). Tessera echoes the headers with credentials masked and logs
nothing, and redirects only to a path on this server or to the origins it is configured to
send people to (the widget, the dashboard, ``REDIRECT_ALLOWED_ORIGINS``).
"""

from collections.abc import Iterable
from urllib.parse import urlsplit

from tessera.core.errors import BadRequest

MASKED = "[masked]"
_CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})


def echoed_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The request headers as Node shows them: lower-case names, repeated ones joined with
    ``, ``; credential values masked."""
    echoed: dict[str, str] = {}
    for name, value in headers:
        key = name.lower()
        shown = MASKED if key in _CREDENTIAL_HEADERS else value
        echoed[key] = f"{echoed[key]}, {shown}" if key in echoed else shown
    return echoed


def origin_of(url: str) -> str | None:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc.lower()}"


def redirect_target(path: str | None, allowed_origins: frozenset[str]) -> str:
    """Where ``/urls/redirect`` may send the browser; a 400 for anything else."""
    if not path:
        raise BadRequest("The path query parameter is required")
    if _is_local_path(path):
        return path
    origin = origin_of(path)
    if origin is not None and origin in allowed_origins:
        return path
    raise BadRequest("Redirect target not allowed")


def _is_local_path(path: str) -> bool:
    # "//host" and "/\host" are read by browsers as another host; control characters could
    # split the Location header.
    if not path.startswith("/") or path[1:2] in ("/", "\\"):
        return False
    return all(ord(char) >= 0x20 and char != "\x7f" for char in path)


def allowed_origins(configured: Iterable[str], extra: str) -> frozenset[str]:
    """The origins of the configured widget/dashboard URLs and of the comma-separated extras."""
    candidates = [*configured, *extra.split(",")]
    return frozenset(origin for url in candidates if (origin := origin_of(url)) is not None)
