"""The caller's account, ``/users``, and public profiles, ``/users_util`` (§5.1)."""

import httpx
import pytest

from tests.conftest import EventLog
from tests.factories import make_guest, make_project, signup, unique_phone
from tests.support.smtp import SmtpSink


class TestGetUser:
    async def test_answers_the_callers_brief_profile(self, client: httpx.AsyncClient) -> None:
        person = await signup(client, firstname="Katherine", lastname="Johnson")

        response = await client.get("/users", headers=person.auth)

        assert response.status_code == 200
        assert response.json() == {
            "_id": person.id,
            "email": person.email,
            "firstname": "Katherine",
            "lastname": "Johnson",
            "emailverified": False,
        }

    async def test_needs_credentials(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/users")

        assert response.status_code == 401


class TestUpdateUser:
    async def test_applies_the_fields_present(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        person = await signup(client)
        phone = unique_phone()

        response = await client.put(
            "/users",
            json={
                "firstname": "Dorothy",
                "attributes": {"team": "blue"},
                "description": "Support lead",
                "public_email": "lead@example.com",
                "public_website": "https://example.com",
                "phone": phone,
            },
            headers=person.auth,
        )

        assert response.status_code == 200
        body = response.json()
        assert body["success"] is True
        user = body["updatedUser"]
        assert user["firstname"] == "Dorothy"
        assert user["lastname"] == person.lastname
        assert user["attributes"] == {"team": "blue"}
        assert user["description"] == "Support lead"
        assert user["phone"] == phone
        assert "password" not in user
        assert any(e.payload["_id"] == person.id for e in event_log.named("user.update"))

    async def test_ignores_fields_outside_the_whitelist(self, client: httpx.AsyncClient) -> None:
        person = await signup(client)

        response = await client.put(
            "/users",
            json={"email": "new@example.com", "emailverified": True, "status": 0},
            headers=person.auth,
        )

        user = response.json()["updatedUser"]
        assert user["email"] == person.email
        assert user["emailverified"] is False
        assert user["status"] == 100

    async def test_a_taken_phone_number_is_409_and_changes_nothing(
        self, client: httpx.AsyncClient
    ) -> None:
        first, second = await signup(client), await signup(client)
        phone = unique_phone()
        await client.put("/users", json={"phone": phone}, headers=first.auth)

        response = await client.put(
            "/users", json={"phone": phone, "firstname": "Taken"}, headers=second.auth
        )
        account = await client.get("/users", headers=second.auth)

        assert response.status_code == 409
        assert response.json()["success"] is False
        assert account.json()["firstname"] == second.firstname

    async def test_wrong_types_are_422(self, client: httpx.AsyncClient) -> None:
        person = await signup(client)

        response = await client.put(
            "/users", json={"attributes": "not-an-object"}, headers=person.auth
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == "attributes"

    async def test_guests_have_no_account(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        visitor = await make_guest(client, await make_project(client, owner))

        response = await client.put("/users", json={"firstname": "X"}, headers=visitor.auth)

        assert response.status_code == 401


class TestDeleteUser:
    async def test_soft_delete_anonymizes_and_blocks_sign_in(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        person = await signup(client)

        response = await client.delete("/users", headers=person.auth)
        signin = await client.post(
            "/auth/signin", json={"email": person.email, "password": person.password}
        )

        assert response.status_code == 200
        user = response.json()["updatedUser"]
        assert user["status"] == 0
        assert user["firstname"] == "anonymized"
        assert user["lastname"] == "anonymized"
        assert user["email"] != person.email
        assert signin.status_code == 401
        assert any(e.payload["_id"] == person.id for e in event_log.named("user.delete"))

    async def test_the_email_cannot_be_registered_again_after_a_soft_delete(
        self, client: httpx.AsyncClient
    ) -> None:
        person = await signup(client)
        await client.delete("/users", headers=person.auth)

        again = await signup(client, email=person.email)

        assert again.id != person.id

    async def test_physical_delete_removes_the_account_and_its_memberships(
        self, client: httpx.AsyncClient
    ) -> None:
        owner, member = await signup(client), await signup(client)
        project_id = await make_project(client, owner)
        await client.post(
            f"/{project_id}/project_users/invite",
            json={"email": member.email, "role": "agent"},
            headers=owner.auth,
        )

        response = await client.delete("/users/physical", headers=member.auth)
        team = await client.get(f"/{project_id}/project_users", headers=owner.auth)

        assert response.status_code == 200
        assert response.json() == {"success": True, "user": {"n": 1, "ok": 1, "deletedCount": 1}}
        assert member.id not in [m["id_user"]["_id"] for m in team.json() if m.get("id_user")]
        assert (await client.get("/users", headers=member.auth)).status_code == 401


class TestChangePassword:
    async def test_changes_the_password(self, client: httpx.AsyncClient, smtp: SmtpSink) -> None:
        person = await signup(client)

        response = await client.put(
            "/users/changepsw",
            json={"oldpsw": person.password, "newpsw": "Fresh-pass-8"},
            headers=person.auth,
        )
        signin = await client.post(
            "/auth/signin", json={"email": person.email, "password": "Fresh-pass-8"}
        )

        assert response.status_code == 200
        assert response.json() == {"message": "Password change successful"}
        assert signin.status_code == 200
        assert "changed" in (await smtp.wait_for(person.email, subject="changed")).subject

    async def test_a_wrong_current_password_is_401(self, client: httpx.AsyncClient) -> None:
        person = await signup(client)

        response = await client.put(
            "/users/changepsw", json={"oldpsw": "wrong", "newpsw": "x"}, headers=person.auth
        )

        assert response.status_code == 401
        assert response.json() == {"success": False, "msg": "Current password is invalid."}

    async def test_the_same_password_is_403(self, client: httpx.AsyncClient) -> None:
        person = await signup(client)

        response = await client.put(
            "/users/changepsw",
            json={"oldpsw": person.password, "newpsw": person.password},
            headers=person.auth,
        )

        assert response.status_code == 403
        assert response.json() == {
            "success": False,
            "message": "The new password must be different from the previous one.",
        }

    @pytest.mark.parametrize("body", [{}, {"oldpsw": "x"}, {"newpsw": "x"}])
    async def test_missing_fields_are_422(
        self, client: httpx.AsyncClient, body: dict[str, str]
    ) -> None:
        person = await signup(client)

        response = await client.put("/users/changepsw", json=body, headers=person.auth)

        assert response.status_code == 422


class TestLoginEmail:
    async def test_mails_a_signed_in_desktop_link(
        self, client: httpx.AsyncClient, smtp: SmtpSink
    ) -> None:
        person = await signup(client)
        project_id = await make_project(client, person)

        response = await client.post(
            "/users/loginemail",
            json={"id_project": project_id, "bot_id": "bot-1"},
            headers=person.basic,
        )

        assert response.status_code == 200
        assert response.json() == {"success": True, "message": "Sending email..."}
        mail = await smtp.wait_for(person.email, subject="desktop")
        assert f"/#/project/{project_id}/chatbot/bot-1?token=JWT " in mail.text
        assert "Basic" not in mail.text

    @pytest.mark.parametrize(
        ("body", "error"),
        [
            ({"bot_id": "b"}, "missing 'id_project' field"),
            ({"id_project": "p"}, "missing 'bot_id' or 'namespace_id' field"),
        ],
    )
    async def test_missing_fields_are_400(
        self, client: httpx.AsyncClient, body: dict[str, str], error: str
    ) -> None:
        person = await signup(client)

        response = await client.post("/users/loginemail", json=body, headers=person.auth)

        assert response.status_code == 400
        assert response.json() == {"success": False, "error": error}


class TestPublicProfile:
    async def test_shows_only_public_fields_without_authentication(
        self, client: httpx.AsyncClient
    ) -> None:
        person = await signup(client)
        await client.put(
            "/users",
            json={"public_website": "https://ada.example.com", "phone": unique_phone()},
            headers=person.auth,
        )

        response = await client.get(f"/users_util/{person.id}")

        assert response.status_code == 200
        assert response.json() == {
            "_id": person.id,
            "firstname": person.firstname,
            "lastname": person.lastname,
            "public_website": "https://ada.example.com",
        }

    async def test_a_malformed_id_is_404_user_id_not_found(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/users_util/xyz")

        assert response.status_code == 404
        assert response.json() == {"success": False, "msg": "User id not found"}

    async def test_an_unknown_id_is_404(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/users_util/" + "0" * 24)

        assert response.status_code == 404
        assert response.json() == {"success": False, "msg": "Object not found."}
