"""Changing memberships: ``POST``, ``PUT``, ``PUT /:id``, ``PUT /:id/restore`` and ``DELETE /:id``
under ``/{pid}/project_users`` (fact sheet §5.3, §9.3)."""

import uuid
from typing import Any

import httpx
import pytest

from tests.conftest import EventLog
from tests.factories import World, make_world
from tests.project_users.support import NOT_A_MEMBER, NOT_FOUND, ROLE_TOO_LOW, membership_of

UNKNOWN_ID = "0123456789abcdef01234567"


async def _update_own(
    client: httpx.AsyncClient, world: World, body: dict[str, Any]
) -> httpx.Response:
    return await client.put(
        f"/{world.project_id}/project_users", json=body, headers=world.agent.auth
    )


async def _my_membership(client: httpx.AsyncClient, world: World) -> dict[str, Any]:
    response = await client.get(f"/{world.project_id}/project_users/me", headers=world.agent.auth)
    assert response.status_code == 200, response.text
    me: dict[str, Any] = response.json()[0]
    return me


class TestCreateEndUser:
    async def test_creates_a_guest_membership_with_a_fresh_uuid(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        tags = [{"tag": "vip", "color": "#ff0000"}]

        response = await client.post(
            f"/{world.project_id}/project_users", json={"tags": tags}, headers=world.agent.auth
        )

        assert response.status_code == 200
        created = response.json()
        assert str(uuid.UUID(created["uuid_user"])) == created["uuid_user"]
        assert created["role"] == "guest"
        assert created["roleType"] == 2
        assert created["user_available"] is False
        assert created["tags"] == tags
        assert created["id_project"] == world.project_id
        assert created["createdBy"] == world.agent.id
        assert created["isAuthenticated"] is False
        assert "id_user" not in created

    async def test_the_end_user_can_then_be_found_by_its_uuid(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        created = await client.post(
            f"/{world.project_id}/project_users", json={}, headers=world.agent.auth
        )
        uuid_user = created.json()["uuid_user"]

        response = await client.get(
            f"/{world.project_id}/project_users/users/{uuid_user}", headers=world.agent.auth
        )

        assert response.status_code == 200
        assert response.json()[0]["_id"] == created.json()["_id"]
        assert response.json()[0]["tags"] == []

    async def test_tags_must_be_a_list(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)

        response = await client.post(
            f"/{world.project_id}/project_users", json={"tags": "vip"}, headers=world.agent.auth
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == "tags"
        guests = await client.get(
            f"/{world.project_id}/project_users", params={"role": "guest"}, headers=world.agent.auth
        )
        assert [guest["uuid_user"] for guest in guests.json()] == [world.guest.id]


class TestUpdateMyMembership:
    async def test_changes_the_callers_own_fields(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        body = {
            "user_available": False,
            "profileStatus": "busy",
            "max_assigned_chat": 5,
            "attributes": {"desk": "north"},
            "tags": [{"tag": "senior"}],
        }

        response = await _update_own(client, world, body)

        assert response.status_code == 200
        updated = response.json()
        assert updated["user_available"] is False
        assert updated["profileStatus"] == "busy"
        assert updated["max_assigned_chat"] == 5
        assert updated["attributes"] == {"desk": "north"}
        assert updated["tags"] == [{"tag": "senior"}]
        assert updated["id_user"] == world.agent.id
        assert updated["role"] == "agent"
        me = await _my_membership(client, world)
        assert {key: me[key] for key in body} == body

    async def test_leaves_unsent_fields_alone(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        await _update_own(client, world, {"profileStatus": "busy", "attributes": {"a": 1}})

        response = await _update_own(client, world, {"user_available": False})

        assert response.json()["profileStatus"] == "busy"
        assert response.json()["attributes"] == {"a": 1}
        assert response.json()["user_available"] is False

    async def test_sets_notification_settings_by_dotted_keys(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        await _update_own(
            client,
            world,
            {
                "settings.email.notification.conversation.assigned.toyou": False,
                "settings.email.notification.conversation.pooled": False,
            },
        )

        response = await _update_own(
            client, world, {"settings.email.notification.conversation.pooled": True}
        )

        assert response.status_code == 200
        assert response.json()["settings"] == {
            "email": {
                "notification": {"conversation": {"assigned": {"toyou": False}, "pooled": True}}
            }
        }

    async def test_role_and_status_cannot_be_changed_on_ones_own_membership(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)

        response = await _update_own(
            client, world, {"role": "owner", "status": "disabled", "trashed": True}
        )

        assert response.status_code == 200
        me = await _my_membership(client, world)
        assert me["role"] == "agent"
        assert me["status"] == "active"
        assert me["trashed"] is False

    async def test_emits_project_user_update_with_a_reduced_user(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)

        response = await _update_own(client, world, {"user_available": False})

        [event] = event_log.named("project_user.update", world.project_id)
        assert event.payload["_id"] == response.json()["_id"]
        assert event.payload["user_available"] is False
        assert event.payload["id_user"] == {
            "_id": world.agent.id,
            "firstname": "Agent",
            "lastname": "Member",
        }
        assert event.payload["isBusy"] is False

    @pytest.mark.parametrize(
        "body",
        [
            {"user_available": "maybe"},
            {"max_assigned_chat": "lots"},
            {"attributes": ["not", "an", "object"]},
            {"settings.email.notification.conversation.pooled": "sometimes"},
        ],
    )
    async def test_wrong_types_are_refused_and_change_nothing(
        self, client: httpx.AsyncClient, event_log: EventLog, body: dict[str, Any]
    ) -> None:
        world = await make_world(client)
        before = await _my_membership(client, world)

        response = await _update_own(client, world, {**body, "profileStatus": "busy"})

        assert response.status_code == 422
        [error] = response.json()["errors"]
        assert error["param"] == next(iter(body))
        assert error["location"] == "body"
        assert await _my_membership(client, world) == before
        assert event_log.named("project_user.update", world.project_id) == []


class TestUpdateProjectUser:
    async def _update(
        self, client: httpx.AsyncClient, world: World, membership_id: str, body: dict[str, Any]
    ) -> httpx.Response:
        return await client.put(
            f"/{world.project_id}/project_users/{membership_id}",
            json=body,
            headers=world.admin.auth,
        )

    async def test_an_admin_changes_a_members_role_and_availability(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)
        agent = await membership_of(client, world.project_id, world.owner, world.agent.id)

        response = await self._update(
            client,
            world,
            agent["_id"],
            {"role": "supervisor", "user_available": False, "max_assigned_chat": 4},
        )

        assert response.status_code == 200
        updated = response.json()
        assert updated["role"] == "supervisor"
        assert updated["user_available"] is False
        assert updated["max_assigned_chat"] == 4
        assert updated["id_user"] == world.agent.id
        me = await _my_membership(client, world)
        assert me["role"] == "supervisor"
        [event] = event_log.named("project_user.update", world.project_id)
        assert event.payload["role"] == "supervisor"
        assert event.payload["id_user"]["_id"] == world.agent.id

    async def test_a_disabled_member_is_shut_out_until_enabled_again(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        agent = await membership_of(client, world.project_id, world.owner, world.agent.id)
        url = f"/{world.project_id}/project_users"

        disabled = await self._update(client, world, agent["_id"], {"status": "disabled"})
        shut_out = await client.get(url, headers=world.agent.auth)
        enabled = await self._update(client, world, agent["_id"], {"status": "active"})
        back_in = await client.get(url, headers=world.agent.auth)

        assert disabled.json()["status"] == "disabled"
        assert shut_out.status_code == 403
        assert shut_out.json() == NOT_A_MEMBER
        assert enabled.json()["status"] == "active"
        assert back_in.status_code == 200

    @pytest.mark.parametrize("status", ["pending", "deleted", ""])
    async def test_other_statuses_are_ignored(self, client: httpx.AsyncClient, status: str) -> None:
        world = await make_world(client)
        agent = await membership_of(client, world.project_id, world.owner, world.agent.id)

        response = await self._update(
            client, world, agent["_id"], {"status": status, "profileStatus": "away"}
        )

        assert response.status_code == 200
        assert response.json()["status"] == "active"
        assert response.json()["profileStatus"] == "away"

    async def test_an_unknown_membership_is_not_found_and_not_created(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)

        response = await self._update(client, world, UNKNOWN_ID, {"role": "agent"})

        assert response.status_code == 404
        assert response.json() == NOT_FOUND
        lookup = await client.get(
            f"/{world.project_id}/project_users/{UNKNOWN_ID}", headers=world.admin.auth
        )
        assert lookup.status_code == 404
        assert event_log.named("project_user.update", world.project_id) == []

    async def test_a_membership_of_another_project_is_not_found(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        theirs = await membership_of(
            client, world.other_project_id, world.stranger, world.stranger.id
        )

        response = await client.put(
            f"/{world.project_id}/project_users/{theirs['_id']}",
            json={"role": "agent"},
            headers=world.owner.auth,
        )

        assert response.status_code == 404
        still = await membership_of(
            client, world.other_project_id, world.stranger, world.stranger.id
        )
        assert still["role"] == "owner"

    async def test_an_admin_cannot_change_the_owners_role(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)
        owner = await membership_of(client, world.project_id, world.owner, world.owner.id)

        response = await self._update(client, world, owner["_id"], {"role": "agent"})

        assert response.status_code == 403
        assert response.json() == ROLE_TOO_LOW
        still = await membership_of(client, world.project_id, world.owner, world.owner.id)
        assert still["role"] == "owner"
        assert event_log.named("project_user.update", world.project_id) == []

    async def test_an_admin_cannot_disable_the_owner(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)
        owner = await membership_of(client, world.project_id, world.owner, world.owner.id)

        response = await self._update(client, world, owner["_id"], {"status": "disabled"})

        assert response.status_code == 403
        assert response.json() == ROLE_TOO_LOW
        still = await client.get(f"/{world.project_id}/project_users/me", headers=world.owner.auth)
        assert still.status_code == 200
        assert still.json()[0]["status"] == "active"
        assert event_log.named("project_user.update", world.project_id) == []

    async def test_an_admin_may_still_change_the_owners_availability(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        owner = await membership_of(client, world.project_id, world.owner, world.owner.id)

        response = await self._update(
            client, world, owner["_id"], {"user_available": False, "status": "active"}
        )

        assert response.status_code == 200
        assert response.json()["user_available"] is False
        assert response.json()["role"] == "owner"

    async def test_an_admin_cannot_promote_to_owner(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        agent = await membership_of(client, world.project_id, world.owner, world.agent.id)

        response = await self._update(client, world, agent["_id"], {"role": "owner"})

        assert response.status_code == 403
        assert response.json() == ROLE_TOO_LOW
        assert (await _my_membership(client, world))["role"] == "agent"

    async def test_the_owner_may_promote_to_owner(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        admin = await membership_of(client, world.project_id, world.owner, world.admin.id)

        response = await client.put(
            f"/{world.project_id}/project_users/{admin['_id']}",
            json={"role": "owner"},
            headers=world.owner.auth,
        )

        assert response.status_code == 200
        assert response.json()["role"] == "owner"

    @pytest.mark.parametrize(
        ("body", "param"),
        [
            ({"user_available": "maybe"}, "user_available"),
            ({"role": ""}, "role"),
            ({"role": 7}, "role"),
        ],
    )
    async def test_wrong_types_are_refused_and_change_nothing(
        self, client: httpx.AsyncClient, body: dict[str, Any], param: str
    ) -> None:
        world = await make_world(client)
        agent = await membership_of(client, world.project_id, world.owner, world.agent.id)

        response = await self._update(client, world, agent["_id"], {**body, "profileStatus": "x"})

        assert response.status_code == 422
        assert [error["param"] for error in response.json()["errors"]] == [param]
        assert await membership_of(client, world.project_id, world.owner, world.agent.id) == agent


class TestRestoreProjectUser:
    async def test_restores_a_trashed_member(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)
        agent = await membership_of(client, world.project_id, world.owner, world.agent.id)
        await client.delete(
            f"/{world.project_id}/project_users/{agent['_id']}?soft=true", headers=world.admin.auth
        )

        response = await client.put(
            f"/{world.project_id}/project_users/{agent['_id']}/restore", headers=world.admin.auth
        )

        assert response.status_code == 200
        assert response.json()["_id"] == agent["_id"]
        assert response.json()["trashed"] is False
        assert response.json()["status"] == "active"
        assert (await _my_membership(client, world))["_id"] == agent["_id"]
        [event] = event_log.named("project_user.update", world.project_id)
        assert event.payload["trashed"] is False

    async def test_a_member_that_is_not_trashed_cannot_be_restored(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        agent = await membership_of(client, world.project_id, world.owner, world.agent.id)

        response = await client.put(
            f"/{world.project_id}/project_users/{agent['_id']}/restore", headers=world.admin.auth
        )

        assert response.status_code == 400
        assert response.json() == {
            "success": False,
            "error": "Project user is not trashed, cannot restore",
        }

    async def test_an_unknown_membership_is_not_found(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)

        response = await client.put(
            f"/{world.project_id}/project_users/{UNKNOWN_ID}/restore", headers=world.admin.auth
        )

        assert response.status_code == 404
        assert response.json() == {
            "success": False,
            "error": f"Project user not found with id {UNKNOWN_ID}",
        }


class TestDeleteProjectUser:
    async def _delete(
        self, client: httpx.AsyncClient, world: World, membership_id: str, query: str = ""
    ) -> httpx.Response:
        return await client.delete(
            f"/{world.project_id}/project_users/{membership_id}{query}", headers=world.admin.auth
        )

    async def test_by_default_disables_the_member(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        agent = await membership_of(client, world.project_id, world.owner, world.agent.id)

        response = await self._delete(client, world, agent["_id"])

        assert response.status_code == 200
        assert response.json()["_id"] == agent["_id"]
        assert response.json()["status"] == "disabled"
        assert response.json()["user_available"] is False
        assert response.json()["trashed"] is False
        shut_out = await client.get(f"/{world.project_id}/project_users", headers=world.agent.auth)
        assert shut_out.status_code == 403
        assert shut_out.json() == NOT_A_MEMBER

    async def test_soft_trashes_and_disables_the_member(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)
        agent = await membership_of(client, world.project_id, world.owner, world.agent.id)

        response = await self._delete(client, world, agent["_id"], "?soft=true")

        assert response.status_code == 200
        assert response.json()["trashed"] is True
        assert response.json()["status"] == "disabled"
        listed = await client.get(f"/{world.project_id}/project_users", headers=world.admin.auth)
        assert agent["_id"] not in {member["_id"] for member in listed.json()}
        [deleted] = event_log.named("project_user.delete", world.project_id)
        assert deleted.payload["deleteType"] == "soft"
        assert deleted.payload["id_user"]["email"] == world.agent.email
        assert len(event_log.named("project_user.deleted", world.project_id)) == 1

    async def test_hard_removes_the_membership(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)
        agent = await membership_of(client, world.project_id, world.owner, world.agent.id)

        response = await self._delete(client, world, agent["_id"], "?hard=true")

        assert response.status_code == 200
        assert response.json()["_id"] == agent["_id"]
        assert response.json()["role"] == "agent"
        gone = await client.get(
            f"/{world.project_id}/project_users/{agent['_id']}", headers=world.admin.auth
        )
        assert gone.status_code == 404
        listed = await client.get(
            f"/{world.project_id}/project_users",
            params={"trashed": "true"},
            headers=world.admin.auth,
        )
        assert agent["_id"] not in {member["_id"] for member in listed.json()}
        [deleted] = event_log.named("project_user.delete", world.project_id)
        assert deleted.payload["deleteType"] == "hard"

    @pytest.mark.parametrize("query", ["", "?soft=true", "?hard=true"])
    async def test_an_unknown_membership_is_not_found(
        self, client: httpx.AsyncClient, query: str
    ) -> None:
        world = await make_world(client)

        response = await self._delete(client, world, UNKNOWN_ID, query)

        assert response.status_code == 404
        assert response.json() == {
            "success": False,
            "error": f"Project user not found with id {UNKNOWN_ID}",
        }

    async def test_a_membership_of_another_project_is_not_found(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        theirs = await membership_of(
            client, world.other_project_id, world.stranger, world.stranger.id
        )

        response = await client.delete(
            f"/{world.project_id}/project_users/{theirs['_id']}?hard=true", headers=world.owner.auth
        )

        assert response.status_code == 404
        still = await membership_of(
            client, world.other_project_id, world.stranger, world.stranger.id
        )
        assert still["status"] == "active"

    @pytest.mark.parametrize("query", ["", "?soft=true", "?hard=true"])
    async def test_an_admin_cannot_remove_the_owner(
        self, client: httpx.AsyncClient, query: str
    ) -> None:
        world = await make_world(client)
        owner = await membership_of(client, world.project_id, world.owner, world.owner.id)

        response = await self._delete(client, world, owner["_id"], query)

        assert response.status_code == 403
        assert response.json() == ROLE_TOO_LOW
        assert await membership_of(client, world.project_id, world.owner, world.owner.id) == owner
