"""``\\agent`` in a message (fact sheet §5.5.3, §14.3; Tiledesk's message actions): the
conversation is routed again in its department without bots, by the system, in the
message's own transaction."""

import asyncio
from typing import Any

import httpx

from tests.conftest import EventLog
from tests.conversations.support import post_message, project_with_agents
from tests.factories import Person, Visitor, make_guest


async def _bot_conversation(
    client: httpx.AsyncClient, project_id: str, owner: Person, visitor: Visitor
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A conversation the visitor started in a department whose bot takes it: (bot, message)."""
    bot = await client.post(f"/{project_id}/faq_kb", json={"name": "Desk Bot"}, headers=owner.auth)
    assert bot.status_code == 200, bot.text
    department = await client.post(
        f"/{project_id}/departments",
        json={"name": "Bots", "id_bot": bot.json()["_id"], "routing": "assigned"},
        headers=owner.auth,
    )
    assert department.status_code == 200, department.text
    message = await post_message(
        client,
        project_id,
        f"support-group-{project_id}-{bot.json()['_id']}",
        visitor,
        text="Hi",
        departmentid=department.json()["_id"],
    )
    assert message["request"]["participants"] == [f"bot_{bot.json()['_id']}"]
    return bot.json(), message


async def _conversation(
    client: httpx.AsyncClient, project_id: str, request_id: str, who: Person
) -> dict[str, Any]:
    response = await client.get(f"/{project_id}/requests/{request_id}", headers=who.auth)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


class TestAgentCommand:
    async def test_the_system_hands_over_after_the_message(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        guest = await make_guest(client, project_id)
        _bot, message = await _bot_conversation(client, project_id, owner, guest)
        seen = len(event_log.events)

        asked = await post_message(client, project_id, message["recipient"], guest, text="\\agent")

        events = [event for event in event_log.events[seen:] if event.project_id == project_id]
        names = [event.name for event in events]
        assert names.index("message.create") < names.index("request.assigned")
        (assigned,) = [event for event in events if event.name == "request.assigned"]
        assert assigned.payload["actor"] == {"type": "system", "id": "system", "name": "System"}
        assert (assigned.payload["source"], assigned.payload["assignmentType"]) == (
            "system",
            "auto",
        )
        assert assigned.payload["assigneeId"] == agent.id
        created = next(event for event in events if event.name == "message.create")
        assert created.payload["_id"] == asked["_id"]
        handed = await _conversation(client, project_id, message["recipient"], owner)
        assert (handed["participants"], handed["hasBot"]) == ([agent.id], False)

    async def test_another_visitor_cannot_hand_over_a_conversation(
        self, client: httpx.AsyncClient
    ) -> None:
        project_id, owner, _agents = await project_with_agents(client, 1)
        guest = await make_guest(client, project_id)
        bot, message = await _bot_conversation(client, project_id, owner, guest)
        intruder = await make_guest(client, project_id)

        response = await client.post(
            f"/{project_id}/requests/{message['recipient']}/messages",
            json={"text": "\\agent"},
            headers=intruder.auth,
        )

        assert response.status_code == 404
        unchanged = await _conversation(client, project_id, message["recipient"], owner)
        assert unchanged["participants"] == [f"bot_{bot['_id']}"]

    async def test_a_text_merely_mentioning_agents_changes_nothing(
        self, client: httpx.AsyncClient
    ) -> None:
        project_id, owner, _agents = await project_with_agents(client, 1)
        guest = await make_guest(client, project_id)
        bot, message = await _bot_conversation(client, project_id, owner, guest)

        await post_message(client, project_id, message["recipient"], guest, text="agent /agent")

        unchanged = await _conversation(client, project_id, message["recipient"], owner)
        assert unchanged["participants"] == [f"bot_{bot['_id']}"]

    async def test_concurrent_hand_overs_neither_deadlock_nor_double_assign(
        self, client: httpx.AsyncClient
    ) -> None:
        """``\\agent`` messages take the routing lock before the conversation's, in the
        order of ``PUT /agent``: run together (threads on PostgreSQL), all succeed."""
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        guest = await make_guest(client, project_id)
        _bot, message = await _bot_conversation(client, project_id, owner, guest)
        base = f"/{project_id}/requests/{message['recipient']}"

        answers = await asyncio.gather(
            *(
                client.post(f"{base}/messages", json={"text": "\\agent"}, headers=guest.auth)
                for _ in range(4)
            ),
            *(client.put(f"{base}/agent", headers=owner.auth) for _ in range(4)),
        )

        assert [answer.status_code for answer in answers] == [200] * 8
        handed = await _conversation(client, project_id, message["recipient"], owner)
        assert handed["participants"] == [agent.id]
        me = await client.get(f"/{project_id}/project_users/me", headers=agent.auth)
        assert me.json()[0]["number_assigned_requests"] == 1
