"""Pending invitations: ``/{pid}/pendinginvitations`` and ``GET /auth/pendinginvitationsnoauth/:id``
(fact sheet §5.21, §9.16, §3.5)."""

from typing import Any

import httpx
import pytest

from tests.factories import Person, World, make_project, make_world, signup, unique_email
from tests.project_users.support import (
    AGENT_ROUTE_ACCESS,
    NOT_FOUND,
    assert_access,
    headers_of,
    wait_for_mails,
)
from tests.support.smtp import SmtpSink

UNKNOWN_ID = "0123456789abcdef01234567"
FIELDS = {"_id", "email", "role", "id_project", "createdBy", "createdAt", "updatedAt", "__v"}


async def _invite(
    client: httpx.AsyncClient, project_id: str, admin: Person, email: str, role: str = "agent"
) -> dict[str, Any]:
    response = await client.post(
        f"/{project_id}/project_users/invite",
        json={"email": email, "role": role},
        headers=admin.auth,
    )
    assert response.status_code == 200, response.text
    invitation: dict[str, Any] = response.json()["pendingInvitation"]
    return invitation


async def _listed(client: httpx.AsyncClient, world: World) -> list[dict[str, Any]]:
    response = await client.get(f"/{world.project_id}/pendinginvitations", headers=world.owner.auth)
    assert response.status_code == 200, response.text
    listed: list[dict[str, Any]] = response.json()
    return listed


@pytest.fixture(scope="module")
async def world(client: httpx.AsyncClient) -> World:
    """Shared by the tests that read or write only invitations of their own, or compare the
    project's list before and after; the others make a World of their own."""
    return await make_world(client)


class TestListPendingInvitations:
    async def test_answers_a_bare_array_of_this_projects_invitations(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        first = await _invite(client, world.project_id, world.owner, unique_email(), "agent")
        second = await _invite(client, world.project_id, world.admin, unique_email(), "admin")
        await _invite(client, world.other_project_id, world.stranger, unique_email())

        response = await client.get(
            f"/{world.project_id}/pendinginvitations", headers=world.agent.auth
        )

        assert response.status_code == 200
        assert response.json() == [first, second]
        assert set(response.json()[0]) == FIELDS
        assert response.json()[1]["createdBy"] == world.admin.id

    async def test_is_empty_without_invitations(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)

        response = await client.get(
            f"/{world.project_id}/pendinginvitations", headers=world.agent.auth
        )

        assert response.status_code == 200
        assert response.json() == []


class TestGetPendingInvitation:
    async def test_answers_the_invitation(self, client: httpx.AsyncClient, world: World) -> None:
        invitation = await _invite(client, world.project_id, world.owner, unique_email())

        response = await client.get(
            f"/{world.project_id}/pendinginvitations/{invitation['_id']}", headers=world.agent.auth
        )

        assert response.status_code == 200
        assert response.json() == invitation

    async def test_an_invitation_of_another_project_is_not_found(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        theirs = await _invite(client, world.other_project_id, world.stranger, unique_email())

        response = await client.get(
            f"/{world.project_id}/pendinginvitations/{theirs['_id']}", headers=world.owner.auth
        )

        assert response.status_code == 404
        assert response.json() == NOT_FOUND

    async def test_an_unknown_id_is_not_found(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.get(
            f"/{world.project_id}/pendinginvitations/{UNKNOWN_ID}", headers=world.owner.auth
        )

        assert response.status_code == 404
        assert response.json() == NOT_FOUND


class TestResendInvitation:
    async def test_mails_the_invitation_again(
        self, client: httpx.AsyncClient, smtp: SmtpSink
    ) -> None:
        world = await make_world(client)
        email = unique_email("again")
        invitation = await _invite(client, world.project_id, world.owner, email, "supervisor")
        await wait_for_mails(smtp, email, 1)

        response = await client.get(
            f"/{world.project_id}/pendinginvitations/resendinvite/{invitation['_id']}",
            headers=world.agent.auth,
        )

        assert response.status_code == 200
        assert response.json() == {"Resend invitation email to": invitation}
        mails = await wait_for_mails(smtp, email, 2)
        assert f"handle-invitation/{invitation['_id']}/Acme" in mails[-1].text
        assert "You have been invited to the 'Acme' project" in mails[-1].subject

    async def test_an_invitation_of_another_project_is_not_found(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        theirs = await _invite(client, world.other_project_id, world.stranger, unique_email())

        response = await client.get(
            f"/{world.project_id}/pendinginvitations/resendinvite/{theirs['_id']}",
            headers=world.owner.auth,
        )

        assert response.status_code == 404
        assert response.json() == NOT_FOUND


class TestCreatePendingInvitation:
    async def test_stores_the_invitation_with_its_project(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        email = unique_email("direct")

        response = await client.post(
            f"/{world.project_id}/pendinginvitations",
            json={"email": email.upper(), "role": "agent"},
            headers=world.agent.auth,
        )

        assert response.status_code == 200
        created = response.json()
        assert set(created) == FIELDS
        assert created["email"] == email
        assert created["role"] == "agent"
        assert created["id_project"] == world.project_id
        assert created["createdBy"] == world.agent.id
        assert await _listed(client, world) == [created]

    async def test_the_invitation_becomes_a_membership_on_sign_up(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        email = unique_email("direct")
        await client.post(
            f"/{world.project_id}/pendinginvitations",
            json={"email": email, "role": "supervisor"},
            headers=world.admin.auth,
        )

        newcomer = await signup(client, email=email)

        me = await client.get(f"/{world.project_id}/project_users/me", headers=newcomer.auth)
        assert me.status_code == 200
        assert me.json()[0]["role"] == "supervisor"
        assert me.json()[0]["createdBy"] == world.admin.id
        assert await _listed(client, world) == []

    async def test_an_email_of_the_wrong_type_is_refused(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)

        response = await client.post(
            f"/{world.project_id}/pendinginvitations",
            json={"email": 42, "role": "agent"},
            headers=world.agent.auth,
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == "email"
        assert await _listed(client, world) == []


class TestUpdatePendingInvitation:
    async def test_writes_both_fields(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        invitation = await _invite(client, world.project_id, world.owner, unique_email())
        email = unique_email("changed")

        response = await client.put(
            f"/{world.project_id}/pendinginvitations/{invitation['_id']}",
            json={"email": email.upper(), "role": "admin"},
            headers=world.agent.auth,
        )

        assert response.status_code == 200
        updated = response.json()
        assert updated["_id"] == invitation["_id"]
        assert updated["email"] == email
        assert updated["role"] == "admin"
        assert updated["id_project"] == world.project_id
        assert await _listed(client, world) == [updated]

    async def test_a_field_left_out_is_cleared(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        invitation = await _invite(client, world.project_id, world.owner, unique_email())

        response = await client.put(
            f"/{world.project_id}/pendinginvitations/{invitation['_id']}",
            json={"role": "admin"},
            headers=world.agent.auth,
        )

        assert response.status_code == 200
        assert response.json()["role"] == "admin"
        assert response.json().get("email") is None

    @pytest.mark.parametrize("where", ["unknown", "other project"])
    async def test_an_invitation_outside_the_project_is_not_found_nor_created(
        self, client: httpx.AsyncClient, world: World, where: str
    ) -> None:
        theirs = await _invite(client, world.other_project_id, world.stranger, unique_email())
        invitation_id = UNKNOWN_ID if where == "unknown" else theirs["_id"]
        before = await _listed(client, world)

        response = await client.put(
            f"/{world.project_id}/pendinginvitations/{invitation_id}",
            json={"email": unique_email(), "role": "admin"},
            headers=world.owner.auth,
        )

        assert response.status_code == 404
        assert response.json() == NOT_FOUND
        assert await _listed(client, world) == before
        public = await client.get(f"/auth/pendinginvitationsnoauth/{theirs['_id']}")
        assert public.json() == theirs


class TestDeletePendingInvitation:
    async def test_answers_the_delete_result(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        invitation = await _invite(client, world.project_id, world.owner, unique_email())
        url = f"/{world.project_id}/pendinginvitations/{invitation['_id']}"

        deleted = await client.delete(url, headers=world.agent.auth)
        again = await client.delete(url, headers=world.agent.auth)

        assert deleted.status_code == 200
        assert deleted.json() == {"n": 1, "ok": 1, "deletedCount": 1}
        assert again.json() == {"n": 0, "ok": 1, "deletedCount": 0}
        assert (await client.get(url, headers=world.agent.auth)).status_code == 404
        assert await _listed(client, world) == []

    async def test_leaves_other_projects_invitations_alone(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        theirs = await _invite(client, world.other_project_id, world.stranger, unique_email())

        response = await client.delete(
            f"/{world.project_id}/pendinginvitations/{theirs['_id']}", headers=world.owner.auth
        )

        assert response.json() == {"n": 0, "ok": 1, "deletedCount": 0}
        public = await client.get(f"/auth/pendinginvitationsnoauth/{theirs['_id']}")
        assert public.status_code == 200


class TestPublicPendingInvitation:
    async def test_anyone_with_the_link_may_read_the_invitation(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        invitation = await _invite(client, project_id, owner, unique_email(), "admin")

        response = await client.get(f"/auth/pendinginvitationsnoauth/{invitation['_id']}")

        assert response.status_code == 200
        assert response.json() == invitation

    @pytest.mark.parametrize("invitation_id", [UNKNOWN_ID, "not-an-object-id"])
    async def test_an_unknown_invitation_is_not_found(
        self, client: httpx.AsyncClient, invitation_id: str
    ) -> None:
        response = await client.get(f"/auth/pendinginvitationsnoauth/{invitation_id}")

        assert response.status_code == 404
        assert response.json() == NOT_FOUND


ROUTES = [
    ("GET", ""),
    ("GET", "/{id}"),
    ("GET", "/resendinvite/{id}"),
    ("POST", ""),
    ("PUT", "/{id}"),
    ("DELETE", "/{id}"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize(("role", "expected"), AGENT_ROUTE_ACCESS)
async def test_agents_and_above_may_manage_pending_invitations(
    client: httpx.AsyncClient, world: World, method: str, path: str, role: str, expected: str
) -> None:
    invitation = await _invite(client, world.project_id, world.owner, unique_email())
    before = await _listed(client, world)
    body = {"email": unique_email("other"), "role": "agent"} if method in ("POST", "PUT") else None

    response = await client.request(
        method,
        f"/{world.project_id}/pendinginvitations" + path.format(id=invitation["_id"]),
        json=body,
        headers=headers_of(world, role),
    )

    assert_access(response, expected)
    if expected != "allowed":
        assert await _listed(client, world) == before
