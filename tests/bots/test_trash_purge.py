"""Trashed bots are deleted ``CHATBOT_TRASH_TTL_SECONDS`` after ``trashedAt`` (fact sheet
§5.13, Tiledesk's TTL index), by the schedulers' purge, with their intents and published
versions. The purge runs as if the time were a given moment, on the app's real database."""

from datetime import datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tessera.bots import service as bot_service
from tessera.config import Settings
from tessera.core.clock import now_ms
from tessera.core.db import Database
from tessera.scheduler.runner import purge_trashed_bots, run_once
from tests.conftest import EventLog
from tests.factories import World, make_world
from tests.intents.support import intents_of, make_bot, make_intent

MINUTE = 60_000
TTL_SECONDS = 30 * 86_400


@pytest.fixture
async def world(client: httpx.AsyncClient) -> World:
    return await make_world(client)


@pytest.fixture
def db(app: FastAPI) -> Database:
    database: Database = app.state.db
    return database


async def bot_with_intent(client: httpx.AsyncClient, world: World, name: str) -> dict[str, Any]:
    bot = await make_bot(client, world.project_id, world.admin, name)
    await make_intent(
        client, world.project_id, world.admin, bot["_id"], question="Hi?", answer="Hello"
    )
    return bot


async def trash(
    client: httpx.AsyncClient, world: World, bot_id: str, *, trashed: bool = True
) -> int:
    response = await client.put(
        f"/{world.project_id}/faq_kb/{bot_id}", json={"trashed": trashed}, headers=world.admin.auth
    )
    assert response.status_code == 200, response.text
    stamp = response.json().get("trashedAt")
    return _millis(stamp) if stamp else 0


def _millis(iso: str) -> int:
    """``trashedAt`` on the wire (ISO 8601, UTC) as epoch milliseconds."""
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


async def exists(client: httpx.AsyncClient, world: World, bot_id: str) -> bool:
    response = await client.get(f"/{world.project_id}/faq_kb/{bot_id}", headers=world.owner.auth)
    assert response.status_code in (200, 404)
    return response.status_code == 200


def expired(trashed_at: int) -> int:
    """A moment just past the TTL of a bot trashed at ``trashed_at``."""
    return trashed_at + TTL_SECONDS * 1000 + MINUTE


class TestPurge:
    async def test_deletes_a_bot_trashed_longer_than_the_ttl_with_its_intents(
        self, client: httpx.AsyncClient, world: World, db: Database
    ) -> None:
        bot = await bot_with_intent(client, world, "Old Bot")
        trashed_at = await trash(client, world, bot["_id"])

        purged = await purge_trashed_bots(db, expired(trashed_at), TTL_SECONDS)

        assert purged >= 1
        assert not await exists(client, world, bot["_id"])
        assert await intents_of(client, world.project_id, world.owner, bot["_id"]) == []

    async def test_keeps_a_bot_trashed_more_recently(
        self, client: httpx.AsyncClient, world: World, db: Database
    ) -> None:
        bot = await bot_with_intent(client, world, "Recent")
        trashed_at = await trash(client, world, bot["_id"])

        await purge_trashed_bots(db, trashed_at + TTL_SECONDS * 1000 - MINUTE, TTL_SECONDS)

        assert await exists(client, world, bot["_id"])
        assert len(await intents_of(client, world.project_id, world.owner, bot["_id"])) == 1

    async def test_keeps_bots_out_of_the_trash_forever(
        self, client: httpx.AsyncClient, world: World, db: Database
    ) -> None:
        kept = await bot_with_intent(client, world, "Kept")
        restored = await bot_with_intent(client, world, "Restored")
        await trash(client, world, restored["_id"])
        await trash(client, world, restored["_id"], trashed=False)

        await purge_trashed_bots(db, now_ms() + 10 * 365 * 86_400_000, TTL_SECONDS)

        for bot in (kept, restored):
            assert await exists(client, world, bot["_id"])
            assert len(await intents_of(client, world.project_id, world.owner, bot["_id"])) == 1

    async def test_published_versions_go_with_their_bot(
        self, client: httpx.AsyncClient, world: World, db: Database
    ) -> None:
        bot = await bot_with_intent(client, world, "Versioned")
        published = await client.put(
            f"/{world.project_id}/faq_kb/{bot['_id']}/publish",
            json={"release_note": "v1"},
            headers=world.admin.auth,
        )
        version_id = published.json()["bot_id"]
        trashed_at = await trash(client, world, bot["_id"])

        await purge_trashed_bots(db, expired(trashed_at), TTL_SECONDS)

        assert not await exists(client, world, version_id)
        assert await intents_of(client, world.project_id, world.owner, version_id) == []

    async def test_is_silent(
        self, client: httpx.AsyncClient, world: World, db: Database, event_log: EventLog
    ) -> None:
        bot = await bot_with_intent(client, world, "Quiet")
        trashed_at = await trash(client, world, bot["_id"])
        seen = len(event_log.events)

        await purge_trashed_bots(db, expired(trashed_at), TTL_SECONDS)

        assert [e for e in event_log.events[seen:] if e.project_id == world.project_id] == []

    async def test_works_through_every_batch(
        self,
        client: httpx.AsyncClient,
        world: World,
        db: Database,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setattr(bot_service, "PURGE_BATCH", 2)
        bots = [await make_bot(client, world.project_id, world.admin, f"B{n}") for n in range(5)]
        moments = [await trash(client, world, bot["_id"]) for bot in bots]

        purged = await purge_trashed_bots(db, expired(max(moments)), TTL_SECONDS)

        assert purged >= 5
        for bot in bots:
            assert not await exists(client, world, bot["_id"])


class TestScheduler:
    async def test_the_purge_task_uses_the_configured_ttl(
        self, client: httpx.AsyncClient, world: World, db: Database, settings: Settings
    ) -> None:
        bot = await bot_with_intent(client, world, "Short Lived")
        trashed_at = await trash(client, world, bot["_id"])
        hour = settings.model_copy(update={"chatbot_trash_ttl_seconds": 3600})

        await run_once(db, hour, trashed_at + 59 * MINUTE)
        kept = await exists(client, world, bot["_id"])
        due = await run_once(db, hour, trashed_at + 61 * MINUTE)

        assert kept
        assert due.bots_purged >= 1
        assert not await exists(client, world, bot["_id"])

    def test_the_default_ttl_is_thirty_days(self) -> None:
        assert Settings(_env_file=None).chatbot_trash_ttl_seconds == TTL_SECONDS  # type: ignore[call-arg]
