"""The schedulers (fact sheet §8.3) with a controllable clock: ``run_once(db, settings, now)``
runs every task as if the time were ``now``, on the app's real database; the outcome is read
back through the API."""

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from tessera.config import Settings
from tessera.core.clock import now_ms
from tessera.core.db import Database, Tx
from tessera.custom_events.models import events
from tessera.scheduler.rules import project_filter
from tessera.scheduler.runner import Scheduler, run_once
from tests.conftest import EventLog
from tests.conversations.support import create_request, post_message
from tests.factories import Person, make_project, signup

MINUTE = 60_000
HOUR = 60 * MINUTE
DAY = 24 * HOUR
CHAT_CLOSED = {
    "subtype": "info/support",
    "updateconversation": False,
    "messagelabel": {"key": "CHAT_CLOSED"},
}


class Project:
    """A project of its own (the schedulers are told to look only at it), with a bot."""

    def __init__(self, client: httpx.AsyncClient, project_id: str, owner: Person, bot_id: str):
        self.client = client
        self.id = project_id
        self.owner = owner
        self.bot_id = bot_id

    async def bot_conversation(self, text: str = "Hello bot") -> str:
        created = await create_request(
            self.client, self.id, self.owner, participants=[f"bot_{self.bot_id}"]
        )
        assert created["hasBot"] is True
        await post_message(self.client, self.id, created["request_id"], self.owner, text=text)
        request_id: str = created["request_id"]
        return request_id

    async def agent_conversation(self) -> str:
        created = await create_request(
            self.client, self.id, self.owner, participants=[self.owner.id]
        )
        assert created["hasBot"] is False
        request_id: str = created["request_id"]
        return request_id

    async def request(self, request_id: str) -> dict[str, Any]:
        response = await self.client.get(
            f"/{self.id}/requests/{request_id}", headers=self.owner.auth
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def messages(self, request_id: str) -> list[dict[str, Any]]:
        response = await self.client.get(
            f"/{self.id}/requests/{request_id}/messages", headers=self.owner.auth
        )
        assert response.status_code == 200, response.text
        found: list[dict[str, Any]] = response.json()
        return found

    async def closed_messages(self, request_id: str) -> int:
        return sum(m["text"] == "Chat closed" for m in await self.messages(request_id))

    def settings(self, base: Settings, **overrides: object) -> Settings:
        values: dict[str, object] = {
            "close_bot_unresponsive_requests_query_filter_only_project": self.id,
            "close_agent_unresponsive_requests_query_filter_only_project": self.id,
            **overrides,
        }
        return base.model_copy(update=values)


@pytest.fixture
async def project(client: httpx.AsyncClient) -> Project:
    owner = await signup(client, firstname="Olivia", lastname="Owner")
    project_id = await make_project(client, owner)
    bot = await client.post(f"/{project_id}/faq_kb", json={"name": "Bot"}, headers=owner.auth)
    assert bot.status_code == 200, bot.text
    return Project(client, project_id, owner, bot.json()["_id"])


@pytest.fixture
def db(app: FastAPI) -> Database:
    database: Database = app.state.db
    return database


def later(ms: int) -> int:
    return now_ms() + ms


class TestBotConversations:
    async def test_one_left_two_days_is_closed_like_put_close(
        self, db: Database, settings: Settings, project: Project, event_log: EventLog
    ) -> None:
        request_id = await project.bot_conversation("Where is my parcel?")

        report = await run_once(db, project.settings(settings), later(2 * DAY + MINUTE))
        closed = await project.request(request_id)
        messages = await project.messages(request_id)

        assert report.closed == {"bot": [request_id]}
        assert closed["status"] == 1000
        assert closed["closed_by"] == "system"
        assert "closed_at" in closed
        assert "Where is my parcel?" in closed["transcript"]
        assert messages[-1]["text"] == "Chat closed"
        assert messages[-1]["sender"] == "system"
        assert messages[-1]["attributes"] == CHAT_CLOSED
        closes = [e for e in event_log.named("request.close", project.id)]
        assert [e.payload["request_id"] for e in closes] == [request_id]

    async def test_the_close_is_in_the_activity_log_as_the_systems(
        self, db: Database, settings: Settings, project: Project
    ) -> None:
        request_id = await project.bot_conversation()

        await run_once(db, project.settings(settings), later(3 * DAY))
        log = await project.client.get(
            f"/{project.id}/activities",
            params={"activities": "REQUEST_CLOSE"},
            headers=project.owner.auth,
        )

        (closed,) = log.json()["activities"]
        assert closed["actor"] == {"type": "system", "id": "system", "name": "System"}
        assert closed["message"] == f"System closed conversation {request_id}"

    async def test_recent_ones_are_left_open(
        self, db: Database, settings: Settings, project: Project
    ) -> None:
        request_id = await project.bot_conversation()

        report = await run_once(db, project.settings(settings), later(2 * DAY - HOUR))

        assert report.closed == {"bot": []}
        assert (await project.request(request_id))["status"] == 200
        assert await project.closed_messages(request_id) == 0

    async def test_pending_ones_are_left_open(
        self, db: Database, settings: Settings, project: Project
    ) -> None:
        request_id = await project.bot_conversation()
        patched = await project.client.patch(
            f"/{project.id}/requests/{request_id}",
            json={"workingStatus": "pending"},
            headers=project.owner.auth,
        )
        assert patched.status_code == 200, patched.text

        report = await run_once(db, project.settings(settings), later(10 * DAY))

        assert report.closed == {"bot": []}
        assert (await project.request(request_id))["status"] == 200

    async def test_the_timeout_and_the_switch_are_settings(
        self, db: Database, settings: Settings, project: Project
    ) -> None:
        request_id = await project.bot_conversation()
        off = project.settings(settings, close_bot_unresponsive_requests_enable=False)
        hour = project.settings(settings, close_bot_unresponsive_requests_after_timeout=HOUR)

        disabled = await run_once(db, off, later(30 * DAY))
        enabled = await run_once(db, hour, later(HOUR + MINUTE))

        assert disabled.closed == {}
        assert enabled.closed == {"bot": [request_id]}

    async def test_each_run_closes_at_most_the_limit_oldest_first(
        self, db: Database, settings: Settings, project: Project
    ) -> None:
        oldest, middle, newest = [await project.bot_conversation() for _ in range(3)]
        two = project.settings(settings, close_bot_unresponsive_requests_query_limit=2)

        first = await run_once(db, two, later(3 * DAY))
        second = await run_once(db, two, later(3 * DAY))

        assert first.closed == {"bot": [oldest, middle]}
        assert second.closed == {"bot": [newest]}

    async def test_two_schedulers_racing_close_each_conversation_once(
        self, db: Database, settings: Settings, project: Project, event_log: EventLog
    ) -> None:
        conversations = [await project.bot_conversation() for _ in range(4)]
        both = project.settings(settings)
        moment = later(3 * DAY)

        first, second = await asyncio.gather(run_once(db, both, moment), run_once(db, both, moment))

        closed = first.closed["bot"] + second.closed["bot"]
        assert sorted(closed) == sorted(conversations)
        for request_id in conversations:
            assert (await project.request(request_id))["status"] == 1000
            assert await project.closed_messages(request_id) == 1
        closes = [e.payload["request_id"] for e in event_log.named("request.close", project.id)]
        assert sorted(closes) == sorted(conversations)

    async def test_agent_conversations_are_not_the_bot_tasks(
        self, db: Database, settings: Settings, project: Project
    ) -> None:
        request_id = await project.agent_conversation()

        report = await run_once(db, project.settings(settings), later(30 * DAY))

        assert report.closed == {"bot": []}
        assert (await project.request(request_id))["status"] == 200


class TestAgentConversations:
    async def test_closed_after_five_days_when_enabled(
        self, db: Database, settings: Settings, project: Project
    ) -> None:
        request_id = await project.agent_conversation()
        bot_request_id = await project.bot_conversation()
        enabled = project.settings(
            settings,
            close_agent_unresponsive_requests_enable=True,
            close_bot_unresponsive_requests_enable=False,
        )

        early = await run_once(db, enabled, later(5 * DAY - HOUR))
        due = await run_once(db, enabled, later(5 * DAY + MINUTE))
        closed = await project.request(request_id)
        me = await project.client.get(f"/{project.id}/project_users/me", headers=project.owner.auth)

        assert early.closed == {"agent": []}
        assert due.closed == {"agent": [request_id]}
        assert closed["status"] == 1000
        assert closed["closed_by"] == "system"
        assert await project.closed_messages(request_id) == 1
        assert me.json()[0]["number_assigned_requests"] == 0
        assert (await project.request(bot_request_id))["status"] == 200

    async def test_off_by_default(self, db: Database, settings: Settings, project: Project) -> None:
        request_id = await project.agent_conversation()

        report = await run_once(db, project.settings(settings), later(60 * DAY))

        assert "agent" not in report.closed
        assert (await project.request(request_id))["status"] == 200


def _stored_events(tx: Tx, event_id: str) -> int:
    statement = select(func.count()).select_from(events).where(events.c.id == event_id)
    return int(tx.conn.execute(statement).scalar_one())


class TestPurge:
    async def test_expired_events_are_deleted(
        self, db: Database, settings: Settings, project: Project
    ) -> None:
        sent = await project.client.post(
            f"/{project.id}/events", json={"name": "typing.start"}, headers=project.owner.auth
        )
        event_id = sent.json()["_id"]

        await run_once(db, project.settings(settings), later(HOUR - MINUTE))
        still_there = await db.read(_stored_events, event_id)
        purged = await run_once(db, project.settings(settings), later(HOUR + MINUTE))

        assert still_there == 1
        assert purged.events_purged >= 1
        assert await db.read(_stored_events, event_id) == 0

    async def test_activities_older_than_thirty_days_are_deleted(
        self, db: Database, settings: Settings, project: Project
    ) -> None:
        await project.agent_conversation()

        async def count() -> int:
            response = await project.client.get(
                f"/{project.id}/activities", headers=project.owner.auth
            )
            found: int = response.json()["count"]
            return found

        before = await count()
        await run_once(db, project.settings(settings), later(29 * DAY))
        after_29_days = await count()
        purged = await run_once(db, project.settings(settings), later(30 * DAY + MINUTE))

        assert before > 0
        assert after_29_days == before
        assert purged.activities_purged >= before
        assert await count() == 0


class TestInTheBackground:
    async def test_runs_on_its_interval_until_stopped(
        self, db: Database, settings: Settings, project: Project
    ) -> None:
        request_id = await project.bot_conversation()
        quick = project.settings(
            settings,
            close_bot_unresponsive_requests_after_timeout=0,
            close_bot_unresponsive_requests_interval_seconds=0.05,
        )
        scheduler = Scheduler(db, quick)

        await scheduler.start()
        try:
            for _ in range(100):
                if (await project.request(request_id))["status"] == 1000:
                    break
                await asyncio.sleep(0.05)
        finally:
            await scheduler.stop()
        later_one = await project.bot_conversation()
        await asyncio.sleep(0.3)

        assert (await project.request(request_id))["closed_by"] == "system"
        assert (await project.request(later_one))["status"] == 200


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, ()), ("", ()), ("a1", ("a1",)), ("a1, b2", ("a1", "b2")), ('"a1"', ("a1",)),
     ('{"$in": ["a1", "b2"]}', ("a1", "b2"))],
)  # fmt: skip
def test_the_project_filter_reads_ids_or_tiledesks_json(
    value: str | None, expected: tuple[str, ...]
) -> None:
    assert project_filter(value) == expected


def test_a_malformed_project_filter_is_refused() -> None:
    with pytest.raises(ValueError, match="not a project filter"):
        project_filter('{"$in": [1, 2]}')
