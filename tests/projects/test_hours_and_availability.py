"""Public project routes: GET /projects/{id}/isopen and GET /projects/{id}/users/availables
(fact sheet §5.2 "Operating hours format", §5.8 step 6)."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tessera.departments import repository as departments
from tests.factories import Person, World, add_member, make_project, make_world, signup
from tests.projects.helpers import (
    ALL_DAY,
    hours_json,
    iso_weekday,
    set_project,
    sunday_first,
    utc_now,
    window_excluding,
    zone_on_another_day,
)

LAPSED_PROFILE = {"type": "payment", "name": "Custom", "subEnd": "2001-01-01T00:00:00.000Z"}


async def _is_open(
    client: httpx.AsyncClient, project_id: str, slot: str | None = None
) -> httpx.Response:
    params = {"timeSlot": slot} if slot is not None else None
    return await client.get(f"/projects/{project_id}/isopen", params=params)


async def _with_hours(
    client: httpx.AsyncClient, owner: Person, days: dict[str, Any], tzname: str = "UTC"
) -> str:
    """A project of ``owner`` with operating hours on."""
    project_id = await make_project(client, owner)
    await set_project(
        client,
        project_id,
        owner.auth,
        activeOperatingHours=True,
        operatingHours=hours_json(tzname, days),
    )
    return project_id


async def _with_slot(
    client: httpx.AsyncClient, owner: Person, slot: dict[str, Any], tzname: str = "UTC"
) -> str:
    """A project of ``owner`` whose time slot ``support`` is ``slot`` (``hours`` as days)."""
    project_id = await make_project(client, owner)
    if isinstance(slot.get("hours"), dict):
        slot = {**slot, "hours": hours_json(tzname, slot["hours"])}
    await set_project(client, project_id, owner.auth, timeSlots={"support": slot})
    return project_id


class TestIsOpen:
    async def test_a_project_without_operating_hours_is_always_open(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)

        response = await _is_open(client, project_id)

        assert response.status_code == 200
        assert response.json() == {"isopen": True}

    async def test_is_public(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)

        response = await client.get(
            f"/projects/{project_id}/isopen", headers={"Authorization": "JWT not-a-token"}
        )

        assert response.status_code == 200

    async def test_open_inside_todays_window(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        now = await utc_now()
        project_id = await _with_hours(client, owner, {sunday_first(now): ALL_DAY})

        response = await _is_open(client, project_id)

        assert response.json() == {"isopen": True}

    async def test_closed_outside_todays_window(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        now = await utc_now()
        project_id = await _with_hours(client, owner, {sunday_first(now): window_excluding(now)})

        response = await _is_open(client, project_id)

        assert response.status_code == 200
        assert response.json() == {"isopen": False}

    async def test_a_day_without_hours_is_closed(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        now = await utc_now()
        today = sunday_first(now)
        # Every other key open all day, "7" included: weekday keys run 0=Sunday..6=Saturday.
        days = {str(day): ALL_DAY for day in range(8) if str(day) != today}
        project_id = await _with_hours(client, owner, days)

        response = await _is_open(client, project_id)

        assert response.json() == {"isopen": False}

    async def test_day_and_time_are_read_in_the_projects_time_zone(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        now = await utc_now()
        zone = zone_on_another_day(now)
        local_today = sunday_first(now.astimezone(zone))
        project_id = await _with_hours(client, owner, {local_today: ALL_DAY}, tzname=zone.key)

        response = await _is_open(client, project_id)

        assert response.json() == {"isopen": True}

    async def test_hours_switched_off_leave_the_project_open(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        now = await utc_now()
        project_id = await _with_hours(client, owner, {sunday_first(now): window_excluding(now)})
        await set_project(client, project_id, owner.auth, activeOperatingHours=False)

        response = await _is_open(client, project_id)

        assert response.json() == {"isopen": True}

    async def test_a_lapsed_subscription_keeps_the_project_open(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        now = await utc_now()
        project_id = await _with_hours(client, owner, {sunday_first(now): window_excluding(now)})
        await client.put(
            f"/projects/{project_id}/downgradeplan",
            json={"profile": LAPSED_PROFILE},
            headers=owner.auth,
        )

        response = await _is_open(client, project_id)

        assert response.json() == {"isopen": True}

    async def test_hours_switched_on_without_hours_cannot_be_read(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        await set_project(client, project_id, owner.auth, activeOperatingHours=True)

        response = await _is_open(client, project_id)

        assert response.status_code == 422
        assert response.json() == {
            "success": False,
            "msg": {"errorCode": 1020, "msg": "Operating hours is empty"},
        }

    async def test_an_empty_time_slot_asks_for_the_project_hours(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        await set_project(client, project_id, owner.auth, activeOperatingHours=True)

        response = await _is_open(client, project_id, "")

        assert response.status_code == 422
        assert response.json()["msg"]["errorCode"] == 1020

    @pytest.mark.parametrize("project_id", ["a" * 24, "not-an-id"])
    async def test_an_unknown_project_is_404_with_tiledesks_error_code(
        self, client: httpx.AsyncClient, project_id: str
    ) -> None:
        response = await _is_open(client, project_id)

        assert response.status_code == 404
        assert response.json() == {
            "success": False,
            "msg": {"errorCode": 1010, "msg": "project not found for id", "projectId": project_id},
        }

    async def test_a_deleted_project_is_unknown(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        await client.delete(f"/projects/{project_id}", headers=owner.auth)

        response = await _is_open(client, project_id)

        assert response.status_code == 404
        assert response.json()["msg"]["errorCode"] == 1010


class TestIsOpenInATimeSlot:
    async def test_open_inside_the_slots_window_for_today(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        now = await utc_now()
        project_id = await _with_slot(
            client, owner, {"active": True, "hours": {iso_weekday(now): ALL_DAY}}
        )

        response = await _is_open(client, project_id, "support")

        assert response.status_code == 200
        assert response.json() == {"isopen": True}

    async def test_closed_outside_the_slots_window(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        now = await utc_now()
        project_id = await _with_slot(
            client, owner, {"active": True, "hours": {iso_weekday(now): window_excluding(now)}}
        )

        response = await _is_open(client, project_id, "support")

        assert response.json() == {"isopen": False}

    async def test_slot_days_are_iso_weekdays(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        now = await utc_now()
        today = iso_weekday(now)
        # Every other key open all day, "0" included: slot keys run 1=Monday..7=Sunday.
        days = {str(day): ALL_DAY for day in range(8) if str(day) != today}
        project_id = await _with_slot(client, owner, {"active": True, "hours": days})

        response = await _is_open(client, project_id, "support")

        assert response.json() == {"isopen": False}

    async def test_slot_day_is_read_in_the_slots_time_zone(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        now = await utc_now()
        zone = zone_on_another_day(now)
        local_today = iso_weekday(now.astimezone(zone))
        project_id = await _with_slot(
            client, owner, {"active": True, "hours": {local_today: ALL_DAY}}, tzname=zone.key
        )

        response = await _is_open(client, project_id, "support")

        assert response.json() == {"isopen": True}

    async def test_the_project_hours_do_not_apply_to_a_slot(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        now = await utc_now()
        project_id = await _with_hours(client, owner, {sunday_first(now): window_excluding(now)})
        slot = {"active": True, "hours": hours_json("UTC", {iso_weekday(now): ALL_DAY})}
        await set_project(client, project_id, owner.auth, timeSlots={"support": slot})

        project = await _is_open(client, project_id)
        in_slot = await _is_open(client, project_id, "support")

        assert project.json() == {"isopen": False}
        assert in_slot.json() == {"isopen": True}

    async def test_an_inactive_slot_is_open(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        now = await utc_now()
        project_id = await _with_slot(
            client, owner, {"active": False, "hours": {iso_weekday(now): window_excluding(now)}}
        )

        response = await _is_open(client, project_id, "support")

        assert response.json() == {"isopen": True}

    async def test_a_project_without_slots_is_open_in_any_slot(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)

        response = await _is_open(client, project_id, "anything")

        assert response.json() == {"isopen": True}

    async def test_an_unknown_slot_is_an_error(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await _with_slot(client, owner, {"active": True, "hours": {}})

        response = await _is_open(client, project_id, "sales")

        assert response.status_code == 422
        assert response.json() == {
            "success": False,
            "error": {"errorCode": 1030, "msg": "Slot not found with id sales"},
        }

    async def test_a_slot_without_time_zone_is_an_error(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        slot = {"active": True, "hours": hours_json(None, {"1": ALL_DAY})}
        project_id = await _with_slot(client, owner, slot)

        response = await _is_open(client, project_id, "support")

        assert response.status_code == 422
        assert response.json() == {
            "success": False,
            "error": {"errorCode": 2000, "msg": "Timezone undefined."},
        }

    async def test_a_slot_without_hours_is_an_error(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await _with_slot(client, owner, {"active": True})

        response = await _is_open(client, project_id, "support")

        assert response.status_code == 422
        assert response.json() == {
            "success": False,
            "error": {"errorCode": 1020, "msg": "Operating hours is empty"},
        }


async def _availables(client: httpx.AsyncClient, project_id: str, **params: str) -> httpx.Response:
    return await client.get(f"/projects/{project_id}/users/availables", params=params)


async def _membership_id(client: httpx.AsyncClient, world: World, person: Person) -> str:
    response = await client.get(
        f"/{world.project_id}/project_users/users/{person.id}", headers=world.owner.auth
    )
    assert response.status_code == 200, response.text
    membership_id: str = response.json()[0]["_id"]
    return membership_id


async def _set_own_membership(
    client: httpx.AsyncClient, world: World, person: Person, **body: Any
) -> None:
    response = await client.put(
        f"/{world.project_id}/project_users", json=body, headers=person.auth
    )
    assert response.status_code == 200, response.text


def _ids(response: httpx.Response) -> list[str]:
    return [agent["id"] for agent in response.json()]


class TestAvailableUsers:
    async def test_lists_available_teammates_field_by_field(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        owner_membership = await _membership_id(client, world, world.owner)

        response = await _availables(client, world.project_id)

        assert response.status_code == 200
        agents = response.json()
        assert agents[0] == {
            "id": world.owner.id,
            "pu_id": owner_membership,
            "fullname": "Olivia Owner",
            "email": world.owner.email,
            "assigned_request": 0,
        }
        assert _ids(response) == [
            world.owner.id,
            world.admin.id,
            world.supervisor.id,
            world.agent.id,
        ]

    async def test_guests_and_end_users_are_never_listed(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)

        response = await _availables(client, world.project_id, raw="true")

        assert world.guest.id not in _ids(response)
        assert world.end_user.id not in _ids(response)
        assert len(response.json()) == 4

    async def test_unavailable_teammates_are_left_out(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        await _set_own_membership(client, world, world.agent, user_available=False)

        response = await _availables(client, world.project_id)

        assert world.agent.id not in _ids(response)
        assert world.admin.id in _ids(response)

    async def test_disabled_teammates_are_left_out(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        membership_id = await _membership_id(client, world, world.supervisor)
        await client.put(
            f"/{world.project_id}/project_users/{membership_id}",
            json={"status": "disabled"},
            headers=world.owner.auth,
        )

        response = await _availables(client, world.project_id)

        assert world.supervisor.id not in _ids(response)
        assert len(response.json()) == 3

    async def test_shows_the_assigned_chats(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        await _set_own_membership(client, world, world.agent, number_assigned_requests=4)

        response = await _availables(client, world.project_id)

        [agent] = [entry for entry in response.json() if entry["id"] == world.agent.id]
        assert agent["assigned_request"] == 4
        assert agent["fullname"] == "Agent Member"

    async def test_nobody_is_available_while_the_project_is_closed(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        now = await utc_now()
        await set_project(
            client,
            world.project_id,
            world.owner.auth,
            activeOperatingHours=True,
            operatingHours=hours_json("UTC", {sunday_first(now): window_excluding(now)}),
        )

        response = await _availables(client, world.project_id)

        assert response.status_code == 200
        assert response.json() == []

    async def test_a_lapsed_subscription_ignores_the_operating_hours(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        await set_project(
            client,
            world.project_id,
            world.owner.auth,
            activeOperatingHours=True,
            operatingHours=hours_json("UTC", {}),
        )
        await client.put(
            f"/projects/{world.project_id}/downgradeplan",
            json={"profile": LAPSED_PROFILE},
            headers=world.owner.auth,
        )

        response = await _availables(client, world.project_id)

        assert len(response.json()) == 4

    @pytest.mark.parametrize("raw", ["true", "1"])
    async def test_raw_ignores_the_operating_hours(
        self, client: httpx.AsyncClient, raw: str
    ) -> None:
        world = await make_world(client)
        await set_project(
            client,
            world.project_id,
            world.owner.auth,
            activeOperatingHours=True,
            operatingHours=hours_json("UTC", {}),
        )

        response = await _availables(client, world.project_id, raw=raw)

        assert len(response.json()) == 4

    async def test_teammates_are_listed_while_the_project_is_open(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        now = await utc_now()
        await set_project(
            client,
            world.project_id,
            world.owner.auth,
            activeOperatingHours=True,
            operatingHours=hours_json("UTC", {sunday_first(now): ALL_DAY}),
        )

        response = await _availables(client, world.project_id)

        assert len(response.json()) == 4

    async def test_the_default_department_lists_every_available_teammate(
        self, client: httpx.AsyncClient, app: FastAPI
    ) -> None:
        world = await make_world(client)
        department = await app.state.db.read(departments.find_default, world.project_id)

        response = await _availables(client, world.project_id, department=department.id)

        assert response.status_code == 200
        assert len(response.json()) == 4

    async def test_an_unknown_department_is_404(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        department_id = "d" * 24

        response = await _availables(client, project_id, department=department_id)

        assert response.status_code == 404
        assert response.json() == {
            "success": False,
            "error": f"Department {department_id} not found",
        }

    async def test_a_department_of_another_project_is_unknown(
        self, client: httpx.AsyncClient, app: FastAPI
    ) -> None:
        world = await make_world(client)
        foreign = await app.state.db.read(departments.find_default, world.other_project_id)

        response = await _availables(client, world.project_id, department=foreign.id)

        assert response.status_code == 404

    @pytest.mark.parametrize("project_id", ["a" * 24, "not-an-id"])
    async def test_an_unknown_project_is_404(
        self, client: httpx.AsyncClient, project_id: str
    ) -> None:
        response = await _availables(client, project_id)

        assert response.status_code == 404
        assert response.json() == {"success": False, "msg": "Object not found."}

    async def test_a_new_teammate_is_available_at_once(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        newcomer = await signup(client, firstname="Nina", lastname="New")
        await add_member(client, project_id, owner, newcomer, "agent")

        response = await _availables(client, project_id)

        assert [(agent["id"], agent["fullname"]) for agent in response.json()] == [
            (owner.id, "Ada Lovelace"),
            (newcomer.id, "Nina New"),
        ]


class TestAvailableUsersWithChatLimits:
    async def _limited_world(self, client: httpx.AsyncClient, limit: int) -> World:
        world = await make_world(client)
        await set_project(
            client,
            world.project_id,
            world.owner.auth,
            **{"settings.chat_limit_on": True, "settings.max_agent_assigned_chat": limit},
        )
        return world

    async def test_teammates_at_the_project_limit_are_left_out(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await self._limited_world(client, limit=2)
        await _set_own_membership(client, world, world.agent, number_assigned_requests=2)
        await _set_own_membership(client, world, world.admin, number_assigned_requests=1)

        response = await _availables(client, world.project_id)

        assert world.agent.id not in _ids(response)
        assert world.admin.id in _ids(response)

    async def test_a_teammates_own_limit_wins(self, client: httpx.AsyncClient) -> None:
        world = await self._limited_world(client, limit=2)
        await _set_own_membership(
            client, world, world.agent, number_assigned_requests=3, max_assigned_chat=5
        )
        await _set_own_membership(
            client, world, world.admin, number_assigned_requests=1, max_assigned_chat=1
        )

        response = await _availables(client, world.project_id)

        assert world.agent.id in _ids(response)
        assert world.admin.id not in _ids(response)

    @pytest.mark.parametrize("own_limit", [-1, 0])
    async def test_an_unset_own_limit_falls_back_to_the_project_limit(
        self, client: httpx.AsyncClient, own_limit: int
    ) -> None:
        world = await self._limited_world(client, limit=2)
        await _set_own_membership(
            client, world, world.agent, number_assigned_requests=1, max_assigned_chat=own_limit
        )
        await _set_own_membership(
            client, world, world.admin, number_assigned_requests=2, max_assigned_chat=own_limit
        )

        response = await _availables(client, world.project_id)

        assert world.agent.id in _ids(response)
        assert world.admin.id not in _ids(response)

    async def test_limits_apply_only_when_switched_on(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        await set_project(
            client, world.project_id, world.owner.auth, settings={"max_agent_assigned_chat": 1}
        )
        await _set_own_membership(client, world, world.agent, number_assigned_requests=7)

        response = await _availables(client, world.project_id)

        assert world.agent.id in _ids(response)

    async def test_limits_apply_to_raw_listings_too(self, client: httpx.AsyncClient) -> None:
        world = await self._limited_world(client, limit=1)
        await _set_own_membership(client, world, world.agent, number_assigned_requests=1)

        response = await _availables(client, world.project_id, raw="true")

        assert world.agent.id not in _ids(response)
        assert len(response.json()) == 3
