"""Canned responses: ``/{pid}/canned`` (fact sheet §5.11, §9.10)."""

import asyncio
import re
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tessera.canned import repository
from tessera.canned.models import CANNED_ACTIVE
from tessera.core.db import Tx
from tests.factories import Person, World, make_world
from tests.project_users.support import (
    AGENT_ROUTE_ACCESS,
    NOT_FOUND,
    assert_access,
    headers_of,
    membership_of,
)

UNKNOWN_ID = "0123456789abcdef01234567"
FIELDS = {
    "_id",
    "title",
    "text",
    "shared",
    "status",
    "id_project",
    "createdBy",
    "createdAt",
    "updatedAt",
    "__v",
}
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
NOT_YOURS = {
    "success": False,
    "msg": "You are not allowed to get a canned response that is not yours.",
}


def _refused(verb: str, *, agent: bool) -> dict[str, Any]:
    message = (
        f"You are not allowed to {verb} a canned response that is not yours."
        if agent
        else f"Not allowed to {verb} a non administration canned response"
    )
    return {"success": False, "error": message}


def _missing(canned_id: str, project_id: str) -> dict[str, Any]:
    return {
        "success": False,
        "error": f"Canned response not found with id {canned_id} for project {project_id}",
    }


async def _create(
    client: httpx.AsyncClient, project_id: str, person: Person, **body: Any
) -> dict[str, Any]:
    body.setdefault("text", "Hello!")
    response = await client.post(f"/{project_id}/canned", json=body, headers=person.auth)
    assert response.status_code == 200, response.text
    canned: dict[str, Any] = response.json()
    return canned


async def _listed(
    client: httpx.AsyncClient, world: World, viewer: Person, **params: Any
) -> list[dict[str, Any]]:
    response = await client.get(f"/{world.project_id}/canned", params=params, headers=viewer.auth)
    assert response.status_code == 200, response.text
    listed: list[dict[str, Any]] = response.json()
    return listed


async def _read(client: httpx.AsyncClient, world: World, canned: dict[str, Any]) -> Any:
    """The canned response as its author reads it now."""
    author = next(
        person
        for person in (world.owner, world.admin, world.supervisor, world.agent)
        if person.id == canned["createdBy"]
    )
    response = await client.get(f"/{world.project_id}/canned/{canned['_id']}", headers=author.auth)
    assert response.status_code == 200, response.text
    return response.json()


def _titles(items: list[dict[str, Any]]) -> list[str | None]:
    return [item.get("title") for item in items]


@pytest.fixture(scope="module")
async def world(client: httpx.AsyncClient) -> World:
    """Shared by the tests that read and write only canned responses of their own, or compare
    the project's list before and after; the others make a World of their own."""
    return await make_world(client)


@pytest.fixture(scope="module")
async def searchable_world(client: httpx.AsyncClient) -> World:
    """A World with four canned responses to search, only read."""
    world = await make_world(client)
    await _create(client, world.project_id, world.owner, title="Greeting", text="welcome!")
    await _create(client, world.project_id, world.owner, title="Welcome", text="Hi there")
    await _create(client, world.project_id, world.owner, title="Money back", text="A Refund")
    await _create(client, world.project_id, world.owner, title="Discount", text="50% off")
    return world


@pytest.fixture(scope="module")
async def sortable_world(client: httpx.AsyncClient) -> World:
    """A World with canned responses "bravo", "charlie", "alpha", made in that order, only
    read."""
    world = await make_world(client)
    for title in ("bravo", "charlie", "alpha"):
        await _create(client, world.project_id, world.owner, title=title)
    return world


class TestListCanned:
    async def test_answers_a_bare_array_newest_first(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        first = await _create(client, world.project_id, world.owner, title="first")
        second = await _create(client, world.project_id, world.agent, title="second", shared=True)

        response = await client.get(f"/{world.project_id}/canned", headers=world.agent.auth)

        assert response.status_code == 200
        assert response.json() == [second, first]

    async def test_shows_shared_ones_and_the_callers_own(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        shared = await _create(client, world.project_id, world.owner, title="team")
        own = await _create(client, world.project_id, world.agent, title="agent's own")
        private = await _create(client, world.project_id, world.supervisor, title="private")

        assert await _listed(client, world, world.agent) == [own, shared]
        assert await _listed(client, world, world.supervisor) == [private, shared]
        assert await _listed(client, world, world.owner) == [shared]

    async def test_hides_deleted_ones(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        kept = await _create(client, world.project_id, world.agent, title="kept")
        gone = await _create(client, world.project_id, world.agent, title="gone")
        await client.delete(f"/{world.project_id}/canned/{gone['_id']}", headers=world.agent.auth)

        assert await _listed(client, world, world.agent) == [kept]

    async def test_never_shows_other_projects_canned(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        await _create(client, world.other_project_id, world.stranger, title="theirs")
        mine = await _create(client, world.project_id, world.owner, title="mine")

        assert await _listed(client, world, world.owner) == [mine]

    @pytest.mark.parametrize(
        ("full_text", "expected"),
        [
            ("WELCOME", ["Welcome", "Greeting"]),
            ("refund", ["Money back"]),
            ("%", ["Discount"]),
            ("_", []),
            ("nothing like it", []),
        ],
    )
    async def test_full_text_matches_title_or_text_ignoring_case(
        self,
        client: httpx.AsyncClient,
        searchable_world: World,
        full_text: str,
        expected: list[str],
    ) -> None:
        world = searchable_world

        listed = await _listed(client, world, world.agent, full_text=full_text)

        assert _titles(listed) == expected

    @pytest.mark.parametrize(
        ("sort", "direction", "expected"),
        [
            ("title", "1", ["alpha", "bravo", "charlie"]),
            ("title", "desc", ["charlie", "bravo", "alpha"]),
            ("createdAt", "asc", ["bravo", "charlie", "alpha"]),
            ("nonsense", "-1", ["alpha", "charlie", "bravo"]),
        ],
    )
    async def test_sorts_by_the_named_field(
        self,
        client: httpx.AsyncClient,
        sortable_world: World,
        sort: str,
        direction: str,
        expected: list[str],
    ) -> None:
        world = sortable_world

        listed = await _listed(client, world, world.agent, sort=sort, direction=direction)

        assert _titles(listed) == expected

    async def test_blank_parameters_mean_the_defaults(
        self, client: httpx.AsyncClient, sortable_world: World
    ) -> None:
        world = sortable_world

        listed = await _listed(
            client, world, world.agent, page="", sort="", direction="", full_text=""
        )

        assert _titles(listed) == ["alpha", "charlie", "bravo"]

    async def test_pages_hold_a_thousand(self, client: httpx.AsyncClient, app: FastAPI) -> None:
        world = await make_world(client)
        await app.state.db.write(_many, world.project_id, world.owner.id, 1001)

        first = await _listed(client, world, world.agent)
        second = await _listed(client, world, world.agent, page=1)

        assert len(first) == 1000
        assert _titles(second) == ["canned 0000"]

    @pytest.mark.parametrize(
        ("param", "value"),
        [("page", "two"), ("page", "-3"), ("page", "10000000000"), ("direction", "up")],
    )
    async def test_malformed_paging_is_refused(
        self, client: httpx.AsyncClient, world: World, param: str, value: str
    ) -> None:
        response = await client.get(
            f"/{world.project_id}/canned", params={param: value}, headers=world.agent.auth
        )

        assert response.status_code == 422
        error = response.json()["errors"][0]
        assert (error["param"], error["location"], error["msg"]) == (
            param,
            "query",
            "Invalid value",
        )


def _many(tx: Tx, project_id: str, author_id: str, count: int) -> None:
    """``count`` shared canned responses, one millisecond apart, oldest first."""
    for number in range(count):
        repository.add(
            tx,
            {
                "project_id": project_id,
                "title": f"canned {number:04d}",
                "text": "Hello!",
                "shared": True,
                "status": CANNED_ACTIVE,
                "created_by": author_id,
                "created_at": tx.now + number,
                "updated_at": tx.now + number,
            },
        )


class TestGetCanned:
    async def test_the_author_reads_it(self, client: httpx.AsyncClient, world: World) -> None:
        canned = await _create(client, world.project_id, world.agent, title="mine")

        response = await client.get(
            f"/{world.project_id}/canned/{canned['_id']}", headers=world.agent.auth
        )

        assert response.status_code == 200
        assert response.json() == canned

    @pytest.mark.parametrize(("author", "reader"), [("owner", "agent"), ("agent", "owner")])
    async def test_nobody_else_reads_it_even_when_shared(
        self, client: httpx.AsyncClient, world: World, author: str, reader: str
    ) -> None:
        canned = await _create(client, world.project_id, world.person(author), shared=True)

        response = await client.get(
            f"/{world.project_id}/canned/{canned['_id']}", headers=world.person(reader).auth
        )

        assert response.status_code == 403
        assert response.json() == NOT_YOURS

    async def test_a_deleted_one_is_still_readable_by_its_author(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        canned = await _create(client, world.project_id, world.agent)
        await client.delete(f"/{world.project_id}/canned/{canned['_id']}", headers=world.agent.auth)

        assert (await _read(client, world, canned))["status"] == 1000

    @pytest.mark.parametrize("where", ["unknown", "malformed", "other project"])
    async def test_one_outside_the_project_is_not_found(
        self, client: httpx.AsyncClient, world: World, where: str
    ) -> None:
        theirs = await _create(client, world.other_project_id, world.stranger)
        canned_id = {"unknown": UNKNOWN_ID, "malformed": "xyz", "other project": theirs["_id"]}

        response = await client.get(
            f"/{world.project_id}/canned/{canned_id[where]}", headers=world.owner.auth
        )

        assert response.status_code == 404
        assert response.json() == NOT_FOUND


class TestCreateCanned:
    async def test_stores_the_canned_response_verbatim(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)

        response = await client.post(
            f"/{world.project_id}/canned",
            json={"title": "Hi", "text": "Hello $recipient_name, I am $agent_name"},
            headers=world.agent.auth,
        )

        assert response.status_code == 200
        created = response.json()
        assert set(created) == FIELDS
        assert re.fullmatch(r"[0-9a-f]{24}", created["_id"])
        assert created["title"] == "Hi"
        assert created["text"] == "Hello $recipient_name, I am $agent_name"
        assert created["shared"] is False
        assert created["status"] == 100
        assert created["id_project"] == world.project_id
        assert created["createdBy"] == world.agent.id
        assert ISO.match(created["createdAt"])
        assert created["updatedAt"] == created["createdAt"]
        assert created["__v"] == 0
        assert await _listed(client, world, world.agent) == [created]

    async def test_the_title_is_optional(self, client: httpx.AsyncClient, world: World) -> None:
        created = await _create(client, world.project_id, world.agent, text="Only text")

        assert set(created) == FIELDS - {"title"}

    @pytest.mark.parametrize(
        ("role", "asked", "shared"),
        [
            ("owner", None, True),
            ("owner", False, True),
            ("admin", False, True),
            ("supervisor", None, False),
            ("supervisor", True, True),
            ("agent", None, False),
            ("agent", False, False),
            ("agent", True, True),
        ],
    )
    async def test_owners_and_admins_always_share_others_when_asked(
        self, client: httpx.AsyncClient, world: World, role: str, asked: bool | None, shared: bool
    ) -> None:
        body: dict[str, Any] = {"text": "Hello!"}
        if asked is not None:
            body["shared"] = asked

        created = await _create(client, world.project_id, world.person(role), **body)

        assert created["shared"] is shared

    @pytest.mark.parametrize(
        ("body", "param"),
        [
            ({"title": "no text"}, "text"),
            ({"text": ""}, "text"),
            ({"text": None}, "text"),
            ({"text": 42}, "text"),
            ({"text": "ok", "title": ["a"]}, "title"),
            ({"text": "ok", "shared": "perhaps"}, "shared"),
        ],
    )
    async def test_bad_input_is_refused_and_nothing_is_written(
        self, client: httpx.AsyncClient, world: World, body: dict[str, Any], param: str
    ) -> None:
        before = await _listed(client, world, world.agent)

        response = await client.post(
            f"/{world.project_id}/canned", json=body, headers=world.agent.auth
        )

        assert response.status_code == 422
        error = response.json()["errors"][0]
        assert (error["param"], error["location"], error["msg"]) == (
            param,
            "body",
            "Invalid value",
        )
        assert await _listed(client, world, world.agent) == before


class TestUpdateCanned:
    async def test_the_author_changes_the_fields_given(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        canned = await _create(client, world.project_id, world.agent, title="Hi", text="Hello")
        await asyncio.sleep(0.005)

        response = await client.put(
            f"/{world.project_id}/canned/{canned['_id']}",
            json={"text": "Goodbye", "attributes": {"lang": "en"}, "shared": True, "status": 5},
            headers=world.agent.auth,
        )

        assert response.status_code == 200
        updated = response.json()
        assert updated == {
            **canned,
            "text": "Goodbye",
            "attributes": {"lang": "en"},
            "updatedAt": updated["updatedAt"],
        }
        assert updated["updatedAt"] > canned["updatedAt"]
        assert await _read(client, world, canned) == updated

    async def test_title_and_attributes_can_be_cleared(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        canned = await _create(client, world.project_id, world.agent, title="Hi")
        await client.put(
            f"/{world.project_id}/canned/{canned['_id']}",
            json={"attributes": {"a": 1}},
            headers=world.agent.auth,
        )

        response = await client.put(
            f"/{world.project_id}/canned/{canned['_id']}",
            json={"title": None, "attributes": None},
            headers=world.agent.auth,
        )

        assert response.status_code == 200
        assert set(response.json()) == FIELDS - {"title"}
        assert response.json()["text"] == "Hello!"

    @pytest.mark.parametrize(
        ("body", "param"),
        [
            ({"text": None}, "text"),
            ({"text": ""}, "text"),
            ({"text": 7}, "text"),
            ({"title": 7}, "title"),
            ({"title": "new", "attributes": ["a"]}, "attributes"),
        ],
    )
    async def test_bad_input_is_refused_and_nothing_is_written(
        self, client: httpx.AsyncClient, world: World, body: dict[str, Any], param: str
    ) -> None:
        canned = await _create(client, world.project_id, world.agent, title="Hi")

        response = await client.put(
            f"/{world.project_id}/canned/{canned['_id']}", json=body, headers=world.agent.auth
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == param
        assert await _read(client, world, canned) == canned

    @pytest.mark.parametrize(
        ("author", "shared", "editor", "allowed"),
        [
            ("owner", True, "agent", False),
            ("supervisor", True, "agent", False),
            ("owner", True, "supervisor", True),
            ("agent", True, "supervisor", True),
            ("agent", False, "supervisor", False),
            ("agent", True, "admin", True),
            ("agent", False, "admin", False),
            ("agent", False, "owner", False),
            ("admin", True, "owner", True),
        ],
    )
    async def test_who_may_change_whose(
        self,
        client: httpx.AsyncClient,
        world: World,
        author: str,
        shared: bool,
        editor: str,
        allowed: bool,
    ) -> None:
        canned = await _create(
            client, world.project_id, world.person(author), title="Hi", shared=shared
        )

        response = await client.put(
            f"/{world.project_id}/canned/{canned['_id']}",
            json={"title": "Changed"},
            headers=world.person(editor).auth,
        )

        if allowed:
            assert response.status_code == 200
            assert response.json()["title"] == "Changed"
        else:
            assert response.status_code == 403
            assert response.json() == _refused("modify", agent=editor == "agent")
            assert await _read(client, world, canned) == canned

    async def test_an_admin_still_changes_a_private_one_written_as_an_agent(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        canned = await _create(client, world.project_id, world.agent, title="private")
        membership = await membership_of(client, world.project_id, world.owner, world.agent.id)
        promoted = await client.put(
            f"/{world.project_id}/project_users/{membership['_id']}",
            json={"role": "admin"},
            headers=world.owner.auth,
        )
        assert promoted.status_code == 200, promoted.text

        response = await client.put(
            f"/{world.project_id}/canned/{canned['_id']}",
            json={"title": "still mine"},
            headers=world.agent.auth,
        )

        assert response.status_code == 200
        assert response.json()["title"] == "still mine"

    @pytest.mark.parametrize("where", ["unknown", "other project"])
    async def test_one_outside_the_project_is_not_found_nor_changed(
        self, client: httpx.AsyncClient, world: World, where: str
    ) -> None:
        theirs = await _create(client, world.other_project_id, world.stranger, title="theirs")
        canned_id = UNKNOWN_ID if where == "unknown" else theirs["_id"]

        response = await client.put(
            f"/{world.project_id}/canned/{canned_id}",
            json={"title": "hijacked"},
            headers=world.owner.auth,
        )

        assert response.status_code == 404
        assert response.json() == _missing(canned_id, world.project_id)
        still = await client.get(
            f"/{world.other_project_id}/canned/{theirs['_id']}", headers=world.stranger.auth
        )
        assert still.json() == theirs


class TestDeleteCanned:
    async def test_marks_it_deleted_and_answers_it(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        canned = await _create(client, world.project_id, world.agent, title="Hi")

        response = await client.delete(
            f"/{world.project_id}/canned/{canned['_id']}", headers=world.agent.auth
        )

        assert response.status_code == 200
        deleted = response.json()
        assert deleted == {**canned, "status": 1000, "updatedAt": deleted["updatedAt"]}
        assert await _listed(client, world, world.agent) == []
        assert await _read(client, world, canned) == deleted

    @pytest.mark.parametrize(
        ("author", "shared", "deleter", "allowed"),
        [
            ("owner", True, "agent", False),
            ("agent", True, "supervisor", True),
            ("agent", False, "supervisor", False),
            ("agent", False, "admin", False),
            ("agent", True, "owner", True),
        ],
    )
    async def test_who_may_delete_whose(
        self,
        client: httpx.AsyncClient,
        world: World,
        author: str,
        shared: bool,
        deleter: str,
        allowed: bool,
    ) -> None:
        canned = await _create(client, world.project_id, world.person(author), shared=shared)

        response = await client.delete(
            f"/{world.project_id}/canned/{canned['_id']}", headers=world.person(deleter).auth
        )

        if allowed:
            assert response.status_code == 200
            assert response.json()["status"] == 1000
        else:
            assert response.status_code == 403
            assert response.json() == _refused("delete", agent=deleter == "agent")
            assert await _read(client, world, canned) == canned

    @pytest.mark.parametrize("where", ["unknown", "other project"])
    async def test_one_outside_the_project_is_not_found_nor_deleted(
        self, client: httpx.AsyncClient, world: World, where: str
    ) -> None:
        theirs = await _create(client, world.other_project_id, world.stranger)
        canned_id = UNKNOWN_ID if where == "unknown" else theirs["_id"]

        response = await client.delete(
            f"/{world.project_id}/canned/{canned_id}", headers=world.owner.auth
        )

        assert response.status_code == 404
        assert response.json() == _missing(canned_id, world.project_id)
        still = await client.get(
            f"/{world.other_project_id}/canned/{theirs['_id']}", headers=world.stranger.auth
        )
        assert still.json() == theirs


class TestDeleteCannedPhysically:
    async def test_removes_it_and_answers_the_delete_result(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        canned = await _create(client, world.project_id, world.agent)
        kept = await _create(client, world.project_id, world.agent)

        response = await client.delete(
            f"/{world.project_id}/canned/{canned['_id']}/physical", headers=world.agent.auth
        )

        assert response.status_code == 200
        assert response.json() == {"n": 1, "ok": 1, "deletedCount": 1}
        assert await _listed(client, world, world.agent) == [kept]
        gone = await client.get(
            f"/{world.project_id}/canned/{canned['_id']}", headers=world.agent.auth
        )
        assert gone.status_code == 404

    async def test_a_soft_deleted_one_can_be_removed(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        canned = await _create(client, world.project_id, world.agent)
        url = f"/{world.project_id}/canned/{canned['_id']}"
        await client.delete(url, headers=world.agent.auth)

        response = await client.delete(f"{url}/physical", headers=world.agent.auth)

        assert response.json() == {"n": 1, "ok": 1, "deletedCount": 1}

    @pytest.mark.parametrize(
        ("author", "shared", "deleter"),
        [("owner", True, "agent"), ("agent", False, "supervisor"), ("agent", False, "admin")],
    )
    async def test_the_same_people_are_refused(
        self, client: httpx.AsyncClient, world: World, author: str, shared: bool, deleter: str
    ) -> None:
        canned = await _create(client, world.project_id, world.person(author), shared=shared)

        response = await client.delete(
            f"/{world.project_id}/canned/{canned['_id']}/physical",
            headers=world.person(deleter).auth,
        )

        assert response.status_code == 403
        assert response.json() == _refused("delete", agent=deleter == "agent")
        assert await _read(client, world, canned) == canned

    @pytest.mark.parametrize("where", ["unknown", "other project"])
    async def test_one_outside_the_project_is_not_found_nor_removed(
        self, client: httpx.AsyncClient, world: World, where: str
    ) -> None:
        theirs = await _create(client, world.other_project_id, world.stranger)
        canned_id = UNKNOWN_ID if where == "unknown" else theirs["_id"]

        response = await client.delete(
            f"/{world.project_id}/canned/{canned_id}/physical", headers=world.owner.auth
        )

        assert response.status_code == 404
        assert response.json() == _missing(canned_id, world.project_id)
        still = await client.get(
            f"/{world.other_project_id}/canned/{theirs['_id']}", headers=world.stranger.auth
        )
        assert still.json() == theirs


# Every route, with an id that does not exist: a caller the guard admits gets the route's
# own answer, so the guard's verdict is all that differs between callers.
ROUTES = [
    ("GET", "", 200),
    ("GET", f"/{UNKNOWN_ID}", 404),
    ("POST", "", 200),
    ("PUT", f"/{UNKNOWN_ID}", 404),
    ("DELETE", f"/{UNKNOWN_ID}", 404),
    ("DELETE", f"/{UNKNOWN_ID}/physical", 404),
]


@pytest.mark.parametrize(("method", "path", "status"), ROUTES)
@pytest.mark.parametrize(("role", "expected"), AGENT_ROUTE_ACCESS)
async def test_agents_and_above_may_use_canned_responses(
    client: httpx.AsyncClient,
    world: World,
    method: str,
    path: str,
    status: int,
    role: str,
    expected: str,
) -> None:
    before = await _listed(client, world, world.owner)
    body = {"text": f"by {role}", "shared": True} if method in ("POST", "PUT") else None

    response = await client.request(
        method, f"/{world.project_id}/canned{path}", json=body, headers=headers_of(world, role)
    )

    if expected == "allowed":
        assert response.status_code == status, response.text
    else:
        assert_access(response, expected)
        assert await _listed(client, world, world.owner) == before
