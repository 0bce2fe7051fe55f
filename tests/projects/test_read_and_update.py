"""Reading and changing one project: GET, PUT, PATCH, PATCH /attributes and PUT /downgradeplan
on /projects/{id} (fact sheet §5.2)."""

import asyncio
from typing import Any

import httpx
import pytest

from tests.conftest import EventLog
from tests.factories import Person, make_project, make_world, signup
from tests.projects.helpers import (
    ISO_MS,
    NOT_A_MEMBER,
    assert_no_secrets,
    hours_json,
    set_project,
)

PROFILE_DENIED = {
    "success": False,
    "error": "You don't have the permission required to modify the project profile",
}

# Dotted settings PATCH leaves alone (Tiledesk's routes/project.js lists fewer than PUT).
NOT_PATCHABLE_SETTINGS = [
    "current_agent_my_chats_only",
    "chatbots_attributes_hidden",
    "allow_send_emoji",
    "allowed_urls",
    "allowed_urls_list",
    "allowed_upload_extentions",
    "email.templates.newMessageFollower",
    "email.templates.emailDirect",
]

# One value of the wrong JSON type for every whitelisted field.
WRONG_TYPES = [
    ("name", 5),
    ("name", {"first": "Acme"}),
    ("activeOperatingHours", "yes"),
    ("activeOperatingHours", 1),
    ("operatingHours", {"tzname": "UTC"}),
    ("timeSlots", ["slot"]),
    ("settings", "chat_limit_on"),
    ("widget", 1),
    ("versions", "20115"),
    ("versions", True),
    ("versions", 1.5),
    ("channels", {"name": "chat21"}),
    ("channels", ["chat21"]),
    ("ipFilterEnabled", "true"),
    ("ipFilter", "10.0.0.1"),
    ("ipFilter", [10]),
    ("ipFilterDenyEnabled", 0),
    ("ipFilterDeny", [{"ip": "10.0.0.1"}]),
    ("bannedUsers", {"id": "x"}),
    ("bannedUsers", ["x"]),
]

UNREADABLE_HOURS = [
    "not json",
    "[1, 2]",
    '"Europe/Rome"',
    hours_json(None, {"1": [{"start": "09:00", "end": "18:00"}]}),
    hours_json("", {"1": [{"start": "09:00", "end": "18:00"}]}),
    hours_json("Mars/Olympus_Mons", {"1": [{"start": "09:00", "end": "18:00"}]}),
]


async def _get(client: httpx.AsyncClient, project_id: str, person: Person) -> dict[str, Any]:
    response = await client.get(f"/projects/{project_id}", headers=person.auth)
    assert response.status_code == 200, response.text
    project: dict[str, Any] = response.json()
    return project


class TestGetProject:
    async def test_answers_the_project_field_by_field(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)

        response = await client.get(f"/projects/{world.project_id}", headers=world.agent.auth)

        assert response.status_code == 200
        project = response.json()
        assert project["_id"] == project["id"] == world.project_id
        assert project["name"] == "Acme"
        assert project["status"] == 100
        assert project["activeOperatingHours"] is False
        assert project["profile"]["type"] == "payment"
        assert project["profile"]["name"] == "Custom"
        assert project["trialExpired"] is False
        assert project["isActiveSubscription"] is True
        assert project["trialDaysLeft"] == -14
        assert project["versions"] == 20115
        assert project["channels"] == [{"name": "chat21"}]
        assert project["bannedUsers"] == []
        assert project["createdBy"] == world.owner.id
        assert ISO_MS.fullmatch(project["createdAt"])
        assert ISO_MS.fullmatch(project["updatedAt"])
        assert project["__v"] == 0

    async def test_never_shows_the_project_secret(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)  # generates the project's jwtSecret

        project = await _get(client, world.project_id, world.owner)

        assert_no_secrets(project)

    @pytest.mark.parametrize("project_id", ["a" * 24, "not-an-id", "6b065a68ea0568a2889e957"])
    async def test_an_unknown_or_malformed_id_belongs_to_nobody(
        self, client: httpx.AsyncClient, project_id: str
    ) -> None:
        owner = await signup(client)

        response = await client.get(f"/projects/{project_id}", headers=owner.auth)

        assert response.status_code == 403
        assert response.json() == NOT_A_MEMBER


class TestUpdateProject:
    async def test_applies_every_whitelisted_field(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        hours = hours_json("Europe/Rome", {"1": [{"start": "09:00", "end": "18:00"}]})
        slots = {"support": {"active": True, "hours": hours_json("UTC", {})}}
        body = {
            "name": "Renamed",
            "activeOperatingHours": True,
            "operatingHours": hours,
            "timeSlots": slots,
            "settings": {"chat_limit_on": True},
            "widget": {"themeColor": "#123456"},
            "versions": 20116,
            "channels": [{"name": "chat21"}, {"name": "email"}],
            "ipFilterEnabled": False,
            "ipFilter": ["10.0.0.0/8"],
            "ipFilterDenyEnabled": False,
            "ipFilterDeny": ["192.168.1.1"],
            "bannedUsers": [{"id": "visitor-1", "ip": "1.2.3.4"}],
        }

        response = await client.put(
            f"/projects/{world.project_id}", json=body, headers=world.admin.auth
        )

        assert response.status_code == 200
        project = response.json()
        for key in (
            "name",
            "activeOperatingHours",
            "operatingHours",
            "timeSlots",
            "settings",
            "widget",
            "versions",
            "channels",
            "ipFilterEnabled",
            "ipFilter",
            "ipFilterDenyEnabled",
            "ipFilterDeny",
        ):
            assert project[key] == body[key], key
        [ban] = project["bannedUsers"]
        assert ban["id"] == "visitor-1"
        assert ban["ip"] == "1.2.3.4"
        assert len(ban["_id"]) == 24
        assert_no_secrets(project)
        assert await _get(client, world.project_id, world.agent) == project

    async def test_moves_updated_at_and_keeps_created_at(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        before = await _get(client, project_id, owner)
        await asyncio.sleep(0.005)

        project = await set_project(client, project_id, owner.auth, name="Later")

        assert project["createdAt"] == before["createdAt"]
        assert project["updatedAt"] > before["updatedAt"]

    async def test_publishes_project_update(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)

        await set_project(client, world.project_id, world.admin.auth, name="Evented")

        [event] = event_log.named("project.update", world.project_id)
        assert event.payload["id_project"] == world.project_id
        assert event.payload["name"] == "Evented"
        assert_no_secrets(event.payload)

    async def test_fields_outside_the_whitelist_are_ignored(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        before = await _get(client, world.project_id, world.owner)

        project = await set_project(
            client,
            world.project_id,
            world.admin.auth,
            status=0,
            createdBy=world.admin.id,
            jwtSecret="chosen-by-the-caller",
            organization="evil",
            attributes={"x": 1},
            _id="a" * 24,
        )

        assert project["status"] == 100
        assert project["createdBy"] == world.owner.id
        assert project["_id"] == world.project_id
        assert "organization" not in project
        assert "attributes" not in project
        assert_no_secrets(project)
        assert project["name"] == before["name"]

    async def test_null_fields_are_left_unchanged(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner, name="Keep me")

        project = await set_project(client, project_id, owner.auth, name=None, settings=None)

        assert project["name"] == "Keep me"
        assert "settings" not in project

    async def test_an_empty_body_changes_nothing_but_the_date(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        before = await _get(client, project_id, owner)

        response = await client.put(f"/projects/{project_id}", headers=owner.auth)

        assert response.status_code == 200
        after = response.json()
        assert {k: v for k, v in after.items() if k != "updatedAt"} == {
            k: v for k, v in before.items() if k != "updatedAt"
        }

    @pytest.mark.parametrize(("key", "value"), WRONG_TYPES)
    async def test_a_wrong_json_type_is_422_and_writes_nothing(
        self, client: httpx.AsyncClient, event_log: EventLog, key: str, value: Any
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner, name="Untouched")
        before = await _get(client, project_id, owner)

        response = await client.put(
            f"/projects/{project_id}", json={"name": "Changed", key: value}, headers=owner.auth
        )

        assert response.status_code == 422
        [error] = response.json()["errors"]
        assert error["param"] == key
        assert error["msg"] == "Invalid value"
        assert error["location"] == "body"
        assert error["value"] == value
        assert await _get(client, project_id, owner) == before
        assert event_log.named("project.update", project_id) == []

    @pytest.mark.parametrize("hours", UNREADABLE_HOURS)
    async def test_unreadable_operating_hours_are_422_and_write_nothing(
        self, client: httpx.AsyncClient, event_log: EventLog, hours: str
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)

        response = await client.put(
            f"/projects/{project_id}",
            json={"activeOperatingHours": True, "operatingHours": hours},
            headers=owner.auth,
        )

        assert response.status_code == 422
        [error] = response.json()["errors"]
        assert error["param"] == "operatingHours"
        assert error["value"] == hours
        project = await _get(client, project_id, owner)
        assert project["activeOperatingHours"] is False
        assert "operatingHours" not in project
        assert event_log.named("project.update", project_id) == []

    async def test_a_body_that_is_not_an_object_is_422(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)

        response = await client.put(
            f"/projects/{project_id}", json=["name", "x"], headers=owner.auth
        )

        assert response.status_code == 422
        assert "errors" in response.json()

    async def test_ban_entries_keep_their_own_id(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        ban_id = "b" * 24

        project = await set_project(
            client, project_id, owner.auth, bannedUsers=[{"_id": ban_id, "id": "visitor"}]
        )

        assert project["bannedUsers"] == [{"_id": ban_id, "id": "visitor"}]


class TestDottedSettings:
    async def test_a_dotted_key_merges_into_the_settings(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        await set_project(
            client, project_id, owner.auth, settings={"max_agent_assigned_chat": 3, "x": "kept"}
        )

        project = await set_project(
            client, project_id, owner.auth, **{"settings.chat_limit_on": True}
        )

        assert project["settings"] == {
            "max_agent_assigned_chat": 3,
            "x": "kept",
            "chat_limit_on": True,
        }

    async def test_nested_dotted_keys_keep_their_siblings(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        await set_project(
            client,
            project_id,
            owner.auth,
            settings={"email": {"from": "old@example.com", "config": {"host": "smtp.example.com"}}},
        )

        project = await set_project(
            client,
            project_id,
            owner.auth,
            **{"settings.email.from": "new@example.com", "settings.email.config.port": 2525},
        )

        assert project["settings"] == {
            "email": {
                "from": "new@example.com",
                "config": {"host": "smtp.example.com", "port": 2525},
            }
        }

    async def test_a_dotted_key_creates_the_settings_when_there_are_none(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)

        project = await set_project(
            client,
            project_id,
            owner.auth,
            **{"settings.email.templates.ticket": "<p>ticket</p>"},
        )

        assert project["settings"] == {"email": {"templates": {"ticket": "<p>ticket</p>"}}}

    async def test_dotted_keys_apply_on_top_of_a_replaced_settings(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        await set_project(client, project_id, owner.auth, settings={"old": True})

        project = await set_project(
            client,
            project_id,
            owner.auth,
            settings={"new": True},
            **{"settings.reassignment_on": True},
        )

        assert project["settings"] == {"new": True, "reassignment_on": True}

    async def test_unknown_dotted_keys_are_ignored(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        await set_project(client, project_id, owner.auth, settings={"a": 1})

        project = await set_project(
            client, project_id, owner.auth, **{"settings.a": 2, "settings.unknown.key": True}
        )

        assert project["settings"] == {"a": 1}

    @pytest.mark.parametrize("path", NOT_PATCHABLE_SETTINGS)
    async def test_put_accepts_the_settings_patch_ignores(
        self, client: httpx.AsyncClient, path: str
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)

        put = await set_project(client, project_id, owner.auth, **{f"settings.{path}": "v"})

        node: Any = put["settings"]
        for part in path.split("."):
            node = node[part]
        assert node == "v"


class TestProfile:
    @pytest.mark.parametrize("role", ["owner", "admin"])
    async def test_only_the_super_admin_may_change_the_profile(
        self, client: httpx.AsyncClient, event_log: EventLog, role: str
    ) -> None:
        world = await make_world(client)
        before = await _get(client, world.project_id, world.owner)

        response = await client.put(
            f"/projects/{world.project_id}",
            json={"name": "Not applied", "profile": {"type": "free", "name": "Sandbox"}},
            headers=world.person(role).auth,
        )

        assert response.status_code == 403
        assert response.json() == PROFILE_DENIED
        assert await _get(client, world.project_id, world.owner) == before
        assert event_log.named("project.update", world.project_id) == []

    async def test_the_super_admin_replaces_the_profile(
        self, client: httpx.AsyncClient, super_admin: Person
    ) -> None:
        project_id = await make_project(client, super_admin, name="Managed")
        profile = {
            "type": "payment",
            "name": "Enterprise",
            "trialDays": 30,
            "agents": 5,
            "quotes": {"requests": 100},
            "subEnd": "2000-01-01T00:00:00.000Z",
        }

        project = await set_project(client, project_id, super_admin.auth, profile=profile)

        assert project["profile"] == profile
        assert project["isActiveSubscription"] is False
        assert project["trialDaysLeft"] == -30

    async def test_the_profile_must_be_an_object(
        self, client: httpx.AsyncClient, super_admin: Person
    ) -> None:
        project_id = await make_project(client, super_admin)

        response = await client.put(
            f"/projects/{project_id}", json={"profile": "Enterprise"}, headers=super_admin.auth
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == "profile"

    @pytest.mark.parametrize(
        "profile", [{"trialDays": "fourteen"}, {"trialDays": True}, {"trialDays": 1e300}]
    )
    async def test_a_profile_without_a_number_of_trial_days_is_422(
        self, client: httpx.AsyncClient, super_admin: Person, profile: dict[str, Any]
    ) -> None:
        project_id = await make_project(client, super_admin)
        before = await _get(client, project_id, super_admin)

        response = await client.put(
            f"/projects/{project_id}", json={"profile": profile}, headers=super_admin.auth
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == "profile"
        assert await _get(client, project_id, super_admin) == before

    async def test_a_null_profile_is_ignored_like_any_null_field(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)

        response = await client.put(
            f"/projects/{project_id}", json={"name": "Renamed", "profile": None}, headers=owner.auth
        )

        assert response.status_code == 200
        assert response.json()["name"] == "Renamed"
        assert response.json()["profile"]["name"] == "Custom"

    async def test_patch_ignores_the_profile(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)

        response = await client.patch(
            f"/projects/{project_id}",
            json={"name": "Patched", "profile": {"type": "free"}},
            headers=owner.auth,
        )

        assert response.status_code == 200
        assert response.json()["name"] == "Patched"
        assert response.json()["profile"]["type"] == "payment"


class TestPatchProject:
    async def test_applies_the_fields_it_is_given(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)

        response = await client.patch(
            f"/projects/{world.project_id}",
            json={"name": "Patched", "widget": {"align": "left"}, "settings.chat_limit_on": True},
            headers=world.admin.auth,
        )

        assert response.status_code == 200
        project = response.json()
        assert project["name"] == "Patched"
        assert project["widget"] == {"align": "left"}
        assert project["settings"] == {"chat_limit_on": True}
        assert_no_secrets(project)
        [event] = event_log.named("project.update", world.project_id)
        assert event.payload["id_project"] == world.project_id

    async def test_ignores_time_slots(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)

        response = await client.patch(
            f"/projects/{project_id}",
            json={"timeSlots": {"s": {"active": False}}},
            headers=owner.auth,
        )

        assert response.status_code == 200
        assert "timeSlots" not in response.json()

    @pytest.mark.parametrize("path", NOT_PATCHABLE_SETTINGS)
    async def test_ignores_the_settings_tiledesk_does_not_patch(
        self, client: httpx.AsyncClient, path: str
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        await set_project(client, project_id, owner.auth, settings={"kept": True})

        response = await client.patch(
            f"/projects/{project_id}", json={f"settings.{path}": "v"}, headers=owner.auth
        )

        assert response.status_code == 200
        assert response.json()["settings"] == {"kept": True}

    async def test_a_wrong_json_type_is_422_and_writes_nothing(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner, name="Untouched")

        response = await client.patch(
            f"/projects/{project_id}",
            json={"name": "Changed", "ipFilterEnabled": "yes"},
            headers=owner.auth,
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == "ipFilterEnabled"
        assert (await _get(client, project_id, owner))["name"] == "Untouched"


class TestPatchAttributes:
    async def test_merges_keys_into_the_attributes(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)
        url = f"/projects/{world.project_id}/attributes"
        await client.patch(url, json={"a": 1, "b": {"deep": True}}, headers=world.admin.auth)

        response = await client.patch(url, json={"b": 2, "c": [3]}, headers=world.admin.auth)

        assert response.status_code == 200
        assert response.json()["attributes"] == {"a": 1, "b": 2, "c": [3]}
        assert_no_secrets(response.json())
        assert (await _get(client, world.project_id, world.agent))["attributes"] == {
            "a": 1,
            "b": 2,
            "c": [3],
        }
        events = event_log.named("project.update", world.project_id)
        assert len(events) == 2
        assert events[-1].payload["id_project"] == world.project_id
        assert events[-1].payload["attributes"] == {"a": 1, "b": 2, "c": [3]}

    async def test_an_empty_body_keeps_the_attributes(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        url = f"/projects/{project_id}/attributes"
        await client.patch(url, json={"a": 1}, headers=owner.auth)

        response = await client.patch(url, json={}, headers=owner.auth)

        assert response.status_code == 200
        assert response.json()["attributes"] == {"a": 1}

    async def test_a_body_that_is_not_an_object_is_422(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)

        response = await client.patch(
            f"/projects/{project_id}/attributes", json=["a"], headers=owner.auth
        )

        assert response.status_code == 422
        assert "errors" in response.json()
        assert "attributes" not in await _get(client, project_id, owner)


class TestDowngradePlan:
    async def test_the_owner_sets_the_profile_and_whitelisted_fields(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)
        profile = {"type": "free", "name": "Sandbox", "trialDays": 14}

        response = await client.put(
            f"/projects/{world.project_id}/downgradeplan",
            json={"name": "Downgraded", "profile": profile, "status": 0, "jwtSecret": "x"},
            headers=world.owner.auth,
        )

        assert response.status_code == 200
        project = response.json()
        assert project["name"] == "Downgraded"
        assert project["profile"] == profile
        assert project["isActiveSubscription"] is False
        assert project["status"] == 100
        assert_no_secrets(project)
        [event] = event_log.named("project.downgrade", world.project_id)
        assert event.payload["id_project"] == world.project_id
        assert event.payload["profile"] == profile

    async def test_a_wrong_json_type_is_422_and_writes_nothing(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner, name="Untouched")

        response = await client.put(
            f"/projects/{project_id}/downgradeplan",
            json={"name": "Changed", "versions": "new"},
            headers=owner.auth,
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == "versions"
        assert (await _get(client, project_id, owner))["name"] == "Untouched"

    @pytest.mark.parametrize("profile", ["Sandbox", {"trialDays": "x"}])
    async def test_an_unreadable_profile_is_422_and_writes_nothing(
        self, client: httpx.AsyncClient, profile: Any
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        before = await _get(client, project_id, owner)

        response = await client.put(
            f"/projects/{project_id}/downgradeplan", json={"profile": profile}, headers=owner.auth
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == "profile"
        assert await _get(client, project_id, owner) == before
