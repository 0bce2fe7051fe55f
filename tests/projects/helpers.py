"""Shared pieces of the ``/projects`` tests: guard answers, wire patterns, opening hours."""

import asyncio
import json
import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from tests.factories import World

ISO_MS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
OBJECT_ID = re.compile(r"[0-9a-f]{24}")

NOT_A_MEMBER = {"success": False, "msg": "you dont belong to the project."}
ROLE_TOO_LOW = {"success": False, "msg": "you dont have the required role."}

# The guard's answer to each kind of caller that is turned away (fact sheet §1.6, §4.3).
DENIALS = {
    "outsider": NOT_A_MEMBER,
    "stranger": NOT_A_MEMBER,
    "guest": ROLE_TOO_LOW,
    "end_user": ROLE_TOO_LOW,
    "agent": ROLE_TOO_LOW,
    "supervisor": ROLE_TOO_LOW,
    "admin": ROLE_TOO_LOW,
}

SECRET_FIELDS = ("jwtSecret", "publicKey", "privateKey", "jwt_secret", "public_key", "private_key")

ALL_DAY = [{"start": "00:00", "end": "24:00"}]


def auth_of(world: World, role: str) -> dict[str, str]:
    """The Authorization header of the world's caller called ``role``."""
    caller = getattr(world, role)
    headers: dict[str, str] = caller.auth
    return headers


def assert_no_secrets(project: dict[str, Any]) -> None:
    for field in SECRET_FIELDS:
        assert field not in project


async def set_project(
    client: httpx.AsyncClient, project_id: str, headers: dict[str, str], **body: Any
) -> dict[str, Any]:
    """PUT the project (arrange step); fails the test unless the update is accepted."""
    response = await client.put(f"/projects/{project_id}", json=body, headers=headers)
    assert response.status_code == 200, response.text
    project: dict[str, Any] = response.json()
    return project


async def utc_now() -> datetime:
    """Now, but never in the last second of a UTC day: the hours a test builds for "today"
    must still be today's when the server reads them."""
    now = datetime.now(UTC)
    if now.hour == 23 and now.minute == 59 and now.second >= 58:
        await asyncio.sleep(2.5)
        now = datetime.now(UTC)
    return now


def sunday_first(moment: datetime) -> str:
    """``operatingHours`` weekday key: 0=Sunday..6=Saturday."""
    return str(moment.isoweekday() % 7)


def iso_weekday(moment: datetime) -> str:
    """``timeSlots`` weekday key: 1=Monday..7=Sunday."""
    return str(moment.isoweekday())


def hours_json(tzname: str | None, days: dict[str, list[dict[str, str]]]) -> str:
    hours: dict[str, Any] = {} if tzname is None else {"tzname": tzname}
    hours.update(days)
    return json.dumps(hours)


def window_excluding(moment: datetime) -> list[dict[str, str]]:
    """One interval of the same day that does not contain ``moment``."""
    if moment.hour >= 12:
        return [{"start": "00:00", "end": "01:00"}]
    return [{"start": "22:00", "end": "23:00"}]


def zone_on_another_day(moment: datetime) -> ZoneInfo:
    """A time zone whose local date differs from the UTC date at ``moment``."""
    # UTC+14 is already tomorrow from 10:00 UTC; UTC-12 is still yesterday before 12:00 UTC.
    return ZoneInfo("Pacific/Kiritimati") if moment.hour >= 12 else ZoneInfo("Etc/GMT+12")
