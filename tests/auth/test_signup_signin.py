"""Sign-up and sign-in (fact sheet §3.5)."""

import re

import httpx
import pytest

from tests.conftest import EventLog
from tests.factories import PASSWORD, Person, signup, unique_email, unique_phone
from tests.support.smtp import SmtpSink


def _signup_body(email: str, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "email": email,
        "password": PASSWORD,
        "firstname": "Grace",
        "lastname": "Hopper",
        "disableEmail": True,
    }
    body.update(overrides)
    return body


class TestSignup:
    async def test_answers_the_new_user_without_password(self, client: httpx.AsyncClient) -> None:
        email = unique_email()

        response = await client.post("/auth/signup", json=_signup_body(email))

        assert response.status_code == 200
        body = response.json()
        assert body["success"] is True
        assert body["msg"] == "Successfully created new user."
        user = body["user"]
        assert re.fullmatch(r"[0-9a-f]{24}", user["_id"])
        assert user["email"] == email
        assert user["firstname"] == "Grace"
        assert user["lastname"] == "Hopper"
        assert user["emailverified"] is False
        assert user["status"] == 100
        assert user["__v"] == 0
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", user["createdAt"])
        assert "password" not in user
        assert "id" not in user

    async def test_lower_cases_the_email(self, client: httpx.AsyncClient) -> None:
        email = unique_email().upper()

        response = await client.post("/auth/signup", json=_signup_body(email))

        assert response.json()["user"]["email"] == email.lower()

    async def test_duplicate_email_is_403_whatever_its_case(
        self, client: httpx.AsyncClient
    ) -> None:
        email = unique_email()
        await client.post("/auth/signup", json=_signup_body(email))

        response = await client.post("/auth/signup", json=_signup_body(email.upper()))

        assert response.status_code == 403
        assert response.json() == {"success": False, "message": "Email already registered"}

    async def test_accounts_without_phone_do_not_collide(self, client: httpx.AsyncClient) -> None:
        first = await client.post("/auth/signup", json=_signup_body(unique_email()))
        second = await client.post("/auth/signup", json=_signup_body(unique_email()))

        assert first.status_code == second.status_code == 200

    async def test_a_phone_number_belongs_to_one_account(self, client: httpx.AsyncClient) -> None:
        phone = unique_phone()
        await client.post("/auth/signup", json=_signup_body(unique_email(), phone=phone))

        response = await client.post("/auth/signup", json=_signup_body(unique_email(), phone=phone))

        assert response.status_code == 403
        assert response.json()["success"] is False

    async def test_missing_password_is_answered_with_200_as_tiledesk_does(
        self, client: httpx.AsyncClient
    ) -> None:
        body = _signup_body(unique_email())
        del body["password"]

        response = await client.post("/auth/signup", json=body)

        assert response.status_code == 200
        assert response.json() == {"success": False, "msg": "Please pass email and password."}

    @pytest.mark.parametrize(
        ("field", "value"),
        [("email", "not-an-email"), ("firstname", ""), ("lastname", ""), ("phone", "12ab")],
    )
    async def test_invalid_fields_are_422_and_create_nothing(
        self, client: httpx.AsyncClient, field: str, value: str
    ) -> None:
        email = unique_email()
        body = _signup_body(email)
        body[field] = value

        response = await client.post("/auth/signup", json=body)
        signin = await client.post("/auth/signin", json={"email": email, "password": PASSWORD})

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == field
        assert signin.status_code == 401

    async def test_sends_a_verification_email(
        self, client: httpx.AsyncClient, smtp: SmtpSink
    ) -> None:
        email = unique_email()

        await client.post("/auth/signup", json=_signup_body(email, disableEmail=False))

        mail = await smtp.wait_for(email)
        assert "Verify your email address" in mail.subject
        assert "https://dashboard.example.com/#/verify/email/" in mail.html
        assert "https://dashboard.example.com/#/verify/email/" in mail.text

    async def test_disable_email_sends_nothing(
        self, client: httpx.AsyncClient, smtp: SmtpSink
    ) -> None:
        email = unique_email()

        await client.post("/auth/signup", json=_signup_body(email))
        await signup(client)  # a later e-mail-less signup: the mailer had time to deliver

        assert smtp.count_for(email) == 0

    async def test_emits_user_signup(self, client: httpx.AsyncClient, event_log: EventLog) -> None:
        email = unique_email()

        await client.post("/auth/signup", json=_signup_body(email))

        payloads = [event.payload for event in event_log.named("user.signup")]
        assert any(payload["email"] == email and "password" not in payload for payload in payloads)


class TestSignin:
    async def test_answers_a_jwt_prefixed_token_and_the_user(
        self, client: httpx.AsyncClient
    ) -> None:
        person = await signup(client)

        response = await client.post(
            "/auth/signin", json={"email": person.email, "password": person.password}
        )

        assert response.status_code == 200
        body = response.json()
        assert body["success"] is True
        assert body["token"].startswith("JWT ")
        assert body["user"] == {
            "_id": person.id,
            "email": person.email,
            "firstname": person.firstname,
            "lastname": person.lastname,
            "emailverified": False,
        }
        assert "role" not in body

    async def test_email_is_case_insensitive(self, client: httpx.AsyncClient) -> None:
        person = await signup(client)

        response = await client.post(
            "/auth/signin", json={"email": person.email.upper(), "password": person.password}
        )

        assert response.status_code == 200

    async def test_wrong_password_is_401(self, client: httpx.AsyncClient) -> None:
        person = await signup(client)

        response = await client.post(
            "/auth/signin", json={"email": person.email, "password": "wrong"}
        )

        assert response.status_code == 401
        assert response.json() == {
            "success": False,
            "msg": "Authentication failed. Wrong password.",
        }

    async def test_unknown_user_is_401(self, client: httpx.AsyncClient) -> None:
        response = await client.post(
            "/auth/signin", json={"email": unique_email(), "password": "whatever"}
        )

        assert response.status_code == 401
        assert response.json() == {
            "success": False,
            "msg": "Authentication failed. User not found.",
        }

    async def test_there_is_no_master_password(self, client: httpx.AsyncClient) -> None:
        person = await signup(client)

        response = await client.post(
            "/auth/signin", json={"email": person.email, "password": "superadmin"}
        )

        assert response.status_code == 401

    async def test_the_super_admin_is_told_its_role(
        self, client: httpx.AsyncClient, super_admin: Person
    ) -> None:
        signin = await client.post(
            "/auth/signin", json={"email": super_admin.email, "password": super_admin.password}
        )

        assert signin.status_code == 200
        assert signin.json()["role"] == "admin"

    async def test_deleted_accounts_cannot_sign_in(self, client: httpx.AsyncClient) -> None:
        person = await signup(client)
        await client.delete("/users", headers=person.auth)

        response = await client.post(
            "/auth/signin", json={"email": person.email, "password": person.password}
        )

        assert response.status_code == 401
