"""Reading memberships: ``GET /{pid}/project_users[...]`` (fact sheet §5.3, §9.3)."""

from typing import Any

import httpx
import pytest

from tests.factories import World, make_world
from tests.project_users.support import NOT_FOUND, membership_of, set_presence


def _roles(members: list[dict[str, Any]]) -> list[str]:
    return sorted(member["role"] for member in members)


@pytest.fixture(scope="module")
async def untouched_world(client: httpx.AsyncClient) -> World:
    """A World only read, by the tests that look a membership up; the others change theirs and
    make a World of their own."""
    return await make_world(client)


class TestListProjectUsers:
    async def test_lists_agent_side_members_with_their_user_documents(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)

        response = await client.get(f"/{world.project_id}/project_users", headers=world.agent.auth)

        assert response.status_code == 200
        members = response.json()
        assert isinstance(members, list)
        assert _roles(members) == ["admin", "agent", "owner", "supervisor"]
        for member in members:
            assert member["roleType"] == 1
            assert member["id_project"] == world.project_id
            assert member["id"] == member["_id"]
            assert member["isBusy"] is False
            assert member["isAuthenticated"] is True
            assert member["status"] == "active"
            assert member["trashed"] is False
            assert "password" not in member["id_user"]
        agent = next(member for member in members if member["role"] == "agent")
        assert agent["id_user"]["_id"] == world.agent.id
        assert agent["id_user"]["email"] == world.agent.email
        assert agent["id_user"]["firstname"] == "Agent"
        assert agent["id_user"]["lastname"] == "Member"
        assert agent["id_user"]["status"] == 100

    async def test_never_shows_members_of_other_projects(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)

        response = await client.get(f"/{world.project_id}/project_users", headers=world.owner.auth)

        user_ids = {member["id_user"]["_id"] for member in response.json()}
        assert world.stranger.id not in user_ids
        assert world.outsider.id not in user_ids
        assert {member["id_project"] for member in response.json()} == {world.project_id}

    async def test_a_role_filter_returns_end_users_too(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)

        response = await client.get(
            f"/{world.project_id}/project_users", params={"role": "guest"}, headers=world.agent.auth
        )

        assert response.status_code == 200
        [guest] = response.json()
        assert guest["uuid_user"] == world.guest.id
        assert guest["role"] == "guest"
        assert guest["roleType"] == 2
        assert guest["isAuthenticated"] is False
        assert "id_user" not in guest

    async def test_a_repeated_role_parameter_matches_any_of_the_roles(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)

        response = await client.get(
            f"/{world.project_id}/project_users?role=agent&role=user", headers=world.agent.auth
        )

        members = response.json()
        assert _roles(members) == ["agent", "user"]
        end_user = next(member for member in members if member["role"] == "user")
        assert end_user["uuid_user"] == world.end_user.id
        assert end_user["roleType"] == 2

    async def test_a_comma_separated_role_list_matches_any_of_the_roles(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)

        response = await client.get(
            f"/{world.project_id}/project_users",
            params={"role": "admin,guest"},
            headers=world.agent.auth,
        )

        assert _roles(response.json()) == ["admin", "guest"]

    async def test_trashed_members_are_listed_only_when_asked_for(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        agent = await membership_of(client, world.project_id, world.owner, world.agent.id)
        await client.delete(
            f"/{world.project_id}/project_users/{agent['_id']}?soft=true", headers=world.owner.auth
        )
        url = f"/{world.project_id}/project_users"

        default = await client.get(url, headers=world.admin.auth)
        not_trashed = await client.get(url, params={"trashed": "false"}, headers=world.admin.auth)
        with_trashed = await client.get(url, params={"trashed": "true"}, headers=world.admin.auth)

        assert agent["_id"] not in {member["_id"] for member in default.json()}
        assert agent["_id"] not in {member["_id"] for member in not_trashed.json()}
        trashed = [member for member in with_trashed.json() if member["_id"] == agent["_id"]]
        assert trashed[0]["trashed"] is True
        assert len(with_trashed.json()) == len(default.json()) + 1

    async def test_filters_by_membership_status(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        agent = await membership_of(client, world.project_id, world.owner, world.agent.id)
        await client.delete(
            f"/{world.project_id}/project_users/{agent['_id']}", headers=world.owner.auth
        )
        url = f"/{world.project_id}/project_users"

        everyone = await client.get(url, headers=world.admin.auth)
        disabled = await client.get(url, params={"status": "disabled"}, headers=world.admin.auth)
        active = await client.get(url, params={"status": "active"}, headers=world.admin.auth)

        assert agent["_id"] in {member["_id"] for member in everyone.json()}
        assert [member["_id"] for member in disabled.json()] == [agent["_id"]]
        assert _roles(active.json()) == ["admin", "owner", "supervisor"]

    async def test_filters_by_presence_status(self, client: httpx.AsyncClient, app: Any) -> None:
        world = await make_world(client)
        agent = await membership_of(client, world.project_id, world.owner, world.agent.id)
        admin = await membership_of(client, world.project_id, world.owner, world.admin.id)
        await set_presence(app.state.db, world.project_id, agent["_id"], "online")
        await set_presence(app.state.db, world.project_id, admin["_id"], "offline")
        url = f"/{world.project_id}/project_users"

        online = await client.get(
            url, params={"presencestatus": "online"}, headers=world.agent.auth
        )
        offline = await client.get(
            url, params={"presencestatus": "offline"}, headers=world.agent.auth
        )

        [only_online] = online.json()
        assert only_online["_id"] == agent["_id"]
        assert only_online["presence"] == {"status": "online"}
        assert [member["_id"] for member in offline.json()] == [admin["_id"]]

    async def test_members_who_deleted_their_account_stay_listed_anonymised(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        await client.delete("/users", headers=world.agent.auth)

        response = await client.get(f"/{world.project_id}/project_users", headers=world.owner.auth)

        [agent] = [member for member in response.json() if member["role"] == "agent"]
        assert agent["id_user"]["_id"] == world.agent.id
        assert agent["id_user"]["status"] == 0
        assert agent["id_user"]["firstname"] == "anonymized"


class TestGetMyMembership:
    async def test_answers_an_array_with_the_callers_unpopulated_membership(
        self, client: httpx.AsyncClient, untouched_world: World
    ) -> None:
        response = await client.get(
            f"/{untouched_world.project_id}/project_users/me",
            headers=untouched_world.supervisor.auth,
        )

        assert response.status_code == 200
        [me] = response.json()
        assert me["id_user"] == untouched_world.supervisor.id
        assert me["role"] == "supervisor"
        assert me["roleType"] == 1
        assert me["id_project"] == untouched_world.project_id
        assert me["isBusy"] is False
        assert me["id"] == me["_id"]


class TestGetMembershipsOfUser:
    async def test_an_object_id_finds_the_registered_member_populated(
        self, client: httpx.AsyncClient, untouched_world: World
    ) -> None:
        response = await client.get(
            f"/{untouched_world.project_id}/project_users/users/{untouched_world.admin.id}",
            headers=untouched_world.agent.auth,
        )

        assert response.status_code == 200
        [membership] = response.json()
        assert membership["role"] == "admin"
        assert membership["id_user"]["_id"] == untouched_world.admin.id
        assert membership["id_user"]["email"] == untouched_world.admin.email
        assert "password" not in membership["id_user"]
        assert membership["isBusy"] is False

    async def test_a_guest_id_finds_the_guest_membership(
        self, client: httpx.AsyncClient, untouched_world: World
    ) -> None:
        response = await client.get(
            f"/{untouched_world.project_id}/project_users/users/{untouched_world.guest.id}",
            headers=untouched_world.agent.auth,
        )

        assert response.status_code == 200
        [membership] = response.json()
        assert membership["uuid_user"] == untouched_world.guest.id
        assert membership["role"] == "guest"
        assert membership["roleType"] == 2

    async def test_a_member_who_deleted_the_account_is_still_populated(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        await client.delete("/users", headers=world.agent.auth)

        response = await client.get(
            f"/{world.project_id}/project_users/users/{world.agent.id}", headers=world.owner.auth
        )

        assert response.status_code == 200
        [membership] = response.json()
        assert membership["id_user"]["_id"] == world.agent.id
        assert membership["id_user"]["status"] == 0
        assert membership["id_user"]["lastname"] == "anonymized"

    @pytest.mark.parametrize("who", ["outsider", "stranger"])
    async def test_someone_outside_the_project_is_not_found(
        self, client: httpx.AsyncClient, untouched_world: World, who: str
    ) -> None:
        user_id = untouched_world.person(who).id

        response = await client.get(
            f"/{untouched_world.project_id}/project_users/users/{user_id}",
            headers=untouched_world.agent.auth,
        )

        assert response.status_code == 404
        assert response.json() == NOT_FOUND


class TestFindTeammateByEmail:
    async def test_answers_the_user_id_of_a_teammate(
        self, client: httpx.AsyncClient, untouched_world: World
    ) -> None:
        response = await client.get(
            f"/{untouched_world.project_id}/project_users/users/search",
            params={"email": untouched_world.agent.email},
            headers=untouched_world.supervisor.auth,
        )

        assert response.status_code == 200
        assert response.json() == {"_id": untouched_world.agent.id}

    async def test_an_end_user_may_look_up_a_teammate(
        self, client: httpx.AsyncClient, untouched_world: World
    ) -> None:
        response = await client.get(
            f"/{untouched_world.project_id}/project_users/users/search",
            params={"email": untouched_world.owner.email},
            headers=untouched_world.end_user.auth,
        )

        assert response.status_code == 200
        assert response.json() == {"_id": untouched_world.owner.id}

    async def test_an_unknown_email_is_not_found(
        self, client: httpx.AsyncClient, untouched_world: World
    ) -> None:
        response = await client.get(
            f"/{untouched_world.project_id}/project_users/users/search",
            params={"email": "nobody-at-all@example.com"},
            headers=untouched_world.agent.auth,
        )

        assert response.status_code == 404
        assert response.json() == NOT_FOUND

    async def test_a_missing_email_is_not_found(
        self, client: httpx.AsyncClient, untouched_world: World
    ) -> None:
        response = await client.get(
            f"/{untouched_world.project_id}/project_users/users/search",
            headers=untouched_world.agent.auth,
        )

        assert response.status_code == 404
        assert response.json() == NOT_FOUND

    async def test_a_registered_user_outside_the_project_is_refused(
        self, client: httpx.AsyncClient, untouched_world: World
    ) -> None:
        response = await client.get(
            f"/{untouched_world.project_id}/project_users/users/search",
            params={"email": untouched_world.stranger.email},
            headers=untouched_world.agent.auth,
        )

        assert response.status_code == 403
        assert response.json() == {"msg": "Unauthorized. This is not a your teammate."}


class TestGetProjectUser:
    async def test_answers_the_membership_with_its_user_document(
        self, client: httpx.AsyncClient, untouched_world: World
    ) -> None:
        agent = await membership_of(
            client, untouched_world.project_id, untouched_world.owner, untouched_world.agent.id
        )

        response = await client.get(
            f"/{untouched_world.project_id}/project_users/{agent['_id']}",
            headers=untouched_world.supervisor.auth,
        )

        assert response.status_code == 200
        assert response.json() == agent

    async def test_a_member_who_deleted_the_account_is_still_populated(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        agent = await membership_of(client, world.project_id, world.owner, world.agent.id)
        await client.delete("/users", headers=world.agent.auth)

        response = await client.get(
            f"/{world.project_id}/project_users/{agent['_id']}", headers=world.owner.auth
        )

        assert response.status_code == 200
        assert response.json()["id_user"]["_id"] == world.agent.id
        assert response.json()["id_user"]["status"] == 0
        assert response.json()["id_user"]["firstname"] == "anonymized"

    async def test_a_membership_of_another_project_is_not_found(
        self, client: httpx.AsyncClient, untouched_world: World
    ) -> None:
        theirs = await membership_of(
            client,
            untouched_world.other_project_id,
            untouched_world.stranger,
            untouched_world.stranger.id,
        )

        response = await client.get(
            f"/{untouched_world.project_id}/project_users/{theirs['_id']}",
            headers=untouched_world.owner.auth,
        )

        assert response.status_code == 404
        assert response.json() == NOT_FOUND

    @pytest.mark.parametrize("membership_id", ["0123456789abcdef01234567", "not-an-object-id"])
    async def test_an_unknown_id_is_not_found(
        self, client: httpx.AsyncClient, untouched_world: World, membership_id: str
    ) -> None:
        response = await client.get(
            f"/{untouched_world.project_id}/project_users/{membership_id}",
            headers=untouched_world.owner.auth,
        )

        assert response.status_code == 404
        assert response.json() == NOT_FOUND


class TestIsBusy:
    """``isBusy`` (Tiledesk: utils/project_userUtil.js): at or over the effective chat limit."""

    async def _agent_with(
        self,
        client: httpx.AsyncClient,
        world: World,
        *,
        assigned: int,
        own_limit: int | None = None,
    ) -> None:
        body: dict[str, Any] = {"number_assigned_requests": assigned}
        if own_limit is not None:
            body["max_assigned_chat"] = own_limit
        response = await client.put(
            f"/{world.project_id}/project_users", json=body, headers=world.agent.auth
        )
        assert response.status_code == 200, response.text

    async def _limit_chats(self, client: httpx.AsyncClient, world: World, limit: int) -> None:
        response = await client.put(
            f"/projects/{world.project_id}",
            json={"settings.max_agent_assigned_chat": limit},
            headers=world.owner.auth,
        )
        assert response.status_code == 200, response.text

    async def _agent_is_busy(self, client: httpx.AsyncClient, world: World) -> bool:
        response = await client.get(
            f"/{world.project_id}/project_users/me", headers=world.agent.auth
        )
        busy: bool = response.json()[0]["isBusy"]
        return busy

    async def test_nobody_is_busy_without_a_project_chat_limit(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        await self._agent_with(client, world, assigned=50, own_limit=1)

        busy = await self._agent_is_busy(client, world)

        assert busy is False

    @pytest.mark.parametrize(("assigned", "expected"), [(1, False), (2, True), (3, True)])
    async def test_members_at_the_project_limit_are_busy(
        self, client: httpx.AsyncClient, assigned: int, expected: bool
    ) -> None:
        world = await make_world(client)
        await self._limit_chats(client, world, 2)
        await self._agent_with(client, world, assigned=assigned)

        busy = await self._agent_is_busy(client, world)

        assert busy is expected

    @pytest.mark.parametrize(("assigned", "expected"), [(2, False), (3, True)])
    async def test_a_higher_own_limit_wins_over_the_projects(
        self, client: httpx.AsyncClient, assigned: int, expected: bool
    ) -> None:
        world = await make_world(client)
        await self._limit_chats(client, world, 2)
        await self._agent_with(client, world, assigned=assigned, own_limit=3)

        busy = await self._agent_is_busy(client, world)

        assert busy is expected

    async def test_a_lower_own_limit_does_not_count(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        await self._limit_chats(client, world, 2)
        await self._agent_with(client, world, assigned=1, own_limit=1)

        busy = await self._agent_is_busy(client, world)

        assert busy is False

    async def test_a_project_limit_of_minus_one_means_no_limit(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        await self._limit_chats(client, world, -1)
        await self._agent_with(client, world, assigned=10)

        busy = await self._agent_is_busy(client, world)

        assert busy is False

    async def test_every_read_route_computes_it(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        await self._limit_chats(client, world, 1)
        await self._agent_with(client, world, assigned=1)
        base = f"/{world.project_id}/project_users"
        agent = await membership_of(client, world.project_id, world.owner, world.agent.id)

        by_id = await client.get(f"{base}/{agent['_id']}", headers=world.owner.auth)
        by_user = await client.get(f"{base}/users/{world.agent.id}", headers=world.owner.auth)
        listed = await client.get(base, headers=world.owner.auth)

        assert agent["isBusy"] is True
        assert by_id.json()["isBusy"] is True
        assert by_user.json()[0]["isBusy"] is True
        busy = {member["role"]: member["isBusy"] for member in listed.json()}
        assert busy == {"owner": False, "admin": False, "supervisor": False, "agent": True}
