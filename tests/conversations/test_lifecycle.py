"""Closing, reopening, rating and deleting conversations (§5.4.1, §5.4.3, §5.4.4, §8.2, §8.4)."""

import uuid
from datetime import datetime
from typing import Any

import httpx
import pytest

from tests.conftest import EventLog
from tests.conversations.support import create_request, post_message
from tests.factories import World, make_guest, make_world

CHAT_CLOSED = {
    "subtype": "info/support",
    "updateconversation": False,
    "messagelabel": {"key": "CHAT_CLOSED"},
}
CHAT_REOPENED = {
    "subtype": "info/support",
    "updateconversation": True,
    "messagelabel": {"key": "CHAT_REOPENED"},
}


async def agents_conversation(client: httpx.AsyncClient, world: World) -> dict[str, Any]:
    """A conversation requested by the owner, with the agent as its only participant."""
    return await create_request(
        client, world.project_id, world.owner, participants=[world.agent.id]
    )


async def visitor_conversation(client: httpx.AsyncClient, world: World, visitor: Any) -> str:
    """A conversation a guest or end user opened with a first message; its request_id."""
    request_id = f"support-group-{world.project_id}-{uuid.uuid4().hex}"
    await post_message(client, world.project_id, request_id, visitor, text="I need help")
    return request_id


async def read(client: httpx.AsyncClient, world: World, request_id: str) -> dict[str, Any]:
    response = await client.get(
        f"/{world.project_id}/requests/{request_id}", headers=world.owner.auth
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def messages_of(
    client: httpx.AsyncClient, world: World, request_id: str
) -> list[dict[str, Any]]:
    response = await client.get(
        f"/{world.project_id}/requests/{request_id}/messages", headers=world.owner.auth
    )
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


async def assigned_count(client: httpx.AsyncClient, world: World, user_id: str) -> int:
    """``number_assigned_requests`` of the user's membership, read through the API."""
    memberships = await client.get(
        f"/{world.project_id}/project_users/users/{user_id}", headers=world.owner.auth
    )
    membership_id = memberships.json()[0]["_id"]
    response = await client.get(
        f"/{world.project_id}/project_users/{membership_id}", headers=world.owner.auth
    )
    assert response.status_code == 200, response.text
    count: int = response.json()["number_assigned_requests"]
    return count


def transcript_line(message: dict[str, Any]) -> str:
    """Tiledesk's line: ``createdAt`` in the ``it`` locale, UTC."""
    when = datetime.fromisoformat(message["createdAt"].replace("Z", "+00:00"))
    return f"{when:%d/%m/%Y, %H:%M:%S} {message['senderFullname']}: {message['text']}"


def millis(value: str) -> int:
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1000)


@pytest.fixture
async def world(client: httpx.AsyncClient) -> World:
    return await make_world(client)


@pytest.fixture(scope="module")
async def shared_world(client: httpx.AsyncClient) -> World:
    """For the tests that look only at a conversation of their own (refusals mostly); the
    others count the project's events or its members' conversations."""
    return await make_world(client)


class TestClose:
    async def test_a_participant_closes_with_transcript_and_timings(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        created = await agents_conversation(client, world)
        request_id = created["request_id"]
        first = await post_message(
            client, world.project_id, request_id, world.owner, text="Hi", senderFullname="Vis Itor"
        )
        second = await post_message(
            client, world.project_id, request_id, world.agent, text="Hello!"
        )

        response = await client.put(
            f"/{world.project_id}/requests/{request_id}/close", headers=world.agent.auth
        )

        assert response.status_code == 200, response.text
        closed = response.json()
        assert closed["status"] == 1000
        assert closed["closed_by"] == world.agent.id
        assert closed["duration"] == millis(closed["closed_at"]) - millis(closed["createdAt"])
        assert closed["transcript"] == transcript_line(first) + "\r\n" + transcript_line(second)
        assert closed["transcript"].split("\r\n")[1].endswith(" Agent Member: Hello!")
        assert closed["lead"]["lead_id"] == world.owner.id  # populated
        assert [agent["_id"] for agent in closed["participatingAgents"]] == [world.agent.id]
        stored = await read(client, world, request_id)
        assert stored["status"] == 1000
        assert stored["transcript"] == closed["transcript"]
        assert stored["closed_at"] == closed["closed_at"]

    async def test_the_transcript_of_a_silent_conversation_is_empty(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        created = await agents_conversation(client, world)

        response = await client.put(
            f"/{world.project_id}/requests/{created['request_id']}/close", headers=world.owner.auth
        )

        assert response.status_code == 200
        assert response.json()["transcript"] == ""

    async def test_closing_posts_the_chat_closed_system_message(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        created = await agents_conversation(client, world)
        request_id = created["request_id"]
        await post_message(client, world.project_id, request_id, world.owner, text="Hi")

        await client.put(
            f"/{world.project_id}/requests/{request_id}/close", headers=world.agent.auth
        )

        history = await messages_of(client, world, request_id)
        assert [message["text"] for message in history] == ["Hi", "Chat closed"]
        system = history[-1]
        assert system["sender"] == "system"
        assert system["senderFullname"] == "Bot"
        assert system["attributes"] == CHAT_CLOSED
        assert system["createdBy"] == "system"

    async def test_closing_announces_update_and_close_with_the_messages(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        created = await agents_conversation(client, world)
        request_id = created["request_id"]
        said = await post_message(client, world.project_id, request_id, world.owner, text="Hi")

        await client.put(
            f"/{world.project_id}/requests/{request_id}/close", headers=world.agent.auth
        )

        updates = [
            e
            for e in event_log.named("request.update", world.project_id)
            if e.payload["request_id"] == request_id
        ]
        assert updates[-1].payload["status"] == 1000
        assert isinstance(updates[-1].payload["lead"], dict)
        (close,) = [
            e
            for e in event_log.named("request.close", world.project_id)
            if e.payload["request_id"] == request_id
        ]
        assert close.payload["status"] == 1000
        assert close.payload["closed_by"] == world.agent.id
        assert [message["_id"] for message in close.payload["messages"]] == [said["_id"]]

    async def test_closing_recounts_the_participants_assigned_conversations(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        created = await agents_conversation(client, world)
        before = await assigned_count(client, world, world.agent.id)

        await client.put(
            f"/{world.project_id}/requests/{created['request_id']}/close", headers=world.agent.auth
        )

        assert before == 1
        assert await assigned_count(client, world, world.agent.id) == 0

    async def test_closing_a_closed_conversation_changes_nothing_but_announces_it_again(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        created = await agents_conversation(client, world)
        request_id = created["request_id"]
        path = f"/{world.project_id}/requests/{request_id}/close"
        first = (await client.put(path, headers=world.agent.auth)).json()

        again = await client.put(path, headers=world.owner.auth)

        assert again.status_code == 200
        assert again.json()["closed_at"] == first["closed_at"]
        assert again.json()["closed_by"] == world.agent.id
        assert again.json()["updatedAt"] == first["updatedAt"]
        closes = [
            e
            for e in event_log.named("request.close", world.project_id)
            if e.payload["request_id"] == request_id
        ]
        assert len(closes) == 2
        assert [m["text"] for m in await messages_of(client, world, request_id)] == ["Chat closed"]

    async def test_force_closes_again_with_a_new_transcript(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        created = await agents_conversation(client, world)
        request_id = created["request_id"]
        path = f"/{world.project_id}/requests/{request_id}/close"
        await client.put(path, headers=world.agent.auth)

        forced = await client.put(path, json={"force": True}, headers=world.owner.auth)

        assert forced.status_code == 200
        body = forced.json()
        assert body["closed_by"] == world.owner.id
        assert body["transcript"].endswith(" Bot: Chat closed")
        texts = [m["text"] for m in await messages_of(client, world, request_id)]
        assert texts == ["Chat closed", "Chat closed"]

    @pytest.mark.parametrize("role", ["agent", "supervisor"])
    async def test_members_below_admin_must_participate(
        self, client: httpx.AsyncClient, shared_world: World, role: str
    ) -> None:
        created = await create_request(
            client,
            shared_world.project_id,
            shared_world.owner,
            participants=[shared_world.admin.id],
        )

        response = await client.put(
            f"/{shared_world.project_id}/requests/{created['request_id']}/close",
            headers=shared_world.person(role).auth,
        )

        assert response.status_code == 403
        assert response.json() == {
            "success": False,
            "error": "You must be among the participants to close a conversation.",
        }
        stored = await read(client, shared_world, created["request_id"])
        assert stored["status"] == 200
        assert "closed_at" not in stored
        assert await messages_of(client, shared_world, created["request_id"]) == []

    @pytest.mark.parametrize("role", ["admin", "owner"])
    async def test_admins_and_owners_close_without_participating(
        self, client: httpx.AsyncClient, shared_world: World, role: str
    ) -> None:
        created = await agents_conversation(client, shared_world)

        response = await client.put(
            f"/{shared_world.project_id}/requests/{created['request_id']}/close",
            headers=shared_world.person(role).auth,
        )

        assert response.status_code == 200
        assert response.json()["closed_by"] == shared_world.person(role).id

    @pytest.mark.parametrize(
        ("who", "message"),
        [
            ("outsider", "you dont belong to the project."),
            ("stranger", "you dont belong to the project."),
            ("guest", "you dont have the required role."),
            ("end_user", "you dont have the required role."),
        ],
    )
    async def test_non_agents_cannot_close(
        self, client: httpx.AsyncClient, shared_world: World, who: str, message: str
    ) -> None:
        created = await agents_conversation(client, shared_world)

        response = await client.put(
            f"/{shared_world.project_id}/requests/{created['request_id']}/close",
            headers=getattr(shared_world, who).auth,
        )

        assert response.status_code == 403
        assert response.json() == {"success": False, "msg": message}
        assert (await read(client, shared_world, created["request_id"]))["status"] == 200

    async def test_an_unknown_or_foreign_conversation_is_404(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        foreign = await create_request(client, world.other_project_id, world.stranger)

        for request_id in ("nope", foreign["request_id"]):
            response = await client.put(
                f"/{world.project_id}/requests/{request_id}/close", headers=world.owner.auth
            )
            assert response.status_code == 404
            assert response.json() == {"success": False, "error": "Request not found"}
        other = await client.get(
            f"/{world.other_project_id}/requests/{foreign['request_id']}",
            headers=world.stranger.auth,
        )
        assert other.json()["status"] != 1000

    async def test_a_force_that_is_not_a_boolean_is_422(
        self, client: httpx.AsyncClient, shared_world: World
    ) -> None:
        created = await agents_conversation(client, shared_world)

        response = await client.put(
            f"/{shared_world.project_id}/requests/{created['request_id']}/close",
            json={"force": "maybe"},
            headers=shared_world.owner.auth,
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == "force"
        assert (await read(client, shared_world, created["request_id"]))["status"] == 200


class TestCloseg:
    async def test_a_guest_closes_its_own_conversation(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        request_id = await visitor_conversation(client, world, world.guest)

        response = await client.put(
            f"/{world.project_id}/requests/{request_id}/closeg", headers=world.guest.auth
        )

        assert response.status_code == 200, response.text
        assert response.json()["status"] == 1000
        assert response.json()["closed_by"] == world.guest.id
        assert response.json()["transcript"].endswith(": I need help")
        assert [m["text"] for m in await messages_of(client, world, request_id)] == [
            "I need help",
            "Chat closed",
        ]

    async def test_an_end_user_closes_its_own_conversation(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        request_id = await visitor_conversation(client, world, world.end_user)

        response = await client.put(
            f"/{world.project_id}/requests/{request_id}/closeg", headers=world.end_user.auth
        )

        assert response.status_code == 200
        assert response.json()["closed_by"] == world.end_user.id

    @pytest.mark.parametrize("who", ["guest", "end_user"])
    async def test_visitors_cannot_close_someone_elses_conversation(
        self, client: httpx.AsyncClient, shared_world: World, who: str
    ) -> None:
        created = await agents_conversation(client, shared_world)

        response = await client.put(
            f"/{shared_world.project_id}/requests/{created['request_id']}/closeg",
            headers=getattr(shared_world, who).auth,
        )

        assert response.status_code == 404
        assert response.json() == {"success": False, "error": "Request not found"}
        assert (await read(client, shared_world, created["request_id"]))["status"] == 200

    async def test_an_agent_closes_without_participating(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        created = await create_request(
            client, world.project_id, world.owner, participants=[world.admin.id]
        )

        response = await client.put(
            f"/{world.project_id}/requests/{created['request_id']}/closeg",
            headers=world.agent.auth,
        )

        assert response.status_code == 200
        assert response.json()["closed_by"] == world.agent.id

    @pytest.mark.parametrize("who", ["outsider", "stranger"])
    async def test_non_members_cannot(
        self, client: httpx.AsyncClient, shared_world: World, who: str
    ) -> None:
        created = await agents_conversation(client, shared_world)

        response = await client.put(
            f"/{shared_world.project_id}/requests/{created['request_id']}/closeg",
            headers=getattr(shared_world, who).auth,
        )

        assert response.status_code == 403
        assert (await read(client, shared_world, created["request_id"]))["status"] == 200


class TestReopen:
    async def test_a_closed_conversation_with_participants_is_assigned_again(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        created = await agents_conversation(client, world)
        request_id = created["request_id"]
        closed = (
            await client.put(
                f"/{world.project_id}/requests/{request_id}/close", headers=world.agent.auth
            )
        ).json()

        response = await client.put(
            f"/{world.project_id}/requests/{request_id}/reopen", headers=world.agent.auth
        )

        assert response.status_code == 200
        reopened = response.json()
        assert reopened["status"] == 200
        assert reopened["closed_at"] == closed["closed_at"]  # kept, as in Tiledesk
        assert isinstance(reopened["lead"], dict)
        assert (await read(client, world, request_id))["status"] == 200
        assert await assigned_count(client, world, world.agent.id) == 1
        system = (await messages_of(client, world, request_id))[-1]
        assert system["text"] == "Chat reopened"
        assert system["sender"] == "system"
        assert system["attributes"] == CHAT_REOPENED
        reopens = [
            e
            for e in event_log.named("request.reopen", world.project_id)
            if e.payload["request_id"] == request_id
        ]
        assert [e.payload["status"] for e in reopens] == [200]

    async def test_a_closed_conversation_without_participants_goes_back_to_the_queue(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        created = await create_request(client, world.project_id, world.owner, participants=[])
        request_id = created["request_id"]
        await client.put(
            f"/{world.project_id}/requests/{request_id}/close", headers=world.owner.auth
        )

        response = await client.put(
            f"/{world.project_id}/requests/{request_id}/reopen", headers=world.owner.auth
        )

        assert response.status_code == 200
        assert response.json()["status"] == 100

    async def test_an_open_conversation_is_left_alone(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        created = await agents_conversation(client, world)
        request_id = created["request_id"]

        response = await client.put(
            f"/{world.project_id}/requests/{request_id}/reopen", headers=world.agent.auth
        )

        assert response.status_code == 200
        assert response.json()["status"] == 200
        assert response.json()["updatedAt"] == created["updatedAt"]
        assert await messages_of(client, world, request_id) == []
        assert not [
            e for e in event_log.named("request.reopen") if e.payload["request_id"] == request_id
        ]

    async def test_unknown_conversation_and_guests(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        created = await agents_conversation(client, world)
        request_id = created["request_id"]
        await client.put(
            f"/{world.project_id}/requests/{request_id}/close", headers=world.agent.auth
        )

        unknown = await client.put(
            f"/{world.project_id}/requests/nope/reopen", headers=world.owner.auth
        )
        guest = await client.put(
            f"/{world.project_id}/requests/{request_id}/reopen", headers=world.guest.auth
        )
        stranger = await client.put(
            f"/{world.project_id}/requests/{request_id}/reopen", headers=world.stranger.auth
        )

        assert unknown.status_code == 404
        assert unknown.json() == {"success": False, "error": "Request not found"}
        assert guest.status_code == 403
        assert stranger.status_code == 403
        assert (await read(client, world, request_id))["status"] == 1000


class TestRating:
    async def test_a_visitor_rates_its_conversation(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        request_id = await visitor_conversation(client, world, world.guest)

        response = await client.patch(
            f"/{world.project_id}/requests/{request_id}/rating",
            json={"rating": 5, "rating_message": "Great help"},
            headers=world.guest.auth,
        )

        assert response.status_code == 200, response.text
        assert response.json()["rating"] == 5
        assert response.json()["rating_message"] == "Great help"
        assert isinstance(response.json()["requester"], dict)
        stored = await read(client, world, request_id)
        assert (stored["rating"], stored["rating_message"]) == (5, "Great help")
        updates = [
            e
            for e in event_log.named("request.update", world.project_id)
            if e.payload["request_id"] == request_id
        ]
        assert updates[-1].payload["rating"] == 5

    async def test_falsy_values_are_not_applied(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        request_id = await visitor_conversation(client, world, world.end_user)
        path = f"/{world.project_id}/requests/{request_id}/rating"
        await client.patch(
            path, json={"rating": 4, "rating_message": "ok"}, headers=world.end_user.auth
        )

        response = await client.patch(
            path, json={"rating": 0, "rating_message": ""}, headers=world.end_user.auth
        )

        assert response.status_code == 200
        assert (response.json()["rating"], response.json()["rating_message"]) == (4, "ok")

    @pytest.mark.parametrize("who", ["guest", "end_user", "agent", "owner"])
    async def test_only_the_requester_rates(
        self, client: httpx.AsyncClient, shared_world: World, who: str
    ) -> None:
        other = await visitor_conversation(
            client, shared_world, await make_guest(client, shared_world.project_id)
        )

        response = await client.patch(
            f"/{shared_world.project_id}/requests/{other}/rating",
            json={"rating": 1},
            headers=getattr(shared_world, who).auth,
        )

        assert response.status_code == 404
        assert response.json() == {"success": False, "msg": "Request not found"}
        assert "rating" not in await read(client, shared_world, other)

    async def test_bad_input_and_outsiders(self, client: httpx.AsyncClient, world: World) -> None:
        request_id = await visitor_conversation(client, world, world.guest)
        path = f"/{world.project_id}/requests/{request_id}/rating"

        wrong = await client.patch(path, json={"rating": "excellent"}, headers=world.guest.auth)
        huge = await client.patch(path, json={"rating": 2**40}, headers=world.guest.auth)
        unknown = await client.patch(
            f"/{world.project_id}/requests/nope/rating",
            json={"rating": 2},
            headers=world.guest.auth,
        )
        outsider = await client.patch(path, json={"rating": 2}, headers=world.outsider.auth)

        assert wrong.status_code == 422
        assert wrong.json()["errors"][0]["param"] == "rating"
        assert huge.status_code == 422
        assert unknown.status_code == 404
        assert outsider.status_code == 403
        assert "rating" not in await read(client, world, request_id)


class TestDelete:
    async def test_the_owner_deletes_a_conversation_and_its_messages(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        created = await agents_conversation(client, world)
        request_id = created["request_id"]
        await post_message(client, world.project_id, request_id, world.owner, text="Hi")
        assert await assigned_count(client, world, world.agent.id) == 1

        response = await client.delete(
            f"/{world.project_id}/requests/{request_id}", headers=world.owner.auth
        )

        assert response.status_code == 200, response.text
        deleted = response.json()
        assert deleted["_id"] == created["_id"]
        assert deleted["request_id"] == request_id
        assert deleted["lead"] == created["lead"]  # not populated
        assert "participatingAgents" not in deleted
        assert "agents" not in deleted["snapshot"]
        gone = await client.get(
            f"/{world.project_id}/requests/{request_id}", headers=world.owner.auth
        )
        assert gone.status_code == 404
        assert await messages_of(client, world, request_id) == []
        assert await assigned_count(client, world, world.agent.id) == 0
        (event,) = [
            e
            for e in event_log.named("request.delete", world.project_id)
            if e.payload["request_id"] == request_id
        ]
        assert event.payload["_id"] == created["_id"]

    @pytest.mark.parametrize("role", ["admin", "supervisor", "agent"])
    async def test_only_owners_delete(
        self, client: httpx.AsyncClient, shared_world: World, role: str
    ) -> None:
        created = await agents_conversation(client, shared_world)

        response = await client.delete(
            f"/{shared_world.project_id}/requests/{created['request_id']}",
            headers=shared_world.person(role).auth,
        )

        assert response.status_code == 403
        assert response.json() == {"success": False, "msg": "Unauthorized."}
        assert (await read(client, shared_world, created["request_id"]))["_id"] == created["_id"]

    @pytest.mark.parametrize("who", ["guest", "end_user", "outsider", "stranger"])
    async def test_non_agents_are_refused(
        self, client: httpx.AsyncClient, shared_world: World, who: str
    ) -> None:
        created = await agents_conversation(client, shared_world)

        response = await client.delete(
            f"/{shared_world.project_id}/requests/{created['request_id']}",
            headers=getattr(shared_world, who).auth,
        )

        assert response.status_code == 403
        assert (await read(client, shared_world, created["request_id"]))["_id"] == created["_id"]

    async def test_an_unknown_or_foreign_conversation_is_404(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        foreign = await create_request(client, world.other_project_id, world.stranger)
        await post_message(client, world.other_project_id, foreign["request_id"], world.stranger)

        for request_id in ("nope", foreign["request_id"]):
            response = await client.delete(
                f"/{world.project_id}/requests/{request_id}", headers=world.owner.auth
            )
            assert response.status_code == 404
            assert response.json() == {"success": False, "msg": "Object not found."}
        kept = await client.get(
            f"/{world.other_project_id}/requests/{foreign['request_id']}/messages",
            headers=world.stranger.auth,
        )
        assert len(kept.json()) == 1

    async def test_by_id_answers_the_delete_result(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        created = await agents_conversation(client, world)
        path = f"/{world.project_id}/requests/id/{created['_id']}"

        first = await client.delete(path, headers=world.owner.auth)
        second = await client.delete(path, headers=world.owner.auth)
        malformed = await client.delete(
            f"/{world.project_id}/requests/id/zz", headers=world.owner.auth
        )

        assert first.status_code == 200
        assert first.json() == {"n": 1, "ok": 1, "deletedCount": 1}
        assert second.json() == {"n": 0, "ok": 1, "deletedCount": 0}
        assert malformed.json() == {"n": 0, "ok": 1, "deletedCount": 0}
        gone = await client.get(
            f"/{world.project_id}/requests/{created['request_id']}", headers=world.owner.auth
        )
        assert gone.status_code == 404

    async def test_by_id_stays_in_the_project_and_needs_the_owner(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        foreign = await create_request(client, world.other_project_id, world.stranger)
        mine = await agents_conversation(client, world)

        cross = await client.delete(
            f"/{world.project_id}/requests/id/{foreign['_id']}", headers=world.owner.auth
        )
        admin = await client.delete(
            f"/{world.project_id}/requests/id/{mine['_id']}", headers=world.admin.auth
        )

        assert cross.json() == {"n": 0, "ok": 1, "deletedCount": 0}
        assert admin.status_code == 403
        assert admin.json() == {"success": False, "msg": "Unauthorized."}
        still = await client.get(
            f"/{world.other_project_id}/requests/{foreign['request_id']}",
            headers=world.stranger.auth,
        )
        assert still.status_code == 200
        assert (await read(client, world, mine["request_id"]))["_id"] == mine["_id"]
