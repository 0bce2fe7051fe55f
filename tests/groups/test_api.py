"""Agent groups: ``/{pid}/groups`` (fact sheet §5.9, §9.8), and how a department's groups
restrict ``GET /projects/:pid/users/availables`` (§5.2)."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tessera.departments import repository as departments
from tests.conftest import EventLog
from tests.factories import World, make_world
from tests.project_users.support import AGENT_ROUTE_ACCESS, NOT_FOUND, assert_access, headers_of
from tests.projects.helpers import ISO_MS, OBJECT_ID

UNKNOWN_ID = "0123456789abcdef01234567"
FIELDS = {
    "_id",
    "name",
    "members",
    "id_project",
    "enabled",
    "trashed",
    "createdBy",
    "createdAt",
    "updatedAt",
    "__v",
}
IN_A_DEPARTMENT = {
    "disable": {
        "success": False,
        "error": "Unable to disabled a group associated with a department",
    },
    "delete": {"success": False, "error": "Unable to delete a group associated with a department"},
}


async def _create(
    client: httpx.AsyncClient, world: World, name: str = "Sales team", **body: Any
) -> dict[str, Any]:
    response = await client.post(
        f"/{world.project_id}/groups", json={"name": name, **body}, headers=world.agent.auth
    )
    assert response.status_code == 200, response.text
    group: dict[str, Any] = response.json()
    return group


async def _read(client: httpx.AsyncClient, world: World, group_id: str) -> httpx.Response:
    return await client.get(f"/{world.project_id}/groups/{group_id}", headers=world.agent.auth)


async def _listed(client: httpx.AsyncClient, world: World, **params: str) -> list[dict[str, Any]]:
    response = await client.get(
        f"/{world.project_id}/groups", params=params, headers=world.agent.auth
    )
    assert response.status_code == 200, response.text
    listed: list[dict[str, Any]] = response.json()
    return listed


async def _department(client: httpx.AsyncClient, world: World, **body: Any) -> dict[str, Any]:
    response = await client.post(
        f"/{world.project_id}/departments",
        json={"name": "Sales", **body},
        headers=world.admin.auth,
    )
    assert response.status_code == 200, response.text
    department: dict[str, Any] = response.json()
    return department


async def _theirs(client: httpx.AsyncClient, world: World) -> dict[str, Any]:
    response = await client.post(
        f"/{world.other_project_id}/groups", json={"name": "Theirs"}, headers=world.stranger.auth
    )
    assert response.status_code == 200, response.text
    group: dict[str, Any] = response.json()
    return group


async def _their_group_unchanged(
    client: httpx.AsyncClient, world: World, group: dict[str, Any]
) -> bool:
    response = await client.get(
        f"/{world.other_project_id}/groups/{group['_id']}", headers=world.stranger.auth
    )
    return response.status_code == 200 and response.json() == group


@pytest.fixture(scope="module")
async def world(client: httpx.AsyncClient) -> World:
    """Shared by the tests that write only groups and departments of their own and compare the
    project's lists and events before and after; the others make a World of their own."""
    return await make_world(client)


@pytest.fixture(scope="module")
async def world_with_one_group(client: httpx.AsyncClient) -> tuple[World, dict[str, Any]]:
    """A World whose project has a single group, only read."""
    world = await make_world(client)
    return world, await _create(client, world)


class TestListGroups:
    async def test_answers_a_bare_array_in_creation_order(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        first = await _create(client, world, "First")
        second = await _create(client, world, "Second", members=[world.agent.id])
        await _theirs(client, world)

        response = await client.get(f"/{world.project_id}/groups", headers=world.agent.auth)

        assert response.status_code == 200
        assert response.json() == [first, second]

    async def test_is_empty_without_groups(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)

        assert await _listed(client, world) == []

    async def test_trashed_groups_are_left_out_but_disabled_ones_are_listed(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        trashed = await _create(client, world, "Trashed")
        disabled = await _create(client, world, "Disabled")
        await client.delete(
            f"/{world.project_id}/groups/{trashed['_id']}", headers=world.agent.auth
        )
        await client.put(
            f"/{world.project_id}/groups/disable/{disabled['_id']}", headers=world.agent.auth
        )

        listed = await _listed(client, world)

        assert [(group["name"], group["enabled"]) for group in listed] == [("Disabled", False)]

    async def test_member_lists_the_groups_of_one_user(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        both = await _create(client, world, "Both", members=[world.agent.id, world.admin.id])
        await _create(client, world, "Admins", members=[world.admin.id])
        agents = await _create(client, world, "Agents", members=[world.agent.id])

        listed = await _listed(client, world, member=world.agent.id)

        assert listed == [both, agents]

    async def test_a_member_of_no_group_gets_an_empty_list(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        await _create(client, world, "Admins", members=[world.admin.id])

        assert await _listed(client, world, member=world.owner.id) == []

    @pytest.mark.parametrize(("who", "expected"), AGENT_ROUTE_ACCESS)
    async def test_access(
        self,
        client: httpx.AsyncClient,
        world_with_one_group: tuple[World, dict[str, Any]],
        who: str,
        expected: str,
    ) -> None:
        world, group = world_with_one_group

        response = await client.get(f"/{world.project_id}/groups", headers=headers_of(world, who))

        assert_access(response, expected)
        if expected == "allowed":
            assert response.json() == [group]


class TestGetGroup:
    async def test_answers_the_group_field_by_field(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        created = await _create(client, world, members=[world.agent.id])

        response = await _read(client, world, created["_id"])

        assert response.status_code == 200
        group = response.json()
        assert group == created
        assert set(group) == FIELDS
        assert OBJECT_ID.fullmatch(group["_id"])
        assert "id" not in group
        assert group["name"] == "Sales team"
        assert group["members"] == [world.agent.id]
        assert group["id_project"] == world.project_id
        assert group["enabled"] is True
        assert group["trashed"] is False
        assert group["createdBy"] == world.agent.id
        assert ISO_MS.fullmatch(group["createdAt"])
        assert group["updatedAt"] == group["createdAt"]
        assert group["__v"] == 0

    async def test_a_trashed_group_is_still_readable(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        group = await _create(client, world)
        await client.delete(f"/{world.project_id}/groups/{group['_id']}", headers=world.agent.auth)

        response = await _read(client, world, group["_id"])

        assert response.status_code == 200
        assert response.json()["trashed"] is True

    @pytest.mark.parametrize("group_id", [UNKNOWN_ID, "not-an-id"])
    async def test_an_unknown_id_is_not_found(
        self, client: httpx.AsyncClient, world: World, group_id: str
    ) -> None:
        response = await _read(client, world, group_id)

        assert response.status_code == 404
        assert response.json() == NOT_FOUND

    async def test_a_group_of_another_project_is_not_found(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        theirs = await _theirs(client, world)

        response = await _read(client, world, theirs["_id"])

        assert response.status_code == 404
        assert response.json() == NOT_FOUND

    @pytest.mark.parametrize(("who", "expected"), AGENT_ROUTE_ACCESS)
    async def test_access(
        self, client: httpx.AsyncClient, world: World, who: str, expected: str
    ) -> None:
        group = await _create(client, world)

        response = await client.get(
            f"/{world.project_id}/groups/{group['_id']}", headers=headers_of(world, who)
        )

        assert_access(response, expected)
        if expected == "allowed":
            assert response.json() == group


class TestCreateGroup:
    async def test_stores_an_enabled_group(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)

        response = await client.post(
            f"/{world.project_id}/groups",
            json={"name": "Sales team", "members": [world.agent.id, world.admin.id]},
            headers=world.admin.auth,
        )

        assert response.status_code == 200
        created = response.json()
        assert set(created) == FIELDS
        assert created["members"] == [world.agent.id, world.admin.id]
        assert created["enabled"] is True
        assert created["trashed"] is False
        assert created["createdBy"] == world.admin.id
        assert await _listed(client, world) == [created]
        [event] = event_log.named("group.create", world.project_id)
        assert event.payload == created

    async def test_members_default_to_none(self, client: httpx.AsyncClient, world: World) -> None:
        created = await _create(client, world)

        assert created["members"] == []

    @pytest.mark.parametrize(
        ("body", "param"),
        [
            ({}, "name"),
            ({"name": ""}, "name"),
            ({"name": ["Sales"]}, "name"),
            ({"name": "Sales", "members": "someone"}, "members"),
            ({"name": "Sales", "members": [42]}, "members.0"),
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
        before = await _listed(client, world)
        events_before = event_log.named("group.create", world.project_id)

        response = await client.post(
            f"/{world.project_id}/groups", json=body, headers=world.agent.auth
        )

        assert response.status_code == 422
        [error] = response.json()["errors"]
        assert error["param"] == param
        assert error["msg"] == "Invalid value"
        assert await _listed(client, world) == before
        assert event_log.named("group.create", world.project_id) == events_before

    @pytest.mark.parametrize(("who", "expected"), AGENT_ROUTE_ACCESS)
    async def test_access(
        self, client: httpx.AsyncClient, world: World, who: str, expected: str
    ) -> None:
        before = [group["name"] for group in await _listed(client, world)]

        response = await client.post(
            f"/{world.project_id}/groups", json={"name": "Team"}, headers=headers_of(world, who)
        )

        assert_access(response, expected)
        names = [group["name"] for group in await _listed(client, world)]
        assert names == ([*before, "Team"] if expected == "allowed" else before)


class TestUpdateGroup:
    async def test_writes_the_fields_given(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)
        group = await _create(client, world, members=[world.agent.id])

        response = await client.put(
            f"/{world.project_id}/groups/{group['_id']}",
            json={
                "name": "Renamed",
                "members": [world.admin.id],
                "attributes": {"color": "blue"},
            },
            headers=world.agent.auth,
        )

        assert response.status_code == 200
        updated = response.json()
        assert set(updated) == FIELDS | {"attributes"}
        assert updated["name"] == "Renamed"
        assert updated["members"] == [world.admin.id]
        assert updated["attributes"] == {"color": "blue"}
        assert updated["enabled"] is True
        assert updated["createdAt"] == group["createdAt"]
        assert (await _read(client, world, group["_id"])).json() == updated
        [event] = event_log.named("group.update", world.project_id)
        assert event.payload == updated

    async def test_fields_left_out_are_kept(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        group = await _create(client, world, members=[world.agent.id])

        response = await client.put(
            f"/{world.project_id}/groups/{group['_id']}",
            json={"trashed": True, "name": None},
            headers=world.agent.auth,
        )

        assert response.status_code == 200
        updated = response.json()
        assert updated["trashed"] is True
        assert updated["name"] == "Sales team"
        assert updated["members"] == [world.agent.id]
        assert await _listed(client, world) == []

    async def test_members_can_be_emptied(self, client: httpx.AsyncClient, world: World) -> None:
        group = await _create(client, world, members=[world.agent.id])

        response = await client.put(
            f"/{world.project_id}/groups/{group['_id']}",
            json={"members": []},
            headers=world.agent.auth,
        )

        assert response.json()["members"] == []

    @pytest.mark.parametrize("where", ["unknown", "other project"])
    async def test_a_group_outside_the_project_is_not_found_nor_created(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog, where: str
    ) -> None:
        theirs = await _theirs(client, world)
        group_id = UNKNOWN_ID if where == "unknown" else theirs["_id"]
        before = await _listed(client, world)
        events_before = event_log.named("group.update", world.project_id)

        response = await client.put(
            f"/{world.project_id}/groups/{group_id}",
            json={"name": "Taken over"},
            headers=world.owner.auth,
        )

        assert response.status_code == 404
        assert response.json() == NOT_FOUND
        assert await _listed(client, world) == before
        assert await _their_group_unchanged(client, world, theirs)
        assert event_log.named("group.update", world.project_id) == events_before

    @pytest.mark.parametrize(
        ("body", "param"),
        [
            ({"name": ""}, "name"),
            ({"members": {"a": 1}}, "members"),
            ({"trashed": "soon"}, "trashed"),
            ({"attributes": ["not", "an", "object"]}, "attributes"),
        ],
    )
    async def test_bad_input_is_refused_and_nothing_is_written(
        self, client: httpx.AsyncClient, world: World, body: dict[str, Any], param: str
    ) -> None:
        group = await _create(client, world)

        response = await client.put(
            f"/{world.project_id}/groups/{group['_id']}",
            json={"members": [world.agent.id], **body},
            headers=world.agent.auth,
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == param
        assert (await _read(client, world, group["_id"])).json() == group

    @pytest.mark.parametrize(("who", "expected"), AGENT_ROUTE_ACCESS)
    async def test_access(
        self, client: httpx.AsyncClient, world: World, who: str, expected: str
    ) -> None:
        group = await _create(client, world)

        response = await client.put(
            f"/{world.project_id}/groups/{group['_id']}",
            json={"name": "Renamed"},
            headers=headers_of(world, who),
        )

        assert_access(response, expected)
        name = (await _read(client, world, group["_id"])).json()["name"]
        assert name == ("Renamed" if expected == "allowed" else "Sales team")


class TestEnableAndDisable:
    async def test_disable_then_enable(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)
        group = await _create(client, world)

        disabled = await client.put(
            f"/{world.project_id}/groups/disable/{group['_id']}", headers=world.agent.auth
        )
        enabled = await client.put(
            f"/{world.project_id}/groups/enable/{group['_id']}", headers=world.agent.auth
        )

        assert disabled.status_code == 200
        assert disabled.json()["enabled"] is False
        assert enabled.status_code == 200
        assert enabled.json()["enabled"] is True
        assert {**enabled.json(), "updatedAt": None} == {**group, "updatedAt": None}
        events = event_log.named("group.update", world.project_id)
        assert [event.payload for event in events] == [disabled.json(), enabled.json()]

    async def test_a_group_a_department_routes_to_cannot_be_disabled(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        group = await _create(client, world)
        await _department(client, world, id_group=group["_id"])
        events_before = event_log.named("group.update", world.project_id)

        response = await client.put(
            f"/{world.project_id}/groups/disable/{group['_id']}", headers=world.agent.auth
        )

        assert response.status_code == 403
        assert response.json() == IN_A_DEPARTMENT["disable"]
        assert (await _read(client, world, group["_id"])).json() == group
        assert event_log.named("group.update", world.project_id) == events_before

    async def test_a_group_listed_only_in_department_shares_can_be_disabled(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        group = await _create(client, world)
        await _department(client, world, groups=[{"group_id": group["_id"], "percentage": 100}])

        response = await client.put(
            f"/{world.project_id}/groups/disable/{group['_id']}", headers=world.agent.auth
        )

        # Tiledesk checks id_group only (services/departmentService.js).
        assert response.status_code == 200
        assert response.json()["enabled"] is False

    @pytest.mark.parametrize("action", ["enable", "disable"])
    @pytest.mark.parametrize("where", ["unknown", "other project"])
    async def test_a_group_outside_the_project_is_not_found(
        self, client: httpx.AsyncClient, world: World, action: str, where: str
    ) -> None:
        theirs = await _theirs(client, world)
        group_id = UNKNOWN_ID if where == "unknown" else theirs["_id"]

        response = await client.put(
            f"/{world.project_id}/groups/{action}/{group_id}", headers=world.owner.auth
        )

        assert response.status_code == 404
        assert response.json() == NOT_FOUND
        assert await _their_group_unchanged(client, world, theirs)

    @pytest.mark.parametrize("action", ["enable", "disable"])
    @pytest.mark.parametrize(("who", "expected"), AGENT_ROUTE_ACCESS)
    async def test_access(
        self, client: httpx.AsyncClient, world: World, action: str, who: str, expected: str
    ) -> None:
        group = await _create(client, world)

        response = await client.put(
            f"/{world.project_id}/groups/{action}/{group['_id']}", headers=headers_of(world, who)
        )

        assert_access(response, expected)
        enabled = (await _read(client, world, group["_id"])).json()["enabled"]
        assert enabled is (action == "enable" or expected != "allowed")


class TestDeleteGroup:
    async def test_trashes_the_group_by_default(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)
        group = await _create(client, world)

        response = await client.delete(
            f"/{world.project_id}/groups/{group['_id']}", headers=world.agent.auth
        )

        assert response.status_code == 200
        assert response.json() == {"success": True, "message": "Group successfully deleted"}
        trashed = (await _read(client, world, group["_id"])).json()
        assert (trashed["enabled"], trashed["trashed"]) == (False, True)
        assert await _listed(client, world) == []
        [event] = event_log.named("group.update", world.project_id)
        assert event.payload == trashed
        assert event_log.named("group.delete", world.project_id) == []

    async def test_force_removes_the_group_and_answers_it(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        group = await _create(client, world)
        seen = len(event_log.named("group.delete", world.project_id))

        response = await client.delete(
            f"/{world.project_id}/groups/{group['_id']}",
            params={"force": "true"},
            headers=world.agent.auth,
        )

        assert response.status_code == 200
        assert response.json() == group
        assert (await _read(client, world, group["_id"])).status_code == 404
        [event] = event_log.named("group.delete", world.project_id)[seen:]
        assert event.payload == group

    @pytest.mark.parametrize("force", [None, "true"])
    async def test_a_group_a_department_routes_to_cannot_be_deleted(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog, force: str | None
    ) -> None:
        group = await _create(client, world)
        await _department(client, world, id_group=group["_id"])
        updates_before = event_log.named("group.update", world.project_id)
        deletes_before = event_log.named("group.delete", world.project_id)

        response = await client.delete(
            f"/{world.project_id}/groups/{group['_id']}",
            params={"force": force} if force else None,
            headers=world.agent.auth,
        )

        assert response.status_code == 403
        assert response.json() == IN_A_DEPARTMENT["delete"]
        assert (await _read(client, world, group["_id"])).json() == group
        assert event_log.named("group.update", world.project_id) == updates_before
        assert event_log.named("group.delete", world.project_id) == deletes_before

    @pytest.mark.parametrize("force", [None, "true"])
    @pytest.mark.parametrize("where", ["unknown", "other project"])
    async def test_a_group_outside_the_project_is_not_found(
        self, client: httpx.AsyncClient, world: World, force: str | None, where: str
    ) -> None:
        theirs = await _theirs(client, world)
        group_id = UNKNOWN_ID if where == "unknown" else theirs["_id"]

        response = await client.delete(
            f"/{world.project_id}/groups/{group_id}",
            params={"force": force} if force else None,
            headers=world.owner.auth,
        )

        assert response.status_code == 404
        assert response.json() == NOT_FOUND
        assert await _their_group_unchanged(client, world, theirs)

    @pytest.mark.parametrize(("who", "expected"), AGENT_ROUTE_ACCESS)
    async def test_access(
        self, client: httpx.AsyncClient, world: World, who: str, expected: str
    ) -> None:
        group = await _create(client, world)

        response = await client.delete(
            f"/{world.project_id}/groups/{group['_id']}",
            params={"force": "true"},
            headers=headers_of(world, who),
        )

        assert_access(response, expected)
        still_there = (await _read(client, world, group["_id"])).status_code
        assert still_there == (404 if expected == "allowed" else 200)


async def _availables(
    client: httpx.AsyncClient, world: World, department_id: str
) -> httpx.Response:
    return await client.get(
        f"/projects/{world.project_id}/users/availables", params={"department": department_id}
    )


def _ids(response: httpx.Response) -> list[str]:
    return [agent["id"] for agent in response.json()]


async def _disable(client: httpx.AsyncClient, world: World, group: dict[str, Any]) -> None:
    response = await client.put(
        f"/{world.project_id}/groups/disable/{group['_id']}", headers=world.agent.auth
    )
    assert response.status_code == 200, response.text


class TestAvailableUsersOfADepartment:
    async def test_a_department_without_groups_lists_every_available_teammate(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        department = await _department(client, world)

        response = await _availables(client, world, department["_id"])

        assert response.status_code == 200
        assert _ids(response) == [
            world.owner.id,
            world.admin.id,
            world.supervisor.id,
            world.agent.id,
        ]

    async def test_a_department_group_restricts_to_its_members(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        group = await _create(
            client, world, members=[world.agent.id, world.supervisor.id, world.outsider.id]
        )
        department = await _department(client, world, id_group=group["_id"])

        response = await _availables(client, world, department["_id"])

        assert response.status_code == 200
        assert _ids(response) == [world.supervisor.id, world.agent.id]

    async def test_unavailable_group_members_are_left_out(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        group = await _create(client, world, members=[world.agent.id, world.supervisor.id])
        department = await _department(client, world, id_group=group["_id"])
        away = await client.put(
            f"/{world.project_id}/project_users",
            json={"user_available": False},
            headers=world.agent.auth,
        )
        assert away.status_code == 200

        response = await _availables(client, world, department["_id"])

        assert _ids(response) == [world.supervisor.id]

    async def test_a_disabled_department_group_is_refused(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        group = await _create(client, world, members=[world.agent.id])
        await _disable(client, world, group)
        department = await _department(client, world, id_group=group["_id"])

        response = await _availables(client, world, department["_id"])

        assert response.status_code == 403
        assert response.json() == {
            "success": False,
            "error": f"Group {group['_id']} is currently disabled",
        }

    async def test_a_missing_department_group_is_not_found(
        self, client: httpx.AsyncClient, app: FastAPI
    ) -> None:
        world = await make_world(client)
        department = await _department(client, world)
        # The API never lets a department name a missing group: write the row directly.
        await app.state.db.write(
            departments.update_fields,
            world.project_id,
            department["_id"],
            {"id_group": UNKNOWN_ID},
        )

        response = await _availables(client, world, department["_id"])

        assert response.status_code == 404
        assert response.json() == {"success": False, "error": f"Group {UNKNOWN_ID} not found"}

    async def test_shares_list_the_members_of_their_enabled_groups(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        agents = await _create(client, world, "Agents", members=[world.agent.id])
        owners = await _create(client, world, "Owners", members=[world.owner.id, world.agent.id])
        admins = await _create(client, world, "Admins", members=[world.admin.id])
        await _disable(client, world, admins)
        lone = await _create(client, world, "Lone", members=[world.supervisor.id])
        department = await _department(
            client,
            world,
            id_group=lone["_id"],
            groups=[
                {"group_id": agents["_id"], "percentage": 40},
                {"group_id": owners["_id"], "percentage": 40},
                {"group_id": admins["_id"], "percentage": 20},
            ],
        )

        response = await _availables(client, world, department["_id"])

        # The shares win over id_group when both are set.
        assert response.status_code == 200
        assert _ids(response) == [world.owner.id, world.agent.id]

    async def test_shares_of_disabled_groups_only_are_refused(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        group = await _create(client, world, members=[world.agent.id])
        await _disable(client, world, group)
        department = await _department(
            client, world, groups=[{"group_id": group["_id"], "percentage": 100}]
        )

        response = await _availables(client, world, department["_id"])

        assert response.status_code == 403
        assert response.json() == {"success": False, "error": "All groups are currently disabled"}

    async def test_shares_of_missing_groups_only_are_not_found(
        self, client: httpx.AsyncClient, app: FastAPI
    ) -> None:
        world = await make_world(client)
        department = await _department(client, world)
        await app.state.db.write(
            departments.update_fields,
            world.project_id,
            department["_id"],
            {"groups": [{"_id": UNKNOWN_ID, "group_id": UNKNOWN_ID, "percentage": 100}]},
        )

        response = await _availables(client, world, department["_id"])

        assert response.status_code == 404
        assert response.json() == {"success": False, "error": "No valid groups found"}

    async def test_a_closed_project_lists_nobody_whatever_the_groups(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        group = await _create(client, world, members=[world.agent.id])
        await _disable(client, world, group)
        department = await _department(client, world, id_group=group["_id"])
        closed = await client.put(
            f"/projects/{world.project_id}",
            json={"activeOperatingHours": True, "operatingHours": '{"tzname": "UTC"}'},
            headers=world.owner.auth,
        )
        assert closed.status_code == 200

        response = await _availables(client, world, department["_id"])

        assert response.status_code == 200
        assert response.json() == []
