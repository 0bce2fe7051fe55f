"""Banning visitors and deleting projects: POST /projects/{id}/ban, DELETE .../ban/{banid},
DELETE /projects/{id} (soft) and DELETE /projects/{id}/physical (fact sheet §5.2, §1.6)."""

import httpx

from tests.conftest import EventLog
from tests.factories import make_project, make_world, signup
from tests.projects.helpers import NOT_A_MEMBER, OBJECT_ID, ROLE_TOO_LOW, assert_no_secrets

BANNED = {"err": "error projectBanUserFilter by id"}


class TestBan:
    async def test_adds_a_ban_entry_with_its_own_id(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)

        response = await client.post(
            f"/projects/{world.project_id}/ban",
            json={"id": world.guest.id, "ip": "203.0.113.7"},
            headers=world.admin.auth,
        )

        assert response.status_code == 200
        project = response.json()
        [ban] = project["bannedUsers"]
        assert OBJECT_ID.fullmatch(ban["_id"])
        assert ban == {"_id": ban["_id"], "id": world.guest.id, "ip": "203.0.113.7"}
        assert_no_secrets(project)
        [update] = event_log.named("project.update", world.project_id)
        assert update.payload["id_project"] == world.project_id
        assert update.payload["bannedUsers"] == [ban]
        [banned] = event_log.named("project.update.user.ban", world.project_id)
        assert banned.payload["banInfo"] == ban

    async def test_bans_accumulate(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        await client.post(f"/projects/{project_id}/ban", json={"id": "a"}, headers=owner.auth)

        response = await client.post(
            f"/projects/{project_id}/ban", json={"ip": "198.51.100.1"}, headers=owner.auth
        )

        first, second = response.json()["bannedUsers"]
        assert first["id"] == "a"
        assert "ip" not in first
        assert second["ip"] == "198.51.100.1"
        assert "id" not in second
        assert first["_id"] != second["_id"]

    async def test_a_banned_visitor_is_turned_away_by_project_routes(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        await client.post(
            f"/projects/{world.project_id}/ban",
            json={"id": world.guest.id},
            headers=world.admin.auth,
        )

        response = await client.get(f"/{world.project_id}/project_users", headers=world.guest.auth)

        assert response.status_code == 401
        assert response.json() == BANNED

    async def test_unban_removes_the_entry(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)
        url = f"/projects/{world.project_id}/ban"
        banned = await client.post(url, json={"id": world.guest.id}, headers=world.admin.auth)
        kept = await client.post(url, json={"id": "someone-else"}, headers=world.admin.auth)
        ban_id = banned.json()["bannedUsers"][0]["_id"]

        response = await client.delete(f"{url}/{ban_id}", headers=world.admin.auth)

        assert response.status_code == 200
        assert response.json()["bannedUsers"] == kept.json()["bannedUsers"][1:]
        [unbanned] = event_log.named("project.update.user.unban", world.project_id)
        assert unbanned.payload["banInfo"] == ban_id
        assert len(event_log.named("project.update", world.project_id)) == 3

    async def test_an_unbanned_visitor_meets_the_role_guard_again(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        url = f"/projects/{world.project_id}/ban"
        banned = await client.post(url, json={"id": world.guest.id}, headers=world.admin.auth)
        await client.delete(
            f"{url}/{banned.json()['bannedUsers'][0]['_id']}", headers=world.admin.auth
        )

        response = await client.get(f"/{world.project_id}/project_users", headers=world.guest.auth)

        assert response.status_code == 403
        assert response.json() == ROLE_TOO_LOW

    async def test_unbanning_an_unknown_ban_changes_nothing(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        banned = await client.post(
            f"/projects/{project_id}/ban", json={"id": "x"}, headers=owner.auth
        )

        response = await client.delete(f"/projects/{project_id}/ban/{'c' * 24}", headers=owner.auth)

        assert response.status_code == 200
        assert response.json()["bannedUsers"] == banned.json()["bannedUsers"]


class TestIpFilters:
    async def test_the_allow_list_turns_away_other_addresses_on_project_routes(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        await client.put(
            f"/projects/{project_id}",
            json={"ipFilterEnabled": True, "ipFilter": ["10.0.0.0/8"]},
            headers=owner.auth,
        )

        response = await client.get(f"/{project_id}/project_users", headers=owner.auth)

        assert response.status_code == 401
        assert response.json() == {"err": "error project ip filter"}

    async def test_the_deny_list_turns_away_listed_addresses(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        await client.put(
            f"/projects/{project_id}",
            json={"ipFilterDenyEnabled": True, "ipFilterDeny": ["127.0.0.1"]},
            headers=owner.auth,
        )

        response = await client.get(f"/{project_id}/project_users", headers=owner.auth)

        assert response.status_code == 401
        assert response.json() == {"err": "error project deny ip filter"}

    async def test_projects_routes_are_not_filtered(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        await client.put(
            f"/projects/{project_id}",
            json={"ipFilterDenyEnabled": True, "ipFilterDeny": ["127.0.0.1"]},
            headers=owner.auth,
        )

        response = await client.put(
            f"/projects/{project_id}", json={"ipFilterDenyEnabled": False}, headers=owner.auth
        )

        assert response.status_code == 200
        assert response.json()["ipFilterDenyEnabled"] is False


class TestSoftDelete:
    async def test_answers_the_project_with_status_0(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)

        response = await client.delete(f"/projects/{world.project_id}", headers=world.owner.auth)

        assert response.status_code == 200
        project = response.json()
        assert project["_id"] == project["id"] == world.project_id
        assert project["status"] == 0
        assert project["name"] == "Acme"
        assert_no_secrets(project)
        [event] = event_log.named("project.delete", world.project_id)
        assert event.payload["id_project"] == world.project_id
        assert event.payload["status"] == 0
        assert_no_secrets(event.payload)

    async def test_project_routes_then_answer_project_not_found(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        await client.delete(f"/projects/{world.project_id}", headers=world.owner.auth)

        response = await client.get(f"/{world.project_id}/project_users", headers=world.owner.auth)

        assert response.status_code == 400
        assert response.json() == {"error": f"Project not found with id: {world.project_id}"}

    async def test_reading_it_is_404(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        await client.delete(f"/projects/{world.project_id}", headers=world.owner.auth)

        response = await client.get(f"/projects/{world.project_id}", headers=world.agent.auth)

        assert response.status_code == 404
        assert response.json() == {"success": False, "msg": "Object not found."}

    async def test_strangers_still_do_not_belong_to_it(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        await client.delete(f"/projects/{world.project_id}", headers=world.owner.auth)

        response = await client.get(f"/projects/{world.project_id}", headers=world.stranger.auth)

        assert response.status_code == 403
        assert response.json() == NOT_A_MEMBER

    async def test_it_can_no_longer_be_changed(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        await client.delete(f"/projects/{project_id}", headers=owner.auth)

        response = await client.put(
            f"/projects/{project_id}", json={"name": "Revived"}, headers=owner.auth
        )

        assert response.status_code == 403
        assert response.json() == NOT_A_MEMBER

    async def test_nobody_is_available_in_it(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        await client.delete(f"/projects/{project_id}", headers=owner.auth)

        response = await client.get(f"/projects/{project_id}/users/availables")

        assert response.status_code == 404


class TestPhysicalDelete:
    async def test_answers_the_delete_result(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)

        response = await client.delete(
            f"/projects/{world.project_id}/physical", headers=world.owner.auth
        )

        assert response.status_code == 200
        assert response.json() == {"n": 1, "ok": 1, "deletedCount": 1}
        [event] = event_log.named("project.delete", world.project_id)
        assert event.payload["id_project"] == world.project_id
        assert event.payload["_id"] == world.project_id
        assert_no_secrets(event.payload)

    async def test_the_project_and_its_members_are_gone(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        await client.delete(f"/projects/{world.project_id}/physical", headers=world.owner.auth)

        members = await client.get(f"/{world.project_id}/project_users", headers=world.owner.auth)
        listed = await client.get("/projects", headers=world.agent.auth)
        read = await client.get(f"/projects/{world.project_id}", headers=world.owner.auth)

        assert members.status_code == 400
        assert members.json() == {"error": f"Project not found with id: {world.project_id}"}
        assert listed.json() == []
        assert read.status_code == 403

    async def test_other_projects_are_untouched(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        await client.delete(f"/projects/{world.project_id}/physical", headers=world.owner.auth)

        response = await client.get(
            f"/projects/{world.other_project_id}", headers=world.stranger.auth
        )

        assert response.status_code == 200
        assert response.json()["status"] == 100
