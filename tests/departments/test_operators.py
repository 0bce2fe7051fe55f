"""``GET /:pid/departments/:id/operators``: what routing would do now (fact sheet §5.7, §5.8)."""

from typing import Any

import httpx
import pytest

from tests.conversations.support import create_request, project_with_agents
from tests.factories import Person, make_world


async def _operators(
    client: httpx.AsyncClient,
    project_id: str,
    who: Any,
    department: str = "default",
    query: str = "",
) -> dict[str, Any]:
    response = await client.get(
        f"/{project_id}/departments/{department}/operators{query}", headers=who.auth
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def _department(
    client: httpx.AsyncClient, project_id: str, owner: Person, **body: object
) -> dict[str, Any]:
    response = await client.post(
        f"/{project_id}/departments", json={"name": "Sales", **body}, headers=owner.auth
    )
    assert response.status_code == 200, response.text
    department: dict[str, Any] = response.json()
    return department


def _user_ids(memberships: list[dict[str, Any]]) -> list[str]:
    return [membership["id_user"] for membership in memberships]


class TestAssignedDepartment:
    async def test_without_history_the_operator_is_one_of_the_available_agents(
        self, client: httpx.AsyncClient
    ) -> None:
        project_id, owner, agents = await project_with_agents(client, 2)

        result = await _operators(client, project_id, agents[0])

        assert list(result) == [
            "available_agents",
            "agents",
            "operators",
            "department",
            "id_project",
            "project",
        ]
        assert _user_ids(result["available_agents"]) == [agent.id for agent in agents]
        assert _user_ids(result["agents"]) == [owner.id, *(agent.id for agent in agents)]
        assert result["agents"][0]["role"] == "owner"
        assert result["agents"][0]["isAuthenticated"] is True
        assert result["agents"][0]["id"] == result["agents"][0]["_id"]
        (operator,) = result["operators"]
        assert operator == {"id_user": operator["id_user"]}
        assert operator["id_user"] in {agent.id for agent in agents}
        assert result["department"]["name"] == "Default Department"
        assert result["department"]["routing"] == "assigned"
        assert result["id_project"] == project_id
        assert result["project"]["_id"] == project_id
        assert "jwtSecret" not in result["project"]

    async def test_round_robin_names_the_last_operator_and_the_next_one(
        self, client: httpx.AsyncClient
    ) -> None:
        project_id, owner, agents = await project_with_agents(client, 2)
        created = await create_request(client, project_id, owner)
        last = created["participants"][0]
        following = next(agent.id for agent in agents if agent.id != last)

        result = await _operators(client, project_id, owner)

        assert result["lastOperatorId"] == last
        assert result["lastOperatorIndex"] == _user_ids(result["available_agents"]).index(last)
        assert result["lastRequest"]["request_id"] == created["request_id"]
        assert isinstance(result["lastRequest"]["department"], str)
        assert "agents" not in result["lastRequest"]["snapshot"]
        (operator,) = result["operators"]
        assert operator["id_user"] == following
        assert operator["role"] == "agent"
        assert operator["id_project"] == project_id

    async def test_reading_changes_nothing(self, client: httpx.AsyncClient) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)

        await _operators(client, project_id, owner)
        created = await create_request(client, project_id, owner)
        me = await client.get(f"/{project_id}/project_users/me", headers=agent.auth)

        assert created["ticket_id"] == 1
        assert me.json()[0]["number_assigned_requests"] == 1

    async def test_with_chat_limits_the_open_conversations_are_listed(
        self, client: httpx.AsyncClient
    ) -> None:
        project_id, owner, agents = await project_with_agents(client, 2)
        await client.put(
            f"/projects/{project_id}",
            json={"settings.chat_limit_on": True, "settings.max_agent_assigned_chat": 1},
            headers=owner.auth,
        )
        created = await create_request(client, project_id, owner)
        busy = created["participants"][0]
        free = next(agent.id for agent in agents if agent.id != busy)

        result = await _operators(client, project_id, owner)

        counts = {
            entry["project_user"]["id_user"]: entry["openRequetsCount"]
            for entry in result["available_agents_request"]
        }
        assert counts == {busy: 1, free: 0}
        assert result["operators"] == [{"id_user": free}]

    async def test_nobody_available_means_no_operator(self, client: httpx.AsyncClient) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        await client.put(
            f"/{project_id}/project_users", json={"user_available": False}, headers=agent.auth
        )

        result = await _operators(client, project_id, owner)

        assert result["available_agents"] == []
        assert _user_ids(result["agents"]) == [owner.id, agent.id]
        assert result["operators"] == []


class TestOtherDepartments:
    async def test_a_pooled_department_queues(self, client: httpx.AsyncClient) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1, routing="pooled")
        await create_request(client, project_id, owner)

        result = await _operators(client, project_id, owner)

        assert result["operators"] == []
        assert _user_ids(result["available_agents"]) == [agent.id]
        assert "lastRequest" not in result

    async def test_a_bot_department_names_its_bot_unless_nobot(
        self, client: httpx.AsyncClient
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        bot = await client.post(
            f"/{project_id}/faq_kb", json={"name": "Greeter"}, headers=owner.auth
        )
        bot_id = bot.json()["_id"]
        department = await _department(client, project_id, owner, id_bot=bot_id, routing="assigned")

        with_bot = await _operators(client, project_id, owner, department["_id"])
        without = await _operators(client, project_id, owner, department["_id"], "?nobot=true")

        assert with_bot["operators"] == [{"id_user": f"bot_{bot_id}"}]
        assert with_bot["id_bot"] == bot_id
        assert with_bot["department"]["hasBot"] is True
        assert _user_ids(with_bot["available_agents"]) == [agent.id]
        assert without["operators"] == [{"id_user": agent.id}]
        assert "id_bot" not in without

    async def test_a_group_department_routes_among_its_members(
        self, client: httpx.AsyncClient
    ) -> None:
        project_id, owner, (member, other) = await project_with_agents(client, 2)
        group = await client.post(
            f"/{project_id}/groups",
            json={"name": "Tier 2", "members": [member.id]},
            headers=owner.auth,
        )
        department = await _department(
            client, project_id, owner, id_group=group.json()["_id"], routing="assigned"
        )

        result = await _operators(client, project_id, owner, department["_id"])

        assert _user_ids(result["agents"]) == [member.id]
        assert result["operators"] == [{"id_user": member.id}]
        assert [entry["_id"] for entry in result["group"]] == [group.json()["_id"]]
        assert other.id not in _user_ids(result["available_agents"])

    async def test_an_unknown_department_is_404(self, client: httpx.AsyncClient) -> None:
        project_id, owner, _agents = await project_with_agents(client, 1)

        response = await client.get(
            f"/{project_id}/departments/{'f' * 24}/operators", headers=owner.auth
        )

        assert response.status_code == 404
        assert response.json() == {"success": False, "msg": "Object not found."}

    async def test_another_projects_department_is_404(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        theirs = (await client.get(f"/{world.other_project_id}/departments/default")).json()

        response = await client.get(
            f"/{world.project_id}/departments/{theirs['_id']}/operators",
            headers=world.owner.auth,
        )

        assert response.status_code == 404


@pytest.mark.parametrize(
    ("who", "expected"),
    [("agent", 200), ("supervisor", 200), ("admin", 200), ("owner", 200), ("outsider", 403),
     ("stranger", 403)],
)  # fmt: skip
async def test_agents_and_above_may_ask(client: httpx.AsyncClient, who: str, expected: int) -> None:
    world = await make_world(client)

    response = await client.get(
        f"/{world.project_id}/departments/default/operators", headers=world.person(who).auth
    )

    assert response.status_code == expected
    if expected == 200:
        assert response.json()["id_project"] == world.project_id


async def test_visitors_may_not_ask(client: httpx.AsyncClient) -> None:
    world = await make_world(client)

    for visitor in (world.guest, world.end_user):
        response = await client.get(
            f"/{world.project_id}/departments/default/operators", headers=visitor.auth
        )

        assert response.status_code == 403
        assert response.json() == {"success": False, "msg": "you dont have the required role."}
