"""Creating conversations, routing them (§5.4.3, §5.8) and their first messages (§5.5.1)."""

import re

import httpx
import pytest

from tests.conftest import EventLog
from tests.conversations.support import create_request, project_with_agents
from tests.factories import make_guest, make_project, signup


class TestCreateRequest:
    async def test_answers_the_saved_conversation(self, client: httpx.AsyncClient) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)

        created = await create_request(client, project_id, owner, subject="Billing")

        assert re.fullmatch(rf"support-group-{project_id}-[0-9a-f]{{32}}", created["request_id"])
        assert created["id"] == created["_id"]
        assert created["id_project"] == project_id
        assert created["ticket_id"] == 1
        assert created["first_text"] == "Hello"
        assert created["subject"] == "Billing"
        assert created["status"] == 200
        assert created["participants"] == [agent.id]
        assert created["participantsAgents"] == [agent.id]
        assert created["participantsBots"] == []
        assert created["hasBot"] is False
        assert created["priority"] == "medium"
        assert created["channel"] == {"name": "chat21"}
        assert created["channelOutbound"] == {"name": "chat21"}
        assert created["smartAssignment"] is True
        assert created["preflight"] is False
        assert created["tags"] == []
        assert created["notes"] == []
        assert created["followers"] == []
        assert created["requester_id"] == created["lead"]
        assert isinstance(created["requester"], str)
        assert isinstance(created["department"], str)
        assert created["snapshot"]["availableAgentsCount"] == 1
        assert created["snapshot"]["agents"] == [{"id_user": owner.id}, {"id_user": agent.id}]
        assert created["createdBy"] == owner.id
        assert "assigned_at" in created

    async def test_tickets_count_up_per_project(self, client: httpx.AsyncClient) -> None:
        project_id, owner, _agents = await project_with_agents(client, 1)

        tickets = [(await create_request(client, project_id, owner))["ticket_id"] for _ in range(3)]

        assert tickets == [1, 2, 3]

    async def test_reading_it_populates_lead_department_requester_and_agents(
        self, client: httpx.AsyncClient
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        created = await create_request(client, project_id, owner)

        response = await client.get(
            f"/{project_id}/requests/{created['request_id']}", headers=agent.auth
        )

        assert response.status_code == 200
        read = response.json()
        assert read["lead"]["lead_id"] == owner.id
        assert read["lead"]["email"] == owner.email
        assert read["requester_id"] == read["lead"]["_id"]
        assert read["department"]["name"] == "Default Department"
        assert read["department"]["hasBot"] is False
        assert read["requester"]["id_user"]["_id"] == owner.id
        assert [user["_id"] for user in read["participatingAgents"]] == [agent.id]
        assert "password" not in read["participatingAgents"][0]
        assert read["participatingBots"] == []
        assert "agents" not in read["snapshot"]
        assert read["snapshot"]["lead"]["lead_id"] == owner.id

    async def test_an_unknown_request_is_404(self, client: httpx.AsyncClient) -> None:
        project_id, owner, _agents = await project_with_agents(client, 1)

        response = await client.get(f"/{project_id}/requests/nope", headers=owner.auth)

        assert response.status_code == 404
        assert response.json() == {"success": False, "msg": "Object not found."}

    async def test_other_projects_cannot_read_it(self, client: httpx.AsyncClient) -> None:
        project_id, owner, _agents = await project_with_agents(client, 1)
        created = await create_request(client, project_id, owner)
        stranger = await signup(client)
        their_project = await make_project(client, stranger)

        response = await client.get(
            f"/{their_project}/requests/{created['request_id']}", headers=stranger.auth
        )

        assert response.status_code == 404

    async def test_missing_first_text_is_422_and_creates_nothing(
        self, client: httpx.AsyncClient
    ) -> None:
        project_id, owner, _agents = await project_with_agents(client, 1)

        response = await client.post(f"/{project_id}/requests", json={}, headers=owner.auth)
        next_ticket = (await create_request(client, project_id, owner))["ticket_id"]

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == "first_text"
        assert next_ticket == 1

    async def test_emits_request_create_with_the_populated_conversation(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        project_id, owner, _agents = await project_with_agents(client, 1)

        created = await create_request(client, project_id, owner)

        events = event_log.named("request.create", project_id)
        assert [event.payload["request_id"] for event in events] == [created["request_id"]]
        assert events[0].payload["lead"]["lead_id"] == owner.id

    async def test_announces_who_was_assigned_and_by_whom(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)

        created = await create_request(client, project_id, owner)

        (event,) = [
            e.payload
            for e in event_log.named("request.assigned", project_id)
            if e.payload["request"]["request_id"] == created["request_id"]
        ]
        assert event["assigneeId"] == agent.id
        assert event["assigneeType"] == "user"
        assert event["assignmentType"] == "auto"
        assert event["actor"]["id"] == owner.id
        assert event["source"] == "api"

    async def test_the_assigned_agent_is_counted(self, client: httpx.AsyncClient) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)

        await create_request(client, project_id, owner)
        me = await client.get(f"/{project_id}/project_users/me", headers=agent.auth)

        assert me.json()[0]["number_assigned_requests"] == 1

    async def test_guests_cannot_use_the_agent_route(self, client: httpx.AsyncClient) -> None:
        project_id, _owner, _agents = await project_with_agents(client, 1)
        guest = await make_guest(client, project_id)

        response = await client.post(
            f"/{project_id}/requests", json={"first_text": "hi"}, headers=guest.auth
        )

        assert response.status_code == 403


class TestRouting:
    async def test_assigned_routing_takes_turns(self, client: httpx.AsyncClient) -> None:
        project_id, owner, agents = await project_with_agents(client, 3)

        chosen = [
            (await create_request(client, project_id, owner))["participants"][0] for _ in range(6)
        ]

        order = [agent.id for agent in agents]
        start = order.index(chosen[0])
        assert chosen == [order[(start + turn) % 3] for turn in range(6)]

    async def test_pooled_routing_queues(self, client: httpx.AsyncClient) -> None:
        project_id, owner, _agents = await project_with_agents(client, 2, routing="pooled")

        created = await create_request(client, project_id, owner)

        assert created["status"] == 100
        assert created["participants"] == []
        assert created["snapshot"]["availableAgentsCount"] == 2
        assert "assigned_at" not in created

    async def test_unavailable_agents_are_not_chosen(self, client: httpx.AsyncClient) -> None:
        project_id, owner, (busy, free) = await project_with_agents(client, 2)
        await client.put(
            f"/{project_id}/project_users", json={"user_available": False}, headers=busy.auth
        )

        chosen = {
            (await create_request(client, project_id, owner))["participants"][0] for _ in range(3)
        }

        assert chosen == {free.id}

    async def test_nobody_available_queues_the_conversation(
        self, client: httpx.AsyncClient
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        await client.put(
            f"/{project_id}/project_users", json={"user_available": False}, headers=agent.auth
        )

        created = await create_request(client, project_id, owner)

        assert created["status"] == 100
        assert created["snapshot"]["availableAgentsCount"] == 0

    async def test_chat_limits_hold(self, client: httpx.AsyncClient) -> None:
        project_id, owner, agents = await project_with_agents(client, 2)
        await client.put(
            f"/projects/{project_id}",
            json={"settings.chat_limit_on": True, "settings.max_agent_assigned_chat": 1},
            headers=owner.auth,
        )

        statuses = [(await create_request(client, project_id, owner))["status"] for _ in range(3)]
        counts = [
            (await client.get(f"/{project_id}/project_users/me", headers=a.auth)).json()[0][
                "number_assigned_requests"
            ]
            for a in agents
        ]

        assert statuses == [200, 200, 100]
        assert counts == [1, 1]

    async def test_explicit_participants_skip_routing(self, client: httpx.AsyncClient) -> None:
        project_id, owner, (_agent_a, agent_b) = await project_with_agents(client, 2)

        created = await create_request(client, project_id, owner, participants=[agent_b.id])

        assert created["participants"] == [agent_b.id]
        assert created["status"] == 200

    async def test_a_hidden_conversation_is_assigned_to_nobody(
        self, client: httpx.AsyncClient
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)

        created = await create_request(client, project_id, owner, request_status=50)
        member = await client.get(
            f"/{project_id}/project_users/users/{agent.id}", headers=owner.auth
        )

        assert created["status"] == 50
        assert created["participants"] == []
        assert created["department"]
        assert member.json()[0]["number_assigned_requests"] == 0

    async def test_an_unknown_department_is_422(self, client: httpx.AsyncClient) -> None:
        project_id, owner, _agents = await project_with_agents(client, 1)

        response = await client.post(
            f"/{project_id}/requests",
            json={"first_text": "x", "departmentid": "f" * 24},
            headers=owner.auth,
        )

        assert response.status_code == 422


class TestFirstMessage:
    async def test_a_message_to_an_unknown_request_creates_it(
        self, client: httpx.AsyncClient
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        request_id = f"support-group-{project_id}-{'a' * 32}"

        response = await client.post(
            f"/{project_id}/requests/{request_id}/messages",
            json={"text": "hello there", "senderFullname": "Vis Itor"},
            headers=owner.auth,
        )

        assert response.status_code == 200
        message = response.json()
        assert message["text"] == "hello there"
        assert message["sender"] == owner.id
        assert message["senderFullname"] == "Vis Itor"
        assert message["recipient"] == request_id
        assert message["type"] == "text"
        assert message["channel_type"] == "group"
        assert message["status"] == 0
        assert message["channel"] == {"name": "chat21"}
        assert message["id_project"] == project_id
        assert message["request"]["request_id"] == request_id
        assert message["request"]["first_text"] == "hello there"
        assert message["request"]["participants"] == [agent.id]
        assert message["request"]["lead"]["fullname"] == "Vis Itor"
        assert message["request"]["attributes"]["last_message"]["_id"] == message["_id"]

    async def test_messages_are_listed_oldest_first(self, client: httpx.AsyncClient) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        request_id = f"support-group-{project_id}-{'b' * 32}"
        path = f"/{project_id}/requests/{request_id}/messages"
        for text in ("one", "two"):
            await client.post(path, json={"text": text}, headers=owner.auth)
        await client.post(path, json={"text": "three"}, headers=agent.auth)

        listed = await client.get(path, headers=agent.auth)

        assert [m["text"] for m in listed.json()] == ["one", "two", "three"]
        assert "request" not in listed.json()[0]

    async def test_the_first_reply_of_a_participant_sets_the_waiting_time(
        self, client: httpx.AsyncClient
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        request_id = f"support-group-{project_id}-{'c' * 32}"
        path = f"/{project_id}/requests/{request_id}/messages"
        await client.post(path, json={"text": "hi"}, headers=owner.auth)

        reply = await client.post(path, json={"text": "hello"}, headers=agent.auth)

        request = reply.json()["request"]
        assert request["waiting_time"] >= 0
        assert "first_response_at" in request

    async def test_text_is_required(self, client: httpx.AsyncClient) -> None:
        project_id, owner, _agents = await project_with_agents(client, 1)

        response = await client.post(
            f"/{project_id}/requests/support-group-x/messages", json={}, headers=owner.auth
        )
        missing = await client.get(f"/{project_id}/requests/support-group-x", headers=owner.auth)

        assert response.status_code == 422
        assert response.json() == {"errors": ["text field is required"]}
        assert missing.status_code == 404

    async def test_a_guest_writes_only_in_its_own_conversation(
        self, client: httpx.AsyncClient
    ) -> None:
        project_id, _owner, _agents = await project_with_agents(client, 1)
        visitor, other = await make_guest(client, project_id), await make_guest(client, project_id)
        path = f"/{project_id}/requests/support-group-{project_id}-{'d' * 32}/messages"

        own = await client.post(path, json={"text": "mine"}, headers=visitor.auth)
        again = await client.post(path, json={"text": "still mine"}, headers=visitor.auth)
        intruder = await client.post(path, json={"text": "hijack"}, headers=other.auth)
        peek = await client.get(path, headers=other.auth)

        assert own.status_code == 200
        assert again.status_code == 200
        assert intruder.status_code == 404
        assert peek.status_code == 404

    @pytest.mark.parametrize("role", ["guest"])
    async def test_a_guest_cannot_speak_for_someone_else(
        self, client: httpx.AsyncClient, role: str
    ) -> None:
        project_id, owner, _agents = await project_with_agents(client, 1)
        visitor = await make_guest(client, project_id)

        response = await client.post(
            f"/{project_id}/requests/support-group-{project_id}-{'e' * 32}/messages",
            json={"text": "as owner", "sender": owner.id},
            headers=visitor.auth,
        )

        assert response.status_code == 403
