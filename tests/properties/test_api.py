"""Properties, the custom contact fields: ``/{pid}/properties`` (fact sheet §5.24, §9.18)."""

import re
from typing import Any

import httpx
import pytest

from tests.factories import Person, World, make_world
from tests.project_users.support import AGENT_ROUTE_ACCESS, NOT_FOUND, assert_access, headers_of
from tests.transcripts.support import bot_auth

FIELDS = {
    "_id", "label", "name", "type", "status", "id_project", "createdBy", "createdAt",
    "updatedAt", "__v",
}  # fmt: skip
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
UNKNOWN_ID = "0123456789abcdef01234567"


async def _create(
    client: httpx.AsyncClient, world: World, person: Person | None = None, **body: Any
) -> dict[str, Any]:
    payload = {"label": "Plan", "name": "plan", **body}
    who = person or world.agent
    response = await client.post(f"/{world.project_id}/properties", json=payload, headers=who.auth)
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    return created


async def _listed(client: httpx.AsyncClient, world: World, **params: Any) -> list[dict[str, Any]]:
    response = await client.get(
        f"/{world.project_id}/properties", params=params, headers=world.agent.auth
    )
    assert response.status_code == 200, response.text
    listed: list[dict[str, Any]] = response.json()
    return listed


async def _all(client: httpx.AsyncClient, world: World, **params: Any) -> list[dict[str, Any]]:
    """Every property the list shows, on one page whatever the shared World holds."""
    return await _listed(client, world, limit="100000", **params)


def _without(properties: list[dict[str, Any]], gone: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for item in properties if item["_id"] != gone["_id"]]


@pytest.fixture(scope="module")
async def world(client: httpx.AsyncClient) -> World:
    """Shared by the tests that read and write only properties of their own, or compare the
    project's list before and after; the list tests make a World of their own."""
    return await make_world(client)


class TestCreateProperty:
    async def test_answers_the_saved_property_field_by_field(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        created = await _create(client, world, label="Plan", name="plan", type="select")

        assert set(created) == FIELDS
        assert created["label"] == "Plan"
        assert created["name"] == "plan"
        assert created["type"] == "select"
        assert created["status"] == 100
        assert created["id_project"] == world.project_id
        assert created["createdBy"] == world.agent.id
        assert ISO.match(created["createdAt"])
        assert created["createdAt"] == created["updatedAt"]
        assert created["__v"] == 0

    async def test_type_defaults_to_text(self, client: httpx.AsyncClient, world: World) -> None:
        created = await _create(client, world)

        assert created["type"] == "text"

    async def test_a_bot_of_the_project_may_create(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await bot_auth(client, world.project_id, world.owner)

        response = await client.post(
            f"/{world.project_id}/properties",
            json={"label": "Score", "name": "score", "type": "number"},
            headers=bot.headers,
        )

        assert response.status_code == 200, response.text
        assert response.json()["createdBy"] == bot.id

    @pytest.mark.parametrize(
        ("body", "param"),
        [
            ({"name": "plan"}, "label"),
            ({"label": "Plan"}, "name"),
            ({"label": "", "name": "plan"}, "label"),
            ({"label": "Plan", "name": 3}, "name"),
            ({"label": "Plan", "name": "plan", "type": ""}, "type"),
        ],
    )
    async def test_bad_input_is_refused_and_nothing_is_written(
        self, client: httpx.AsyncClient, world: World, body: dict[str, Any], param: str
    ) -> None:
        before = await _all(client, world)

        response = await client.post(
            f"/{world.project_id}/properties", json=body, headers=world.agent.auth
        )

        assert response.status_code == 422
        error = response.json()["errors"][0]
        assert (error["param"], error["location"], error["msg"]) == (param, "body", "Invalid value")
        assert await _all(client, world) == before

    @pytest.mark.parametrize(("who", "expected"), AGENT_ROUTE_ACCESS)
    async def test_role_matrix(
        self, client: httpx.AsyncClient, world: World, who: str, expected: str
    ) -> None:
        before = await _all(client, world)

        response = await client.post(
            f"/{world.project_id}/properties",
            json={"label": "Plan", "name": "plan"},
            headers=headers_of(world, who),
        )

        assert_access(response, expected)
        after = await _all(client, world)
        if expected == "allowed":
            assert after == [response.json(), *before]
        else:
            assert after == before


class TestListProperties:
    async def test_answers_a_bare_array_of_active_properties_newest_first(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        first = await _create(client, world, name="first")
        second = await _create(client, world, name="second")
        deleted = await _create(client, world, name="gone")
        await client.delete(
            f"/{world.project_id}/properties/{deleted['_id']}", headers=world.agent.auth
        )

        assert await _listed(client, world) == [second, first]

    async def test_filters_by_name_and_status(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        await _create(client, world, name="plan")
        score = await _create(client, world, name="score")
        gone = await _create(client, world, name="gone")
        deleted = await client.delete(
            f"/{world.project_id}/properties/{gone['_id']}", headers=world.agent.auth
        )

        assert await _listed(client, world, name="score") == [score]
        assert await _listed(client, world, status=1000) == [deleted.json()]

    async def test_pages_sort_and_direction(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        for name in ("bravo", "alpha", "charlie"):
            await _create(client, world, name=name)

        page = await _listed(client, world, sort="name", direction=1, limit=2, page=1)
        everything = await _listed(client, world, sort="name", direction="asc")

        assert [item["name"] for item in page] == ["charlie"]
        assert [item["name"] for item in everything] == ["alpha", "bravo", "charlie"]

    async def test_never_shows_other_projects_properties(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        response = await client.post(
            f"/{world.other_project_id}/properties",
            json={"label": "Theirs", "name": "theirs"},
            headers=world.stranger.auth,
        )
        assert response.status_code == 200

        assert await _listed(client, world) == []

    async def test_a_non_numeric_limit_is_refused(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.get(
            f"/{world.project_id}/properties", params={"limit": "many"}, headers=world.agent.auth
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == "limit"

    @pytest.mark.parametrize(("who", "expected"), AGENT_ROUTE_ACCESS)
    async def test_role_matrix(
        self, client: httpx.AsyncClient, world: World, who: str, expected: str
    ) -> None:
        response = await client.get(
            f"/{world.project_id}/properties", headers=headers_of(world, who)
        )

        assert_access(response, expected)


class TestGetUpdateDeleteProperty:
    async def test_reads_one(self, client: httpx.AsyncClient, world: World) -> None:
        created = await _create(client, world)

        response = await client.get(
            f"/{world.project_id}/properties/{created['_id']}", headers=world.admin.auth
        )

        assert response.status_code == 200
        assert response.json() == created

    @pytest.mark.parametrize("property_id", [UNKNOWN_ID, "not-an-id"])
    async def test_unknown_ids_are_not_found(
        self, client: httpx.AsyncClient, world: World, property_id: str
    ) -> None:
        for method in ("GET", "PUT", "DELETE"):
            response = await client.request(
                method,
                f"/{world.project_id}/properties/{property_id}",
                json={"label": "X"} if method == "PUT" else None,
                headers=world.agent.auth,
            )
            assert response.status_code == 404
            assert response.json() == NOT_FOUND

    async def test_another_projects_property_is_not_found(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        theirs = await client.post(
            f"/{world.other_project_id}/properties",
            json={"label": "Theirs", "name": "theirs"},
            headers=world.stranger.auth,
        )
        theirs_id = theirs.json()["_id"]

        read = await client.get(
            f"/{world.project_id}/properties/{theirs_id}", headers=world.owner.auth
        )
        update = await client.put(
            f"/{world.project_id}/properties/{theirs_id}",
            json={"label": "Mine"},
            headers=world.owner.auth,
        )
        again = await client.get(
            f"/{world.other_project_id}/properties/{theirs_id}", headers=world.stranger.auth
        )

        assert (read.status_code, update.status_code) == (404, 404)
        assert again.json()["label"] == "Theirs"

    async def test_update_writes_only_the_fields_given(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        created = await _create(client, world, label="Plan", name="plan")

        response = await client.put(
            f"/{world.project_id}/properties/{created['_id']}",
            json={"label": "Subscription plan", "status": 100, "unknown": 1},
            headers=world.agent.auth,
        )

        assert response.status_code == 200
        updated = response.json()
        assert updated["label"] == "Subscription plan"
        assert updated["name"] == "plan"
        assert updated["type"] == "text"
        assert updated["updatedAt"] >= created["updatedAt"]

    async def test_update_refuses_bad_input_and_writes_nothing(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        created = await _create(client, world)
        before = await _all(client, world)

        response = await client.put(
            f"/{world.project_id}/properties/{created['_id']}",
            json={"label": "", "status": "deleted"},
            headers=world.agent.auth,
        )

        assert response.status_code == 422
        assert {error["param"] for error in response.json()["errors"]} == {"label", "status"}
        assert await _all(client, world) == before

    async def test_delete_is_soft(self, client: httpx.AsyncClient, world: World) -> None:
        created = await _create(client, world)
        before = await _all(client, world)

        response = await client.delete(
            f"/{world.project_id}/properties/{created['_id']}", headers=world.agent.auth
        )

        assert response.status_code == 200
        assert response.json()["status"] == 1000
        assert await _all(client, world) == _without(before, created)

    @pytest.mark.parametrize(
        ("who", "status"), [("owner", 200), ("admin", 403), ("agent", 403), ("guest", 403)]
    )
    async def test_only_the_owner_deletes_physically(
        self, client: httpx.AsyncClient, world: World, who: str, status: int
    ) -> None:
        created = await _create(client, world)
        before = await _all(client, world, status=100)

        response = await client.delete(
            f"/{world.project_id}/properties/{created['_id']}/physical",
            headers=headers_of(world, who),
        )

        assert response.status_code == status
        if status == 200:
            assert response.json() == {"n": 1, "ok": 1, "deletedCount": 1}
            assert await _all(client, world, status=100) == _without(before, created)
        else:
            assert await _all(client, world, status=100) == before
