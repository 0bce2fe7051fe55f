"""The rules engine: triggers firing on their events, their actions, loop safety, and the
system triggers' welcome chain (fact sheet §5.29, §8.4)."""

import uuid
from typing import Any

import httpx
import pytest

from tests.conftest import EventLog
from tests.conversations.support import create_request
from tests.factories import World, make_guest, make_world
from tests.labels.support import builtin
from tests.triggers.support import (
    condition,
    conversation,
    create_trigger,
    disable_system_triggers,
    messages_of,
    say,
    trigger_body,
)


@pytest.fixture
async def world(client: httpx.AsyncClient) -> World:
    return await make_world(client)


async def guest_conversation(client: httpx.AsyncClient, world: World) -> str:
    """A conversation the world's guest opened with "Hello"."""
    request_id = f"support-group-{world.project_id}-{uuid.uuid4().hex}"
    await say(client, world.project_id, request_id, world.guest, "Hello")
    return request_id


async def on_requester_text(
    client: httpx.AsyncClient, world: World, text: str, actions: list[dict[str, Any]]
) -> dict[str, Any]:
    body = trigger_body(
        "message.create.from.requester", actions, all_of=[condition("text", "equal", text)]
    )
    return await create_trigger(client, world.project_id, world.admin, body)


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [message["text"] for message in messages]


class TestMessageTriggers:
    async def test_a_matching_message_fires_its_trigger(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await on_requester_text(
            client, world, "prices?", [{"key": "message.send", "parameters": {"text": "See /p"}}]
        )
        request_id = await guest_conversation(client, world)

        await say(client, world.project_id, request_id, world.guest, "prices?")
        await say(client, world.project_id, request_id, world.guest, "thanks")
        found = await messages_of(client, world.project_id, request_id, world.owner)

        assert texts(found) == ["Hello", "prices?", "See /p", "thanks"]
        sent = found[2]
        assert sent["sender"] == "system"
        assert sent["senderFullname"] == "BOT"
        assert sent["attributes"] == {"templateProcessor": True}
        assert sent["createdBy"] == "_trigger"

    async def test_sender_name_and_info_subtype_come_from_the_parameters(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        parameters = {"text": "Noted:tdk_msg_subtype_info", "fullName": "Helper"}
        await on_requester_text(
            client, world, "note", [{"key": "message.send", "parameters": parameters}]
        )
        request_id = await guest_conversation(client, world)

        await say(client, world.project_id, request_id, world.guest, "note")
        sent = (await messages_of(client, world.project_id, request_id, world.owner))[-1]

        assert sent["text"] == "Noted"
        assert sent["senderFullname"] == "Helper"
        assert sent["attributes"] == {"templateProcessor": True, "subtype": "info"}

    async def test_agents_messages_are_not_from_the_requester(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await on_requester_text(
            client, world, "hi", [{"key": "message.send", "parameters": {"text": "fired"}}]
        )
        request_id = await guest_conversation(client, world)

        await say(client, world.project_id, request_id, world.owner, "hi")

        assert "fired" not in texts(
            await messages_of(client, world.project_id, request_id, world.owner)
        )

    async def test_disabled_and_foreign_triggers_do_not_fire(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        send = [{"key": "message.send", "parameters": {"text": "fired"}}]
        trigger = await on_requester_text(client, world, "hi", send)
        body = trigger_body(
            "message.create.from.requester", send, all_of=[condition("text", "equal", "hi")]
        )
        await client.put(
            f"/{world.project_id}/modules/triggers/{trigger['_id']}",
            json={**body, "enabled": False},
            headers=world.admin.auth,
        )
        await create_trigger(client, world.other_project_id, world.stranger, body)
        request_id = await guest_conversation(client, world)

        await say(client, world.project_id, request_id, world.guest, "hi")

        assert texts(await messages_of(client, world.project_id, request_id, world.owner)) == [
            "Hello",
            "hi",
        ]

    async def test_any_conditions_fire_when_one_holds(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        body = trigger_body(
            "message.create.from.requester",
            [{"key": "message.send", "parameters": {"text": "fired"}}],
            any_of=[condition("text", "equal", "a"), condition("text", "in", ["b", "c"])],
        )
        await create_trigger(client, world.project_id, world.admin, body)
        request_id = await guest_conversation(client, world)

        for text in ("a", "x", "c"):
            await say(client, world.project_id, request_id, world.guest, text)

        assert texts(await messages_of(client, world.project_id, request_id, world.owner)) == [
            "Hello", "a", "fired", "x", "c", "fired"
        ]  # fmt: skip


class TestLoopSafety:
    async def test_a_trigger_speaking_as_the_requester_fires_once(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        request_id = await guest_conversation(client, world)
        echo = {"text": "echo", "sender": world.guest.id}
        body = trigger_body(
            "message.create.from.requester",
            [{"key": "message.send", "parameters": echo}],
            all_of=[condition("sender", "equal", world.guest.id)],
        )
        await create_trigger(client, world.project_id, world.admin, body)

        await say(client, world.project_id, request_id, world.guest, "ping")

        found = await messages_of(client, world.project_id, request_id, world.owner)
        assert texts(found) == ["Hello", "ping", "echo"]
        assert found[-1]["sender"] == world.guest.id

    async def test_two_triggers_answering_each_other_stop(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        request_id = await guest_conversation(client, world)
        for heard, answer in (("ping", "pong"), ("pong", "ping")):
            parameters = {"text": answer, "sender": world.guest.id}
            await on_requester_text(
                client, world, heard, [{"key": "message.send", "parameters": parameters}]
            )

        await say(client, world.project_id, request_id, world.guest, "ping")

        assert texts(await messages_of(client, world.project_id, request_id, world.owner)) == [
            "Hello", "ping", "pong", "ping"
        ]  # fmt: skip


class TestConversationActions:
    async def test_close_tag_and_status_actions(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await on_requester_text(
            client,
            world,
            "urgent",
            [
                {"key": "request.tags.add", "parameters": {"tag": "urgent"}},
                {"key": "request.status.update", "parameters": {"status": 100}},
            ],
        )
        await on_requester_text(client, world, "bye", [{"key": "request.close"}])
        request_id = await guest_conversation(client, world)

        await say(client, world.project_id, request_id, world.guest, "urgent")
        tagged = await conversation(client, world.project_id, request_id, world.owner)
        await say(client, world.project_id, request_id, world.guest, "bye")
        closed = await conversation(client, world.project_id, request_id, world.owner)

        assert [tag["tag"] for tag in tagged["tags"]] == ["urgent"]
        assert tagged["status"] == 100
        assert closed["status"] == 1000
        assert closed["closed_by"] == "_trigger"
        assert (
            texts(await messages_of(client, world.project_id, request_id, world.owner))[-1]
            == "Chat closed"
        )

    async def test_participants_join_and_leave(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await on_requester_text(
            client,
            world,
            "human",
            [{"key": "request.participants.join", "parameters": {"member": world.agent.id}}],
        )
        await on_requester_text(
            client,
            world,
            "leave",
            [{"key": "request.participants.leave", "parameters": {"member": world.agent.id}}],
        )
        request_id = await guest_conversation(client, world)

        await say(client, world.project_id, request_id, world.guest, "human")
        joined = await conversation(client, world.project_id, request_id, world.owner)
        await say(client, world.project_id, request_id, world.guest, "leave")
        left = await conversation(client, world.project_id, request_id, world.owner)

        assert world.agent.id in joined["participants"]
        assert world.agent.id not in left["participants"]

    async def test_reopen_on_a_message_to_a_closed_conversation(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await on_requester_text(client, world, "again", [{"key": "request.reopen"}])
        request_id = await guest_conversation(client, world)
        closed = await client.put(
            f"/{world.project_id}/requests/{request_id}/close", headers=world.owner.auth
        )

        await say(client, world.project_id, request_id, world.guest, "again")
        reopened = await conversation(client, world.project_id, request_id, world.owner)

        assert closed.status_code == 200
        assert reopened["status"] in (100, 200)

    async def test_a_failing_action_does_not_stop_the_others(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await on_requester_text(
            client,
            world,
            "go",
            [
                {"key": "request.participants.join", "parameters": {"member": "nobody"}},
                {"key": "bot.calling", "parameters": {"botId": "x"}},
                {"key": "message.send", "parameters": {"text": "still here"}},
            ],
        )
        request_id = await guest_conversation(client, world)

        answer = await client.post(
            f"/{world.project_id}/requests/{request_id}/messages",
            json={"text": "go"},
            headers=world.guest.auth,
        )

        assert answer.status_code == 200
        assert (
            texts(await messages_of(client, world.project_id, request_id, world.owner))[-1]
            == "still here"
        )

    async def test_request_create_triggers_see_the_request(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        body = trigger_body(
            "request.create",
            [{"key": "request.tags.add", "parameters": {"tag": "vip"}}],
            all_of=[condition("priority", "equal", "high"), condition("isOpen", "equal", True)],
        )
        await create_trigger(client, world.project_id, world.admin, body)

        high = await create_request(client, world.project_id, world.owner, priority="high")
        low = await create_request(client, world.project_id, world.owner, priority="low")

        high_now = await conversation(client, world.project_id, high["request_id"], world.owner)
        low_now = await conversation(client, world.project_id, low["request_id"], world.owner)
        assert [tag["tag"] for tag in high_now["tags"]] == ["vip"]
        assert low_now["tags"] == []


class TestSystemTriggers:
    async def _new_conversation(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> dict[str, Any]:
        guest = await make_guest(client, world.project_id)
        before = len(event_log.named("request.create", world.project_id))
        emitted = await client.post(
            f"/{world.project_id}/events",
            json={"name": "new_conversation", "attributes": {"language": "en"}},
            headers=guest.auth,
        )
        assert emitted.status_code == 200, emitted.text
        created = event_log.named("request.create", world.project_id)[before:]
        assert len(created) == 1
        request_id: str = created[0].payload["request_id"]
        found = await conversation(client, world.project_id, request_id, world.owner)
        assert found["requester"]["uuid_user"] == guest.id
        return found

    async def test_new_conversation_opens_a_hidden_conversation_with_a_welcome(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        found = await self._new_conversation(client, world, event_log)
        messages = await messages_of(client, world.project_id, found["request_id"], world.owner)

        assert found["status"] == 50
        assert found["preflight"] is True
        assert found["first_text"] == "welcome"
        assert found["language"] == "en"
        assert texts(messages) == ["welcome", builtin("EN")["data"]["LABEL_FIRST_MSG"]]
        assert messages[1]["sender"] == "system"
        assert messages[1]["attributes"]["templateProcessor"] is True

    async def test_without_available_agents_the_offline_greeting(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)
        for person in (world.owner, world.admin, world.supervisor, world.agent):
            await client.put(
                f"/{world.project_id}/project_users",
                json={"user_available": False},
                headers=person.auth,
            )

        found = await self._new_conversation(client, world, event_log)
        messages = await messages_of(client, world.project_id, found["request_id"], world.owner)

        assert texts(messages) == ["welcome", builtin("EN")["data"]["LABEL_FIRST_MSG_NO_AGENTS"]]

    async def test_out_of_hours_the_closed_notice(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        updated = await client.put(
            f"/projects/{world.project_id}",
            json={"activeOperatingHours": True, "operatingHours": '{"tzname": "UTC"}'},
            headers=world.owner.auth,
        )
        assert updated.status_code == 200, updated.text

        found = await self._new_conversation(client, world, event_log)
        messages = await messages_of(client, world.project_id, found["request_id"], world.owner)

        assert texts(messages) == [
            "welcome",
            builtin("EN")["data"]["LABEL_FIRST_MSG_OPERATING_HOURS_CLOSED"],
        ]

    async def test_a_department_bot_is_launched(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        bot = await client.post(
            f"/{world.project_id}/faq_kb", json={"name": "Greeter"}, headers=world.admin.auth
        )
        default = (await client.get(f"/{world.project_id}/departments/default")).json()
        patched = await client.patch(
            f"/{world.project_id}/departments/{default['_id']}",
            json={"id_bot": bot.json()["_id"]},
            headers=world.admin.auth,
        )
        assert patched.status_code == 200, patched.text

        found = await self._new_conversation(client, world, event_log)
        messages = await messages_of(client, world.project_id, found["request_id"], world.owner)

        assert f"bot_{bot.json()['_id']}" in found["participants"]
        assert texts(messages) == ["welcome", "/start"]
        assert messages[1]["sender"] == "system"
        assert messages[1]["attributes"] == {"subtype": "info", "updateconversation": False}

    async def test_deleted_system_triggers_do_nothing(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        await disable_system_triggers(client, world.project_id, world.admin)
        guest = await make_guest(client, world.project_id)
        before = len(event_log.named("request.create", world.project_id))

        emitted = await client.post(
            f"/{world.project_id}/events", json={"name": "new_conversation"}, headers=guest.auth
        )

        assert emitted.status_code == 200
        assert event_log.named("request.create", world.project_id)[before:] == []
