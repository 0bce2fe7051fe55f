"""E-mail verification and password reset (§3.5), with the mail that carries them."""

import re

import httpx
from sqlalchemy import update

from tessera.users.models import users
from tests.factories import PASSWORD, signup, unique_email
from tests.support.smtp import SmtpSink


def _link_code(text: str, marker: str) -> str:
    match = re.search(re.escape(marker) + r"([^\s\"<]+)", text)
    assert match, f"no link with {marker!r} in {text!r}"
    return match.group(1)


class TestVerifyEmail:
    async def test_the_emailed_code_verifies_the_account(
        self, client: httpx.AsyncClient, smtp: SmtpSink
    ) -> None:
        person = await signup(client, send_email=True)
        mail = await smtp.wait_for(person.email)
        user_id, code = _link_code(mail.text, "/#/verify/email/").split("/")

        response = await client.put(f"/auth/verifyemail/{user_id}/{code}", json={})
        account = await client.get("/users", headers=person.auth)

        assert response.status_code == 200
        assert response.json()["emailverified"] is True
        assert response.json()["_id"] == person.id
        assert account.json()["emailverified"] is True

    async def test_only_the_verification_flag_is_applied(
        self, client: httpx.AsyncClient, smtp: SmtpSink
    ) -> None:
        person = await signup(client, send_email=True)
        user_id, code = _link_code(
            (await smtp.wait_for(person.email)).text, "/verify/email/"
        ).split("/")

        response = await client.put(
            f"/auth/verifyemail/{user_id}/{code}",
            json={"emailverified": True, "email": "hijack@example.com", "status": 0},
        )

        assert response.json()["email"] == person.email
        assert response.json()["status"] == 100

    async def test_a_code_works_once(self, client: httpx.AsyncClient, smtp: SmtpSink) -> None:
        person = await signup(client, send_email=True)
        user_id, code = _link_code(
            (await smtp.wait_for(person.email)).text, "/verify/email/"
        ).split("/")
        await client.put(f"/auth/verifyemail/{user_id}/{code}")

        response = await client.put(f"/auth/verifyemail/{user_id}/{code}")

        assert response.status_code == 401
        assert response.json()["error_code"] == 10005

    async def test_a_code_of_another_user_is_refused(
        self, client: httpx.AsyncClient, smtp: SmtpSink
    ) -> None:
        person = await signup(client, send_email=True)
        other = await signup(client)
        _user_id, code = _link_code(
            (await smtp.wait_for(person.email)).text, "/verify/email/"
        ).split("/")

        response = await client.put(f"/auth/verifyemail/{other.id}/{code}")

        assert response.status_code == 401
        assert response.json() == {
            "success": False,
            "error": "Trying to use a verification code from another user.",
            "error_code": 10006,
        }

    async def test_an_unknown_code_is_401(self, client: httpx.AsyncClient) -> None:
        person = await signup(client)

        response = await client.put(f"/auth/verifyemail/{person.id}/not-a-code")

        assert response.status_code == 401
        assert response.json()["success"] is False

    async def test_resend_issues_a_new_working_code(
        self, client: httpx.AsyncClient, smtp: SmtpSink
    ) -> None:
        person = await signup(client)

        response = await client.get("/users/resendverifyemail", headers=person.auth)
        user_id, code = _link_code(
            (await smtp.wait_for(person.email)).text, "/verify/email/"
        ).split("/")
        verified = await client.put(f"/auth/verifyemail/{user_id}/{code}")

        assert response.json() == {"success": True, "message": "Verify email successfully sent"}
        assert verified.status_code == 200


class TestPasswordReset:
    async def _reset_key(self, client: httpx.AsyncClient, smtp: SmtpSink, email: str) -> str:
        response = await client.put("/auth/requestresetpsw", json={"email": email.upper()})
        assert response.json() == {
            "success": True,
            "message": "An email has been sent to reset your password",
        }
        mail = await smtp.wait_for(email)
        assert "reset" in mail.subject.lower()
        return _link_code(mail.text, "/#/resetpassword/")

    async def test_the_emailed_key_sets_a_new_password(
        self, client: httpx.AsyncClient, smtp: SmtpSink
    ) -> None:
        person = await signup(client)
        key = await self._reset_key(client, smtp, person.email)

        check = await client.get(f"/auth/checkpswresetkey/{key}")
        reset = await client.put(f"/auth/resetpsw/{key}", json={"password": "Brand-new-pass-3"})
        old = await client.post("/auth/signin", json={"email": person.email, "password": PASSWORD})
        new = await client.post(
            "/auth/signin", json={"email": person.email, "password": "Brand-new-pass-3"}
        )

        assert check.status_code == 200
        assert check.json()["message"] == "Valid password reset key"
        assert check.json()["user"]["_id"] == person.id
        assert reset.status_code == 200
        assert reset.json()["message"] == "Password change successful"
        assert "password" not in reset.json()["user"]
        assert old.status_code == 401
        assert new.status_code == 200

    async def test_a_key_works_once(self, client: httpx.AsyncClient, smtp: SmtpSink) -> None:
        person = await signup(client)
        key = await self._reset_key(client, smtp, person.email)
        await client.put(f"/auth/resetpsw/{key}", json={"password": "Brand-new-pass-3"})

        again = await client.put(f"/auth/resetpsw/{key}", json={"password": "Other-pass-4"})
        check = await client.get(f"/auth/checkpswresetkey/{key}")

        assert again.status_code == 404
        assert again.json() == {"success": False, "msg": "Invalid password reset key"}
        assert check.status_code == 404

    async def test_the_reset_is_confirmed_by_email(
        self, client: httpx.AsyncClient, smtp: SmtpSink
    ) -> None:
        person = await signup(client)
        key = await self._reset_key(client, smtp, person.email)

        await client.put(f"/auth/resetpsw/{key}", json={"password": "Brand-new-pass-3"})

        mail = await smtp.wait_for(person.email, subject="changed")
        assert person.email in mail.text

    async def test_an_expired_key_is_invalid(
        self, client: httpx.AsyncClient, smtp: SmtpSink, app: object
    ) -> None:
        person = await signup(client)
        key = await self._reset_key(client, smtp, person.email)
        db = app.state.db  # type: ignore[attr-defined]
        await db.write(
            lambda tx: tx.conn.execute(
                update(users).where(users.c.id == person.id).values(reset_expires_at=1)
            )
        )

        response = await client.get(f"/auth/checkpswresetkey/{key}")

        assert response.status_code == 404

    async def test_a_missing_password_is_422_and_keeps_the_key(
        self, client: httpx.AsyncClient, smtp: SmtpSink
    ) -> None:
        person = await signup(client)
        key = await self._reset_key(client, smtp, person.email)

        response = await client.put(f"/auth/resetpsw/{key}", json={})
        check = await client.get(f"/auth/checkpswresetkey/{key}")

        assert response.status_code == 422
        assert check.status_code == 200

    async def test_an_unknown_email_is_told_with_200(self, client: httpx.AsyncClient) -> None:
        response = await client.put("/auth/requestresetpsw", json={"email": unique_email()})

        assert response.status_code == 200
        assert response.json() == {"success": False, "msg": "User not found."}

    async def test_an_unknown_key_is_404(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/auth/checkpswresetkey/nope")

        assert response.status_code == 404
        assert response.json() == {"success": False, "msg": "Invalid password reset key"}
