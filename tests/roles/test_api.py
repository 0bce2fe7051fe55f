"""Custom roles: ``/{pid}/roles`` (fact sheet §5.29, §9.18) and their permissions honoured
by the permission checks of the routes (§4.4)."""

from typing import Any

import httpx
import pytest

from tests.conversations.support import create_request
from tests.factories import Person, World, add_member, make_world, signup
from tests.project_users.support import (
    ADMIN_ROUTE_ACCESS,
    AGENT_ROUTE_ACCESS,
    NOT_FOUND,
    ROLE_TOO_LOW,
    assert_access,
    headers_of,
)

UNKNOWN_ID = "0123456789abcdef01234567"
FIELDS = {"_id", "name", "permissions", "id_project", "__v"}


@pytest.fixture
async def world(client: httpx.AsyncClient) -> World:
    return await make_world(client)


@pytest.fixture(scope="module")
async def shared_world(client: httpx.AsyncClient) -> World:
    """For the matrices: each test makes roles of names no other test uses and compares the
    project's list before and after."""
    return await make_world(client)


async def create_role(
    client: httpx.AsyncClient, project_id: str, admin: Person, name: str, permissions: list[str]
) -> dict[str, Any]:
    response = await client.post(
        f"/{project_id}/roles",
        json={"name": name, "permissions": permissions},
        headers=admin.auth,
    )
    assert response.status_code == 200, response.text
    role: dict[str, Any] = response.json()
    return role


async def listed(client: httpx.AsyncClient, world: World, **params: Any) -> list[dict[str, Any]]:
    response = await client.get(
        f"/{world.project_id}/roles", params=params, headers=world.agent.auth
    )
    assert response.status_code == 200, response.text
    roles: list[dict[str, Any]] = response.json()
    return roles


class TestCrud:
    async def test_create_answers_the_role_without_timestamps(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        role = await create_role(
            client, world.project_id, world.admin, "reader", ["request_read_all"]
        )

        assert set(role) == FIELDS
        assert len(role["_id"]) == 24
        assert role["name"] == "reader"
        assert role["permissions"] == ["request_read_all"]
        assert role["id_project"] == world.project_id
        assert role["__v"] == 0

    async def test_permissions_default_to_none_and_repeats_are_dropped(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bare = await client.post(
            f"/{world.project_id}/roles", json={"name": "bare"}, headers=world.owner.auth
        )
        twice = await create_role(client, world.project_id, world.owner, "twice", ["a", "b", "a"])

        assert bare.status_code == 200
        assert bare.json()["permissions"] == []
        assert twice["permissions"] == ["a", "b"]

    async def test_list_is_a_bare_array_newest_first_of_this_project_only(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        first = await create_role(client, world.project_id, world.admin, "first", [])
        second = await create_role(client, world.project_id, world.admin, "second", [])
        await create_role(client, world.other_project_id, world.stranger, "theirs", [])

        assert await listed(client, world) == [second, first]
        assert await listed(client, world, direction=1) == [first, second]
        assert await listed(client, world, limit=1) == [second]
        assert await listed(client, world, limit=1, page=1) == [first]
        assert await listed(client, world, sort="name", direction=1) == [first, second]

    async def test_get_answers_the_role_and_404_for_unknown_or_foreign_ids(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        role = await create_role(client, world.project_id, world.admin, "reader", [])
        theirs = await create_role(client, world.other_project_id, world.stranger, "x", [])
        base = f"/{world.project_id}/roles"

        found = await client.get(f"{base}/{role['_id']}", headers=world.agent.auth)
        unknown = await client.get(f"{base}/{UNKNOWN_ID}", headers=world.agent.auth)
        foreign = await client.get(f"{base}/{theirs['_id']}", headers=world.agent.auth)
        malformed = await client.get(f"{base}/not-an-id", headers=world.agent.auth)

        assert found.status_code == 200
        assert found.json() == role
        for response in (unknown, foreign, malformed):
            assert response.status_code == 404
            assert response.json() == NOT_FOUND

    async def test_put_changes_only_the_fields_given(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        role = await create_role(client, world.project_id, world.admin, "reader", ["p1"])
        url = f"/{world.project_id}/roles/{role['_id']}"

        renamed = await client.put(url, json={"name": "viewer"}, headers=world.admin.auth)
        repermitted = await client.put(url, json={"permissions": ["p2"]}, headers=world.admin.auth)
        untouched = await client.put(url, json={}, headers=world.admin.auth)

        assert renamed.status_code == 200
        assert renamed.json() == {**role, "name": "viewer"}
        assert repermitted.json() == {**role, "name": "viewer", "permissions": ["p2"]}
        assert untouched.json() == repermitted.json()

    async def test_put_of_an_unknown_role_is_404_and_creates_nothing(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.put(
            f"/{world.project_id}/roles/{UNKNOWN_ID}", json={"name": "x"}, headers=world.admin.auth
        )

        assert response.status_code == 404
        assert await listed(client, world) == []

    async def test_names_are_unique_in_a_project(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await create_role(client, world.project_id, world.admin, "reader", [])
        other = await create_role(client, world.project_id, world.admin, "writer", [])
        await create_role(client, world.other_project_id, world.stranger, "reader", [])

        again = await client.post(
            f"/{world.project_id}/roles", json={"name": "reader"}, headers=world.admin.auth
        )
        rename = await client.put(
            f"/{world.project_id}/roles/{other['_id']}",
            json={"name": "reader"},
            headers=world.admin.auth,
        )

        assert again.status_code == 409
        assert rename.status_code == 409
        assert sorted(role["name"] for role in await listed(client, world)) == ["reader", "writer"]

    async def test_delete_answers_the_deleted_role(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        role = await create_role(client, world.project_id, world.admin, "reader", [])
        url = f"/{world.project_id}/roles/{role['_id']}"

        deleted = await client.delete(url, headers=world.admin.auth)
        again = await client.delete(url, headers=world.admin.auth)

        assert deleted.status_code == 200
        assert deleted.json() == role
        assert again.status_code == 404
        assert await listed(client, world) == []


class TestBadInput:
    @pytest.mark.parametrize(
        "body",
        [
            {},
            {"name": ""},
            {"name": None},
            {"name": "agent"},
            {"name": "owner"},
            {"name": "x", "permissions": "request_read_all"},
            {"name": "x", "permissions": [1]},
            {"name": "x", "permissions": [""]},
            {"name": "x" * 301},
        ],
    )
    async def test_is_422_and_nothing_is_written(
        self, client: httpx.AsyncClient, shared_world: World, body: dict[str, Any]
    ) -> None:
        world = shared_world
        before = await listed(client, world)

        response = await client.post(
            f"/{world.project_id}/roles", json=body, headers=world.admin.auth
        )

        assert response.status_code == 422
        assert response.json()["errors"]
        assert await listed(client, world) == before

    async def test_a_bad_put_changes_nothing(self, client: httpx.AsyncClient, world: World) -> None:
        role = await create_role(client, world.project_id, world.admin, "reader", ["p"])
        url = f"/{world.project_id}/roles/{role['_id']}"

        response = await client.put(url, json={"name": "admin"}, headers=world.admin.auth)

        assert response.status_code == 422
        assert await listed(client, world) == [role]


class TestAccess:
    @pytest.mark.parametrize(("who", "expected"), AGENT_ROUTE_ACCESS)
    async def test_agents_read(
        self, client: httpx.AsyncClient, shared_world: World, who: str, expected: str
    ) -> None:
        world = shared_world
        role = await create_role(client, world.project_id, world.admin, f"reader-{who}", [])
        base = f"/{world.project_id}/roles"

        listing = await client.get(base, headers=headers_of(world, who))
        one = await client.get(f"{base}/{role['_id']}", headers=headers_of(world, who))

        assert_access(listing, expected)
        assert_access(one, expected)

    @pytest.mark.parametrize(("who", "expected"), ADMIN_ROUTE_ACCESS)
    async def test_only_admins_write(
        self, client: httpx.AsyncClient, shared_world: World, who: str, expected: str
    ) -> None:
        world = shared_world
        role = await create_role(client, world.project_id, world.admin, f"writer-{who}", ["p"])
        before = await listed(client, world)
        base = f"/{world.project_id}/roles"
        headers = headers_of(world, who)

        created = await client.post(base, json={"name": f"new-{who}"}, headers=headers)
        updated = await client.put(
            f"{base}/{role['_id']}", json={"permissions": [who]}, headers=headers
        )
        deleted = await client.delete(f"{base}/{role['_id']}", headers=headers)

        for response in (created, updated, deleted):
            assert_access(response, expected)
        if expected != "allowed":
            assert await listed(client, world) == before

    async def test_bots_may_not_call(self, client: httpx.AsyncClient, world: World) -> None:
        bot = await client.post(
            f"/{world.project_id}/faq_kb", json={"name": "Helper"}, headers=world.admin.auth
        )
        token = await client.get(
            f"/{world.project_id}/faq_kb/{bot.json()['_id']}/jwt", headers=world.admin.auth
        )
        auth = {"Authorization": "JWT " + token.json()["jwt"]}

        response = await client.get(f"/{world.project_id}/roles", headers=auth)

        assert response.status_code == 403


# ---------------------------------------------------------------- permissions honoured


async def member_with_role(client: httpx.AsyncClient, world: World, role: str) -> Person:
    person = await signup(client)
    await add_member(client, world.project_id, world.owner, person, role)
    return person


async def listed_request_ids(client: httpx.AsyncClient, world: World, person: Person) -> set[str]:
    response = await client.get(f"/{world.project_id}/requests", headers=person.auth)
    assert response.status_code == 200, response.text
    return {request["request_id"] for request in response.json()["requests"]}


class TestPermissions:
    async def test_a_custom_role_with_request_read_all_reads_every_conversation(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await create_role(client, world.project_id, world.admin, "reader", ["request_read_all"])
        reader = await member_with_role(client, world, "reader")
        plain = await member_with_role(client, world, "nobody-special")
        request = await create_request(
            client, world.project_id, world.owner, participants=[world.owner.id]
        )

        assert request["request_id"] in await listed_request_ids(client, world, reader)
        assert request["request_id"] not in await listed_request_ids(client, world, plain)

    async def test_changes_to_the_role_apply_on_the_next_call(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        role = await create_role(client, world.project_id, world.admin, "reader", [])
        reader = await member_with_role(client, world, "reader")
        request = await create_request(
            client, world.project_id, world.owner, participants=[world.owner.id]
        )
        url = f"/{world.project_id}/roles/{role['_id']}"

        before = await listed_request_ids(client, world, reader)
        await client.put(url, json={"permissions": ["request_read_all"]}, headers=world.admin.auth)
        granted = await listed_request_ids(client, world, reader)
        await client.delete(url, headers=world.admin.auth)
        after_delete = await listed_request_ids(client, world, reader)

        assert request["request_id"] not in before
        assert request["request_id"] in granted
        assert request["request_id"] not in after_delete

    async def test_request_delete_lets_a_custom_role_delete_conversations(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await create_role(client, world.project_id, world.admin, "cleaner", ["request_delete"])
        await create_role(client, world.project_id, world.admin, "viewer", ["request_read_all"])
        cleaner = await member_with_role(client, world, "cleaner")
        viewer = await member_with_role(client, world, "viewer")
        request = await create_request(
            client, world.project_id, world.owner, participants=[world.owner.id]
        )
        url = f"/{world.project_id}/requests/{request['request_id']}"

        refused = await client.delete(url, headers=viewer.auth)
        still_there = await client.get(url, headers=world.owner.auth)
        allowed = await client.delete(url, headers=cleaner.auth)
        gone = await client.get(url, headers=world.owner.auth)

        assert refused.status_code == 403
        assert still_there.status_code == 200
        assert allowed.status_code == 200
        assert gone.status_code == 404

    async def test_a_role_of_another_project_grants_nothing(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await create_role(
            client, world.other_project_id, world.stranger, "reader", ["request_read_all"]
        )
        reader = await member_with_role(client, world, "reader")
        request = await create_request(
            client, world.project_id, world.owner, participants=[world.owner.id]
        )

        assert request["request_id"] not in await listed_request_ids(client, world, reader)

    async def test_a_custom_role_passes_agent_guards_but_not_admin_ones(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await create_role(
            client,
            world.project_id,
            world.admin,
            "powerful",
            ["request_read_all", "request_read_group", "request_delete"],
        )
        member = await member_with_role(client, world, "powerful")

        tags = await client.get(f"/{world.project_id}/tags", headers=member.auth)
        roles = await client.post(
            f"/{world.project_id}/roles", json={"name": "mine"}, headers=member.auth
        )
        subscriptions = await client.get(f"/{world.project_id}/subscriptions", headers=member.auth)

        assert tags.status_code == 200
        assert roles.status_code == 403
        assert roles.json() == ROLE_TOO_LOW
        assert subscriptions.status_code == 403
