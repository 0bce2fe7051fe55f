"""The project's messages, ``/:pid/messages`` (§5.5.2): direct messages, the owner's list and
CSV export."""

import csv
import io
from typing import Any

import httpx
import pytest

from tessera.messages import router as messages_router
from tests.conftest import EventLog
from tests.factories import World, make_world
from tests.messages.support import EventsSince, guest_conversation

EXPORT_COLUMNS = [
    "_id", "sender", "senderFullname", "recipient", "recipientFullname", "type", "channel_type",
    "text", "language", "id_project", "status", "createdBy", "createdAt", "updatedAt",
]  # fmt: skip


def direct(**body: object) -> dict[str, object]:
    return {"recipient": "bot_abc", "recipientFullname": "Helper Bot", "text": "hi", **body}


async def send(client: httpx.AsyncClient, world: World, who: Any, **body: object) -> dict[str, Any]:
    response = await client.post(
        f"/{world.project_id}/messages", json=direct(**body), headers=who.auth
    )
    assert response.status_code == 200, response.text
    message: dict[str, Any] = response.json()
    return message


async def listed(client: httpx.AsyncClient, world: World, **params: str) -> list[dict[str, Any]]:
    response = await client.get(
        f"/{world.project_id}/messages", params=params, headers=world.owner.auth
    )
    assert response.status_code == 200, response.text
    messages: list[dict[str, Any]] = response.json()
    return messages


@pytest.fixture(scope="module")
async def world(client: httpx.AsyncClient) -> World:
    """Shared by the tests that list nothing but their own messages, or compare the project's
    list before and after; the others make a World of their own."""
    return await make_world(client)


@pytest.fixture(scope="module")
async def paged_world(client: httpx.AsyncClient) -> tuple[World, list[str]]:
    """A World whose project has twelve messages, ``m0`` to ``m11`` (their ids in that order),
    only read."""
    world = await make_world(client)
    sent = [(await send(client, world, world.agent, text=f"m{n}"))["_id"] for n in range(12)]
    return world, sent


class TestPostDirectMessage:
    async def test_saves_a_direct_message(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)
        events = EventsSince(event_log, world.project_id)

        message = await send(client, world, world.agent, status=200, language="en")

        assert message["recipient"] == "bot_abc"
        assert message["recipientFullname"] == "Helper Bot"
        assert message["sender"] == world.agent.id
        assert message["senderFullname"] == "Agent Member"
        assert message["channel_type"] == "direct"
        assert message["type"] == "text"
        assert message["status"] == 0  # always SENDING
        assert message["channel"] == {"name": "chat21"}
        assert message["language"] == "en"
        assert message["id_project"] == world.project_id
        assert message["createdBy"] == world.agent.id
        assert "request" not in message
        assert [m["_id"] for m in await listed(client, world)] == [message["_id"]]
        assert events.names() == ["message.create", "message.sending"]
        assert "request" not in events.payloads("message.create")[0]

    async def test_takes_the_given_channel_type_and_names(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)

        message = await send(
            client, world, world.admin, channel_type="group", senderFullname="Front desk"
        )

        assert message["channel_type"] == "group"
        assert message["senderFullname"] == "Front desk"

    async def test_a_message_to_a_conversation_carries_it_in_the_events(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)
        events = EventsSince(event_log, world.project_id)

        await send(client, world, world.agent, recipient=request_id, sender=world.guest.id)

        created = events.payloads("message.create")[0]
        assert created["request"]["request_id"] == request_id
        assert len(events.payloads("message.create.from.requester")) == 1

    async def test_media_need_no_text(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)

        message = await send(client, world, world.agent, text=None, type="image")

        assert message["type"] == "image"
        assert "text" not in message

    async def test_missing_fields_are_422_and_nothing_is_saved(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        before = await listed(client, world)

        response = await client.post(
            f"/{world.project_id}/messages",
            json={"recipientFullname": ""},
            headers=world.agent.auth,
        )

        assert response.status_code == 422
        assert response.json() == {
            "errors": [
                {
                    "msg": "Invalid value",
                    "param": "recipient",
                    "location": "body",
                    "reason": "required",
                },
                {
                    "value": "",
                    "msg": "Invalid value",
                    "param": "recipientFullname",
                    "location": "body",
                    "reason": "required",
                },
                {
                    "msg": 'Text field is required for messages with type "text"',
                    "param": "text",
                    "location": "body",
                    "reason": "required when type is text",
                },
            ]
        }
        assert await listed(client, world) == before

    async def test_an_agent_speaks_only_for_members(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)

        as_owner = await send(client, world, world.agent, sender=world.owner.id)
        refused = await client.post(
            f"/{world.project_id}/messages",
            json=direct(sender="someone-else"),
            headers=world.agent.auth,
        )

        assert as_owner["sender"] == world.owner.id
        assert as_owner["senderFullname"] == "Olivia Owner"
        assert refused.status_code == 403
        assert refused.json() == {
            "success": False,
            "msg": "Unauthorized. Project_user not found with user id  : someone-else",
        }
        assert [m["_id"] for m in await listed(client, world)] == [as_owner["_id"]]

    @pytest.mark.parametrize(
        ("who", "status"), [("guest", 403), ("end_user", 403), ("outsider", 403), ("stranger", 403)]
    )
    async def test_only_teammates_send(
        self, client: httpx.AsyncClient, world: World, who: str, status: int
    ) -> None:
        caller = getattr(world, who)
        before = await listed(client, world)

        response = await client.post(
            f"/{world.project_id}/messages", json=direct(), headers=caller.auth
        )

        assert response.status_code == status
        assert response.json()["success"] is False
        assert await listed(client, world) == before

    async def test_without_credentials_it_is_401(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        before = await listed(client, world)

        response = await client.post(f"/{world.project_id}/messages", json=direct())

        assert response.status_code == 401
        assert await listed(client, world) == before


class TestList:
    async def test_newest_first_ten_by_default(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        sent = [(await send(client, world, world.agent, text=f"m{n}"))["_id"] for n in range(12)]

        page = await listed(client, world)

        assert [m["_id"] for m in page] == sent[::-1][:10]

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"limit": "3"}, slice(0, 3)),
            ({"limit": "3", "page": "1"}, slice(3, 6)),
            ({"limit": "51"}, slice(0, 10)),  # above 50: back to the default
            ({"limit": "50"}, slice(0, 12)),
            ({"limit": "0"}, slice(0, 10)),
            ({"page": "5"}, slice(0, 0)),
        ],
    )
    async def test_pages(
        self,
        client: httpx.AsyncClient,
        paged_world: tuple[World, list[str]],
        params: dict[str, str],
        expected: slice,
    ) -> None:
        world, sent = paged_world

        page = await listed(client, world, **params)

        assert [m["_id"] for m in page] == sent[::-1][expected]

    @pytest.mark.parametrize("params", [{"limit": "ten"}, {"page": "-1"}, {"page": "x"}])
    async def test_bad_paging_is_422(
        self, client: httpx.AsyncClient, world: World, params: dict[str, str]
    ) -> None:
        response = await client.get(
            f"/{world.project_id}/messages", params=params, headers=world.owner.auth
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["location"] == "query"

    async def test_populate_request(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)
        await send(client, world, world.agent)

        plain = await listed(client, world)
        populated = await listed(client, world, populate_request="true")

        assert all("request" not in m for m in plain)
        to_bot, to_conversation = populated
        assert to_bot["request"] is None
        request = to_conversation["request"]
        assert request["request_id"] == request_id
        assert request["id"] == request["_id"]
        assert isinstance(request["lead"], str)  # not populated
        assert "agents" not in request["snapshot"]

    async def test_shows_only_the_project_messages(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        await client.post(
            f"/{world.other_project_id}/messages", json=direct(), headers=world.stranger.auth
        )

        assert await listed(client, world) == []

    @pytest.mark.parametrize(
        "who", ["admin", "supervisor", "agent", "guest", "end_user", "outsider"]
    )
    async def test_only_the_owner_reads(
        self, client: httpx.AsyncClient, world: World, who: str
    ) -> None:
        await send(client, world, world.agent)

        response = await client.get(
            f"/{world.project_id}/messages", headers=getattr(world, who).auth
        )

        assert response.status_code == 403
        assert response.json()["success"] is False

    async def test_another_project_owner_cannot_read(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await send(client, world, world.agent)

        response = await client.get(f"/{world.project_id}/messages", headers=world.stranger.auth)

        assert response.status_code == 403
        assert response.json() == {"success": False, "msg": "you dont belong to the project."}


class TestCsv:
    async def test_exports_every_message_oldest_first(
        self, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(messages_router, "_EXPORT_BATCH", 2)  # several batches
        world = await make_world(client)
        request_id = await guest_conversation(client, world)
        sent = [
            (await send(client, world, world.agent, text=f"m{n}", attributes={"x": n}))["_id"]
            for n in range(4)
        ]

        response = await client.get(f"/{world.project_id}/messages/csv", headers=world.owner.auth)

        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        assert response.headers["content-disposition"] == "attachment; filename=export.csv"
        lines = response.text.splitlines()
        assert lines[0].split(";") == EXPORT_COLUMNS
        assert lines.count(lines[0]) == 1
        rows = list(csv.DictReader(io.StringIO(response.text), delimiter=";"))
        assert [row["_id"] for row in rows][1:] == sent
        assert rows[0]["recipient"] == request_id
        assert rows[0]["channel_type"] == "group"
        assert rows[1]["channel_type"] == "direct"
        assert rows[1]["sender"] == world.agent.id
        assert rows[1]["text"] == "m0"
        assert rows[1]["id_project"] == world.project_id

    async def test_an_empty_project_exports_the_header(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)

        response = await client.get(f"/{world.project_id}/messages/csv", headers=world.owner.auth)

        assert response.status_code == 200
        assert response.text.splitlines() == [";".join(EXPORT_COLUMNS)]

    @pytest.mark.parametrize("who", ["admin", "agent", "guest", "outsider", "stranger"])
    async def test_only_the_owner_exports(
        self, client: httpx.AsyncClient, world: World, who: str
    ) -> None:
        response = await client.get(
            f"/{world.project_id}/messages/csv", headers=getattr(world, who).auth
        )

        assert response.status_code == 403
        assert response.json()["success"] is False
