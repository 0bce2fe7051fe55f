"""Seeding helpers for the analytics tests.

Conversations, departments, tags and visitors are made through the API; their dates and
measures are then set through the repositories (an aggregate needs rows on known days, and
the API stamps everything "now"). Messages on known days are written through the messages
repository with the unit of work's clock set to that instant."""

import time
from datetime import UTC, date, datetime
from typing import Any

import httpx

from tessera.conversations import repository as conversations
from tessera.core.db import Database, Tx
from tessera.messages import repository as messages
from tessera.project_users import repository as memberships

SECOND = 1000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR


def now_ms() -> int:
    return int(time.time() * 1000)


def midnight(ms: int) -> int:
    """The start of the UTC day holding ``ms``."""
    return ms - ms % DAY


def day_of(ms: int) -> date:
    return datetime.fromtimestamp(ms / 1000, UTC).date()


def ymd(ms: int) -> dict[str, int]:
    """``_id`` keys of the UTC day holding ``ms``."""
    day = day_of(ms)
    return {"year": day.year, "month": day.month, "day": day.day}


async def redate(db: Database, project_id: str, request_id: str, **values: Any) -> None:
    """Set columns of a conversation made through the API (``created_at``, measures...)."""

    def write(tx: Tx) -> None:
        found = conversations.get(tx, project_id, request_id)
        assert found is not None
        conversations.update_fields(tx, found.id, values)

    await db.write(write)


async def redate_membership(db: Database, project_id: str, membership_id: str, at: int) -> None:
    def write(tx: Tx) -> None:
        assert memberships.update_fields(tx, project_id, membership_id, {"created_at": at})

    await db.write(write)


async def message_at(
    db: Database, project_id: str, at: int, *, sender: str, recipient: str, **values: Any
) -> None:
    """A message stored at the instant ``at``, shaped as the messages service stores one."""

    def write(tx: Tx) -> None:
        tx.now = at
        messages.add(
            tx,
            {
                "project_id": project_id,
                "sender": sender,
                "recipient": recipient,
                "type": "text",
                "channel_type": "group",
                "text": "Hello",
                "channel": {"name": "chat21"},
                "status": 0,
                "created_by": sender,
                **values,
            },
        )

    await db.write(write)


async def get_json(
    client: httpx.AsyncClient, path: str, auth: dict[str, str], **params: object
) -> Any:
    response = await client.get(path, params=params, headers=auth)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    return response.json()
