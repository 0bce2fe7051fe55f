"""Who takes part in a conversation: ``/assign``, ``/departments``, ``/agent``, ``/replace``
and the participants (fact sheet §5.4.3), routing again (§5.8), the assigned counters
(§8.2), the TOUCHING_OPERATOR message (§8.4) and the events (§8.1)."""

from typing import Any

import httpx
import pytest

from tests.conftest import EventLog
from tests.conversations.support import create_request, post_message, project_with_agents
from tests.factories import Person, World, make_project, make_world, signup

NOT_FOUND = {"success": False, "msg": "Object not found."}
TOUCHING = "A new support request has been assigned to you"


# ---------------------------------------------------------------- helpers


async def _read(
    client: httpx.AsyncClient, project_id: str, request_id: str, who: Any
) -> dict[str, Any]:
    response = await client.get(f"/{project_id}/requests/{request_id}", headers=who.auth)
    assert response.status_code == 200, response.text
    read: dict[str, Any] = response.json()
    return read


async def _membership(client: httpx.AsyncClient, project_id: str, person: Person) -> dict[str, Any]:
    response = await client.get(f"/{project_id}/project_users/me", headers=person.auth)
    assert response.status_code == 200, response.text
    membership: dict[str, Any] = response.json()[0]
    return membership


async def _assigned(client: httpx.AsyncClient, project_id: str, *people: Person) -> list[int]:
    """Each person's ``number_assigned_requests``."""
    return [
        (await _membership(client, project_id, person))["number_assigned_requests"]
        for person in people
    ]


async def _messages(
    client: httpx.AsyncClient, project_id: str, request_id: str, who: Any
) -> list[dict[str, Any]]:
    response = await client.get(f"/{project_id}/requests/{request_id}/messages", headers=who.auth)
    assert response.status_code == 200, response.text
    listed: list[dict[str, Any]] = response.json()
    return listed


async def _touching(
    client: httpx.AsyncClient, project_id: str, request_id: str, who: Any
) -> list[dict[str, Any]]:
    """The TOUCHING_OPERATOR messages of the conversation."""
    return [
        message
        for message in await _messages(client, project_id, request_id, who)
        if (message.get("attributes") or {}).get("messagelabel", {}).get("key")
        == "TOUCHING_OPERATOR"
    ]


async def _chat_limit(
    client: httpx.AsyncClient, project_id: str, owner: Person, limit: int
) -> None:
    response = await client.put(
        f"/projects/{project_id}",
        json={"settings.chat_limit_on": True, "settings.max_agent_assigned_chat": limit},
        headers=owner.auth,
    )
    assert response.status_code == 200, response.text


async def _department(
    client: httpx.AsyncClient, project_id: str, owner: Person, **body: object
) -> dict[str, Any]:
    response = await client.post(
        f"/{project_id}/departments", json={"name": "Sales", **body}, headers=owner.auth
    )
    assert response.status_code == 200, response.text
    department: dict[str, Any] = response.json()
    return department


async def _bot(
    client: httpx.AsyncClient, project_id: str, owner: Person, name: str = "Helper Bot"
) -> dict[str, Any]:
    response = await client.post(f"/{project_id}/faq_kb", json={"name": name}, headers=owner.auth)
    assert response.status_code == 200, response.text
    bot: dict[str, Any] = response.json()
    return bot


async def _bot_conversation(
    client: httpx.AsyncClient, project_id: str, owner: Person
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """A conversation routed to the bot of a bot department: (bot, department, request)."""
    bot = await _bot(client, project_id, owner)
    department = await _department(client, project_id, owner, id_bot=bot["_id"], routing="assigned")
    created = await create_request(client, project_id, owner, departmentid=department["_id"])
    assert created["participants"] == [f"bot_{bot['_id']}"]
    return bot, department, created


async def _bot_token(
    client: httpx.AsyncClient, project_id: str, admin: Person, bot_id: str
) -> dict[str, str]:
    """Headers carrying the bot's own token (``GET /:pid/faq_kb/:id/jwt``)."""
    response = await client.get(f"/{project_id}/faq_kb/{bot_id}/jwt", headers=admin.auth)
    assert response.status_code == 200, response.text
    return {"Authorization": "JWT " + response.json()["jwt"]}


def _other(agents: list[Person], user_id: str) -> Person:
    return next(agent for agent in agents if agent.id != user_id)


def _agent(agents: list[Person], user_id: str) -> Person:
    return next(agent for agent in agents if agent.id == user_id)


# ---------------------------------------------------------------- POST /participants


class TestAddParticipant:
    async def test_an_agent_joins(self, client: httpx.AsyncClient) -> None:
        project_id, owner, agents = await project_with_agents(client, 2)
        created = await create_request(client, project_id, owner)
        first = _agent(agents, created["participants"][0])
        second = _other(agents, first.id)

        response = await client.post(
            f"/{project_id}/requests/{created['request_id']}/participants",
            json={"member": second.id},
            headers=owner.auth,
        )

        assert response.status_code == 200
        added = response.json()
        assert added["participants"] == [first.id, second.id]
        assert added["participantsAgents"] == [first.id, second.id]
        assert added["participantsBots"] == []
        assert added["hasBot"] is False
        assert added["status"] == 200
        assert [user["_id"] for user in added["participatingAgents"]] == [first.id, second.id]
        assert added["department"]["name"] == "Default Department"
        read = await _read(client, project_id, created["request_id"], second)
        assert read["participants"] == [first.id, second.id]
        assert await _assigned(client, project_id, first, second) == [1, 1]

    async def test_the_agent_who_joins_is_welcomed(self, client: httpx.AsyncClient) -> None:
        project_id, owner, agents = await project_with_agents(client, 2)
        created = await create_request(client, project_id, owner, participants=[agents[0].id])

        await client.post(
            f"/{project_id}/requests/{created['request_id']}/participants",
            json={"member": agents[1].id},
            headers=agents[1].auth,
        )

        (message,) = await _touching(client, project_id, created["request_id"], owner)
        assert message["text"] == f"{TOUCHING}: Hello"
        assert message["sender"] == "system"
        assert message["senderFullname"] == "Bot"
        assert message["attributes"] == {
            "subtype": "info",
            "updateconversation": True,
            "updateconversationfor": [agents[1].id],
            "forcenotification": True,
            "messagelabel": {"key": "TOUCHING_OPERATOR"},
        }

    async def test_the_welcome_names_the_subject_or_the_start_of_the_first_text(
        self, client: httpx.AsyncClient
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        long_text = "My order\nnumber 12345 never arrived at the \\shop"
        plain = await create_request(
            client, project_id, owner, first_text=long_text, participants=[]
        )
        titled = await create_request(
            client, project_id, owner, first_text=long_text, subject="Lost order", participants=[]
        )

        for created in (plain, titled):
            await client.post(
                f"/{project_id}/requests/{created['request_id']}/participants",
                json={"member": agent.id},
                headers=owner.auth,
            )

        (first,) = await _touching(client, project_id, plain["request_id"], owner)
        (second,) = await _touching(client, project_id, titled["request_id"], owner)
        assert first["text"] == f"{TOUCHING}: My order number 12345 never ar"
        assert second["text"] == f"{TOUCHING}: Lost order"

    async def test_announces_the_join(self, client: httpx.AsyncClient, event_log: EventLog) -> None:
        project_id, owner, agents = await project_with_agents(client, 2)
        created = await create_request(client, project_id, owner, participants=[agents[0].id])

        await client.post(
            f"/{project_id}/requests/{created['request_id']}/participants",
            json={"member": agents[1].id},
            headers=owner.auth,
        )

        (joined,) = event_log.named("request.participants.join", project_id)
        assert joined.payload["member"] == agents[1].id
        assert joined.payload["request"]["participants"] == [agents[0].id, agents[1].id]
        (assigned,) = [
            event.payload
            for event in event_log.named("request.assigned", project_id)
            if event.payload.get("assigneeId") == agents[1].id
        ]
        assert assigned["assigneeType"] == "user"
        assert assigned["assignmentType"] == "manual_reassign"
        assert assigned["actor"] == {"type": "user", "id": owner.id, "name": "Ada Lovelace"}
        assert assigned["source"] == "api"
        assert assigned["previousAssigneeId"] is None
        assert assigned["request"]["request_id"] == created["request_id"]
        updates = event_log.named("request.update", project_id)
        assert updates[-1].payload["participants"] == [agents[0].id, agents[1].id]

    async def test_an_agent_taking_a_queued_conversation_joins_by_themselves(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1, routing="pooled")
        created = await create_request(client, project_id, owner)

        response = await client.post(
            f"/{project_id}/requests/{created['request_id']}/participants",
            json={"member": agent.id},
            headers=agent.auth,
        )

        assert response.json()["status"] == 200
        assert "assigned_at" in response.json()
        (assigned,) = event_log.named("request.assigned", project_id)
        assert assigned.payload["assignmentType"] == "self_join"
        assert await _assigned(client, project_id, agent) == [1]

    async def test_someone_already_there_changes_nothing(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        created = await create_request(client, project_id, owner)

        response = await client.post(
            f"/{project_id}/requests/{created['request_id']}/participants",
            json={"member": agent.id},
            headers=owner.auth,
        )

        assert response.status_code == 200
        assert response.json()["participants"] == [agent.id]
        assert response.json()["updatedAt"] == created["updatedAt"]
        assert event_log.named("request.participants.join", project_id) == []

    async def test_member_is_required(self, client: httpx.AsyncClient) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        created = await create_request(client, project_id, owner)

        response = await client.post(
            f"/{project_id}/requests/{created['request_id']}/participants",
            json={},
            headers=owner.auth,
        )

        assert response.status_code == 422
        (error,) = response.json()["errors"]
        assert (error["msg"], error["param"], error["location"]) == (
            "Invalid value",
            "member",
            "body",
        )
        read = await _read(client, project_id, created["request_id"], owner)
        assert read["participants"] == [agent.id]

    async def test_only_agents_and_bots_of_the_project_can_join(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        created = await create_request(client, world.project_id, world.owner, participants=[])
        stranger_bot = await _bot(client, world.other_project_id, world.stranger)
        path = f"/{world.project_id}/requests/{created['request_id']}/participants"
        outsiders = [
            world.outsider.id,
            world.stranger.id,
            world.guest.id,
            world.end_user.id,
            f"bot_{stranger_bot['_id']}",
            "bot_nonsense",
            "nonsense",
        ]

        answers = [
            await client.post(path, json={"member": member}, headers=world.owner.auth)
            for member in outsiders
        ]

        assert [answer.status_code for answer in answers] == [422] * len(outsiders)
        assert answers[0].json()["errors"][0]["param"] == "member"
        assert answers[0].json()["errors"][0]["value"] == world.outsider.id
        read = await _read(client, world.project_id, created["request_id"], world.owner)
        assert read["participants"] == []
        assert read["status"] == 100

    async def test_an_unknown_conversation_is_404(self, client: httpx.AsyncClient) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)

        response = await client.post(
            f"/{project_id}/requests/nope/participants",
            json={"member": agent.id},
            headers=owner.auth,
        )

        assert response.status_code == 404
        assert response.json() == {"success": False, "error": "Request not found"}

    async def test_a_bot_joins(self, client: httpx.AsyncClient) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        bot = await _bot(client, project_id, owner)
        created = await create_request(client, project_id, owner)

        response = await client.post(
            f"/{project_id}/requests/{created['request_id']}/participants",
            json={"member": f"bot_{bot['_id']}"},
            headers=owner.auth,
        )

        added = response.json()
        assert added["participants"] == [agent.id, f"bot_{bot['_id']}"]
        assert added["participantsBots"] == [bot["_id"]]
        assert added["participantsAgents"] == [agent.id]
        assert added["hasBot"] is True
        assert await _touching(client, project_id, created["request_id"], owner) == []

    async def test_an_agent_joining_takes_over_from_the_bot(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        bot, _, created = await _bot_conversation(client, project_id, owner)

        response = await client.post(
            f"/{project_id}/requests/{created['request_id']}/participants",
            json={"member": agent.id},
            headers=agent.auth,
        )

        taken = response.json()
        assert taken["participants"] == [agent.id]
        assert taken["participantsBots"] == []
        assert taken["hasBot"] is False
        (left,) = event_log.named("request.participants.leave", project_id)
        assert left.payload["member"] == f"bot_{bot['_id']}"
        assert left.payload["trackLeave"] is False
        assert len(await _touching(client, project_id, created["request_id"], owner)) == 1


# ---------------------------------------------------------------- PUT /participants


class TestSetParticipants:
    async def test_replaces_them(self, client: httpx.AsyncClient, event_log: EventLog) -> None:
        project_id, owner, (first, second) = await project_with_agents(client, 2)
        created = await create_request(client, project_id, owner, participants=[first.id])
        await post_message(client, project_id, created["request_id"], first, text="On it")

        response = await client.put(
            f"/{project_id}/requests/{created['request_id']}/participants",
            json=[second.id],
            headers=owner.auth,
        )

        assert response.status_code == 200
        replaced = response.json()
        assert replaced["participants"] == [second.id]
        assert replaced["participantsAgents"] == [second.id]
        assert replaced["status"] == 200
        assert "waiting_time" not in replaced
        assert await _assigned(client, project_id, first, second) == [0, 1]
        (update,) = event_log.named("request.participants.update", project_id)
        assert update.payload["addedParticipants"] == [second.id]
        assert update.payload["removedParticipants"] == [first.id]
        assert update.payload["beforeRequest"]["participants"] == [first.id]
        (assigned,) = event_log.named("request.assigned", project_id)[-1:]
        assert assigned.payload["assigneeId"] == second.id
        assert assigned.payload["assignmentType"] == "manual_reassign"
        assert assigned.payload["previousAssigneeId"] == first.id
        (message,) = await _touching(client, project_id, created["request_id"], owner)
        assert message["attributes"]["updateconversationfor"] == [second.id]

    async def test_nobody_queues_the_conversation(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        created = await create_request(client, project_id, owner)

        response = await client.put(
            f"/{project_id}/requests/{created['request_id']}/participants",
            json=[],
            headers=owner.auth,
        )

        assert response.json()["participants"] == []
        assert response.json()["status"] == 100
        assert await _assigned(client, project_id, agent) == [0]
        unassigned = [
            event.payload
            for event in event_log.named("request.assigned", project_id)
            if event.payload.get("assignmentType") == "unassign"
        ]
        assert [(e["assigneeId"], e["previousAssigneeId"]) for e in unassigned] == [
            (agent.id, agent.id)
        ]

    async def test_the_same_participants_change_nothing(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        created = await create_request(client, project_id, owner)

        response = await client.put(
            f"/{project_id}/requests/{created['request_id']}/participants",
            json=[agent.id],
            headers=owner.auth,
        )

        assert response.json()["updatedAt"] == created["updatedAt"]
        assert event_log.named("request.participants.update", project_id) == []

    @pytest.mark.parametrize("body", [{"member": "x"}, "text", [1, 2]])
    async def test_the_body_must_be_an_array_of_ids(
        self, client: httpx.AsyncClient, body: object
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        created = await create_request(client, project_id, owner)

        response = await client.put(
            f"/{project_id}/requests/{created['request_id']}/participants",
            json=body,
            headers=owner.auth,
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["msg"] == "Invalid value"
        read = await _read(client, project_id, created["request_id"], owner)
        assert read["participants"] == [agent.id]

    async def test_one_stranger_refuses_the_whole_list(self, client: httpx.AsyncClient) -> None:
        project_id, owner, (first, second) = await project_with_agents(client, 2)
        created = await create_request(client, project_id, owner, participants=[first.id])
        outsider = await signup(client)

        response = await client.put(
            f"/{project_id}/requests/{created['request_id']}/participants",
            json=[second.id, outsider.id],
            headers=owner.auth,
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == "participants"
        assert response.json()["errors"][0]["value"] == outsider.id
        read = await _read(client, project_id, created["request_id"], owner)
        assert read["participants"] == [first.id]
        assert await _assigned(client, project_id, first, second) == [1, 0]

    async def test_a_form_ticket_gets_one_agent_once(self, client: httpx.AsyncClient) -> None:
        project_id, owner, (first, second) = await project_with_agents(client, 2)
        created = await create_request(
            client, project_id, owner, channel={"name": "form"}, participants=[]
        )
        path = f"/{project_id}/requests/{created['request_id']}/participants"

        two = await client.put(path, json=[first.id, second.id], headers=owner.auth)
        one = await client.put(path, json=[first.id], headers=owner.auth)
        another = await client.put(path, json=[second.id], headers=owner.auth)

        assert two.status_code == 400
        assert two.json() == {
            "success": False,
            "error": "Can only add one participant for this request",
        }
        assert one.status_code == 200
        assert another.status_code == 400
        assert another.json() == {
            "success": False,
            "error": "Cannot add participants: only one participant allowed for this request",
        }
        read = await _read(client, project_id, created["request_id"], owner)
        assert read["participants"] == [first.id]

    async def test_everyone_set_is_welcomed(self, client: httpx.AsyncClient) -> None:
        project_id, owner, (first, second) = await project_with_agents(client, 2)
        created = await create_request(client, project_id, owner, participants=[])

        await client.put(
            f"/{project_id}/requests/{created['request_id']}/participants",
            json=[first.id, second.id, first.id],
            headers=owner.auth,
        )

        read = await _read(client, project_id, created["request_id"], owner)
        assert read["participants"] == [first.id, second.id]
        (message,) = await _touching(client, project_id, created["request_id"], owner)
        assert message["attributes"]["updateconversationfor"] == [first.id, second.id]


# ---------------------------------------------------------------- DELETE /participants/:id


class TestRemoveParticipant:
    async def test_the_agent_leaves_and_is_remembered_as_having_abandoned_it(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        created = await create_request(client, project_id, owner)
        membership = await _membership(client, project_id, agent)

        response = await client.delete(
            f"/{project_id}/requests/{created['request_id']}/participants/{agent.id}",
            headers=agent.auth,
        )

        assert response.status_code == 200
        left = response.json()
        assert left["participants"] == []
        assert left["participantsAgents"] == []
        assert left["status"] == 100
        abandoned = left["attributes"]["abandoned_by_project_users"]
        assert list(abandoned) == [membership["_id"]]
        assert isinstance(abandoned[membership["_id"]], int)
        read = await _read(client, project_id, created["request_id"], owner)
        assert read["attributes"]["abandoned_by_project_users"] == abandoned
        assert await _assigned(client, project_id, agent) == [0]
        (leave,) = event_log.named("request.participants.leave", project_id)
        assert leave.payload["member"] == agent.id
        assert leave.payload["trackLeave"] is True
        assert leave.payload["actor"]["id"] == agent.id

    async def test_someone_not_taking_part_changes_nothing(self, client: httpx.AsyncClient) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        created = await create_request(client, project_id, owner)

        response = await client.delete(
            f"/{project_id}/requests/{created['request_id']}/participants/{owner.id}",
            headers=owner.auth,
        )

        assert response.status_code == 200
        assert response.json()["participants"] == [agent.id]
        assert response.json()["updatedAt"] == created["updatedAt"]
        assert "attributes" not in response.json()

    async def test_an_unknown_conversation_is_400(self, client: httpx.AsyncClient) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)

        response = await client.delete(
            f"/{project_id}/requests/nope/participants/{agent.id}", headers=owner.auth
        )

        assert response.status_code == 400
        assert response.json() == {
            "success": False,
            "error": f"Unable to remove the participant {agent.id} from the request nope",
        }

    async def test_a_closed_conversation_stays_closed(self, client: httpx.AsyncClient) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        created = await create_request(client, project_id, owner)
        closed = await client.put(
            f"/{project_id}/requests/{created['request_id']}/close", headers=owner.auth
        )
        assert closed.json()["status"] == 1000

        response = await client.delete(
            f"/{project_id}/requests/{created['request_id']}/participants/{agent.id}",
            headers=owner.auth,
        )

        assert response.json()["status"] == 1000
        assert response.json()["participants"] == []

    async def test_removing_the_bot_leaves_no_abandonment(self, client: httpx.AsyncClient) -> None:
        project_id, owner, _agents = await project_with_agents(client, 1)
        bot, _, created = await _bot_conversation(client, project_id, owner)

        response = await client.delete(
            f"/{project_id}/requests/{created['request_id']}/participants/bot_{bot['_id']}",
            headers=owner.auth,
        )

        removed = response.json()
        assert removed["participants"] == []
        assert removed["participantsBots"] == []
        assert removed["hasBot"] is False
        assert "abandoned_by_project_users" not in (removed.get("attributes") or {})


# ---------------------------------------------------------------- PUT /assign


class TestAssign:
    async def test_routes_a_queued_conversation(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1, routing="pooled")
        created = await create_request(client, project_id, owner)
        assert created["status"] == 100
        sales = await _department(client, project_id, owner, routing="assigned")

        response = await client.put(
            f"/{project_id}/requests/{created['request_id']}/assign",
            json={"departmentid": sales["_id"]},
            headers=owner.auth,
        )

        assert response.status_code == 200
        routed = response.json()
        assert routed["participants"] == [agent.id]
        assert routed["status"] == 200
        assert routed["department"]["_id"] == sales["_id"]
        assert routed["snapshot"]["department"]["name"] == "Sales"
        assert routed["snapshot"]["availableAgentsCount"] == 1
        assert "agents" not in routed["snapshot"]
        assert "assigned_at" in routed
        assert await _assigned(client, project_id, agent) == [1]
        (assigned,) = event_log.named("request.assigned", project_id)
        assert assigned.payload["assignmentType"] == "auto"
        assert assigned.payload["assigneeId"] == agent.id
        assert len(event_log.named("request.department.update", project_id)) == 1
        assert len(await _touching(client, project_id, created["request_id"], owner)) == 1

    async def test_an_assigned_conversation_is_answered_as_stored(
        self, client: httpx.AsyncClient
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        created = await create_request(client, project_id, owner)
        sales = await _department(client, project_id, owner, routing="pooled")

        response = await client.put(
            f"/{project_id}/requests/{created['request_id']}/assign",
            json={"departmentid": sales["_id"]},
            headers=owner.auth,
        )

        assert response.status_code == 200
        kept = response.json()
        assert kept["participants"] == [agent.id]
        assert kept["department"] == created["department"]
        assert isinstance(kept["lead"], str)
        assert "participatingAgents" not in kept
        assert "agents" not in kept["snapshot"]
        assert kept["updatedAt"] == created["updatedAt"]

    async def test_an_unknown_conversation_is_404(self, client: httpx.AsyncClient) -> None:
        project_id, owner, _agents = await project_with_agents(client, 1)

        response = await client.put(f"/{project_id}/requests/nope/assign", headers=owner.auth)

        assert response.status_code == 404
        assert response.json() == {"success": False, "msg": "Request not found"}

    async def test_an_unknown_department_is_422_and_changes_nothing(
        self, client: httpx.AsyncClient
    ) -> None:
        project_id, owner, _agents = await project_with_agents(client, 1, routing="pooled")
        created = await create_request(client, project_id, owner)

        response = await client.put(
            f"/{project_id}/requests/{created['request_id']}/assign",
            json={"departmentid": "f" * 24},
            headers=owner.auth,
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == "departmentid"
        read = await _read(client, project_id, created["request_id"], owner)
        assert (read["status"], read["updatedAt"]) == (100, created["updatedAt"])

    async def test_agents_who_abandoned_it_are_passed_over_until_none_is_left(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        project_id, owner, agents = await project_with_agents(client, 2)
        await _chat_limit(client, project_id, owner, 5)
        created = await create_request(client, project_id, owner)
        request_id = created["request_id"]
        path = f"/{project_id}/requests/{request_id}"
        first = created["participants"][0]

        await client.delete(f"{path}/participants/{first}", headers=owner.auth)
        second_try = (await client.put(f"{path}/assign", headers=owner.auth)).json()
        second = second_try["participants"][0]
        await client.delete(f"{path}/participants/{second}", headers=owner.auth)
        last_try = await client.put(f"{path}/assign", headers=owner.auth)

        assert second == _other(agents, first).id
        assert last_try.status_code == 200
        abandoned = last_try.json()
        assert abandoned["status"] == 150
        assert abandoned["participants"] == []
        assert abandoned["attributes"]["fully_abandoned"] is True
        assert len(abandoned["attributes"]["abandoned_by_project_users"]) == 2
        assert await _assigned(client, project_id, *agents) == [0, 0]
        (event,) = event_log.named("request.fully_abandoned", project_id)
        assert event.payload["request_id"] == request_id
        assert event.payload["status"] == 150

    async def test_nobot_skips_the_departments_bot(self, client: httpx.AsyncClient) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1, routing="pooled")
        bot = await _bot(client, project_id, owner)
        department = await _department(
            client, project_id, owner, routing="assigned", id_bot=bot["_id"]
        )
        queued = [await create_request(client, project_id, owner) for _ in range(2)]

        with_bot = await client.put(
            f"/{project_id}/requests/{queued[0]['request_id']}/assign",
            json={"departmentid": department["_id"]},
            headers=owner.auth,
        )
        without_bot = await client.put(
            f"/{project_id}/requests/{queued[1]['request_id']}/assign",
            json={"departmentid": department["_id"], "nobot": True},
            headers=owner.auth,
        )

        assert with_bot.json()["participants"] == [f"bot_{bot['_id']}"]
        assert with_bot.json()["hasBot"] is True
        assert without_bot.json()["participants"] == [agent.id]
        assert without_bot.json()["hasBot"] is False


# ---------------------------------------------------------------- PUT /departments


class TestChangeDepartment:
    async def test_moves_the_conversation_and_routes_it_again(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        created = await create_request(client, project_id, owner)
        await post_message(client, project_id, created["request_id"], agent, text="Hi")
        sales = await _department(client, project_id, owner, routing="pooled")

        response = await client.put(
            f"/{project_id}/requests/{created['request_id']}/departments",
            json={"departmentid": sales["_id"]},
            headers=owner.auth,
        )

        assert response.status_code == 200
        moved = response.json()
        assert moved["department"]["name"] == "Sales"
        assert moved["participants"] == []
        assert moved["status"] == 100
        assert "waiting_time" not in moved
        assert "assigned_at" not in moved
        assert moved["snapshot"]["department"]["_id"] == sales["_id"]
        assert await _assigned(client, project_id, agent) == [0]
        (assigned,) = event_log.named("request.assigned", project_id)[-1:]
        assert assigned.payload["assigneeType"] == "department"
        assert assigned.payload["assigneeId"] == sales["_id"]
        assert assigned.payload["assigneeName"] == "Sales"
        assert assigned.payload["assignmentType"] == "manual_reassign_department"
        assert assigned.payload["previousAssigneeId"] == agent.id
        (department_update,) = event_log.named("request.department.update", project_id)
        assert department_update.payload["department"]["_id"] == sales["_id"]

    async def test_round_robin_goes_on_after_a_reroute(self, client: httpx.AsyncClient) -> None:
        project_id, owner, agents = await project_with_agents(client, 3)
        order = [agent.id for agent in agents]
        created = await create_request(client, project_id, owner)
        start = order.index(created["participants"][0])

        rerouted = await client.put(
            f"/{project_id}/requests/{created['request_id']}/departments", headers=owner.auth
        )
        following = await create_request(client, project_id, owner)

        assert rerouted.json()["participants"] == [order[(start + 1) % 3]]
        assert following["participants"] == [order[(start + 2) % 3]]
        counts = await _assigned(client, project_id, *agents)
        assert sorted(counts) == [0, 1, 1]
        assert counts[start] == 0

    async def test_a_bot_department_gives_it_to_the_bot(self, client: httpx.AsyncClient) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        bot = await _bot(client, project_id, owner)
        department = await _department(client, project_id, owner, id_bot=bot["_id"])
        created = await create_request(client, project_id, owner)

        response = await client.put(
            f"/{project_id}/requests/{created['request_id']}/departments",
            json={"departmentid": department["_id"]},
            headers=owner.auth,
        )

        assert response.json()["participants"] == [f"bot_{bot['_id']}"]
        assert response.json()["participantsBots"] == [bot["_id"]]
        assert response.json()["hasBot"] is True
        assert await _assigned(client, project_id, agent) == [0]

    async def test_nothing_to_change_writes_nothing_but_announces(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        project_id, owner, _agents = await project_with_agents(client, 1, routing="pooled")
        created = await create_request(client, project_id, owner)

        response = await client.put(
            f"/{project_id}/requests/{created['request_id']}/departments", headers=owner.auth
        )

        assert response.status_code == 200
        assert response.json()["updatedAt"] == created["updatedAt"]
        assert len(event_log.named("request.participants.update", project_id)) == 1
        assert event_log.named("request.department.update", project_id) == []

    async def test_an_unknown_conversation_is_404(self, client: httpx.AsyncClient) -> None:
        project_id, owner, _agents = await project_with_agents(client, 1)

        response = await client.put(
            f"/{project_id}/requests/nope/departments", json={}, headers=owner.auth
        )

        assert response.status_code == 404
        assert response.json() == NOT_FOUND


# ---------------------------------------------------------------- PUT /agent


class TestHandToAgent:
    async def test_the_bot_hands_over_to_a_human_in_the_same_department(
        self, client: httpx.AsyncClient
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        _, department, created = await _bot_conversation(client, project_id, owner)

        response = await client.put(
            f"/{project_id}/requests/{created['request_id']}/agent", headers=owner.auth
        )

        assert response.status_code == 200
        handed = response.json()
        assert handed["participants"] == [agent.id]
        assert handed["hasBot"] is False
        assert handed["department"]["_id"] == department["_id"]
        assert await _assigned(client, project_id, agent) == [1]
        (message,) = await _touching(client, project_id, created["request_id"], owner)
        assert message["attributes"]["updateconversationfor"] == [agent.id]

    async def test_the_bot_itself_hands_over(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        bot, _, created = await _bot_conversation(client, project_id, owner)
        token = await _bot_token(client, project_id, owner, bot["_id"])

        response = await client.put(
            f"/{project_id}/requests/{created['request_id']}/agent", headers=token
        )

        assert response.status_code == 200
        assert response.json()["participants"] == [agent.id]
        (assigned,) = event_log.named("request.assigned", project_id)[-1:]
        assert assigned.payload["actor"] == {"type": "bot", "id": bot["_id"], "name": "Helper Bot"}
        assert assigned.payload["source"] == "chatbot"
        assert assigned.payload["assignmentType"] == "auto"

    async def test_another_projects_bot_cannot_hand_over(self, client: httpx.AsyncClient) -> None:
        project_id, owner, _agents = await project_with_agents(client, 1)
        bot, _, created = await _bot_conversation(client, project_id, owner)
        stranger = await signup(client)
        their_project = await make_project(client, stranger)
        their_bot = await _bot(client, their_project, stranger)
        token = await _bot_token(client, their_project, stranger, their_bot["_id"])

        response = await client.put(
            f"/{project_id}/requests/{created['request_id']}/agent", headers=token
        )

        assert response.status_code == 403
        assert response.json() == {"success": False, "msg": "you dont belong to the project."}
        read = await _read(client, project_id, created["request_id"], owner)
        assert read["participants"] == [f"bot_{bot['_id']}"]

    async def test_an_unknown_conversation_is_404(self, client: httpx.AsyncClient) -> None:
        project_id, owner, _agents = await project_with_agents(client, 1)

        response = await client.put(f"/{project_id}/requests/nope/agent", headers=owner.auth)

        assert response.status_code == 404
        assert response.json() == NOT_FOUND


# ---------------------------------------------------------------- PUT /replace


class TestReplaceWithBot:
    @pytest.mark.parametrize("key", ["id", "name", "slug"])
    async def test_the_bot_becomes_the_only_participant(
        self, client: httpx.AsyncClient, event_log: EventLog, key: str
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        bot = await _bot(client, project_id, owner, name="Night Shift")
        created = await create_request(client, project_id, owner)
        value = {"id": bot["_id"], "name": "Night Shift", "slug": bot["slug"]}[key]

        response = await client.put(
            f"/{project_id}/requests/{created['request_id']}/replace",
            json={key: value},
            headers=owner.auth,
        )

        assert response.status_code == 200
        replaced = response.json()
        assert replaced["participants"] == [f"bot_{bot['_id']}"]
        assert replaced["participantsAgents"] == []
        assert replaced["hasBot"] is True
        assert replaced["replaced_bot_root_id"] == bot["_id"]
        assert await _assigned(client, project_id, agent) == [0]
        (assigned,) = event_log.named("request.assigned", project_id)[-1:]
        assert assigned.payload["assigneeType"] == "bot"
        assert assigned.payload["assigneeId"] == bot["_id"]
        assert assigned.payload["assigneeName"] == "Night Shift"
        assert assigned.payload["assignmentType"] == "manual_reassign_bot"
        assert assigned.payload["previousAssigneeId"] == agent.id

    async def test_a_bot_must_be_named(self, client: httpx.AsyncClient) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        created = await create_request(client, project_id, owner)

        response = await client.put(
            f"/{project_id}/requests/{created['request_id']}/replace", json={}, headers=owner.auth
        )

        assert response.status_code == 400
        assert response.json() == {
            "success": False,
            "error": "Missing field 'id' or 'name' in body",
        }
        read = await _read(client, project_id, created["request_id"], owner)
        assert read["participants"] == [agent.id]

    async def test_only_this_projects_bots_not_in_the_trash(
        self, client: httpx.AsyncClient
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        created = await create_request(client, project_id, owner)
        stranger = await signup(client)
        their_project = await make_project(client, stranger)
        theirs = await _bot(client, their_project, stranger)
        trashed = await _bot(client, project_id, owner, name="Old Bot")
        await client.put(
            f"/{project_id}/faq_kb/{trashed['_id']}", json={"trashed": True}, headers=owner.auth
        )
        path = f"/{project_id}/requests/{created['request_id']}/replace"

        by_foreign_id = await client.put(path, json={"id": theirs["_id"]}, headers=owner.auth)
        by_trashed_name = await client.put(path, json={"name": "Old Bot"}, headers=owner.auth)
        by_unknown_slug = await client.put(path, json={"slug": "nope"}, headers=owner.auth)

        assert by_foreign_id.status_code == 404
        assert by_foreign_id.json() == {
            "success": False,
            "error": f"Chatbot with id '{theirs['_id']}' not found",
        }
        assert by_trashed_name.json() == {
            "success": False,
            "error": "Chatbot with name 'Old Bot' not found",
        }
        assert by_unknown_slug.json() == {
            "success": False,
            "error": "Chatbot with slug 'nope' not found",
        }
        read = await _read(client, project_id, created["request_id"], owner)
        assert read["participants"] == [agent.id]

    async def test_an_unknown_conversation_is_404(self, client: httpx.AsyncClient) -> None:
        project_id, owner, _agents = await project_with_agents(client, 1)
        bot = await _bot(client, project_id, owner)

        response = await client.put(
            f"/{project_id}/requests/nope/replace", json={"id": bot["_id"]}, headers=owner.auth
        )

        assert response.status_code == 404
        assert response.json() == {"success": False, "error": "Request not found"}


# ---------------------------------------------------------------- counters (§8.2)


class TestAssignedCounters:
    async def test_pending_and_test_conversations_do_not_count(
        self, client: httpx.AsyncClient
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1, routing="pooled")
        pending = await create_request(client, project_id, owner)
        draft = await create_request(
            client, project_id, owner, sourcePage="https://x.example/?td_draft=true"
        )
        live = await create_request(client, project_id, owner)
        await client.patch(
            f"/{project_id}/requests/{pending['request_id']}",
            json={"workingStatus": "pending"},
            headers=owner.auth,
        )

        for created in (pending, draft, live):
            await client.post(
                f"/{project_id}/requests/{created['request_id']}/participants",
                json={"member": agent.id},
                headers=owner.auth,
            )

        assert await _assigned(client, project_id, agent) == [1]

    async def test_chat_limits_count_the_same_way(self, client: httpx.AsyncClient) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        await _chat_limit(client, project_id, owner, 1)
        first = await create_request(client, project_id, owner)
        await client.patch(
            f"/{project_id}/requests/{first['request_id']}",
            json={"workingStatus": "pending"},
            headers=owner.auth,
        )

        second = await create_request(client, project_id, owner)
        third = await create_request(client, project_id, owner)

        assert first["participants"] == [agent.id]
        assert second["participants"] == [agent.id]
        assert third["participants"] == []


# ---------------------------------------------------------------- who may call


ROUTES: list[tuple[str, str, object]] = [
    ("put", "assign", None),
    ("put", "departments", {}),
    ("put", "agent", None),
    ("put", "replace", {"name": "Helper Bot"}),
    ("post", "participants", {"member": "AGENT"}),
    ("put", "participants", ["AGENT"]),
    ("delete", "participants/AGENT", None),
]


async def _call(
    client: httpx.AsyncClient,
    world: World,
    request_id: str,
    who: Any,
    route: tuple[str, str, object],
) -> httpx.Response:
    method, suffix, body = route
    suffix = suffix.replace("AGENT", world.agent.id)
    if isinstance(body, dict) and body.get("member") == "AGENT":
        body = {"member": world.agent.id}
    if body == ["AGENT"]:
        body = [world.agent.id]
    return await client.request(
        method.upper(),
        f"/{world.project_id}/requests/{request_id}/{suffix}",
        json=body,
        headers=who.auth,
    )


class TestWhoMayCall:
    async def test_visitors_outsiders_and_other_projects_are_refused(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        await _bot(client, world.project_id, world.owner)
        created = await create_request(client, world.project_id, world.owner, participants=[])
        callers = {
            "guest": world.guest,
            "end_user": world.end_user,
            "outsider": world.outsider,
            "stranger": world.stranger,
        }

        answers = {
            (name, route[1]): await _call(client, world, created["request_id"], caller, route)
            for name, caller in callers.items()
            for route in ROUTES
        }

        assert {key: answer.status_code for key, answer in answers.items()} == {
            key: 403 for key in answers
        }
        assert answers[("guest", "assign")].json() == {
            "success": False,
            "msg": "you dont have the required role.",
        }
        assert answers[("stranger", "assign")].json() == {
            "success": False,
            "msg": "you dont belong to the project.",
        }
        read = await _read(client, world.project_id, created["request_id"], world.owner)
        assert (read["participants"], read["status"]) == ([], 100)
        assert read["updatedAt"] == created["updatedAt"]

    @pytest.mark.parametrize("role", ["agent", "supervisor", "admin", "owner"])
    async def test_agents_and_above_may(self, client: httpx.AsyncClient, role: str) -> None:
        world = await make_world(client)
        created = await create_request(client, world.project_id, world.owner, participants=[])
        person = world.person(role)

        joined = await client.post(
            f"/{world.project_id}/requests/{created['request_id']}/participants",
            json={"member": person.id},
            headers=person.auth,
        )
        left = await client.delete(
            f"/{world.project_id}/requests/{created['request_id']}/participants/{person.id}",
            headers=person.auth,
        )

        assert joined.status_code == 200
        assert joined.json()["participants"] == [person.id]
        assert left.status_code == 200
        assert left.json()["participants"] == []

    async def test_another_projects_conversation_is_not_found(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        created = await create_request(client, world.project_id, world.owner, participants=[])

        response = await client.post(
            f"/{world.other_project_id}/requests/{created['request_id']}/participants",
            json={"member": world.stranger.id},
            headers=world.stranger.auth,
        )

        assert response.status_code == 404
        read = await _read(client, world.project_id, created["request_id"], world.owner)
        assert read["participants"] == []
