"""Departments: ``/{pid}/departments`` (fact sheet §5.7, §9.7)."""

from typing import Any

import httpx
import pytest

from tests.conftest import EventLog
from tests.factories import World, make_project, make_world, signup
from tests.project_users.support import (
    ADMIN_ROUTE_ACCESS,
    AGENT_ROUTE_ACCESS,
    NOT_FOUND,
    assert_access,
    headers_of,
)
from tests.projects.helpers import ISO_MS, OBJECT_ID

UNKNOWN_ID = "0123456789abcdef01234567"
LAPSED_PROFILE = {"type": "payment", "name": "Custom", "subEnd": "2001-01-01T00:00:00.000Z"}
FIELDS = {
    "_id",
    "id",
    "id_project",
    "name",
    "routing",
    "default",
    "status",
    "groups",
    "tags",
    "createdBy",
    "createdAt",
    "updatedAt",
    "__v",
    "hasBot",
}


async def _create(client: httpx.AsyncClient, world: World, **body: Any) -> dict[str, Any]:
    response = await client.post(
        f"/{world.project_id}/departments", json=body, headers=world.admin.auth
    )
    assert response.status_code == 200, response.text
    department: dict[str, Any] = response.json()
    return department


async def _group(
    client: httpx.AsyncClient,
    world: World,
    name: str = "Sales team",
    members: list[str] | None = None,
) -> dict[str, Any]:
    response = await client.post(
        f"/{world.project_id}/groups",
        json={"name": name, "members": members or []},
        headers=world.admin.auth,
    )
    assert response.status_code == 200, response.text
    group: dict[str, Any] = response.json()
    return group


async def _all(client: httpx.AsyncClient, world: World) -> list[dict[str, Any]]:
    """Every department of the world's project but the hidden ones, as the dashboard sees them."""
    response = await client.get(
        f"/{world.project_id}/departments/allstatus", headers=world.owner.auth
    )
    assert response.status_code == 200, response.text
    listed: list[dict[str, Any]] = response.json()
    return listed


async def _read(client: httpx.AsyncClient, project_id: str, department_id: str) -> httpx.Response:
    return await client.get(f"/{project_id}/departments/{department_id}")


async def _default(client: httpx.AsyncClient, project_id: str) -> dict[str, Any]:
    response = await _read(client, project_id, "default")
    assert response.status_code == 200, response.text
    department: dict[str, Any] = response.json()
    return department


def _names(response: httpx.Response) -> list[str]:
    return [department["name"] for department in response.json()]


@pytest.fixture(scope="module")
async def world(client: httpx.AsyncClient) -> World:
    """Shared by the tests that write only departments and groups of their own and compare the
    project's lists and events before and after; the others make a World of their own."""
    return await make_world(client)


@pytest.fixture(scope="module")
async def untouched_world(client: httpx.AsyncClient) -> World:
    """A World no test writes to: its project has only its default department."""
    return await make_world(client)


@pytest.fixture(scope="module")
async def sorted_world(client: httpx.AsyncClient) -> World:
    """A World with departments "Zulu" and "Alpha", made in that order, only read."""
    world = await make_world(client)
    await _create(client, world, name="Zulu")
    await _create(client, world, name="Alpha")
    return world


class TestListDepartments:
    async def test_a_new_project_has_its_default_department_field_by_field(
        self, client: httpx.AsyncClient, untouched_world: World
    ) -> None:
        response = await client.get(f"/{untouched_world.project_id}/departments")

        assert response.status_code == 200
        [department] = response.json()
        assert set(department) == FIELDS
        assert OBJECT_ID.fullmatch(department["_id"])
        assert department["id"] == department["_id"]
        assert department["id_project"] == untouched_world.project_id
        assert department["name"] == "Default Department"
        assert department["routing"] == "assigned"
        assert department["default"] is True
        assert department["status"] == 1
        assert department["groups"] == []
        assert department["tags"] == []
        assert department["createdBy"] == untouched_world.owner.id
        assert ISO_MS.fullmatch(department["createdAt"])
        assert department["updatedAt"] == department["createdAt"]
        assert department["__v"] == 0
        assert department["hasBot"] is False

    async def test_is_public(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        created = await _create(client, world, name="Sales")

        response = await client.get(f"/{world.project_id}/departments")

        assert response.status_code == 200
        assert response.json()[1] == created

    async def test_lists_only_visible_departments_in_creation_order(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        await _create(client, world, name="Zulu")
        await _create(client, world, name="Hidden in widget", status=0)
        await _create(client, world, name="Hidden everywhere", status=-1)
        await _create(client, world, name="Alpha")

        response = await client.get(f"/{world.project_id}/departments")

        assert _names(response) == ["Default Department", "Zulu", "Alpha"]

    @pytest.mark.parametrize("sort", ["name", "1", "anything"])
    async def test_any_sort_orders_by_name(
        self, client: httpx.AsyncClient, sorted_world: World, sort: str
    ) -> None:
        world = sorted_world

        response = await client.get(f"/{world.project_id}/departments", params={"sort": sort})

        assert _names(response) == ["Alpha", "Default Department", "Zulu"]

    async def test_never_shows_other_projects_departments(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        await _create(client, world, name="Ours")
        response = await client.post(
            f"/{world.other_project_id}/departments",
            json={"name": "Theirs"},
            headers=world.stranger.auth,
        )
        assert response.status_code == 200

        response = await client.get(f"/{world.project_id}/departments")

        assert _names(response) == ["Default Department", "Ours"]

    async def test_a_lapsed_plan_shows_only_the_default_department(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        await _create(client, world, name="Sales")
        downgrade = await client.put(
            f"/projects/{world.project_id}/downgradeplan",
            json={"profile": LAPSED_PROFILE},
            headers=world.owner.auth,
        )
        assert downgrade.status_code == 200

        response = await client.get(f"/{world.project_id}/departments")

        assert _names(response) == ["Default Department"]

    async def test_a_malformed_project_id_is_400(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/not-a-project/departments")

        assert response.status_code == 400
        assert response.json() == {"error": "Invalid project id: not-a-project"}

    async def test_an_unknown_project_is_400(self, client: httpx.AsyncClient) -> None:
        response = await client.get(f"/{UNKNOWN_ID}/departments")

        assert response.status_code == 400
        assert response.json() == {"error": f"Project not found with id: {UNKNOWN_ID}"}


class TestListAllStatus:
    async def test_lists_every_department_but_the_hidden_ones(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        visible = await _create(client, world, name="Visible")
        widget_hidden = await _create(client, world, name="Widget hidden", status=0)
        await _create(client, world, name="Hidden", status=-1)
        default = await _default(client, world.project_id)

        response = await client.get(
            f"/{world.project_id}/departments/allstatus", headers=world.agent.auth
        )

        assert response.status_code == 200
        assert response.json() == [default, visible, widget_hidden]

    async def test_any_sort_orders_by_name(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        await _create(client, world, name="beta", status=0)
        await _create(client, world, name="Alpha")

        response = await client.get(
            f"/{world.project_id}/departments/allstatus",
            params={"sort": "true"},
            headers=world.agent.auth,
        )

        # Binary order, as MongoDB sorts strings: capitals first.
        assert _names(response) == ["Alpha", "Default Department", "beta"]

    async def test_a_lapsed_plan_shows_only_the_default_department(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        await _create(client, world, name="Sales", status=0)
        await client.put(
            f"/projects/{world.project_id}/downgradeplan",
            json={"profile": LAPSED_PROFILE},
            headers=world.owner.auth,
        )

        response = await client.get(
            f"/{world.project_id}/departments/allstatus", headers=world.agent.auth
        )

        assert _names(response) == ["Default Department"]

    @pytest.mark.parametrize(("who", "expected"), AGENT_ROUTE_ACCESS)
    async def test_access(
        self, client: httpx.AsyncClient, untouched_world: World, who: str, expected: str
    ) -> None:
        response = await client.get(
            f"/{untouched_world.project_id}/departments/allstatus",
            headers=headers_of(untouched_world, who),
        )

        assert_access(response, expected)
        if expected == "allowed":
            assert _names(response) == ["Default Department"]


class TestGetDepartment:
    async def test_is_public(self, client: httpx.AsyncClient, world: World) -> None:
        created = await _create(client, world, name="Sales", description="Buyers")

        response = await _read(client, world.project_id, created["_id"])

        assert response.status_code == 200
        assert response.json() == created

    async def test_hidden_departments_are_readable_by_id(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        hidden = await _create(client, world, name="Hidden", status=-1)

        response = await _read(client, world.project_id, hidden["_id"])

        assert response.status_code == 200
        assert response.json() == hidden

    async def test_default_names_the_projects_default_department(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        await _create(client, world, name="Sales")
        [default, _sales] = await _all(client, world)

        response = await _read(client, world.project_id, "default")

        assert response.status_code == 200
        assert response.json() == default
        assert response.json()["default"] is True

    async def test_default_is_null_without_a_default_department(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        default = await _default(client, world.project_id)
        deleted = await client.delete(
            f"/{world.project_id}/departments/{default['_id']}", headers=world.owner.auth
        )
        assert deleted.status_code == 200

        response = await _read(client, world.project_id, "default")

        assert response.status_code == 200
        assert response.json() is None

    @pytest.mark.parametrize("department_id", [UNKNOWN_ID, "not-an-id"])
    async def test_an_unknown_id_is_not_found(
        self, client: httpx.AsyncClient, untouched_world: World, department_id: str
    ) -> None:
        response = await _read(client, untouched_world.project_id, department_id)

        assert response.status_code == 404
        assert response.json() == NOT_FOUND

    async def test_a_department_of_another_project_is_not_found(
        self, client: httpx.AsyncClient, untouched_world: World
    ) -> None:
        theirs = await _default(client, untouched_world.other_project_id)

        response = await _read(client, untouched_world.project_id, theirs["_id"])

        assert response.status_code == 404
        assert response.json() == NOT_FOUND


class TestCreateDepartment:
    async def test_a_name_is_enough(self, client: httpx.AsyncClient, event_log: EventLog) -> None:
        world = await make_world(client)

        response = await client.post(
            f"/{world.project_id}/departments", json={"name": "Sales"}, headers=world.admin.auth
        )

        assert response.status_code == 200
        created = response.json()
        assert set(created) == FIELDS
        assert created["name"] == "Sales"
        assert created["routing"] == "pooled"
        assert created["default"] is False
        assert created["status"] == 1
        assert created["groups"] == []
        assert created["tags"] == []
        assert created["hasBot"] is False
        assert created["id"] == created["_id"]
        assert created["id_project"] == world.project_id
        assert created["createdBy"] == world.admin.id
        assert await _all(client, world) == [await _default(client, world.project_id), created]
        [event] = event_log.named("department.create", world.project_id)
        assert event.payload == created

    async def test_stores_every_field(self, client: httpx.AsyncClient, world: World) -> None:
        group = await _group(client, world)
        other = await _group(client, world, "Support team")

        created = await _create(
            client,
            world,
            name="Sales",
            description="Buyers' questions",
            routing="assigned",
            status=0,
            default=False,
            id_group=group["_id"],
            groups=[
                {"group_id": group["_id"], "percentage": 70},
                {"group_id": other["_id"], "percentage": 30.5},
            ],
            id_bot="a-bot",
            bot_only=True,
        )

        assert set(created) == FIELDS | {"description", "id_group", "id_bot", "bot_only"}
        assert created["description"] == "Buyers' questions"
        assert created["routing"] == "assigned"
        assert created["status"] == 0
        assert created["id_group"] == group["_id"]
        assert [(share["group_id"], share["percentage"]) for share in created["groups"]] == [
            (group["_id"], 70),
            (other["_id"], 30.5),
        ]
        assert all(OBJECT_ID.fullmatch(share["_id"]) for share in created["groups"])
        assert created["id_bot"] == "a-bot"
        assert created["bot_only"] is True
        assert created["hasBot"] is True
        response = await _read(client, world.project_id, created["_id"])
        assert response.json() == created

    async def test_bot_only_needs_a_bot(self, client: httpx.AsyncClient, world: World) -> None:
        created = await _create(client, world, name="Sales", bot_only=True, id_bot=None)

        assert "bot_only" not in created
        assert "id_bot" not in created
        assert created["hasBot"] is False

    async def test_a_second_default_department_is_allowed(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        first = await _default(client, world.project_id)

        created = await _create(client, world, name="Another", default=True)

        assert created["default"] is True
        assert (await _default(client, world.project_id)) == first

    @pytest.mark.parametrize(
        ("body", "param"),
        [
            ({}, "name"),
            ({"name": ""}, "name"),
            ({"name": 42}, "name"),
            ({"name": "Sales", "routing": "random"}, "routing"),
            ({"name": "Sales", "status": 7}, "status"),
            ({"name": "Sales", "status": "visible"}, "status"),
            ({"name": "Sales", "default": "maybe"}, "default"),
            ({"name": "Sales", "description": ["a"]}, "description"),
            ({"name": "Sales", "id_bot": 12}, "id_bot"),
            ({"name": "Sales", "groups": "all"}, "groups"),
            ({"name": "Sales", "groups": [{"group_id": "x"}]}, "groups.0.percentage"),
            ({"name": "Sales", "groups": [{"percentage": 10}]}, "groups.0.group_id"),
            ({"name": "Sales", "id_group": UNKNOWN_ID}, "id_group"),
            (
                {"name": "Sales", "groups": [{"group_id": UNKNOWN_ID, "percentage": 5}]},
                "groups.0.group_id",
            ),
        ],
    )
    async def test_bad_input_is_refused_and_nothing_is_written(
        self,
        client: httpx.AsyncClient,
        world: World,
        event_log: EventLog,
        body: dict[str, Any],
        param: str,
    ) -> None:
        before = await _all(client, world)
        events_before = event_log.named("department.create", world.project_id)

        response = await client.post(
            f"/{world.project_id}/departments", json=body, headers=world.admin.auth
        )

        assert response.status_code == 422
        [error] = response.json()["errors"]
        assert error["msg"] == "Invalid value"
        assert error["location"] == "body"
        assert error["param"] == param
        assert await _all(client, world) == before
        assert event_log.named("department.create", world.project_id) == events_before

    async def test_a_group_of_another_project_is_refused(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        before = await _all(client, world)
        theirs = await client.post(
            f"/{world.other_project_id}/groups",
            json={"name": "Theirs"},
            headers=world.stranger.auth,
        )
        group_id = theirs.json()["_id"]

        by_id = await client.post(
            f"/{world.project_id}/departments",
            json={"name": "Sales", "id_group": group_id},
            headers=world.admin.auth,
        )
        by_share = await client.post(
            f"/{world.project_id}/departments",
            json={"name": "Sales", "groups": [{"group_id": group_id, "percentage": 100}]},
            headers=world.admin.auth,
        )

        assert by_id.status_code == 422
        assert by_id.json()["errors"][0]["param"] == "id_group"
        assert by_share.status_code == 422
        assert by_share.json()["errors"][0]["param"] == "groups.0.group_id"
        assert await _all(client, world) == before

    @pytest.mark.parametrize(("who", "expected"), ADMIN_ROUTE_ACCESS)
    async def test_access(
        self, client: httpx.AsyncClient, world: World, who: str, expected: str
    ) -> None:
        before = _names_of(await _all(client, world))

        response = await client.post(
            f"/{world.project_id}/departments",
            json={"name": "Sales"},
            headers=headers_of(world, who),
        )

        assert_access(response, expected)
        names = _names_of(await _all(client, world))
        assert names == ([*before, "Sales"] if expected == "allowed" else before)


def _names_of(departments: list[dict[str, Any]]) -> list[str]:
    return [department["name"] for department in departments]


class TestUpdateDepartment:
    async def test_writes_the_fields_given(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        group = await _group(client, world)
        department = await _create(client, world, name="Sales", description="Buyers")
        seen = len(event_log.named("department.update", world.project_id))

        response = await client.put(
            f"/{world.project_id}/departments/{department['_id']}",
            json={
                "name": "Sales EU",
                "routing": "assigned",
                "status": 0,
                "online_msg": "We are here",
                "id_bot": "a-bot",
                "bot_only": False,
                "id_group": group["_id"],
                "groups": [{"group_id": group["_id"], "percentage": 100}],
            },
            headers=world.admin.auth,
        )

        assert response.status_code == 200
        updated = response.json()
        assert updated["_id"] == department["_id"]
        assert updated["name"] == "Sales EU"
        assert updated["description"] == "Buyers"
        assert updated["routing"] == "assigned"
        assert updated["status"] == 0
        assert updated["online_msg"] == "We are here"
        assert updated["id_bot"] == "a-bot"
        assert updated["bot_only"] is False
        assert updated["hasBot"] is True
        assert updated["id_group"] == group["_id"]
        assert updated["groups"][0]["group_id"] == group["_id"]
        assert updated["createdAt"] == department["createdAt"]
        assert (await _read(client, world.project_id, department["_id"])).json() == updated
        [event] = event_log.named("department.update", world.project_id)[seen:]
        assert event.payload == updated

    async def test_a_bot_and_a_group_left_out_are_cleared(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        group = await _group(client, world)
        department = await _create(
            client, world, name="Sales", id_bot="a-bot", bot_only=True, id_group=group["_id"]
        )

        response = await client.put(
            f"/{world.project_id}/departments/{department['_id']}",
            json={"description": "Now without bot"},
            headers=world.admin.auth,
        )

        assert response.status_code == 200
        updated = response.json()
        assert "id_bot" not in updated
        assert "id_group" not in updated
        assert updated["hasBot"] is False
        assert updated["bot_only"] is True
        assert updated["name"] == "Sales"
        assert updated["description"] == "Now without bot"

    async def test_other_fields_left_out_or_null_are_kept(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        group = await _group(client, world)
        department = await _create(
            client,
            world,
            name="Sales",
            description="Buyers",
            routing="assigned",
            status=0,
            groups=[{"group_id": group["_id"], "percentage": 100}],
        )

        response = await client.put(
            f"/{world.project_id}/departments/{department['_id']}",
            json={"name": None, "description": None, "id_bot": None},
            headers=world.admin.auth,
        )

        updated = response.json()
        assert response.status_code == 200
        assert {key: updated[key] for key in ("name", "description", "routing", "status")} == {
            "name": "Sales",
            "description": "Buyers",
            "routing": "assigned",
            "status": 0,
        }
        assert updated["groups"] == department["groups"]

    @pytest.mark.parametrize("where", ["unknown", "other project"])
    async def test_a_department_outside_the_project_is_not_found_nor_created(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog, where: str
    ) -> None:
        theirs = await _default(client, world.other_project_id)
        department_id = UNKNOWN_ID if where == "unknown" else theirs["_id"]
        before = await _all(client, world)
        events_before = event_log.named("department.update", world.project_id)

        response = await client.put(
            f"/{world.project_id}/departments/{department_id}",
            json={"name": "Taken over"},
            headers=world.owner.auth,
        )

        assert response.status_code == 404
        assert response.json() == NOT_FOUND
        assert await _default(client, world.other_project_id) == theirs
        assert await _all(client, world) == before
        assert event_log.named("department.update", world.project_id) == events_before

    @pytest.mark.parametrize(
        ("body", "param"),
        [
            ({"name": ""}, "name"),
            ({"routing": "everyone"}, "routing"),
            ({"status": 2}, "status"),
            ({"bot_only": "sometimes"}, "bot_only"),
            ({"online_msg": {"text": "hi"}}, "online_msg"),
            ({"groups": [{"group_id": UNKNOWN_ID, "percentage": 1}]}, "groups.0.group_id"),
            ({"id_group": UNKNOWN_ID}, "id_group"),
        ],
    )
    async def test_bad_input_is_refused_and_nothing_is_written(
        self,
        client: httpx.AsyncClient,
        world: World,
        event_log: EventLog,
        body: dict[str, Any],
        param: str,
    ) -> None:
        department = await _create(client, world, name="Sales", id_bot="a-bot")
        events_before = event_log.named("department.update", world.project_id)

        response = await client.put(
            f"/{world.project_id}/departments/{department['_id']}",
            json=body,
            headers=world.admin.auth,
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == param
        assert (await _read(client, world.project_id, department["_id"])).json() == department
        assert event_log.named("department.update", world.project_id) == events_before

    @pytest.mark.parametrize(("who", "expected"), ADMIN_ROUTE_ACCESS)
    async def test_access(
        self, client: httpx.AsyncClient, world: World, who: str, expected: str
    ) -> None:
        department = await _create(client, world, name="Sales")

        response = await client.put(
            f"/{world.project_id}/departments/{department['_id']}",
            json={"name": "Renamed"},
            headers=headers_of(world, who),
        )

        assert_access(response, expected)
        after = await _read(client, world.project_id, department["_id"])
        assert (after.json()["name"] == "Renamed") is (expected == "allowed")


class TestPatchDepartment:
    async def test_touches_only_the_fields_given(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        group = await _group(client, world)
        department = await _create(
            client,
            world,
            name="Sales",
            description="Buyers",
            id_bot="a-bot",
            bot_only=True,
            id_group=group["_id"],
        )
        seen = len(event_log.named("department.update", world.project_id))

        response = await client.patch(
            f"/{world.project_id}/departments/{department['_id']}",
            json={"status": -1},
            headers=world.admin.auth,
        )

        assert response.status_code == 200
        patched = response.json()
        assert patched["status"] == -1
        unchanged = {
            key: value for key, value in patched.items() if key not in ("status", "updatedAt")
        }
        assert unchanged == {
            key: value for key, value in department.items() if key not in ("status", "updatedAt")
        }
        [event] = event_log.named("department.update", world.project_id)[seen:]
        assert event.payload == patched

    async def test_writes_every_patchable_field(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        group = await _group(client, world)
        department = await _create(client, world, name="Sales")

        response = await client.patch(
            f"/{world.project_id}/departments/{department['_id']}",
            json={
                "name": "Sales EU",
                "description": "Europe",
                "routing": "assigned",
                "status": 0,
                "id_bot": "a-bot",
                "bot_only": True,
                "id_group": group["_id"],
                "groups": [{"group_id": group["_id"], "percentage": 50}],
            },
            headers=world.admin.auth,
        )

        patched = response.json()
        assert response.status_code == 200
        assert patched["name"] == "Sales EU"
        assert patched["description"] == "Europe"
        assert patched["routing"] == "assigned"
        assert patched["status"] == 0
        assert patched["id_bot"] == "a-bot"
        assert patched["bot_only"] is True
        assert patched["hasBot"] is True
        assert patched["id_group"] == group["_id"]
        assert [share["percentage"] for share in patched["groups"]] == [50]

    async def test_the_online_message_is_not_patchable(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        department = await _create(client, world, name="Sales")

        response = await client.patch(
            f"/{world.project_id}/departments/{department['_id']}",
            json={"online_msg": "Hello"},
            headers=world.admin.auth,
        )

        assert response.status_code == 200
        assert "online_msg" not in response.json()

    @pytest.mark.parametrize("where", ["unknown", "other project"])
    async def test_a_department_outside_the_project_is_not_found(
        self, client: httpx.AsyncClient, world: World, where: str
    ) -> None:
        theirs = await _default(client, world.other_project_id)
        department_id = UNKNOWN_ID if where == "unknown" else theirs["_id"]

        response = await client.patch(
            f"/{world.project_id}/departments/{department_id}",
            json={"status": 0},
            headers=world.owner.auth,
        )

        assert response.status_code == 404
        assert response.json() == NOT_FOUND
        assert await _default(client, world.other_project_id) == theirs

    @pytest.mark.parametrize(
        ("body", "param"),
        [
            ({"status": "hidden"}, "status"),
            ({"routing": "pool"}, "routing"),
            ({"id_group": UNKNOWN_ID}, "id_group"),
            ({"name": ""}, "name"),
        ],
    )
    async def test_bad_input_is_refused_and_nothing_is_written(
        self, client: httpx.AsyncClient, world: World, body: dict[str, Any], param: str
    ) -> None:
        department = await _create(client, world, name="Sales")

        response = await client.patch(
            f"/{world.project_id}/departments/{department['_id']}",
            json={"description": "Changed", **body},
            headers=world.admin.auth,
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == param
        assert (await _read(client, world.project_id, department["_id"])).json() == department

    @pytest.mark.parametrize(("who", "expected"), ADMIN_ROUTE_ACCESS)
    async def test_access(
        self, client: httpx.AsyncClient, world: World, who: str, expected: str
    ) -> None:
        department = await _create(client, world, name="Sales")

        response = await client.patch(
            f"/{world.project_id}/departments/{department['_id']}",
            json={"status": 0},
            headers=headers_of(world, who),
        )

        assert_access(response, expected)
        status = (await _read(client, world.project_id, department["_id"])).json()["status"]
        assert status == (0 if expected == "allowed" else 1)


class TestDeleteDepartment:
    async def test_removes_the_department_and_answers_it(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)
        department = await _create(client, world, name="Sales", description="Buyers")

        response = await client.delete(
            f"/{world.project_id}/departments/{department['_id']}", headers=world.admin.auth
        )

        assert response.status_code == 200
        assert response.json() == department
        assert (await _read(client, world.project_id, department["_id"])).status_code == 404
        assert _names_of(await _all(client, world)) == ["Default Department"]
        [event] = event_log.named("department.delete", world.project_id)
        assert event.payload == department

    async def test_the_default_department_is_not_protected(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        default = await _default(client, world.project_id)

        response = await client.delete(
            f"/{world.project_id}/departments/{default['_id']}", headers=world.owner.auth
        )

        assert response.status_code == 200
        assert response.json() == default
        assert await _all(client, world) == []

    @pytest.mark.parametrize("where", ["unknown", "other project"])
    async def test_a_department_outside_the_project_is_not_found(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog, where: str
    ) -> None:
        theirs = await _default(client, world.other_project_id)
        department_id = UNKNOWN_ID if where == "unknown" else theirs["_id"]
        events_before = event_log.named("department.delete", world.project_id)

        response = await client.delete(
            f"/{world.project_id}/departments/{department_id}", headers=world.owner.auth
        )

        assert response.status_code == 404
        assert response.json() == NOT_FOUND
        assert await _default(client, world.other_project_id) == theirs
        assert event_log.named("department.delete", world.project_id) == events_before

    @pytest.mark.parametrize(("who", "expected"), ADMIN_ROUTE_ACCESS)
    async def test_access(
        self, client: httpx.AsyncClient, world: World, who: str, expected: str
    ) -> None:
        department = await _create(client, world, name="Sales")

        response = await client.delete(
            f"/{world.project_id}/departments/{department['_id']}",
            headers=headers_of(world, who),
        )

        assert_access(response, expected)
        still_there = (await _read(client, world.project_id, department["_id"])).status_code
        assert still_there == (404 if expected == "allowed" else 200)


async def test_a_project_made_later_gets_its_own_default_department(
    client: httpx.AsyncClient,
) -> None:
    owner = await signup(client)
    first = await make_project(client, owner, name="First")
    second = await make_project(client, owner, name="Second")

    one = await _default(client, first)
    two = await _default(client, second)

    assert one["_id"] != two["_id"]
    assert (one["id_project"], two["id_project"]) == (first, second)
