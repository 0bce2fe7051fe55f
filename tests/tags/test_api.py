"""The project tag library: ``/{pid}/tags`` (fact sheet §5.10, §9.9)."""

import asyncio
import re
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tessera.auth.principal import MACHINES, Caller, CallerKind, Role
from tessera.auth.service import member_in
from tessera.projects import repository as projects
from tessera.tags import service
from tessera.tags.schemas import TagIn
from tests.factories import Person, World, make_world
from tests.project_users.support import (
    AGENT_ROUTE_ACCESS,
    NOT_FOUND,
    assert_access,
    headers_of,
)

UNKNOWN_ID = "0123456789abcdef01234567"
FIELDS = {"_id", "tag", "color", "id_project", "createdBy", "createdAt", "updatedAt", "__v"}
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


async def _create(
    client: httpx.AsyncClient, project_id: str, person: Person, **body: Any
) -> dict[str, Any]:
    response = await client.post(f"/{project_id}/tags", json=body, headers=person.auth)
    assert response.status_code == 200, response.text
    tag: dict[str, Any] = response.json()
    return tag


async def _listed(client: httpx.AsyncClient, world: World, **params: Any) -> list[dict[str, Any]]:
    response = await client.get(
        f"/{world.project_id}/tags", params=params, headers=world.agent.auth
    )
    assert response.status_code == 200, response.text
    listed: list[dict[str, Any]] = response.json()
    return listed


def _names(tags: list[dict[str, Any]]) -> list[str]:
    return [tag["tag"] for tag in tags]


@pytest.fixture(scope="module")
async def world(client: httpx.AsyncClient) -> World:
    """Shared by the tests that write only tags of names no other test of the module uses, or
    compare the project's list before and after; the others make a World of their own."""
    return await make_world(client)


@pytest.fixture(scope="module")
async def sortable_world(client: httpx.AsyncClient) -> World:
    """A World with tags "bravo", "charlie", "alpha", made in that order, only read."""
    world = await make_world(client)
    for name in ("bravo", "charlie", "alpha"):
        await _create(client, world.project_id, world.owner, tag=name)
    return world


class TestListTags:
    async def test_answers_a_bare_array_newest_first(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        first = await _create(client, world.project_id, world.owner, tag="first", color="#111")
        second = await _create(client, world.project_id, world.agent, tag="second")

        response = await client.get(f"/{world.project_id}/tags", headers=world.agent.auth)

        assert response.status_code == 200
        assert response.json() == [second, first]

    async def test_never_shows_other_projects_tags(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        await _create(client, world.other_project_id, world.stranger, tag="theirs")
        mine = await _create(client, world.project_id, world.owner, tag="mine")

        assert await _listed(client, world) == [mine]

    async def test_is_empty_without_tags(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)

        assert await _listed(client, world) == []

    async def test_pages_hold_forty_tags(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        for number in range(41):
            await _create(client, world.project_id, world.owner, tag=f"tag-{number:02d}")

        first = await _listed(client, world)
        second = await _listed(client, world, page=1, limit=100)
        third = await _listed(client, world, page=2)

        assert len(first) == 40
        assert _names(second) == ["tag-00"]
        assert third == []
        assert _names(first)[0] == "tag-40"

    @pytest.mark.parametrize(
        ("direction", "expected"),
        [
            ("1", ["alpha", "bravo", "charlie"]),
            ("asc", ["alpha", "bravo", "charlie"]),
            ("-1", ["charlie", "bravo", "alpha"]),
            ("desc", ["charlie", "bravo", "alpha"]),
        ],
    )
    async def test_sorts_by_the_named_field_in_either_direction(
        self,
        client: httpx.AsyncClient,
        sortable_world: World,
        direction: str,
        expected: list[str],
    ) -> None:
        world = sortable_world

        listed = await _listed(client, world, sort="tag", direction=direction)

        assert _names(listed) == expected

    async def test_ascending_creation_order_is_oldest_first(
        self, client: httpx.AsyncClient, sortable_world: World
    ) -> None:
        world = sortable_world

        listed = await _listed(client, world, direction="1")

        assert _names(listed) == ["bravo", "charlie", "alpha"]

    async def test_an_unknown_sort_field_sorts_by_creation(
        self, client: httpx.AsyncClient, sortable_world: World
    ) -> None:
        world = sortable_world

        listed = await _listed(client, world, sort="nonsense")

        assert _names(listed) == ["alpha", "charlie", "bravo"]

    async def test_blank_parameters_mean_the_defaults(
        self, client: httpx.AsyncClient, sortable_world: World
    ) -> None:
        world = sortable_world

        listed = await _listed(client, world, page="", sort="", direction="")

        assert _names(listed) == ["alpha", "charlie", "bravo"]

    async def test_tags_without_colour_come_first_in_ascending_colour_order(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        await _create(client, world.project_id, world.owner, tag="red", color="#ff0000")
        await _create(client, world.project_id, world.owner, tag="plain")
        await _create(client, world.project_id, world.owner, tag="blue", color="#0000ff")

        ascending = await _listed(client, world, sort="color", direction="1")
        descending = await _listed(client, world, sort="color", direction="-1")

        assert _names(ascending) == ["plain", "blue", "red"]
        assert _names(descending) == ["red", "blue", "plain"]

    @pytest.mark.parametrize(
        ("param", "value"),
        [("page", "x"), ("page", "-1"), ("page", "10000000000"), ("direction", "sideways")],
    )
    async def test_malformed_paging_is_refused(
        self, client: httpx.AsyncClient, world: World, param: str, value: str
    ) -> None:
        response = await client.get(
            f"/{world.project_id}/tags", params={param: value}, headers=world.agent.auth
        )

        assert response.status_code == 422
        error = response.json()["errors"][0]
        assert error["param"] == param
        assert error["location"] == "query"
        assert error["msg"] == "Invalid value"


class TestGetTag:
    async def test_answers_the_tag(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        tag = await _create(client, world.project_id, world.owner, tag="vip", color="#f00")

        response = await client.get(
            f"/{world.project_id}/tags/{tag['_id']}", headers=world.agent.auth
        )

        assert response.status_code == 200
        assert response.json() == tag

    @pytest.mark.parametrize("where", ["unknown", "malformed", "other project"])
    async def test_a_tag_outside_the_project_is_not_found(
        self, client: httpx.AsyncClient, world: World, where: str
    ) -> None:
        theirs = await _create(client, world.other_project_id, world.stranger, tag="theirs")
        tag_id = {"unknown": UNKNOWN_ID, "malformed": "xyz", "other project": theirs["_id"]}

        response = await client.get(
            f"/{world.project_id}/tags/{tag_id[where]}", headers=world.owner.auth
        )

        assert response.status_code == 404
        assert response.json() == NOT_FOUND


class TestCreateTag:
    async def test_stores_the_tag_with_its_project_and_author(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)

        response = await client.post(
            f"/{world.project_id}/tags",
            json={"tag": "vip", "color": "#ff0000"},
            headers=world.agent.auth,
        )

        assert response.status_code == 200
        created = response.json()
        assert set(created) == FIELDS
        assert re.fullmatch(r"[0-9a-f]{24}", created["_id"])
        assert created["tag"] == "vip"
        assert created["color"] == "#ff0000"
        assert created["id_project"] == world.project_id
        assert created["createdBy"] == world.agent.id
        assert ISO.match(created["createdAt"])
        assert created["updatedAt"] == created["createdAt"]
        assert created["__v"] == 0
        assert await _listed(client, world) == [created]

    async def test_a_tag_without_colour_has_no_colour_field(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        created = await _create(client, world.project_id, world.owner, tag="plain")

        assert set(created) == FIELDS - {"color"}

    async def test_an_existing_name_answers_the_existing_tag_unchanged(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        original = await _create(client, world.project_id, world.owner, tag="vip", color="#f00")

        response = await client.post(
            f"/{world.project_id}/tags",
            json={"tag": "vip", "color": "#0f0"},
            headers=world.agent.auth,
        )

        assert response.status_code == 200
        assert response.json() == original
        assert await _listed(client, world) == [original]

    async def test_concurrent_creations_of_one_name_make_one_tag(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)

        responses = await asyncio.gather(
            *(
                client.post(
                    f"/{world.project_id}/tags", json={"tag": "rush"}, headers=world.agent.auth
                )
                for _ in range(8)
            )
        )

        assert [response.status_code for response in responses] == [200] * 8
        assert len({response.json()["_id"] for response in responses}) == 1
        assert _names(await _listed(client, world)) == ["rush"]

    async def test_names_are_per_project_and_case_sensitive(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        theirs = await _create(client, world.other_project_id, world.stranger, tag="vip")

        mine = await _create(client, world.project_id, world.owner, tag="vip")
        upper = await _create(client, world.project_id, world.owner, tag="VIP")

        assert mine["_id"] != theirs["_id"]
        assert mine["id_project"] == world.project_id
        assert upper["_id"] != mine["_id"]
        assert sorted(_names(await _listed(client, world))) == ["VIP", "vip"]

    async def test_a_form_body_is_accepted(self, client: httpx.AsyncClient, world: World) -> None:
        response = await client.post(
            f"/{world.project_id}/tags",
            data={"tag": "from-form", "color": "blue"},
            headers=world.agent.auth,
        )

        assert response.status_code == 200
        assert response.json()["tag"] == "from-form"
        assert response.json()["color"] == "blue"

    @pytest.mark.parametrize(
        ("body", "param"),
        [
            ({}, "tag"),
            ({"tag": ""}, "tag"),
            ({"tag": None}, "tag"),
            ({"tag": 42}, "tag"),
            ({"tag": "ok", "color": 7}, "color"),
        ],
    )
    async def test_bad_input_is_refused_and_nothing_is_written(
        self, client: httpx.AsyncClient, world: World, body: dict[str, Any], param: str
    ) -> None:
        before = await _listed(client, world)

        response = await client.post(
            f"/{world.project_id}/tags", json=body, headers=world.agent.auth
        )

        assert response.status_code == 422
        error = response.json()["errors"][0]
        assert error["param"] == param
        assert error["location"] == "body"
        assert error["msg"] == "Invalid value"
        assert await _listed(client, world) == before

    @pytest.mark.parametrize("kind", [CallerKind.BOT, CallerKind.SUBSCRIPTION])
    async def test_a_machine_caller_is_recorded_as_the_author(
        self, client: httpx.AsyncClient, app: FastAPI, kind: CallerKind
    ) -> None:
        # Bot and subscription tokens arrive with their resources; the guard admitting them
        # is tested in tests/auth/test_guard.py, so the use case runs with its member here.
        world = await make_world(client)
        db = app.state.db
        project = await db.read(projects.get_active, world.project_id)
        machine = Caller(kind, "machine-1", {}, project_id=world.project_id)
        member = await db.read(member_in, project, machine, Role.AGENT, MACHINES)

        await db.write(service.create_tag, member, TagIn(tag="by-machine"))

        listed = await _listed(client, world)
        assert [(tag["tag"], tag["createdBy"]) for tag in listed] == [("by-machine", "machine-1")]


class TestUpdateTag:
    async def test_writes_name_and_colour(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        tag = await _create(client, world.project_id, world.owner, tag="vip", color="#f00")
        await asyncio.sleep(0.005)

        response = await client.put(
            f"/{world.project_id}/tags/{tag['_id']}",
            json={"tag": "very-important", "color": "#0f0"},
            headers=world.agent.auth,
        )

        assert response.status_code == 200
        updated = response.json()
        assert updated["_id"] == tag["_id"]
        assert updated["tag"] == "very-important"
        assert updated["color"] == "#0f0"
        assert updated["createdBy"] == world.owner.id
        assert updated["createdAt"] == tag["createdAt"]
        assert updated["updatedAt"] > tag["updatedAt"]
        assert await _listed(client, world) == [updated]

    async def test_a_missing_colour_is_cleared(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        tag = await _create(client, world.project_id, world.owner, tag="vip", color="#f00")

        response = await client.put(
            f"/{world.project_id}/tags/{tag['_id']}", json={"tag": "vip"}, headers=world.agent.auth
        )

        assert response.status_code == 200
        assert "color" not in response.json()
        assert "color" not in (await _listed(client, world))[0]

    async def test_keeping_its_own_name_is_no_conflict(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        tag = await _create(client, world.project_id, world.owner, tag="vip", color="#f00")

        response = await client.put(
            f"/{world.project_id}/tags/{tag['_id']}",
            json={"tag": "vip", "color": "#00f"},
            headers=world.agent.auth,
        )

        assert response.status_code == 200
        assert response.json()["color"] == "#00f"

    async def test_renaming_onto_another_tags_name_is_a_conflict(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        vip = await _create(client, world.project_id, world.owner, tag="vip", color="#f00")
        other = await _create(client, world.project_id, world.owner, tag="other", color="#0f0")

        response = await client.put(
            f"/{world.project_id}/tags/{other['_id']}",
            json={"tag": "vip", "color": "#00f"},
            headers=world.agent.auth,
        )

        assert response.status_code == 409
        assert response.json() == {
            "success": False,
            "msg": "A tag named 'vip' already exists in this project.",
        }
        assert await _listed(client, world) == [other, vip]

    @pytest.mark.parametrize(
        ("body", "param"),
        [
            ({"color": "#00f"}, "tag"),
            ({"tag": "", "color": "#00f"}, "tag"),
            ({"tag": ["vip"]}, "tag"),
            ({"tag": "vip", "color": {"hex": "#00f"}}, "color"),
        ],
    )
    async def test_bad_input_is_refused_and_nothing_is_written(
        self, client: httpx.AsyncClient, body: dict[str, Any], param: str
    ) -> None:
        world = await make_world(client)
        tag = await _create(client, world.project_id, world.owner, tag="vip", color="#f00")

        response = await client.put(
            f"/{world.project_id}/tags/{tag['_id']}", json=body, headers=world.agent.auth
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == param
        assert await _listed(client, world) == [tag]

    @pytest.mark.parametrize("where", ["unknown", "other project"])
    async def test_a_tag_outside_the_project_is_not_found_nor_created(
        self, client: httpx.AsyncClient, world: World, where: str
    ) -> None:
        theirs = await _create(client, world.other_project_id, world.stranger, tag="theirs")
        tag_id = UNKNOWN_ID if where == "unknown" else theirs["_id"]
        before = await _listed(client, world)

        response = await client.put(
            f"/{world.project_id}/tags/{tag_id}",
            json={"tag": "hijacked"},
            headers=world.owner.auth,
        )

        assert response.status_code == 404
        assert response.json() == NOT_FOUND
        assert await _listed(client, world) == before
        still = await client.get(
            f"/{world.other_project_id}/tags/{theirs['_id']}", headers=world.stranger.auth
        )
        assert still.json() == theirs


class TestDeleteTag:
    async def test_answers_the_delete_result_and_removes_the_tag(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        tag = await _create(client, world.project_id, world.owner, tag="vip")
        kept = await _create(client, world.project_id, world.owner, tag="kept")

        response = await client.delete(
            f"/{world.project_id}/tags/{tag['_id']}", headers=world.agent.auth
        )

        assert response.status_code == 200
        assert response.json() == {"n": 1, "ok": 1, "deletedCount": 1}
        assert await _listed(client, world) == [kept]
        gone = await client.get(f"/{world.project_id}/tags/{tag['_id']}", headers=world.agent.auth)
        assert gone.status_code == 404

    async def test_the_name_is_free_again_after_deletion(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        tag = await _create(client, world.project_id, world.owner, tag="vip", color="#f00")
        await client.delete(f"/{world.project_id}/tags/{tag['_id']}", headers=world.owner.auth)

        again = await _create(client, world.project_id, world.owner, tag="vip", color="#0f0")

        assert again["_id"] != tag["_id"]
        assert again["color"] == "#0f0"

    @pytest.mark.parametrize("where", ["unknown", "malformed", "other project"])
    async def test_deleting_outside_the_project_deletes_nothing(
        self, client: httpx.AsyncClient, world: World, where: str
    ) -> None:
        theirs = await _create(client, world.other_project_id, world.stranger, tag="theirs")
        tag_id = {"unknown": UNKNOWN_ID, "malformed": "xyz", "other project": theirs["_id"]}

        response = await client.delete(
            f"/{world.project_id}/tags/{tag_id[where]}", headers=world.owner.auth
        )

        assert response.status_code == 200
        assert response.json() == {"n": 0, "ok": 1, "deletedCount": 0}
        still = await client.get(
            f"/{world.other_project_id}/tags/{theirs['_id']}", headers=world.stranger.auth
        )
        assert still.json() == theirs


# Every route, with an id that does not exist: a caller the guard admits gets the route's
# own answer, so the guard's verdict is all that differs between callers.
ROUTES = [
    ("GET", "", 200),
    ("GET", f"/{UNKNOWN_ID}", 404),
    ("POST", "", 200),
    ("PUT", f"/{UNKNOWN_ID}", 404),
    ("DELETE", f"/{UNKNOWN_ID}", 200),
]


@pytest.mark.parametrize(("method", "path", "status"), ROUTES)
@pytest.mark.parametrize(("role", "expected"), AGENT_ROUTE_ACCESS)
async def test_agents_and_above_may_use_the_tag_library(
    client: httpx.AsyncClient,
    world: World,
    method: str,
    path: str,
    status: int,
    role: str,
    expected: str,
) -> None:
    before = await _listed(client, world)
    body = {"tag": f"by-{role}"} if method in ("POST", "PUT") else None

    response = await client.request(
        method, f"/{world.project_id}/tags{path}", json=body, headers=headers_of(world, role)
    )

    if expected == "allowed":
        assert response.status_code == status, response.text
    else:
        assert_access(response, expected)
        assert await _listed(client, world) == before
