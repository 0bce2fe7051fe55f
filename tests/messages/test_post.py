"""``POST /:pid/requests/:rid/messages`` on existing conversations (§5.5.1): who may post,
as whom, what is refused, what a message changes and which events it emits."""

import httpx
import pytest

from tests.conftest import EventLog
from tests.factories import Person, World, make_guest, make_world
from tests.messages.support import (
    EventsSince,
    assigned_and_bystander,
    guest_conversation,
    messages_of,
    new_request_id,
    read_request,
)

NOT_YOURS = {
    "success": False,
    "msg": "Unauthorized. Only agents, bots and subscriptions may send as another sender.",
}
TEXT_REQUIRED = {"errors": ["text field is required"]}


def path(project_id: str, request_id: str) -> str:
    return f"/{project_id}/requests/{request_id}/messages"


class TestWhoMayPost:
    @pytest.mark.parametrize(
        ("role", "fullname"),
        [
            ("owner", "Olivia Owner"),
            ("admin", "Admin Member"),
            ("supervisor", "Supervisor Member"),
            ("agent", "Agent Member"),
        ],
    )
    async def test_teammates_post_in_any_conversation(
        self, client: httpx.AsyncClient, role: str, fullname: str
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)
        person = world.person(role)

        response = await client.post(
            path(world.project_id, request_id),
            json={"text": "How can I help?"},
            headers=person.auth,
        )

        assert response.status_code == 200
        message = response.json()
        assert message["sender"] == person.id
        assert message["senderFullname"] == fullname
        assert message["recipient"] == request_id
        assert message["channel_type"] == "group"
        assert message["status"] == 0
        assert message["createdBy"] == person.id
        assert message["request"]["request_id"] == request_id
        listed = await messages_of(client, world.project_id, request_id, world.owner)
        assert [m["text"] for m in listed] == ["Hello", "How can I help?"]

    async def test_a_guest_posts_in_its_own_conversation(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)

        response = await client.post(
            path(world.project_id, request_id), json={"text": "Anyone?"}, headers=world.guest.auth
        )

        assert response.status_code == 200
        assert response.json()["sender"] == world.guest.id
        listed = await messages_of(client, world.project_id, request_id, world.guest)
        assert [m["text"] for m in listed] == ["Hello", "Anyone?"]

    async def test_an_end_user_posts_in_its_own_conversation(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world, visitor=world.end_user)

        response = await client.post(
            path(world.project_id, request_id), json={"text": "Again"}, headers=world.end_user.auth
        )

        assert response.status_code == 200
        assert response.json()["sender"] == world.end_user.id
        assert response.json()["senderFullname"] == "End User"

    @pytest.mark.parametrize("intruder", ["other_guest", "end_user"])
    async def test_guests_and_end_users_cannot_post_in_others_conversations(
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
            path(world.project_id, request_id), json={"text": "hijack"}, headers=visitor.auth
        )

        assert response.status_code == 404
        assert response.json() == {"success": False, "msg": "Object not found."}
        assert len(await messages_of(client, world.project_id, request_id, world.owner)) == 1

    async def test_an_outsider_is_refused(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)

        response = await client.post(
            path(world.project_id, request_id), json={"text": "hi"}, headers=world.outsider.auth
        )

        assert response.status_code == 403
        assert response.json() == {"success": False, "msg": "you dont belong to the project."}
        assert len(await messages_of(client, world.project_id, request_id, world.owner)) == 1

    async def test_another_project_cannot_reach_the_conversation(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)

        response = await client.post(
            path(world.other_project_id, request_id),
            json={"text": "hi"},
            headers=world.stranger.auth,
        )
        theirs = await client.get(
            path(world.other_project_id, request_id), headers=world.stranger.auth
        )

        assert response.status_code == 404
        assert theirs.json() == []
        assert len(await messages_of(client, world.project_id, request_id, world.owner)) == 1

    async def test_without_credentials_it_is_401(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)

        response = await client.post(path(world.project_id, request_id), json={"text": "hi"})

        assert response.status_code == 401
        assert len(await messages_of(client, world.project_id, request_id, world.owner)) == 1


class TestSender:
    async def test_an_agent_speaks_for_the_visitor(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world, senderFullname="Vera Visitor")
        events = EventsSince(event_log, world.project_id)

        response = await client.post(
            path(world.project_id, request_id),
            json={"text": "on behalf", "sender": world.guest.id},
            headers=world.agent.auth,
        )

        assert response.status_code == 200
        message = response.json()
        assert message["sender"] == world.guest.id
        assert message["senderFullname"] == "Vera Visitor"  # the visitor's lead
        assert message["createdBy"] == world.agent.id
        assert len(events.payloads("message.create.from.requester")) == 1

    async def test_an_agent_speaks_for_a_teammate_named_after_the_account(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)

        response = await client.post(
            path(world.project_id, request_id),
            json={"text": "as the owner", "sender": world.owner.id},
            headers=world.agent.auth,
        )
        named = await client.post(
            path(world.project_id, request_id),
            json={"text": "named", "sender": world.owner.id, "senderFullname": "Boss"},
            headers=world.agent.auth,
        )

        assert response.status_code == 200
        assert response.json()["sender"] == world.owner.id
        assert response.json()["senderFullname"] == "Olivia Owner"
        assert named.json()["senderFullname"] == "Boss"

    @pytest.mark.parametrize("sender", ["f" * 24, "not-a-member"])
    async def test_an_agent_cannot_speak_for_a_non_member(
        self, client: httpx.AsyncClient, sender: str
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)

        response = await client.post(
            path(world.project_id, request_id),
            json={"text": "ghost", "sender": sender},
            headers=world.agent.auth,
        )

        assert response.status_code == 403
        assert response.json() == {
            "success": False,
            "msg": f"Unauthorized. Project_user not found with user id  : {sender}",
        }
        assert len(await messages_of(client, world.project_id, request_id, world.owner)) == 1

    async def test_an_agent_cannot_speak_for_a_member_of_another_project(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)

        response = await client.post(
            path(world.project_id, request_id),
            json={"text": "ghost", "sender": world.stranger.id},
            headers=world.agent.auth,
        )

        assert response.status_code == 403
        assert len(await messages_of(client, world.project_id, request_id, world.owner)) == 1

    @pytest.mark.parametrize("visitor", ["guest", "end_user"])
    async def test_visitors_cannot_speak_for_someone_else(
        self, client: httpx.AsyncClient, visitor: str
    ) -> None:
        world = await make_world(client)
        caller = world.guest if visitor == "guest" else world.end_user
        request_id = await guest_conversation(client, world, visitor=caller)

        response = await client.post(
            path(world.project_id, request_id),
            json={"text": "as owner", "sender": world.owner.id},
            headers=caller.auth,
        )

        assert response.status_code == 403
        assert response.json() == NOT_YOURS
        assert len(await messages_of(client, world.project_id, request_id, world.owner)) == 1

    async def test_a_guest_cannot_open_a_conversation_as_someone_else(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        request_id = new_request_id(world.project_id)

        response = await client.post(
            path(world.project_id, request_id),
            json={"text": "as owner", "sender": world.owner.id},
            headers=world.guest.auth,
        )
        missing = await client.get(
            f"/{world.project_id}/requests/{request_id}", headers=world.owner.auth
        )

        assert response.status_code == 403
        assert response.json() == NOT_YOURS
        assert missing.status_code == 404

    async def test_a_visitor_may_name_itself(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)

        response = await client.post(
            path(world.project_id, request_id),
            json={"text": "me", "sender": world.guest.id},
            headers=world.guest.auth,
        )

        assert response.status_code == 200
        assert response.json()["sender"] == world.guest.id


class TestBadInput:
    @pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": "   "}, {"type": "text"}])
    async def test_a_text_message_needs_text(
        self, client: httpx.AsyncClient, body: dict[str, str]
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)

        response = await client.post(
            path(world.project_id, request_id), json=body, headers=world.agent.auth
        )

        assert response.status_code == 422
        assert response.json() == TEXT_REQUIRED
        assert len(await messages_of(client, world.project_id, request_id, world.owner)) == 1

    async def test_a_first_message_without_text_creates_nothing(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        request_id = new_request_id(world.project_id)

        response = await client.post(
            path(world.project_id, request_id), json={}, headers=world.guest.auth
        )
        missing = await client.get(
            f"/{world.project_id}/requests/{request_id}", headers=world.owner.auth
        )

        assert response.status_code == 422
        assert response.json() == TEXT_REQUIRED
        assert missing.status_code == 404

    async def test_media_need_no_text(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)
        image = {"src": "https://example.com/cat.png", "width": 10, "height": 20}

        response = await client.post(
            path(world.project_id, request_id),
            json={"type": "image", "metadata": image},
            headers=world.guest.auth,
        )

        assert response.status_code == 200
        assert response.json()["type"] == "image"
        assert response.json()["metadata"] == image
        assert "text" not in response.json()

    @pytest.mark.parametrize(
        "body", [{"text": 42}, {"text": "x", "attributes": "nope"}, {"text": "x", "status": "sent"}]
    )
    async def test_wrong_types_are_422(
        self, client: httpx.AsyncClient, body: dict[str, object]
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)

        response = await client.post(
            path(world.project_id, request_id), json=body, headers=world.agent.auth
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["location"] == "body"
        assert len(await messages_of(client, world.project_id, request_id, world.owner)) == 1


class TestFormChannel:
    async def test_only_its_agent_writes_in_a_form_conversation(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world, channel={"name": "form"})
        agent, other = await assigned_and_bystander(client, world, request_id)

        refused = await client.post(
            path(world.project_id, request_id), json={"text": "me too"}, headers=other.auth
        )
        answered = await client.post(
            path(world.project_id, request_id), json={"text": "on it"}, headers=agent.auth
        )

        assert refused.status_code == 403
        assert refused.json() == {
            "success": False,
            "message": "Error creating message",
            "err": "You don't belong the conversation",
        }
        assert answered.status_code == 200
        listed = await messages_of(client, world.project_id, request_id, world.owner)
        assert [m["text"] for m in listed] == ["Hello", "on it"]

    async def test_naming_the_sender_skips_the_check(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world, channel={"name": "form"})
        _agent, other = await assigned_and_bystander(client, world, request_id)

        response = await client.post(
            path(world.project_id, request_id),
            json={"text": "reply by e-mail", "sender": world.guest.id},
            headers=other.auth,
        )

        assert response.status_code == 200
        assert response.json()["sender"] == world.guest.id


class TestEffects:
    async def test_the_last_message_is_kept_on_the_conversation(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)

        posted = await client.post(
            path(world.project_id, request_id), json={"text": "latest"}, headers=world.guest.auth
        )
        request = await read_request(client, world.project_id, request_id, world.owner)

        assert request["attributes"]["last_message"]["_id"] == posted.json()["_id"]
        assert request["attributes"]["last_message"]["text"] == "latest"

    async def test_the_first_participant_reply_sets_the_waiting_time_once(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)
        agent, bystander = await assigned_and_bystander(client, world, request_id)
        await client.post(
            path(world.project_id, request_id), json={"text": "not mine"}, headers=bystander.auth
        )
        assert "waiting_time" not in await read_request(
            client, world.project_id, request_id, world.owner
        )
        events = EventsSince(event_log, world.project_id)

        first = await client.post(
            path(world.project_id, request_id), json={"text": "hi!"}, headers=agent.auth
        )
        updates_after_first = len(events.payloads("request.update"))
        await client.post(
            path(world.project_id, request_id), json={"text": "again"}, headers=agent.auth
        )
        request = await read_request(client, world.project_id, request_id, world.owner)

        waiting = first.json()["request"]["waiting_time"]
        assert waiting >= 0
        assert request["waiting_time"] == waiting
        assert request["first_response_at"] == first.json()["request"]["first_response_at"]
        assert updates_after_first == 1
        assert len(events.payloads("request.update")) == 1
        assert events.payloads("request.update")[0]["waiting_time"] == waiting

    async def test_the_message_that_opens_a_conversation_sets_no_waiting_time(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        request_id = new_request_id(world.project_id)

        response = await client.post(
            path(world.project_id, request_id),
            json={"text": "opening", "participants": [world.agent.id]},
            headers=world.agent.auth,
        )

        assert response.status_code == 200
        assert response.json()["request"]["participants"] == [world.agent.id]
        assert "waiting_time" not in response.json()["request"]
        assert "first_response_at" not in response.json()["request"]

    async def test_a_visitor_message_opens_a_pending_conversation(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)
        assigned, _bystander = await assigned_and_bystander(client, world, request_id)
        await set_working_status(client, world, request_id, "pending")
        on_hold = await assigned_count(client, world, assigned)
        events = EventsSince(event_log, world.project_id)

        response = await client.post(
            path(world.project_id, request_id),
            json={"text": "still there?"},
            headers=world.guest.auth,
        )
        request = await read_request(client, world.project_id, request_id, world.owner)

        assert response.json()["request"]["workingStatus"] == "open"
        assert request["workingStatus"] == "open"
        assert (on_hold, await assigned_count(client, world, assigned)) == (0, 1)
        changed = events.payloads("request.workingStatus.update")
        assert [payload["request"]["workingStatus"] for payload in changed] == ["open"]
        assert len(events.payloads("request.update")) == 1

    async def test_a_teammate_message_leaves_a_pending_conversation_pending(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)
        _assigned, bystander = await assigned_and_bystander(client, world, request_id)
        await set_working_status(client, world, request_id, "pending")
        events = EventsSince(event_log, world.project_id)

        await client.post(
            path(world.project_id, request_id), json={"text": "we wait"}, headers=bystander.auth
        )
        request = await read_request(client, world.project_id, request_id, world.owner)

        assert request["workingStatus"] == "pending"
        assert events.payloads("request.workingStatus.update") == []


class TestEvents:
    async def test_a_visitor_message(self, client: httpx.AsyncClient, event_log: EventLog) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)
        events = EventsSince(event_log, world.project_id)

        response = await client.post(
            path(world.project_id, request_id), json={"text": "more"}, headers=world.guest.auth
        )

        assert events.names() == [
            "message.create",
            "message.create.from.requester",
            "message.sending",
        ]
        created = events.payloads("message.create")[0]
        assert created["_id"] == response.json()["_id"]
        assert created["request"]["request_id"] == request_id
        assert created["request"]["lead"]["lead_id"] == world.guest.id

    async def test_the_message_that_opens_the_conversation_is_its_first(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)
        events = EventsSince(event_log, world.project_id)

        request_id = await guest_conversation(client, world)

        names = events.names()
        assert names.index("request.create") < names.index("message.create")
        assert [p["request"]["request_id"] for p in events.payloads("message.create.first")] == [
            request_id
        ]
        assert len(events.payloads("message.create.from.requester")) == 1
        assert len(events.payloads("message.sending")) == 1

    async def test_a_message_repeating_the_first_text_counts_as_first(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)
        _agent, bystander = await assigned_and_bystander(client, world, request_id)
        events = EventsSince(event_log, world.project_id)

        await client.post(
            path(world.project_id, request_id), json={"text": "Hello"}, headers=bystander.auth
        )

        assert events.names() == ["message.create", "message.create.first", "message.sending"]

    async def test_a_received_message(self, client: httpx.AsyncClient, event_log: EventLog) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)
        _agent, bystander = await assigned_and_bystander(client, world, request_id)
        events = EventsSince(event_log, world.project_id)

        response = await client.post(
            path(world.project_id, request_id),
            json={"text": "delivered", "status": 200},
            headers=bystander.auth,
        )

        assert response.json()["status"] == 200
        assert events.names() == ["message.create", "message.received"]

    async def test_refused_messages_emit_nothing(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world)
        events = EventsSince(event_log, world.project_id)

        await client.post(
            path(world.project_id, request_id), json={"text": ""}, headers=world.agent.auth
        )
        await client.post(
            path(world.project_id, request_id),
            json={"text": "x", "sender": world.owner.id},
            headers=world.guest.auth,
        )

        assert events.names() == []


async def set_working_status(
    client: httpx.AsyncClient, world: World, request_id: str, status: str
) -> None:
    response = await client.patch(
        f"/{world.project_id}/requests/{request_id}",
        json={"workingStatus": status},
        headers=world.owner.auth,
    )
    assert response.status_code == 200, response.text


async def assigned_count(client: httpx.AsyncClient, world: World, agent: Person) -> int:
    me = await client.get(f"/{world.project_id}/project_users/me", headers=agent.auth)
    count: int = me.json()[0]["number_assigned_requests"]
    return count
