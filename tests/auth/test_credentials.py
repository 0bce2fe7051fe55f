"""Credentials on protected routes (§3.1-3.4): JWT interoperability, Basic auth, rejections."""

import base64
import time
import uuid

import httpx
import jwt
import pytest

from tessera.config import Settings
from tests.factories import Person, make_project, signup, unique_email

TILEDESK = "https://tiledesk.com"


def _tiledesk_user_token(person: Person, secret: str, **extra: object) -> str:
    """Exactly what Tiledesk's /auth/signin signs (routes/auth.js)."""
    claims = {
        "_id": person.id,
        "email": person.email,
        "firstname": person.firstname,
        "lastname": person.lastname,
        "emailverified": False,
        "iat": int(time.time()),
        "aud": TILEDESK,
        "iss": TILEDESK,
        "sub": "user",
        "jti": str(uuid.uuid4()),
        **extra,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


class TestTokensWeIssue:
    async def test_carry_exactly_the_claims_tiledesk_signs(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        person = await signup(client)

        claims = jwt.decode(
            person.token.removeprefix("JWT "),
            settings.jwt_secret(),
            algorithms=["HS256"],
            audience=TILEDESK,
            issuer=TILEDESK,
        )

        assert set(claims) == {
            "_id", "email", "firstname", "lastname", "emailverified",
            "iat", "aud", "iss", "sub", "jti",
        }  # fmt: skip
        assert claims["_id"] == person.id
        assert claims["sub"] == "user"
        assert "exp" not in claims
        assert uuid.UUID(claims["jti"]).version == 4


class TestTokensSignedElsewhere:
    async def test_a_token_signed_by_hand_as_tiledesk_does_is_accepted(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        person = await signup(client)
        token = _tiledesk_user_token(person, settings.jwt_secret())

        response = await client.get("/users", headers={"Authorization": "JWT " + token})

        assert response.status_code == 200
        assert response.json()["_id"] == person.id

    async def test_the_scheme_word_is_case_insensitive(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        person = await signup(client)
        token = _tiledesk_user_token(person, settings.jwt_secret())

        response = await client.get("/users", headers={"Authorization": "jwt " + token})

        assert response.status_code == 200

    async def test_legacy_tokens_with_the_user_under_doc_are_accepted(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        person = await signup(client)
        token = jwt.encode(
            {"_doc": {"_id": person.id, "email": person.email}, "iat": int(time.time())},
            settings.jwt_secret(),
            algorithm="HS256",
        )

        response = await client.get("/users", headers={"Authorization": "JWT " + token})

        assert response.status_code == 200
        assert response.json()["_id"] == person.id

    @pytest.mark.parametrize("prefix", ["JWT ", ""])
    async def test_secret_token_query_parameter_is_accepted(
        self, client: httpx.AsyncClient, prefix: str
    ) -> None:
        person = await signup(client)
        token = person.token.removeprefix("JWT ")

        response = await client.get("/users", params={"secret_token": prefix + token})

        assert response.status_code == 200

    async def test_an_unexpired_token_with_exp_is_accepted(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        person = await signup(client)
        token = _tiledesk_user_token(person, settings.jwt_secret(), exp=int(time.time()) + 60)

        response = await client.get("/users", headers={"Authorization": "JWT " + token})

        assert response.status_code == 200


class TestRejectedCredentials:
    async def test_expired_token_is_401(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        person = await signup(client)
        token = _tiledesk_user_token(person, settings.jwt_secret(), exp=int(time.time()) - 5)

        response = await client.get("/users", headers={"Authorization": "JWT " + token})

        assert response.status_code == 401
        assert response.text == "Unauthorized"

    async def test_token_signed_with_another_secret_is_401(self, client: httpx.AsyncClient) -> None:
        person = await signup(client)
        token = _tiledesk_user_token(person, "another-secret-of-at-least-32-bytes!")

        response = await client.get("/users", headers={"Authorization": "JWT " + token})

        assert response.status_code == 401

    async def test_tampered_token_is_401(self, client: httpx.AsyncClient) -> None:
        person = await signup(client)
        header, _payload, signature = person.token.removeprefix("JWT ").split(".")
        forged = base64.urlsafe_b64encode(b'{"_id":"000000000000000000000000","sub":"user"}')

        response = await client.get(
            "/users",
            headers={"Authorization": f"JWT {header}.{forged.decode().rstrip('=')}.{signature}"},
        )

        assert response.status_code == 401

    async def test_bearer_scheme_is_not_tiledesk_and_is_401(
        self, client: httpx.AsyncClient
    ) -> None:
        person = await signup(client)

        response = await client.get(
            "/users", headers={"Authorization": "Bearer " + person.token.removeprefix("JWT ")}
        )

        assert response.status_code == 401

    async def test_a_bare_token_in_the_header_is_401(self, client: httpx.AsyncClient) -> None:
        person = await signup(client)

        response = await client.get(
            "/users", headers={"Authorization": person.token.removeprefix("JWT ")}
        )

        assert response.status_code == 401

    async def test_token_of_a_deleted_account_is_401(self, client: httpx.AsyncClient) -> None:
        person = await signup(client)
        await client.delete("/users/physical", headers=person.auth)

        response = await client.get("/users", headers=person.auth)

        assert response.status_code == 401

    async def test_a_machine_token_signed_with_the_global_secret_is_401(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        person = await signup(client)
        token = _tiledesk_user_token(person, settings.jwt_secret(), sub="subscription")

        response = await client.get("/users", headers={"Authorization": "JWT " + token})

        assert response.status_code == 401

    async def test_garbage_is_401(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/users", headers={"Authorization": "JWT abc.def.ghi"})

        assert response.status_code == 401


class TestBasicAuth:
    async def test_email_and_password_authenticate(self, client: httpx.AsyncClient) -> None:
        person = await signup(client)

        response = await client.get("/users", headers=person.basic)

        assert response.status_code == 200
        assert response.json()["_id"] == person.id

    async def test_email_is_case_insensitive(self, client: httpx.AsyncClient) -> None:
        person = await signup(client)
        raw = f"{person.email.upper()}:{person.password}".encode()

        response = await client.get(
            "/users", headers={"Authorization": "Basic " + base64.b64encode(raw).decode()}
        )

        assert response.status_code == 200

    async def test_wrong_password_is_401_even_after_a_success(
        self, client: httpx.AsyncClient
    ) -> None:
        person = await signup(client)
        await client.get("/users", headers=person.basic)
        raw = f"{person.email}:wrong-password".encode()

        response = await client.get(
            "/users", headers={"Authorization": "Basic " + base64.b64encode(raw).decode()}
        )

        assert response.status_code == 401

    @pytest.mark.parametrize(
        "value", ["Basic !!!", "Basic " + base64.b64encode(b"nocolon").decode()]
    )
    async def test_malformed_basic_credentials_are_401(
        self, client: httpx.AsyncClient, value: str
    ) -> None:
        response = await client.get("/users", headers={"Authorization": value})

        assert response.status_code == 401

    async def test_a_changed_password_stops_the_old_one_at_once(
        self, client: httpx.AsyncClient
    ) -> None:
        person = await signup(client)
        assert (await client.get("/users", headers=person.basic)).status_code == 200
        old = person.basic

        await client.put(
            "/users/changepsw",
            json={"oldpsw": person.password, "newpsw": "Another-pass-7"},
            headers=person.auth,
        )
        person.password = "Another-pass-7"

        assert (await client.get("/users", headers=old)).status_code == 401
        assert (await client.get("/users", headers=person.basic)).status_code == 200

    async def test_basic_auth_works_on_project_routes(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)

        response = await client.get(f"/{project_id}/project_users", headers=owner.basic)

        assert response.status_code == 200

    async def test_unknown_account_is_401(self, client: httpx.AsyncClient) -> None:
        raw = f"{unique_email()}:whatever".encode()

        response = await client.get(
            "/users", headers={"Authorization": "Basic " + base64.b64encode(raw).decode()}
        )

        assert response.status_code == 401
