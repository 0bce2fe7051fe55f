"""``POST .../messages/multi``, ``GET .../messages/csv`` and ``GET .../messages/:id``
(§5.5.1)."""

import csv
import io

import httpx
import pytest

from tests.conftest import EventLog
from tests.factories import make_guest, make_world
from tests.messages.support import (
    EventsSince,
    assigned_and_bystander,
    guest_conversation,
    messages_of,
    new_request_id,
)

NO_REQUEST = {"success": False, "msg": "Request doesn't exist."}
NOT_FOUND = {"success": False, "msg": "Object not found."}
COLUMNS = [
    "_id", "sender", "senderFullname", "recipient", "recipientFullname", "type", "channel_type",
    "text", "language", "channel", "id_project", "status", "attributes", "metadata", "createdBy",
    "createdAt", "updatedAt",
]  # fmt: skip


def multi(project_id: str, request_id: str) -> str:
    return f"/{project_id}/requests/{request_id}/messages/multi"


def csv_path(project_id: str, request_id: str) -> str:
    return f"/{project_id}/requests/{request_id}/messages/csv"


def parse(body: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body), delimiter=";"))


class TestMulti:
    async def test_saves_the_messages_in_order(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)
        _assigned, bystander = await assigned_and_bystander(client, world, request_id)
        events = EventsSince(event_log, world.project_id)

        response = await client.post(
            multi(world.project_id, request_id),
            json=[
                {"text": "one"},
                {"text": "two", "senderFullname": "Second"},
                {"type": "image", "metadata": {"src": "https://x/y.png"}, "status": 200},
            ],
            headers=bystander.auth,
        )

        assert response.status_code == 200
        saved = response.json()
        assert [m.get("text") for m in saved] == ["one", "two", None]
        assert [m["status"] for m in saved] == [0, 0, 200]
        assert saved[1]["senderFullname"] == "Second"
        assert all("request" not in m for m in saved)
        assert {m["sender"] for m in saved} == {bystander.id}
        listed = await messages_of(client, world.project_id, request_id, world.owner)
        assert [m["_id"] for m in listed[1:]] == [m["_id"] for m in saved]
        assert [p["_id"] for p in events.payloads("message.create")] == [m["_id"] for m in saved]
        assert len(events.payloads("message.sending")) == 2
        assert len(events.payloads("message.received")) == 1

    async def test_each_message_counts_like_a_single_post(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)
        assigned, _bystander = await assigned_and_bystander(client, world, request_id)

        response = await client.post(
            multi(world.project_id, request_id),
            json=[{"text": "first reply"}, {"text": "second reply"}],
            headers=assigned.auth,
        )
        request = await client.get(
            f"/{world.project_id}/requests/{request_id}", headers=world.owner.auth
        )

        assert request.json()["attributes"]["last_message"]["_id"] == response.json()[1]["_id"]
        assert request.json()["waiting_time"] >= 0

    async def test_an_empty_array_saves_nothing(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)

        response = await client.post(
            multi(world.project_id, request_id), json=[], headers=world.agent.auth
        )

        assert response.status_code == 200
        assert response.json() == []
        assert len(await messages_of(client, world.project_id, request_id, world.owner)) == 1

    async def test_an_unknown_conversation_is_404_and_not_created(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        request_id = new_request_id(world.project_id)

        response = await client.post(
            multi(world.project_id, request_id), json=[{"text": "x"}], headers=world.agent.auth
        )
        missing = await client.get(
            f"/{world.project_id}/requests/{request_id}", headers=world.owner.auth
        )

        assert response.status_code == 404
        assert response.json() == NO_REQUEST
        assert missing.status_code == 404

    async def test_one_bad_message_saves_none(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)
        events = EventsSince(event_log, world.project_id)

        response = await client.post(
            multi(world.project_id, request_id),
            json=[{"text": "fine"}, {"type": "text"}],
            headers=world.agent.auth,
        )

        assert response.status_code == 422
        assert response.json() == {"errors": ["text field is required"]}
        assert len(await messages_of(client, world.project_id, request_id, world.owner)) == 1
        assert events.names() == []

    async def test_a_refused_sender_saves_none(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)

        response = await client.post(
            multi(world.project_id, request_id),
            json=[{"text": "mine"}, {"text": "as owner", "sender": world.owner.id}],
            headers=world.guest.auth,
        )

        assert response.status_code == 403
        assert len(await messages_of(client, world.project_id, request_id, world.owner)) == 1

    @pytest.mark.parametrize("body", [{"text": "not an array"}, "text", [1, 2]])
    async def test_the_body_must_be_an_array_of_messages(
        self, client: httpx.AsyncClient, body: object
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)

        response = await client.post(
            multi(world.project_id, request_id), json=body, headers=world.agent.auth
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["location"] == "body"
        assert len(await messages_of(client, world.project_id, request_id, world.owner)) == 1

    async def test_a_guest_posts_several_in_its_own_conversation(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)

        response = await client.post(
            multi(world.project_id, request_id),
            json=[{"text": "a"}, {"text": "b"}],
            headers=world.guest.auth,
        )

        assert response.status_code == 200
        assert [m["sender"] for m in response.json()] == [world.guest.id] * 2

    @pytest.mark.parametrize("intruder", ["other_guest", "end_user"])
    async def test_visitors_cannot_post_in_others_conversations(
        self, client: httpx.AsyncClient, intruder: str
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)
        visitor = (
            await make_guest(client, world.project_id)
            if intruder == "other_guest"
            else world.end_user
        )

        response = await client.post(
            multi(world.project_id, request_id), json=[{"text": "x"}], headers=visitor.auth
        )

        assert response.status_code == 404
        assert response.json() == NO_REQUEST
        assert len(await messages_of(client, world.project_id, request_id, world.owner)) == 1

    async def test_outsiders_and_other_projects_are_refused(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)

        outsider = await client.post(
            multi(world.project_id, request_id), json=[{"text": "x"}], headers=world.outsider.auth
        )
        stranger = await client.post(
            multi(world.other_project_id, request_id),
            json=[{"text": "x"}],
            headers=world.stranger.auth,
        )

        assert outsider.status_code == 403
        assert stranger.status_code == 404
        assert stranger.json() == NO_REQUEST
        assert len(await messages_of(client, world.project_id, request_id, world.owner)) == 1


class TestCsv:
    async def test_exports_the_conversation_oldest_first(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)
        tricky = 'semi;colon, "quoted"\nand a new line'
        await client.post(
            f"/{world.project_id}/requests/{request_id}/messages",
            json={"text": tricky, "attributes": {"a": 1}},
            headers=world.admin.auth,
        )

        response = await client.get(
            csv_path(world.project_id, request_id), headers=world.agent.auth
        )

        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        assert response.text.splitlines()[0].split(";") == COLUMNS
        rows = parse(response.text)
        listed = await messages_of(client, world.project_id, request_id, world.owner)
        assert [row["_id"] for row in rows] == [m["_id"] for m in listed]
        assert [row["text"] for row in rows] == ["Hello", tricky]
        assert rows[1]["sender"] == world.admin.id
        assert rows[1]["senderFullname"] == "Admin Member"
        assert rows[1]["status"] == "0"
        assert rows[1]["attributes"] == '{"a":1}'
        assert rows[1]["channel"] == '{"name":"chat21"}'
        assert rows[1]["recipientFullname"] == ""
        assert rows[1]["createdAt"] == listed[1]["createdAt"]

    async def test_an_unknown_conversation_exports_the_header_only(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)

        response = await client.get(
            csv_path(world.project_id, new_request_id(world.project_id)), headers=world.agent.auth
        )

        assert response.status_code == 200
        assert response.text.splitlines() == [";".join(COLUMNS)]

    async def test_a_guest_exports_only_its_own_conversation(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)
        other = await make_guest(client, world.project_id)

        own = await client.get(csv_path(world.project_id, request_id), headers=world.guest.auth)
        peek = await client.get(csv_path(world.project_id, request_id), headers=other.auth)
        end_user = await client.get(
            csv_path(world.project_id, request_id), headers=world.end_user.auth
        )
        unknown = await client.get(
            csv_path(world.project_id, new_request_id(world.project_id)), headers=other.auth
        )

        assert own.status_code == 200
        assert [row["text"] for row in parse(own.text)] == ["Hello"]
        assert (peek.status_code, peek.json()) == (404, NOT_FOUND)
        assert end_user.status_code == 404
        assert unknown.status_code == 404

    async def test_outsiders_and_other_projects_get_nothing(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)

        outsider = await client.get(
            csv_path(world.project_id, request_id), headers=world.outsider.auth
        )
        stranger = await client.get(
            csv_path(world.other_project_id, request_id), headers=world.stranger.auth
        )

        assert outsider.status_code == 403
        assert stranger.status_code == 200
        assert parse(stranger.text) == []


class TestGetById:
    async def test_a_member_reads_a_message(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)
        (message,) = await messages_of(client, world.project_id, request_id, world.owner)
        url = f"/{world.project_id}/requests/{request_id}/messages/{message['_id']}"

        for who in (world.agent, world.guest):
            response = await client.get(url, headers=who.auth)
            assert response.status_code == 200
            assert response.json() == message

    async def test_it_is_scoped_to_the_conversation_and_project(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)
        other_request = await guest_conversation(client, world)
        (message,) = await messages_of(client, world.project_id, request_id, world.owner)

        wrong_conversation = await client.get(
            f"/{world.project_id}/requests/{other_request}/messages/{message['_id']}",
            headers=world.agent.auth,
        )
        other_project = await client.get(
            f"/{world.other_project_id}/requests/{request_id}/messages/{message['_id']}",
            headers=world.stranger.auth,
        )
        malformed = await client.get(
            f"/{world.project_id}/requests/{request_id}/messages/nope", headers=world.agent.auth
        )

        for response in (wrong_conversation, other_project, malformed):
            assert response.status_code == 404
            assert response.json() == NOT_FOUND

    @pytest.mark.parametrize("intruder", ["other_guest", "end_user"])
    async def test_visitors_read_only_their_own_conversation(
        self, client: httpx.AsyncClient, intruder: str
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)
        (message,) = await messages_of(client, world.project_id, request_id, world.owner)
        visitor = (
            await make_guest(client, world.project_id)
            if intruder == "other_guest"
            else world.end_user
        )

        response = await client.get(
            f"/{world.project_id}/requests/{request_id}/messages/{message['_id']}",
            headers=visitor.auth,
        )

        assert response.status_code == 404
        assert response.json() == NOT_FOUND


class TestList:
    async def test_visitors_list_only_their_own_conversation(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)
        url = f"/{world.project_id}/requests/{request_id}/messages"

        own = await client.get(url, headers=world.guest.auth)
        end_user = await client.get(url, headers=world.end_user.auth)
        unknown = await client.get(
            f"/{world.project_id}/requests/{new_request_id(world.project_id)}/messages",
            headers=world.guest.auth,
        )
        outsider = await client.get(url, headers=world.outsider.auth)

        assert [m["text"] for m in own.json()] == ["Hello"]
        assert (end_user.status_code, end_user.json()) == (404, NOT_FOUND)
        assert (unknown.status_code, unknown.json()) == (404, NOT_FOUND)
        assert outsider.status_code == 403
