"""Queue counters ``GET /:pid/requests/count`` and the export ``GET /:pid/requests/csv``
(§5.4.2)."""

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from tessera.conversations.listing import current_slot
from tests.conversations.support import create_request, project_with_agents
from tests.factories import Person, add_member, make_guest, signup

CSV_HEADER = [
    "_id", "preflight", "hasBot", "participants", "priority", "followers",
    "participantsAgents", "participantsBots", "request_id", "requester", "first_text",
    "subject", "sourcePage", "language", "userAgent", "assigned_at", "id_project",
    "createdBy", "tags", "auto_close", "createdAt", "contact", "draft", "smartAssignment",
    "updatedAt", "ticket_id", "workingStatus", "first_response_at", "waiting_time",
    "closed_at", "closed_by", "duration", "rating", "rating_message",
    "channel_name", "department_name", "lead_fullname", "lead_email",
    "caller_phone", "called_phone", "call_id",
]  # fmt: skip


async def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


@dataclass
class Queue:
    project_id: str
    owner: Person
    agent: Person
    rid: dict[str, str]


@pytest.fixture(scope="module")
async def queue(client: httpx.AsyncClient) -> Queue:
    """Two conversations with a human, one queued, one with a bot, and the ones no counter
    counts: a test (draft) one, a preflight one, a closed one, a hidden (50) one."""
    project_id, owner, (agent,) = await project_with_agents(client, 1)
    auth = owner.auth
    pooled = await ok(
        await client.post(
            f"/{project_id}/departments", json={"name": "Queue", "routing": "pooled"}, headers=auth
        )
    )
    bot = await ok(await client.post(f"/{project_id}/faq_kb", json={"name": "Bot"}, headers=auth))
    bots = await ok(
        await client.post(
            f"/{project_id}/departments", json={"name": "Bots", "id_bot": bot["_id"]}, headers=auth
        )
    )
    specs: dict[str, dict[str, Any]] = {
        "human": {
            "subject": "Invoice",
            "channel": {"name": "form"},
            "attributes": {"caller_phone": "+1555", "called_phone": "+1666", "call_id": "c-9"},
        },
        "human2": {},
        "queued": {"departmentid": pooled["_id"]},
        "bot": {"departmentid": bots["_id"]},
        "draft": {"sourcePage": "https://example.com/widget?td_draft=true"},
        "preflight": {"preflight": True},
        "closed": {},
        "temp": {},
    }
    rid = {
        name: (await create_request(client, project_id, owner, **body))["request_id"]
        for name, body in specs.items()
    }
    base = f"/{project_id}/requests"
    tags = [{"tag": "vip", "color": "#f00"}, {"tag": "gold", "color": "#ff0"}]
    await ok(await client.put(f"{base}/{rid['human']}/tag", json=tags, headers=auth))
    await ok(await client.put(f"{base}/{rid['closed']}/close", json={}, headers=auth))
    await ok(await client.patch(f"{base}/{rid['temp']}", json={"status": 50}, headers=auth))
    return Queue(project_id=project_id, owner=owner, agent=agent, rid=rid)


class TestCount:
    async def test_unassigned_human_and_bot_assigned(
        self, client: httpx.AsyncClient, queue: Queue
    ) -> None:
        response = await client.get(f"/{queue.project_id}/requests/count", headers=queue.agent.auth)

        assert response.status_code == 200
        assert response.json() == {"unassigned": 1, "assigned": 2, "bot_assigned": 1}

    @pytest.mark.parametrize("value", ["true", "false", "1"])
    async def test_merge_assigned_with_any_value(
        self, client: httpx.AsyncClient, queue: Queue, value: str
    ) -> None:
        # Tiledesk tests the parameter for truthiness: even "false" merges.
        response = await client.get(
            f"/{queue.project_id}/requests/count",
            params={"merge_assigned": value},
            headers=queue.owner.auth,
        )

        assert response.json() == {"unassigned": 1, "assigned": 3}

    async def test_conversation_quota_counts_the_plan_month(
        self, client: httpx.AsyncClient, queue: Queue
    ) -> None:
        project = await ok(
            await client.get(f"/projects/{queue.project_id}", headers=queue.owner.auth)
        )
        started = datetime.fromisoformat(project["profile"]["subStart"])

        response = await client.get(
            f"/{queue.project_id}/requests/count",
            params={"conversation_quota": "true"},
            headers=queue.owner.auth,
        )

        assert response.status_code == 200
        body = response.json()
        # Open: queued or assigned, preflight included, drafts and hidden ones not.
        assert (body["open"], body["closed"]) == (5, 1)
        assert body["slot"]["startDate"] == started.strftime("%d/%m/%Y")
        start, end = current_slot(_project({"profile": project["profile"]}, 0), datetime.now(UTC))
        assert body["slot"] == {
            "startDate": start.strftime("%d/%m/%Y"),
            "endDate": end.strftime("%d/%m/%Y"),
        }

    async def test_conversation_quota_must_be_true(
        self, client: httpx.AsyncClient, queue: Queue
    ) -> None:
        response = await client.get(
            f"/{queue.project_id}/requests/count",
            params={"conversation_quota": "1"},
            headers=queue.owner.auth,
        )

        assert response.json() == {"unassigned": 1, "assigned": 2, "bot_assigned": 1}

    async def test_guests_cannot_count(self, client: httpx.AsyncClient, queue: Queue) -> None:
        guest = await make_guest(client, queue.project_id)

        response = await client.get(f"/{queue.project_id}/requests/count", headers=guest.auth)

        assert response.status_code == 403


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class TestSlot:
    """The plan month of the quota (Tiledesk's ``getCurrentSlot``)."""

    @pytest.mark.parametrize(
        ("anchor", "now", "start", "end"),
        [
            ("2026-01-15T10:00:00", "2026-03-20T08:00:00", "2026-03-15", "2026-04-14"),
            ("2026-01-15T10:00:00", "2026-03-15T09:00:00", "2026-02-15", "2026-03-14"),
            # Month ends clamp as moment.js does (values computed with moment 2.x).
            ("2026-01-31T10:00:00", "2026-02-28T12:00:00", "2026-02-28", "2026-03-30"),
            ("2026-01-31T10:00:00", "2026-03-01T12:00:00", "2026-02-28", "2026-03-30"),
            ("2026-01-30T10:00:00", "2026-03-29T12:00:00", "2026-02-28", "2026-03-29"),
            ("2025-11-25T05:00:00", "2026-01-02T00:00:00", "2025-12-25", "2026-01-24"),
        ],
    )
    def test_months_count_from_the_subscription_start(
        self, anchor: str, now: str, start: str, end: str
    ) -> None:
        profile = {
            "type": "payment",
            "subStart": anchor + ".000Z",
            "subEnd": "2099-12-31T23:59:59.999Z",
        }
        project = _project({"profile": profile}, 0)

        first, last = current_slot(project, _utc(now))

        assert first == _utc(start + "T00:00:00")
        assert last == _utc(end + "T23:59:59.999")

    def test_without_an_active_plan_months_count_from_the_plan_end_or_creation(self) -> None:
        lapsed = {"profile": {"type": "payment", "subEnd": "2020-05-10T00:00:00.000Z"}}
        free = {"profile": {"type": "free"}}
        now = _utc("2026-03-20T00:00:00")
        created = int(_utc("2024-07-05T00:00:00").timestamp() * 1000)

        lapsed_slot = current_slot(_project(lapsed, created), now)
        free_slot = current_slot(_project(free, created), now)

        assert lapsed_slot[0] == _utc("2026-03-10T00:00:00")
        assert free_slot[0] == _utc("2026-03-05T00:00:00")


def _project(extra: dict[str, Any], created_at: int) -> dict[str, Any]:
    """The fields ``current_slot`` reads from a project row (and ``ProjectOut`` needs)."""
    return {
        "id": "a" * 24,
        "created_at": created_at,
        "updated_at": created_at,
        "status": 100,
        "name": "P",
        "active_operating_hours": False,
        "ip_filter_enabled": False,
        "ip_filter": [],
        "ip_filter_deny_enabled": False,
        "ip_filter_deny": [],
        "banned_users": [],
        "created_by": "b" * 24,
        **extra,
    }


def parse_csv(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    assert reader.fieldnames == CSV_HEADER
    return list(reader)


class TestCsv:
    async def test_columns_and_values(self, client: httpx.AsyncClient, queue: Queue) -> None:
        response = await client.get(f"/{queue.project_id}/requests/csv", headers=queue.owner.auth)
        detail = await ok(
            await client.get(
                f"/{queue.project_id}/requests/{queue.rid['human']}", headers=queue.owner.auth
            )
        )

        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        rows = {row["request_id"]: row for row in parse_csv(response.text)}
        expected = {"human", "human2", "queued", "bot", "draft"}
        assert set(rows) == {queue.rid[name] for name in expected}
        row = rows[queue.rid["human"]]
        assert row["_id"] == detail["_id"]
        assert row["participants"] == row["participantsAgents"] == queue.agent.id
        assert row["participantsBots"] == ""
        assert row["hasBot"] == "false"
        assert row["preflight"] == "false"
        assert row["smartAssignment"] == "false"  # a form conversation
        assert row["subject"] == "Invoice"
        assert row["first_text"] == "Hello"
        assert row["requester"] == detail["requester"]["_id"]
        assert row["tags"] == "vip, gold"
        assert row["channel_name"] == "form"
        assert row["department_name"] == "Default Department"
        assert row["lead_fullname"] == "Ada Lovelace"
        assert row["lead_email"] == queue.owner.email
        assert (row["caller_phone"], row["called_phone"], row["call_id"]) == (
            "+1555",
            "+1666",
            "c-9",
        )
        assert row["createdAt"] == detail["createdAt"]
        assert row["ticket_id"] == str(detail["ticket_id"])
        assert row["priority"] == "medium"
        assert rows[queue.rid["bot"]]["participantsBots"] == detail_bot_id(rows[queue.rid["bot"]])
        assert rows[queue.rid["bot"]]["department_name"] == "Bots"
        assert rows[queue.rid["queued"]]["participants"] == ""

    async def test_the_lists_filters_apply(self, client: httpx.AsyncClient, queue: Queue) -> None:
        path = f"/{queue.project_id}/requests/csv"

        closed = await client.get(path, params={"status": "1000"}, headers=queue.owner.auth)
        form = await client.get(path, params={"channel": "form"}, headers=queue.owner.auth)
        searched = await client.get(path, params={"full_text": "invoice"}, headers=queue.owner.auth)
        bad_date = await client.get(
            path, params={"end_date": "2024-01-01"}, headers=queue.owner.auth
        )

        closed_rows = parse_csv(closed.text)
        assert [row["request_id"] for row in closed_rows] == [queue.rid["closed"]]
        assert closed_rows[0]["closed_by"] == queue.owner.id
        assert closed_rows[0]["closed_at"] != ""
        assert [row["request_id"] for row in parse_csv(form.text)] == [queue.rid["human"]]
        assert [row["request_id"] for row in parse_csv(searched.text)] == [queue.rid["human"]]
        assert bad_date.status_code == 400
        assert bad_date.json()["error"].startswith("Unable to parse the date: 2024-01-01")

    async def test_an_empty_export_is_the_header(
        self, client: httpx.AsyncClient, queue: Queue
    ) -> None:
        response = await client.get(
            f"/{queue.project_id}/requests/csv", params={"tags": "none"}, headers=queue.owner.auth
        )

        assert response.text == ";".join(CSV_HEADER) + "\n"

    async def test_an_admin_exports_all_or_with_mine_its_group(
        self, client: httpx.AsyncClient
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        created = await create_request(client, project_id, owner)
        admin = await signup(client)
        await add_member(client, project_id, owner, admin, "admin")
        path = f"/{project_id}/requests/csv"

        everything = parse_csv((await client.get(path, headers=admin.auth)).text)
        own_group = parse_csv(
            (await client.get(path, params={"mine": "true"}, headers=admin.auth)).text
        )
        the_agent = parse_csv((await client.get(path, headers=agent.auth)).text)

        assert [row["request_id"] for row in everything] == [created["request_id"]]
        assert own_group == []
        assert [row["request_id"] for row in the_agent] == [created["request_id"]]

    async def test_guests_cannot_export(self, client: httpx.AsyncClient, queue: Queue) -> None:
        guest = await make_guest(client, queue.project_id)

        response = await client.get(f"/{queue.project_id}/requests/csv", headers=guest.auth)

        assert response.status_code == 403
        assert response.json() == {"success": False, "msg": "you dont have the required role."}


def detail_bot_id(row: dict[str, str]) -> str:
    """The bot of a bot conversation, read back from its participants (``bot_<id>``)."""
    return row["participants"].removeprefix("bot_")
