"""Operating hours (§5.2): is the project open now?

``operatingHours`` is a JSON string ``{"tzname": "Europe/Rome", "1": [{"start": "09:00",
"end": "18:00"}], ...}`` keyed by weekday 0=Sunday..6=Saturday; ``timeSlots[slot].hours``
uses the same shape keyed by ISO weekday 1=Monday..7=Sunday. A missing day is closed;
an interval includes its start and excludes its end. A project whose paid plan has lapsed is
always open: operating hours are a plan feature (Tiledesk: services/operatingHoursService.js).
"""

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tessera.core.clock import from_datetime, parse_iso

_GRACE_MS = 3 * 86_400_000


class HoursError(Exception):
    """The stored hours cannot be read; ``code`` is Tiledesk's ``errorCode``."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def project_is_open(project: Mapping[str, Any], now: datetime) -> bool:
    if plan_lapsed(project, now) or not project.get("active_operating_hours"):
        return True
    raw = project.get("operating_hours")
    if not raw:
        raise HoursError(1020, "Operating hours is empty")
    hours = parse_hours(raw)
    local = now.astimezone(_zone(hours))
    sunday_first = (local.isoweekday()) % 7
    return _open_on(hours.get(str(sunday_first)), local)


def slot_is_open(project: Mapping[str, Any], slot_id: str, now: datetime) -> bool:
    slots = project.get("time_slots")
    if plan_lapsed(project, now) or not slots:
        return True
    slot = slots.get(slot_id)
    if not isinstance(slot, dict):
        raise HoursError(1030, f"Slot not found with id {slot_id}")
    if slot.get("active") is False:
        return True
    if not slot.get("hours"):
        raise HoursError(1020, "Operating hours is empty")
    hours = parse_hours(slot["hours"])
    local = now.astimezone(_zone(hours))
    return _open_on(hours.get(str(local.isoweekday())), local)


def plan_lapsed(project: Mapping[str, Any], now: datetime) -> bool:
    """A ``payment`` plan whose ``subEnd``, plus three days of grace, is past. (Tessera has
    no trials, so Tiledesk's other case, an expired ``free`` trial, never happens.)"""
    profile = project.get("profile") or {}
    end = profile.get("subEnd")
    end_ms = parse_iso(end) if isinstance(end, str) else None
    if profile.get("type") != "payment" or end_ms is None:
        return False
    return from_datetime(now) > end_ms + _GRACE_MS


def parse_hours(raw: str) -> dict[str, Any]:
    try:
        hours = json.loads(raw)
    except (TypeError, ValueError):
        raise HoursError(3000, "Operating hours are not valid JSON") from None
    if not isinstance(hours, dict):
        raise HoursError(3000, "Operating hours must be a JSON object")
    return hours


def check_hours(raw: str) -> None:
    """Raise ``HoursError`` unless ``raw`` is readable hours with a known time zone."""
    _zone(parse_hours(raw))


def _zone(hours: Mapping[str, Any]) -> ZoneInfo:
    name = hours.get("tzname")
    if not name:
        raise HoursError(2000, "Timezone undefined.")
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise HoursError(3000, f"Unknown time zone {name}") from None


def _open_on(day: object, local: datetime) -> bool:
    if not isinstance(day, list):
        return False
    current = local.strftime("%H:%M")
    for interval in day:
        if not isinstance(interval, dict):
            continue
        start, end = str(interval.get("start", "")), str(interval.get("end", ""))
        if start <= current < end:
            return True
    return False
