"""Inviting teammates: ``POST /{pid}/project_users/invite`` (fact sheet §5.3, §5.21, §1.7)."""

from typing import Any

import httpx
import pytest

from tests.conftest import EventLog
from tests.factories import Person, make_project, make_world, signup, unique_email
from tests.project_users.support import ROLE_TOO_LOW, membership_of
from tests.support.smtp import SmtpSink


async def _invite(
    client: httpx.AsyncClient, project_id: str, inviter: Person, **body: Any
) -> httpx.Response:
    return await client.post(f"/{project_id}/project_users/invite", json=body, headers=inviter.auth)


async def _pending(client: httpx.AsyncClient, project_id: str, viewer: Person) -> list[Any]:
    response = await client.get(f"/{project_id}/pendinginvitations", headers=viewer.auth)
    assert response.status_code == 200, response.text
    pending: list[Any] = response.json()
    return pending


async def _is_member(
    client: httpx.AsyncClient, project_id: str, viewer: Person, person: Person
) -> bool:
    response = await client.get(
        f"/{project_id}/project_users/users/{person.id}", headers=viewer.auth
    )
    return response.status_code == 200


class TestInviteRegisteredUser:
    async def test_adds_an_agent_side_membership(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        invitee = await signup(client)

        response = await _invite(client, project_id, owner, email=invitee.email, role="agent")

        assert response.status_code == 200
        membership = response.json()
        assert membership["id_project"] == project_id
        assert membership["id_user"] == invitee.id
        assert membership["role"] == "agent"
        assert membership["roleType"] == 1
        assert membership["user_available"] is True
        assert membership["status"] == "active"
        assert membership["trashed"] is False
        assert membership["createdBy"] == owner.id
        assert membership["id"] == membership["_id"]
        assert membership["isAuthenticated"] is True
        assert "isBusy" not in membership
        listed = await membership_of(client, project_id, owner, invitee.id)
        assert listed["_id"] == membership["_id"]

    async def test_keeps_the_availability_sent(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        invitee = await signup(client)

        response = await _invite(
            client, project_id, owner, email=invitee.email, role="supervisor", user_available=False
        )

        assert response.status_code == 200
        assert response.json()["user_available"] is False
        assert response.json()["role"] == "supervisor"

    async def test_finds_the_account_whatever_the_case_of_the_email(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        invitee = await signup(client)

        response = await _invite(
            client, project_id, owner, email=invitee.email.upper(), role="agent"
        )

        assert response.status_code == 200
        assert response.json()["id_user"] == invitee.id
        assert await _pending(client, project_id, owner) == []

    async def test_mails_the_invitee(self, client: httpx.AsyncClient, smtp: SmtpSink) -> None:
        owner = await signup(client, firstname="Olivia", lastname="Owner")
        project_id = await make_project(client, owner, name="Invite Co")
        invitee = await signup(client, firstname="Ivan")

        await _invite(client, project_id, owner, email=invitee.email, role="agent")

        mail = await smtp.wait_for(invitee.email)
        assert "You have been invited to the 'Invite Co' project" in mail.subject
        assert f"https://dashboard.example.com/#/project/{project_id}/home" in mail.text
        assert "Olivia Owner" in mail.text
        assert "Ivan" in mail.text

    async def test_emits_project_user_invite_with_a_reduced_user(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        invitee = await signup(client, firstname="Ivan", lastname="Invitee")

        response = await _invite(client, project_id, owner, email=invitee.email, role="agent")

        [event] = event_log.named("project_user.invite", project_id)
        assert event.payload["_id"] == response.json()["_id"]
        assert event.payload["id_user"] == {
            "_id": invitee.id,
            "firstname": "Ivan",
            "lastname": "Invitee",
            "email": invitee.email,
        }
        assert event.payload["role"] == "agent"

    async def test_inviting_oneself_is_forbidden(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)

        response = await _invite(
            client, world.project_id, world.admin, email=world.admin.email, role="agent"
        )

        assert response.status_code == 403
        assert response.json() == {
            "success": False,
            "msg": "Forbidden. It is not allowed to invite oneself",
            "code": 4000,
        }
        admin = await membership_of(client, world.project_id, world.owner, world.admin.id)
        assert admin["role"] == "admin"

    async def test_inviting_a_member_again_is_forbidden(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)
        before = len(event_log.named("project_user.invite", world.project_id))

        response = await _invite(
            client, world.project_id, world.owner, email=world.agent.email, role="admin"
        )

        assert response.status_code == 403
        assert response.json() == {
            "success": False,
            "msg": "Forbidden. User is already a member",
            "code": 4001,
        }
        agent = await membership_of(client, world.project_id, world.owner, world.agent.id)
        assert agent["role"] == "agent"
        assert len(event_log.named("project_user.invite", world.project_id)) == before

    async def test_a_trashed_member_is_invited_as_a_new_membership(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        old = await membership_of(client, world.project_id, world.owner, world.agent.id)
        await client.delete(
            f"/{world.project_id}/project_users/{old['_id']}?soft=true", headers=world.owner.auth
        )

        response = await _invite(
            client, world.project_id, world.owner, email=world.agent.email, role="supervisor"
        )

        assert response.status_code == 200
        renewed = response.json()
        assert renewed["_id"] != old["_id"]
        assert renewed["role"] == "supervisor"
        assert renewed["status"] == "active"
        assert renewed["trashed"] is False
        back = await client.get(f"/{world.project_id}/project_users/me", headers=world.agent.auth)
        assert back.status_code == 200
        assert back.json()[0]["_id"] == renewed["_id"]


class TestInviteNewcomer:
    async def test_keeps_a_pending_invitation(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        email = unique_email("newcomer")

        response = await _invite(client, project_id, owner, email=email.upper(), role="admin")

        assert response.status_code == 200
        body = response.json()
        assert body["msg"] == "User not found, save invite in pending "
        assert set(body) == {"msg", "pendingInvitation"}
        invitation = body["pendingInvitation"]
        assert invitation["email"] == email
        assert invitation["role"] == "admin"
        assert invitation["id_project"] == project_id
        assert invitation["createdBy"] == owner.id
        assert {"_id", "createdAt", "updatedAt", "__v"} <= set(invitation)
        assert await _pending(client, project_id, owner) == [invitation]
        [event] = event_log.named("project_user.invite.pending", project_id)
        assert event.payload["_id"] == invitation["_id"]

    async def test_mails_an_invitation_link(
        self, client: httpx.AsyncClient, smtp: SmtpSink
    ) -> None:
        owner = await signup(client, firstname="Olivia", lastname="Owner")
        project_id = await make_project(client, owner, name="Pending Co")
        email = unique_email("newcomer")

        response = await _invite(client, project_id, owner, email=email, role="agent")

        invitation_id = response.json()["pendingInvitation"]["_id"]
        mail = await smtp.wait_for(email)
        assert "You have been invited to the 'Pending Co' project" in mail.subject
        link = f"https://dashboard.example.com/#/handle-invitation/{invitation_id}/Pending Co"
        assert link in mail.text
        assert "Olivia Owner" in mail.text

    async def test_inviting_again_answers_the_existing_invitation(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        email = unique_email("newcomer")
        first = await _invite(client, project_id, owner, email=email, role="agent")

        again = await _invite(client, project_id, owner, email=email, role="admin")

        assert again.status_code == 200
        assert again.json() == {
            "success": False,
            "msg": "Pending Invitation already exist.",
            "pendinginvitation": [first.json()["pendingInvitation"]],
        }
        assert await _pending(client, project_id, owner) == [first.json()["pendingInvitation"]]

    async def test_the_same_email_may_be_invited_to_two_projects(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        first_project = await make_project(client, owner, name="First")
        second_project = await make_project(client, owner, name="Second")
        email = unique_email("newcomer")
        await _invite(client, first_project, owner, email=email, role="agent")

        response = await _invite(client, second_project, owner, email=email, role="agent")

        assert response.status_code == 200
        assert response.json()["pendingInvitation"]["id_project"] == second_project

    async def test_signing_up_turns_the_invitations_into_memberships(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        first_project = await make_project(client, owner, name="First")
        second_project = await make_project(client, owner, name="Second")
        email = unique_email("newcomer")
        invited = await _invite(client, first_project, owner, email=email, role="supervisor")
        await _invite(client, second_project, owner, email=email, role="agent")

        newcomer = await signup(client, email=email)

        projects = await client.get("/projects", headers=newcomer.auth)
        roles = {item["id_project"]["_id"]: item["role"] for item in projects.json()}
        assert roles == {first_project: "supervisor", second_project: "agent"}
        assert {item["roleType"] for item in projects.json()} == {1}
        assert {item["createdBy"] for item in projects.json()} == {owner.id}
        assert await _pending(client, first_project, owner) == []
        assert await _pending(client, second_project, owner) == []
        invitation_id = invited.json()["pendingInvitation"]["_id"]
        public = await client.get(f"/auth/pendinginvitationsnoauth/{invitation_id}")
        assert public.status_code == 404
        me = await client.get(f"/{first_project}/project_users/me", headers=newcomer.auth)
        assert me.json()[0]["role"] == "supervisor"


class TestInviteRefusals:
    @pytest.mark.parametrize("role", [None, ""])
    async def test_a_role_is_required(self, client: httpx.AsyncClient, role: str | None) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        email = unique_email("newcomer")
        body: dict[str, Any] = {"email": email} if role is None else {"email": email, "role": role}

        response = await _invite(client, project_id, owner, **body)

        assert response.status_code == 200
        assert response.json() == {"success": False, "msg": "Role is required.", "code": 405}
        assert await _pending(client, project_id, owner) == []

    async def test_a_role_is_required_for_registered_users_too(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        invitee = await signup(client)

        response = await _invite(client, project_id, owner, email=invitee.email)

        assert response.json() == {"success": False, "msg": "Role is required.", "code": 405}
        assert await _is_member(client, project_id, owner, invitee) is False

    async def test_an_admin_may_not_make_an_owner(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        world = await make_world(client)
        invitee = await signup(client)

        response = await _invite(
            client, world.project_id, world.admin, email=invitee.email, role="owner"
        )

        assert response.status_code == 403
        assert response.json() == ROLE_TOO_LOW
        assert await _is_member(client, world.project_id, world.owner, invitee) is False
        invited = [
            event.payload["id_user"]["_id"]
            for event in event_log.named("project_user.invite", world.project_id)
        ]
        assert invitee.id not in invited

    async def test_an_admin_may_not_invite_a_newcomer_as_owner(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)

        response = await _invite(
            client, world.project_id, world.admin, email=unique_email(), role="owner"
        )

        assert response.status_code == 403
        assert response.json() == ROLE_TOO_LOW
        assert await _pending(client, world.project_id, world.owner) == []

    async def test_the_owner_may_make_another_owner(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        invitee = await signup(client)

        response = await _invite(
            client, world.project_id, world.owner, email=invitee.email, role="owner"
        )

        assert response.status_code == 200
        assert response.json()["role"] == "owner"


class TestInviteBadInput:
    async def test_an_email_is_required(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)

        response = await _invite(client, project_id, owner, role="agent")

        assert response.status_code == 422
        [error] = response.json()["errors"]
        assert error["param"] == "email"
        assert error["location"] == "body"
        assert error["msg"] == "Invalid value"
        assert await _pending(client, project_id, owner) == []

    async def test_availability_must_be_a_boolean(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        invitee = await signup(client)

        response = await _invite(
            client, project_id, owner, email=invitee.email, role="agent", user_available="maybe"
        )

        assert response.status_code == 422
        [error] = response.json()["errors"]
        assert error["param"] == "user_available"
        assert error["value"] == "maybe"
        assert await _is_member(client, project_id, owner, invitee) is False
        assert event_log.named("project_user.invite", project_id) == []

    async def test_an_email_must_be_a_string(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)

        response = await _invite(client, project_id, owner, email=["a@example.com"], role="agent")

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == "email"
        assert await _pending(client, project_id, owner) == []
