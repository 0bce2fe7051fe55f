"""Time as Tiledesk shows it: epoch milliseconds stored, ISO-8601 UTC (with ms) on the wire."""

import functools
import time
from datetime import UTC, datetime


def now_ms() -> int:
    """The current time in epoch milliseconds."""
    return time.time_ns() // 1_000_000


def iso(ms: int) -> str:
    """``1588919441094`` -> ``"2020-05-08T06:30:41.094Z"``."""
    seconds, millis = divmod(ms, 1000)
    return f"{_utc_second(seconds)}.{millis:03d}Z"


@functools.lru_cache(maxsize=8192)
def _utc_second(seconds: int) -> str:
    """A page of documents repeats its seconds (created, updated, last message...): each is
    formatted once."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))


def from_datetime(value: datetime) -> int:
    """An aware datetime (naive means UTC) as epoch milliseconds."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp() * 1000)


def parse_iso(value: str) -> int | None:
    """Epoch milliseconds from an ISO-8601 string, or None when it is not one."""
    try:
        return from_datetime(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        return None
