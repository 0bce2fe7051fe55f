"""The first real message of a preflight conversation (§5.4.4): the widget opens a hidden
(TEMP, ``preflight``) conversation with a placeholder; the visitor's first message becomes
its ``first_text`` and routes it."""

from typing import Any

import httpx
import pytest

from tests.conftest import EventLog
from tests.conversations.support import project_with_agents
from tests.factories import Person, Visitor, make_guest
from tests.messages.support import EventsSince, new_request_id

PLACEHOLDER = "New conversation"


async def open_preflight(
    client: httpx.AsyncClient, project_id: str, visitor: Visitor, **body: object
) -> tuple[str, dict[str, Any]]:
    """A hidden conversation as the widget opens it; its request as the answer shows it."""
    request_id = new_request_id(project_id)
    response = await client.post(
        f"/{project_id}/requests/{request_id}/messages",
        json={"text": PLACEHOLDER, "preflight": True, "request_status": 50, **body},
        headers=visitor.auth,
    )
    assert response.status_code == 200, response.text
    request: dict[str, Any] = response.json()["request"]
    return request_id, request


async def say(
    client: httpx.AsyncClient, project_id: str, request_id: str, who: Any, **body: object
) -> dict[str, Any]:
    response = await client.post(
        f"/{project_id}/requests/{request_id}/messages", json=body, headers=who.auth
    )
    assert response.status_code == 200, response.text
    request: dict[str, Any] = response.json()["request"]
    return request


async def available(client: httpx.AsyncClient, project_id: str, agent: Person, value: bool) -> None:
    response = await client.put(
        f"/{project_id}/project_users", json={"user_available": value}, headers=agent.auth
    )
    assert response.status_code == 200, response.text


async def assigned_count(client: httpx.AsyncClient, project_id: str, agent: Person) -> int:
    me = await client.get(f"/{project_id}/project_users/me", headers=agent.auth)
    count: int = me.json()[0]["number_assigned_requests"]
    return count


class TestFirstRealMessage:
    async def test_the_placeholder_keeps_the_conversation_hidden(
        self, client: httpx.AsyncClient
    ) -> None:
        project_id, _owner, _agents = await project_with_agents(client, 1)
        visitor = await make_guest(client, project_id)

        _request_id, request = await open_preflight(client, project_id, visitor)

        assert request["preflight"] is True
        assert request["status"] == 50
        assert request["first_text"] == PLACEHOLDER

    async def test_the_visitor_message_becomes_first_text_and_routes(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        await available(client, project_id, agent, False)  # nobody to take the placeholder
        visitor = await make_guest(client, project_id)
        request_id, _request = await open_preflight(client, project_id, visitor)
        await available(client, project_id, agent, True)
        events = EventsSince(event_log, project_id)

        answered = await say(client, project_id, request_id, visitor, text="I need help")
        read = await client.get(f"/{project_id}/requests/{request_id}", headers=owner.auth)

        for request in (answered, read.json()):
            assert request["preflight"] is False
            assert request["first_text"] == "I need help"
            assert request["status"] == 200
            assert request["participants"] == [agent.id]
            assert request["participantsAgents"] == [agent.id]
            assert request["hasBot"] is False
            assert "assigned_at" in request
            assert request["snapshot"]["availableAgentsCount"] == 1
            assert request["snapshot"]["department"]["name"] == "Default Department"
        assert await assigned_count(client, project_id, agent) == 1
        assert events.names() == [
            # routed as the re-route routes do (conversations.assignment)
            "request.update",
            "request.participants.update",
            "request.assigned",
            "message.create",  # the agent is told (TOUCHING_OPERATOR)
            "message.sending",
            "request.department.update",
            # then the visitor's message and what it changed
            "message.create",
            "message.create.first",
            "message.create.from.requester",
            "message.sending",
            "request.update",
            "request.updated",
        ]
        (preflight_change,) = events.payloads("request.updated")
        assert preflight_change["comment"] == "FIRSTTEXT_PREFLIGHT_CHANGE"
        assert preflight_change["patch"] == {"first_text": "I need help", "preflight": False}
        participants = events.payloads("request.participants.update")[0]
        assert participants["addedParticipants"] == [agent.id]
        assert participants["removedParticipants"] == []
        assert participants["beforeRequest"]["status"] == 50
        assert participants["request"]["status"] == 200
        (assigned,) = events.payloads("request.assigned")
        assert assigned["assigneeId"] == agent.id
        assert assigned["assignmentType"] == "auto"
        assert assigned["actor"] == {"type": "system", "id": "system", "name": "System"}
        assert assigned["source"] == "rules"
        history = await client.get(
            f"/{project_id}/requests/{request_id}/messages", headers=owner.auth
        )
        welcome = history.json()[-1]
        assert welcome["sender"] == "system"
        assert welcome["text"] == "A new support request has been assigned to you: I need help"
        assert welcome["attributes"]["messagelabel"] == {"key": "TOUCHING_OPERATOR"}
        assert welcome["attributes"]["updateconversationfor"] == [agent.id]

    async def test_a_pooled_department_queues_it(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        project_id, _owner, _agents = await project_with_agents(client, 2, routing="pooled")
        visitor = await make_guest(client, project_id)
        request_id, _request = await open_preflight(client, project_id, visitor)
        events = EventsSince(event_log, project_id)

        request = await say(client, project_id, request_id, visitor, text="Hi there")

        assert request["status"] == 100
        assert request["participants"] == []
        assert "assigned_at" not in request
        assert request["snapshot"]["availableAgentsCount"] == 2
        assert events.payloads("request.assigned") == []
        assert len(events.payloads("request.department.update")) == 1

    @pytest.mark.parametrize(
        ("kind", "first_text"), [("image", "Image"), ("frame", "Frame"), ("file", "File")]
    )
    async def test_media_are_named_by_their_kind(
        self, client: httpx.AsyncClient, kind: str, first_text: str
    ) -> None:
        project_id, _owner, _agents = await project_with_agents(client, 1)
        visitor = await make_guest(client, project_id)
        request_id, _request = await open_preflight(client, project_id, visitor)

        request = await say(
            client, project_id, request_id, visitor, type=kind, metadata={"src": "https://x/y"}
        )

        assert request["first_text"] == first_text
        assert request["preflight"] is False

    async def test_a_captioned_file_keeps_its_caption(self, client: httpx.AsyncClient) -> None:
        project_id, _owner, _agents = await project_with_agents(client, 1)
        visitor = await make_guest(client, project_id)
        request_id, _request = await open_preflight(client, project_id, visitor)

        request = await say(client, project_id, request_id, visitor, type="file", text="my bill")

        assert request["first_text"] == "my bill"

    async def test_only_the_first_visitor_message_counts(self, client: httpx.AsyncClient) -> None:
        project_id, owner, _agents = await project_with_agents(client, 1)
        visitor = await make_guest(client, project_id)
        request_id, _request = await open_preflight(client, project_id, visitor)
        await say(client, project_id, request_id, visitor, text="first")

        await say(client, project_id, request_id, visitor, text="second")
        read = await client.get(f"/{project_id}/requests/{request_id}", headers=owner.auth)

        assert read.json()["first_text"] == "first"

    async def test_a_teammate_message_does_not_end_preflight(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        project_id, owner, _agents = await project_with_agents(client, 1)
        visitor = await make_guest(client, project_id)
        request_id, _request = await open_preflight(client, project_id, visitor)
        events = EventsSince(event_log, project_id)

        request = await say(client, project_id, request_id, owner, text="Welcome!")

        assert request["preflight"] is True
        assert request["status"] == 50
        assert request["first_text"] == PLACEHOLDER
        assert events.payloads("request.updated") == []

    async def test_a_routed_preflight_conversation_is_not_routed_again(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        project_id, _owner, (agent,) = await project_with_agents(client, 1)
        visitor = await make_guest(client, project_id)
        request_id = new_request_id(project_id)
        created = await say(
            client, project_id, request_id, visitor, text=PLACEHOLDER, preflight=True
        )
        events = EventsSince(event_log, project_id)

        request = await say(client, project_id, request_id, visitor, text="Real question")

        assert created["status"] == 200
        assert request["preflight"] is False
        assert request["first_text"] == "Real question"
        assert request["status"] == 200
        assert request["participants"] == [agent.id]
        comments = [payload["comment"] for payload in events.payloads("request.updated")]
        assert comments == ["FIRSTTEXT_PREFLIGHT_CHANGE"]
        assert events.payloads("request.participants.update") == []
