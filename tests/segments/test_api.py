"""Segments, saved lead filters: ``/{pid}/segments`` (fact sheet §5.25, §9.18)."""

import re
from typing import Any

import httpx
import pytest

from tests.factories import World, make_world
from tests.project_users.support import AGENT_ROUTE_ACCESS, NOT_FOUND, assert_access, headers_of
from tests.transcripts.support import bot_auth

FIELDS = {
    "_id", "name", "match", "filters", "id_project", "status", "createdBy", "createdAt",
    "updatedAt", "__v",
}  # fmt: skip
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
UNKNOWN_ID = "0123456789abcdef01234567"
VIP = [{"field": "attributes.plan", "operator": "=", "value": "vip"}]


async def create_segment(client: httpx.AsyncClient, world: World, **body: Any) -> dict[str, Any]:
    payload = {"name": "VIP", "filters": VIP, **body}
    response = await client.post(
        f"/{world.project_id}/segments", json=payload, headers=world.agent.auth
    )
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    return created


async def _listed(client: httpx.AsyncClient, world: World, **params: Any) -> dict[str, Any]:
    response = await client.get(
        f"/{world.project_id}/segments", params=params, headers=world.agent.auth
    )
    assert response.status_code == 200, response.text
    listed: dict[str, Any] = response.json()
    return listed


@pytest.fixture(scope="module")
async def world(client: httpx.AsyncClient) -> World:
    """Shared by the tests that read and write only segments of their own, or compare the
    project's count before and after; the list tests make a World of their own."""
    return await make_world(client)


class TestCreateSegment:
    async def test_answers_the_saved_segment_field_by_field(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        filters = [
            {"field": "email", "operator": "contains", "value": "@acme.com"},
            {"field": "properties.score", "operator": ">=", "value": 10},
            {"field": "phone", "operator": "is null"},
        ]

        created = await create_segment(client, world, name="Acme", match="any", filters=filters)

        assert set(created) == FIELDS
        assert created["name"] == "Acme"
        assert created["match"] == "any"
        assert created["filters"] == filters
        assert created["status"] == 100
        assert created["id_project"] == world.project_id
        assert created["createdBy"] == world.agent.id
        assert ISO.match(created["createdAt"])
        assert created["__v"] == 0

    async def test_match_defaults_to_all_and_filters_to_none(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.post(
            f"/{world.project_id}/segments", json={"name": "Everyone"}, headers=world.agent.auth
        )

        assert response.status_code == 200
        assert (response.json()["match"], response.json()["filters"]) == ("all", [])

    async def test_a_bot_of_the_project_may_create(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await bot_auth(client, world.project_id, world.owner)

        response = await client.post(
            f"/{world.project_id}/segments", json={"name": "Bots"}, headers=bot.headers
        )

        assert response.status_code == 200
        assert response.json()["createdBy"] == bot.id

    @pytest.mark.parametrize(
        ("body", "param"),
        [
            ({"filters": VIP}, "name"),
            ({"name": ""}, "name"),
            ({"name": "X", "match": "some"}, "match"),
            ({"name": "X", "filters": "email"}, "filters"),
            ({"name": "X", "filters": [{"field": "email", "operator": "~"}]}, "filters.0.operator"),
            ({"name": "X", "filters": [{"field": "password", "operator": "="}]}, "filters.0.field"),
            (
                {"name": "X", "filters": [{"field": "attributes.", "operator": "="}]},
                "filters.0.field",
            ),
            ({"name": "X", "filters": [{"operator": "="}]}, "filters.0.field"),
            ({"name": "X", "filters": [{"field": "email", "operator": "contains"}]}, "filters.0"),
            (
                {
                    "name": "X",
                    "filters": [{"field": "email", "operator": "starts with", "value": 1}],
                },
                "filters.0",
            ),
        ],
    )
    async def test_bad_input_is_refused_and_nothing_is_written(
        self, client: httpx.AsyncClient, world: World, body: dict[str, Any], param: str
    ) -> None:
        before = await _listed(client, world)

        response = await client.post(
            f"/{world.project_id}/segments", json=body, headers=world.agent.auth
        )

        assert response.status_code == 422
        error = response.json()["errors"][0]
        assert (error["param"], error["location"], error["msg"]) == (param, "body", "Invalid value")
        assert await _listed(client, world) == before

    @pytest.mark.parametrize(("who", "expected"), AGENT_ROUTE_ACCESS)
    async def test_role_matrix(
        self, client: httpx.AsyncClient, world: World, who: str, expected: str
    ) -> None:
        before = (await _listed(client, world))["count"]

        response = await client.post(
            f"/{world.project_id}/segments", json={"name": "X"}, headers=headers_of(world, who)
        )

        assert_access(response, expected)
        after = (await _listed(client, world))["count"]
        assert after == before + (1 if expected == "allowed" else 0)


class TestListSegments:
    async def test_answers_the_wrapped_list_of_active_segments(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        first = await create_segment(client, world, name="first")
        second = await create_segment(client, world, name="second")
        gone = await create_segment(client, world, name="gone")
        await client.delete(f"/{world.project_id}/segments/{gone['_id']}", headers=world.agent.auth)

        listed = await _listed(client, world)

        assert listed == {"perPage": 40, "count": 2, "segments": [second, first]}

    async def test_pages_sort_and_direction(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        for name in ("bravo", "alpha", "charlie"):
            await create_segment(client, world, name=name)

        listed = await _listed(client, world, sort="name", direction="1", limit=2, page=1)

        assert listed["perPage"] == 2
        assert listed["count"] == 3
        assert [item["name"] for item in listed["segments"]] == ["charlie"]

    async def test_never_shows_other_projects_segments(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        theirs = await client.post(
            f"/{world.other_project_id}/segments", json={"name": "T"}, headers=world.stranger.auth
        )
        assert theirs.status_code == 200

        assert (await _listed(client, world))["segments"] == []

    @pytest.mark.parametrize(("who", "expected"), AGENT_ROUTE_ACCESS)
    async def test_role_matrix(
        self, client: httpx.AsyncClient, world: World, who: str, expected: str
    ) -> None:
        response = await client.get(f"/{world.project_id}/segments", headers=headers_of(world, who))

        assert_access(response, expected)


class TestGetUpdateDeleteSegment:
    async def test_reads_one_even_once_deleted(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        created = await create_segment(client, world)
        deleted = await client.delete(
            f"/{world.project_id}/segments/{created['_id']}", headers=world.agent.auth
        )

        response = await client.get(
            f"/{world.project_id}/segments/{created['_id']}", headers=world.agent.auth
        )

        assert deleted.status_code == 200
        assert deleted.json()["status"] == 0
        assert response.json() == deleted.json()

    async def test_update_replaces_the_fields_given(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        created = await create_segment(client, world)
        filters = [{"field": "city", "operator": "=", "value": "Rome"}]

        response = await client.put(
            f"/{world.project_id}/segments/{created['_id']}",
            json={"match": "any", "filters": filters},
            headers=world.agent.auth,
        )

        assert response.status_code == 200
        updated = response.json()
        assert (updated["name"], updated["match"], updated["filters"]) == ("VIP", "any", filters)

    async def test_update_refuses_bad_filters_and_writes_nothing(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        created = await create_segment(client, world)

        response = await client.put(
            f"/{world.project_id}/segments/{created['_id']}",
            json={"name": "Changed", "filters": [{"field": "email", "operator": "like"}]},
            headers=world.agent.auth,
        )

        assert response.status_code == 422
        read = await client.get(
            f"/{world.project_id}/segments/{created['_id']}", headers=world.agent.auth
        )
        assert read.json() == created

    @pytest.mark.parametrize("segment_id", [UNKNOWN_ID, "nope"])
    async def test_unknown_ids_are_not_found(
        self, client: httpx.AsyncClient, world: World, segment_id: str
    ) -> None:
        for method in ("GET", "PUT", "DELETE"):
            response = await client.request(
                method,
                f"/{world.project_id}/segments/{segment_id}",
                json={"name": "X"} if method == "PUT" else None,
                headers=world.agent.auth,
            )
            assert response.status_code == 404
            assert response.json() == NOT_FOUND

    async def test_another_projects_segment_is_not_found(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        theirs = await client.post(
            f"/{world.other_project_id}/segments", json={"name": "T"}, headers=world.stranger.auth
        )
        theirs_id = theirs.json()["_id"]

        read = await client.get(
            f"/{world.project_id}/segments/{theirs_id}", headers=world.owner.auth
        )
        delete = await client.delete(
            f"/{world.project_id}/segments/{theirs_id}", headers=world.owner.auth
        )
        again = await client.get(
            f"/{world.other_project_id}/segments/{theirs_id}", headers=world.stranger.auth
        )

        assert (read.status_code, delete.status_code) == (404, 404)
        assert again.json()["status"] == 100
