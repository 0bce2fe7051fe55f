"""Which changes the activity log records, and how (fact sheet §5.18, §8.1): actor, verb,
action, target, related user, involved users and message."""

from typing import Any

import httpx
import pytest

from tests.conversations.support import create_request
from tests.factories import World, make_world, signup, unique_email
from tests.messages.test_preflight import PLACEHOLDER, open_preflight, say

SYSTEM = {"type": "system", "id": "system", "name": "System"}


@pytest.fixture
async def world(client: httpx.AsyncClient) -> World:
    return await make_world(client)


async def activities(client: httpx.AsyncClient, world: World, **params: object) -> list[Any]:
    response = await client.get(
        f"/{world.project_id}/activities", params=params, headers=world.owner.auth
    )
    assert response.status_code == 200, response.text
    found: list[Any] = response.json()["activities"]
    return found


async def only(client: httpx.AsyncClient, world: World, verb: str) -> dict[str, Any]:
    (found,) = await activities(client, world, activities=verb)
    return dict(found)


async def unassigned(client: httpx.AsyncClient, world: World) -> dict[str, Any]:
    """A conversation requested by the owner, with nobody in it."""
    return await create_request(client, world.project_id, world.owner, participants=[])


class TestConversations:
    async def test_creation_is_recorded_with_the_requester_as_actor(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        request = await unassigned(client, world)

        created = await only(client, world, "REQUEST_CREATE")

        assert created["actor"] == {
            "type": "user",
            "id": request["requester_id"],
            "name": "Olivia Owner",
        }
        assert created["target"]["type"] == "request"
        assert created["target"]["id"] == request["_id"]
        assert created["target"]["object"]["request_id"] == request["request_id"]
        assert created["actionObj"]["request_id"] == request["request_id"]
        assert created["id_project"] == world.project_id
        assert created["message"] == f"Olivia Owner started conversation {request['request_id']}"
        assert {"_id", "createdAt", "updatedAt", "__v"} <= set(created)

    async def test_an_automatic_assignment_names_the_assignee(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        request = await create_request(
            client, world.project_id, world.owner, participants=[world.agent.id]
        )

        assigned = await only(client, world, "REQUEST_ASSIGNED_AUTO")

        assert assigned["actor"]["id"] == world.owner.id
        assert assigned["actionObj"] == {
            "assigneeId": world.agent.id,
            "assigneeType": "user",
            "assignmentType": "auto",
            "source": "api",
            "removedParticipants": [],
        }
        assert assigned["related"] == {
            "role": "assignee",
            "type": "user",
            "id": world.agent.id,
            "name": "Agent Member",
        }
        assert set(assigned["involvedUserIds"]) == {world.owner.id, world.agent.id}
        assert assigned["message"] == (
            f"Olivia Owner triggered automatic assignment of conversation "
            f"{request['request_id']} to Agent Member (source: api)"
        )

    async def test_an_agent_joining_is_a_self_assignment(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        request = await unassigned(client, world)

        await client.post(
            f"/{world.project_id}/requests/{request['request_id']}/participants",
            json={"member": world.agent.id},
            headers=world.agent.auth,
        )
        joined = await only(client, world, "REQUEST_ASSIGNED_SELF")

        assert joined["actor"] == {"type": "user", "id": world.agent.id, "name": "Agent Member"}
        assert joined["actionObj"]["assignmentType"] == "self_join"
        assert joined["message"] == (
            f"Agent Member joined conversation {request['request_id']} (source: api)"
        )

    async def test_someone_else_adding_an_agent_is_a_manual_assignment(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        request = await unassigned(client, world)

        await client.post(
            f"/{world.project_id}/requests/{request['request_id']}/participants",
            json={"member": world.agent.id},
            headers=world.admin.auth,
        )
        assigned = await only(client, world, "REQUEST_ASSIGNED_MANUAL")

        assert assigned["actor"]["id"] == world.admin.id
        assert assigned["related"]["id"] == world.agent.id
        assert world.agent.id in assigned["involvedUserIds"]
        assert assigned["message"] == (
            f"Admin Member manually assigned conversation {request['request_id']} "
            f"to Agent Member (source: api)"
        )

    async def test_emptying_the_participants_is_an_unassignment(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        request = await create_request(
            client, world.project_id, world.owner, participants=[world.agent.id]
        )

        emptied = await client.put(
            f"/{world.project_id}/requests/{request['request_id']}/participants",
            json=[],
            headers=world.admin.auth,
        )
        unassignment = await only(client, world, "REQUEST_UNASSIGNED")

        assert emptied.status_code == 200
        assert unassignment["actor"]["id"] == world.admin.id
        assert unassignment["actionObj"]["previousAssigneeId"] == world.agent.id
        assert unassignment["related"] == {
            "role": "unassigned_user",
            "type": "user",
            "id": world.agent.id,
            "name": "Agent Member",
        }
        assert unassignment["message"] == (
            f"Admin Member unassigned Agent Member from conversation "
            f"{request['request_id']} (source: api)"
        )

    async def test_an_agent_removed_leaves_the_conversation(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        request = await create_request(
            client, world.project_id, world.owner, participants=[world.agent.id]
        )

        removed = await client.delete(
            f"/{world.project_id}/requests/{request['request_id']}/participants/{world.agent.id}",
            headers=world.admin.auth,
        )
        leave = await only(client, world, "LEAVE_CONVERSATION")

        assert removed.status_code == 200
        assert leave["actor"] == {"type": "user", "id": world.agent.id, "name": "Agent Member"}
        assert leave["actionObj"] == {"member": world.agent.id, "source": "api"}
        assert leave["message"] == (
            f"Agent Member left conversation {request['request_id']} (source: api)"
        )

    async def test_closing_is_recorded_with_who_closed(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        request = await create_request(
            client, world.project_id, world.owner, participants=[world.agent.id]
        )

        await client.put(
            f"/{world.project_id}/requests/{request['request_id']}/close",
            json={},
            headers=world.agent.auth,
        )
        closed = await only(client, world, "REQUEST_CLOSE")

        assert closed["actor"] == {"type": "user", "id": world.agent.id, "name": "Agent Member"}
        assert closed["target"]["object"]["status"] == 1000
        assert "messages" not in closed["target"]["object"]
        assert world.agent.id in closed["involvedUserIds"]
        assert closed["message"] == f"Agent Member closed conversation {request['request_id']}"

    async def test_a_preflight_conversation_counts_once_the_visitor_writes(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        request_id, _request = await open_preflight(client, world.project_id, world.guest)
        hidden = await activities(client, world, activities="REQUEST_CREATE")

        await say(client, world.project_id, request_id, world.guest, text="Real question")
        created = await only(client, world, "REQUEST_CREATE")

        assert hidden == []
        assert created["target"]["object"]["request_id"] == request_id
        assert created["target"]["object"]["first_text"] == "Real question"
        assert created["target"]["object"]["first_text"] != PLACEHOLDER


class TestMemberships:
    async def test_an_invitation_names_the_inviter_and_the_invited(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        newcomer = await signup(client, firstname="Nina", lastname="New")

        response = await client.post(
            f"/{world.project_id}/project_users/invite",
            json={"email": newcomer.email, "role": "agent"},
            headers=world.admin.auth,
        )
        found = await activities(client, world, activities="PROJECT_USER_INVITE")

        invited = found[0]
        assert invited["actor"] == {"type": "user", "id": world.admin.id, "name": "Admin Member"}
        assert invited["actionObj"] == {
            "email": newcomer.email,
            "role": "agent",
            "user_available": True,
            "inviteType": "registered",
        }
        assert invited["target"]["type"] == "project_user"
        assert invited["target"]["id"] == response.json()["_id"]
        assert invited["target"]["object"]["id_user"]["_id"] == newcomer.id
        assert set(invited["involvedUserIds"]) == {world.admin.id, newcomer.id}
        assert invited["message"] == (
            f"Admin Member invited Nina New ({newcomer.email}) to take on the role of agent"
        )

    async def test_an_invitation_of_an_unknown_email_is_recorded_as_pending(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        email = unique_email("future")

        await client.post(
            f"/{world.project_id}/project_users/invite",
            json={"email": email, "role": "admin"},
            headers=world.owner.auth,
        )
        invited = (await activities(client, world, activities="PROJECT_USER_INVITE"))[0]

        assert invited["target"]["type"] == "pendinginvitation"
        assert invited["target"]["object"]["email"] == email
        assert invited["actionObj"] == {"email": email, "role": "admin", "inviteType": "pending"}
        assert invited["message"] == f"Olivia Owner invited {email} to take on the role of admin"

    async def test_a_refused_invitation_records_nothing(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        before = await activities(client, world)

        response = await client.post(
            f"/{world.project_id}/project_users/invite",
            json={"email": world.owner.email, "role": "agent"},
            headers=world.owner.auth,
        )

        assert response.status_code == 403
        assert await activities(client, world) == before

    async def test_a_membership_change_through_the_api_is_recorded(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        membership = await client.get(
            f"/{world.project_id}/project_users/users/{world.agent.id}", headers=world.owner.auth
        )
        membership_id = membership.json()[0]["_id"]

        await client.put(
            f"/{world.project_id}/project_users/{membership_id}",
            json={"role": "supervisor", "user_available": False},
            headers=world.owner.auth,
        )
        updated = (await activities(client, world, activities="PROJECT_USER_UPDATE"))[0]

        assert updated["actor"] == SYSTEM
        assert updated["actionObj"] == {"newStatus": "unavailable", "source": "api"}
        assert updated["target"]["id"] == membership_id
        assert updated["target"]["object"]["role"] == "supervisor"
        assert world.agent.id in updated["involvedUserIds"]
        assert updated["message"] == (
            "The membership of Agent Member was updated (role: supervisor, status: unavailable)"
        )

    async def test_the_assigned_chats_recount_is_not_recorded(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        before = await activities(client, world, activities="PROJECT_USER_UPDATE")

        await create_request(client, world.project_id, world.owner, participants=[world.agent.id])
        me = await client.get(f"/{world.project_id}/project_users/me", headers=world.agent.auth)

        assert me.json()[0]["number_assigned_requests"] == 1
        assert await activities(client, world, activities="PROJECT_USER_UPDATE") == before

    async def test_a_removal_is_recorded(self, client: httpx.AsyncClient, world: World) -> None:
        membership = await client.get(
            f"/{world.project_id}/project_users/users/{world.agent.id}", headers=world.owner.auth
        )
        membership_id = membership.json()[0]["_id"]

        await client.delete(
            f"/{world.project_id}/project_users/{membership_id}",
            params={"hard": "true"},
            headers=world.owner.auth,
        )
        removed = await only(client, world, "PROJECT_USER_DELETE")

        assert removed["actor"] == SYSTEM
        assert removed["actionObj"] == {
            "deleteType": "hard",
            "role": "agent",
            "email": world.agent.email,
        }
        assert removed["target"]["id"] == membership_id
        assert "deleteType" not in removed["target"]["object"]
        assert removed["message"] == "Agent Member was removed from the project"


class TestChatbots:
    async def test_creation_and_deletion_are_recorded(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await client.post(
            f"/{world.project_id}/faq_kb", json={"name": "Helper"}, headers=world.admin.auth
        )
        bot_id = bot.json()["_id"]

        await client.delete(f"/{world.project_id}/faq_kb/{bot_id}", headers=world.admin.auth)
        created = await only(client, world, "FAQ_KB_CREATE")
        deleted = await only(client, world, "FAQ_KB_DELETE")

        assert created["actor"] == {"type": "user", "id": world.admin.id, "name": "Admin Member"}
        assert created["actionObj"] == {"name": "Helper", "type": "internal"}
        assert created["target"] == {"type": "faq_kb", "id": bot_id, "object": bot.json()}
        assert created["message"] == "Admin Member created chatbot Helper"
        assert deleted["actor"] == SYSTEM
        assert deleted["target"]["id"] == bot_id
        assert deleted["message"] == "Chatbot Helper was deleted"


async def test_each_project_has_its_own_log(client: httpx.AsyncClient, world: World) -> None:
    await unassigned(client, world)

    theirs = await client.get(f"/{world.other_project_id}/activities", headers=world.stranger.auth)

    assert theirs.status_code == 200
    assert all(a["id_project"] == world.other_project_id for a in theirs.json()["activities"])
    assert "REQUEST_CREATE" not in {a["verb"] for a in theirs.json()["activities"]}
