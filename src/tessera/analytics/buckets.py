"""Local calendar buckets (hours, days, weeks, months of a timezone) as UTC millisecond ranges.

Rows are grouped by the bucket whose range holds their ``created_at``: the databases compare
integers only, so SQLite and PostgreSQL give the same answer, and every timezone rule (DST,
half-hour offsets) comes from one place, Python's ``zoneinfo``, instead of two databases'
own timezone tables. Buckets are computed for the span of the data being aggregated, so
their number stays small (720 hours for 30 days, a few hundred days or weeks for years).
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)
# MongoDB's offset forms: "+03:00", "+0300", "+03" (and their negatives).
_OFFSET = re.compile(r"([+-])(\d{2})(?::?(\d{2}))?")
_LONGEST_ZONE_NAME = 64


class Unit(StrEnum):
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True, slots=True)
class Bucket:
    """``[start, end)`` in UTC epoch milliseconds, and the local wall-clock time it starts at."""

    start: int
    end: int
    local: datetime


def parse_timezone(value: str) -> tzinfo:
    """An IANA name (``Europe/Rome``) or a fixed offset (``+05:30``), as MongoDB's date
    operators accept them. Raises ``ValueError`` for anything else."""
    offset = _OFFSET.fullmatch(value)
    if offset:
        sign, hours, minutes = offset.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
        if delta >= timedelta(hours=24) or int(minutes or 0) >= 60:
            raise ValueError(f"offset out of range: {value}")
        return timezone(-delta if sign == "-" else delta)
    if not value or len(value) > _LONGEST_ZONE_NAME:
        raise ValueError(f"not a timezone: {value!r}")
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"unknown timezone: {value}") from None


def to_local(ms: int, zone: tzinfo) -> datetime:
    """The naive local wall-clock time of the instant ``ms``."""
    return (EPOCH + ms * _MILLISECOND).astimezone(zone).replace(tzinfo=None)


def to_ms(local: datetime, zone: tzinfo) -> int:
    """The instant of the naive local time ``local`` (the first one when it occurs twice; the
    transition itself when it is skipped)."""
    return (local.replace(tzinfo=zone) - EPOCH) // _MILLISECOND


def buckets(first: int, last: int, zone: tzinfo, unit: Unit) -> list[Bucket]:
    """The buckets of ``unit`` in ``zone`` that cover the instants ``first`` to ``last``.

    A week bucket is MongoDB's ``$week``: weeks start on Sunday, and the first of a month
    starts a new bucket too, since results are keyed by ``(year, month, week)``. An hour
    skipped by a DST change yields no bucket; an hour that happens twice is one bucket."""
    local = _truncate(to_local(first, zone), unit)
    start = to_ms(local, zone)
    found: list[Bucket] = []
    while start <= last:
        following = _advance(local, unit)
        end = max(to_ms(following, zone), start)
        if end > start:
            found.append(Bucket(start, end, local))
        local, start = following, end
    return found


def _days_since_sunday(local: datetime) -> int:
    return (local.weekday() + 1) % 7


def _truncate(local: datetime, unit: Unit) -> datetime:
    if unit is Unit.HOUR:
        return local.replace(minute=0, second=0, microsecond=0)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if unit is Unit.DAY:
        return midnight
    first_of_month = midnight.replace(day=1)
    if unit is Unit.MONTH:
        return first_of_month
    sunday = midnight - timedelta(days=_days_since_sunday(midnight))
    return max(sunday, first_of_month)


def _advance(local: datetime, unit: Unit) -> datetime:
    if unit is Unit.HOUR:
        return local + timedelta(hours=1)
    if unit is Unit.DAY:
        return local + timedelta(days=1)
    next_month = (local.replace(day=28) + timedelta(days=4)).replace(day=1)
    if unit is Unit.MONTH:
        return next_month
    next_sunday = local + timedelta(days=7 - _days_since_sunday(local))
    return min(next_sunday, next_month)


def sunday_week(local: datetime) -> int:
    """MongoDB's ``$week`` (strftime ``%U``): 0 before the year's first Sunday, then 1..53."""
    day_of_year = local.timetuple().tm_yday - 1
    return (day_of_year + 7 - _days_since_sunday(local)) // 7


def mongo_weekday(local: datetime) -> int:
    """MongoDB's ``$dayOfWeek``: 1 for Sunday to 7 for Saturday."""
    return _days_since_sunday(local) + 1
