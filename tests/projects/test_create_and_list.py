"""Creating projects and listing them: POST /projects, GET /projects, GET /projects/all
(fact sheet §5.2, §9.1)."""

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tessera.departments import repository as departments
from tests.conftest import EventLog
from tests.factories import Person, add_member, make_guest, make_project, make_world, signup
from tests.projects.helpers import ISO_MS, OBJECT_ID, assert_no_secrets, set_project


class TestCreateProject:
    async def test_answers_the_new_project_field_by_field(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)

        response = await client.post(
            "/projects", json={"name": "Acme", "defaultLanguage": "it"}, headers=owner.auth
        )

        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json; charset=utf-8"
        project = response.json()
        assert OBJECT_ID.fullmatch(project["_id"])
        assert project["id"] == project["_id"]
        assert project["name"] == "Acme"
        assert project["status"] == 100
        assert project["activeOperatingHours"] is False
        assert project["versions"] == 20115
        assert project["channels"] == [{"name": "chat21"}]
        assert project["ipFilterEnabled"] is False
        assert project["ipFilter"] == []
        assert project["ipFilterDenyEnabled"] is False
        assert project["ipFilterDeny"] == []
        assert project["bannedUsers"] == []
        assert project["createdBy"] == owner.id
        assert ISO_MS.fullmatch(project["createdAt"])
        assert project["updatedAt"] == project["createdAt"]
        assert project["__v"] == 0
        assert project["trialExpired"] is False
        assert project["trialDaysLeft"] == -14
        assert project["isActiveSubscription"] is True
        assert "defaultLanguage" not in project
        assert "settings" not in project
        assert_no_secrets(project)

    async def test_gives_the_community_profile_that_never_ends(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)

        response = await client.post("/projects", json={"name": "Acme"}, headers=owner.auth)

        profile = response.json()["profile"]
        assert profile["type"] == "payment"
        assert profile["name"] == "Custom"
        assert profile["trialDays"] == 14
        assert profile["agents"] == 1000
        assert profile["subEnd"] == "2099-12-31T23:59:59.999Z"
        assert profile["subStart"] == response.json()["createdAt"]
        assert isinstance(profile["quotes"], dict)
        assert isinstance(profile["customization"], dict)

    async def test_makes_the_creator_its_available_owner(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)

        project_id = await make_project(client, owner)

        members = await client.get(f"/{project_id}/project_users", headers=owner.auth)
        assert members.status_code == 200
        [membership] = members.json()
        assert membership["id_user"]["_id"] == owner.id
        assert membership["role"] == "owner"
        assert membership["roleType"] == 1
        assert membership["user_available"] is True
        assert membership["status"] == "active"

    async def test_creates_the_default_department(
        self, client: httpx.AsyncClient, app: FastAPI
    ) -> None:
        owner = await signup(client)

        project_id = await make_project(client, owner)

        department = await app.state.db.read(departments.find_default, project_id)
        assert department is not None
        assert department.name == "Default Department"
        assert department.routing == "assigned"
        assert department.default is True
        assert department.status == 1

    async def test_publishes_project_create(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        owner = await signup(client)

        project_id = await make_project(client, owner, name="Evented")

        [event] = event_log.named("project.create", project_id)
        assert event.payload["id_project"] == project_id
        assert event.payload["_id"] == project_id
        assert event.payload["name"] == "Evented"
        assert_no_secrets(event.payload)

    async def test_accepts_a_url_encoded_form(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)

        response = await client.post("/projects", data={"name": "Formed"}, headers=owner.auth)

        assert response.status_code == 200
        assert response.json()["name"] == "Formed"

    async def test_basic_credentials_are_accepted(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)

        response = await client.post("/projects", json={"name": "Basic"}, headers=owner.basic)

        assert response.status_code == 200
        assert response.json()["createdBy"] == owner.id

    @pytest.mark.parametrize(
        "body", [{}, {"name": ""}, {"name": None}, {"name": 42}, {"name": ["Acme"]}]
    )
    async def test_a_missing_or_invalid_name_is_422_and_creates_nothing(
        self, client: httpx.AsyncClient, event_log: EventLog, body: dict[str, Any]
    ) -> None:
        owner = await signup(client)
        created_before = len(event_log.named("project.create"))

        response = await client.post("/projects", json=body, headers=owner.auth)

        assert response.status_code == 422
        [error] = response.json()["errors"]
        assert error["param"] == "name"
        assert error["msg"] == "Invalid value"
        assert error["location"] == "body"
        listed = await client.get("/projects", headers=owner.auth)
        assert listed.json() == []
        assert len(event_log.named("project.create")) == created_before

    async def test_without_credentials_is_a_plain_401(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/projects", json={"name": "Acme"})

        assert response.status_code == 401
        assert response.text == "Unauthorized"

    async def test_a_guest_cannot_create_projects(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        guest = await make_guest(client, await make_project(client, owner))

        response = await client.post("/projects", json={"name": "Mine"}, headers=guest.auth)

        assert response.status_code == 401


class TestListProjects:
    async def test_lists_the_callers_memberships_with_their_projects(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner, name="Listed")

        response = await client.get("/projects", headers=owner.auth)

        assert response.status_code == 200
        [membership] = response.json()
        assert OBJECT_ID.fullmatch(membership["_id"])
        assert membership["id"] == membership["_id"]
        assert membership["id_user"] == owner.id
        assert membership["role"] == "owner"
        assert membership["roleType"] == 1
        assert membership["status"] == "active"
        assert membership["isAuthenticated"] is True
        assert ISO_MS.fullmatch(membership["createdAt"])
        project = membership["id_project"]
        assert project["_id"] == project_id
        assert project["id"] == project_id
        assert project["name"] == "Listed"
        assert project["status"] == 100
        assert project["profile"]["name"] == "Custom"
        assert_no_secrets(project)

    async def test_shows_the_role_the_caller_has_in_each_project(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)

        response = await client.get("/projects", headers=world.agent.auth)

        assert [(m["id_project"]["_id"], m["role"]) for m in response.json()] == [
            (world.project_id, "agent")
        ]

    async def test_most_recently_updated_project_comes_first(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        first = await make_project(client, owner, name="First")
        await asyncio.sleep(0.005)
        second = await make_project(client, owner, name="Second")
        await asyncio.sleep(0.005)
        await set_project(client, first, owner.auth, name="First again")

        response = await client.get("/projects", headers=owner.auth)

        assert [m["id_project"]["_id"] for m in response.json()] == [first, second]

    async def test_deleted_projects_are_not_listed(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        kept = await make_project(client, owner, name="Kept")
        deleted = await make_project(client, owner, name="Deleted")
        removed = await make_project(client, owner, name="Removed")
        await client.delete(f"/projects/{deleted}", headers=owner.auth)
        await client.delete(f"/projects/{removed}/physical", headers=owner.auth)

        response = await client.get("/projects", headers=owner.auth)

        assert [m["id_project"]["_id"] for m in response.json()] == [kept]

    async def test_a_disabled_teammate_no_longer_sees_the_project(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        members = await client.get(f"/{world.project_id}/project_users", headers=world.owner.auth)
        [agent] = [m for m in members.json() if m["id_user"]["_id"] == world.agent.id]
        await client.delete(
            f"/{world.project_id}/project_users/{agent['_id']}", headers=world.owner.auth
        )

        response = await client.get("/projects", headers=world.agent.auth)

        assert response.status_code == 200
        assert response.json() == []

    async def test_a_user_without_projects_gets_an_empty_list(
        self, client: httpx.AsyncClient
    ) -> None:
        loner = await signup(client)

        response = await client.get("/projects", headers=loner.auth)

        assert response.status_code == 200
        assert response.json() == []

    async def test_without_credentials_is_a_plain_401(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/projects")

        assert response.status_code == 401
        assert response.text == "Unauthorized"
        assert response.headers["www-authenticate"] == 'Basic realm="Users"'

    async def test_a_new_member_sees_the_project_in_the_list(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        newcomer = await signup(client)
        await add_member(client, project_id, owner, newcomer, "supervisor")

        response = await client.get("/projects", headers=newcomer.auth)

        [membership] = response.json()
        assert membership["role"] == "supervisor"
        assert membership["id_project"]["_id"] == project_id


class TestListAllProjects:
    async def test_the_super_admin_sees_every_project_with_its_owner(
        self, client: httpx.AsyncClient, super_admin: Person
    ) -> None:
        owner = await signup(client)
        older = await make_project(client, owner, name="Older")
        await asyncio.sleep(0.005)
        newer = await make_project(client, owner, name="Newer")

        response = await client.get("/projects/all", headers=super_admin.auth)

        assert response.status_code == 200
        entries = {entry["_id"]: entry for entry in response.json()}
        assert entries[newer] == {
            "_id": newer,
            "name": "Newer",
            "owner": owner.email,
            "createdAt": entries[newer]["createdAt"],
            "profile_name": "Custom",
        }
        assert ISO_MS.fullmatch(entries[newer]["createdAt"])
        assert entries[older]["owner"] == owner.email
        ids = [entry["_id"] for entry in response.json()]
        assert ids.index(newer) < ids.index(older)

    async def test_deleted_projects_are_still_listed(
        self, client: httpx.AsyncClient, super_admin: Person
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        await client.delete(f"/projects/{project_id}", headers=owner.auth)

        response = await client.get("/projects/all", headers=super_admin.auth)

        assert project_id in {entry["_id"] for entry in response.json()}

    @pytest.mark.parametrize("role", ["owner", "admin", "agent", "outsider"])
    async def test_everyone_else_is_refused(self, client: httpx.AsyncClient, role: str) -> None:
        world = await make_world(client)

        response = await client.get("/projects/all", headers=world.person(role).auth)

        assert response.status_code == 403
        assert response.json() == {
            "success": False,
            "error": "You don't have the permission required to perform the operation",
        }

    async def test_without_credentials_is_a_plain_401(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/projects/all")

        assert response.status_code == 401
        assert response.text == "Unauthorized"
