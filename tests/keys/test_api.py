"""Project secrets (``/:pid/keys``) and the custom-JWT helpers (``/:pid/jwt``), §5.20."""

import time
import uuid

import httpx
import jwt
import pytest

from tessera.keys import service as keys_service
from tests.conftest import REAL_NEW_KEY_PAIR
from tests.factories import World, make_world, signup


@pytest.fixture(autouse=True)
def real_key_generation(monkeypatch: pytest.MonkeyPatch) -> None:
    """The suite shares one key pair (tests/conftest.py); here the keys are made for real."""
    monkeypatch.setattr(keys_service, "new_key_pair", REAL_NEW_KEY_PAIR)


@pytest.fixture
async def world(client: httpx.AsyncClient) -> World:
    return await make_world(client)


class TestGenerateKeys:
    async def test_answers_a_key_pair_and_a_uuid_secret(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.post(f"/{world.project_id}/keys/generate", headers=world.admin.auth)

        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"publicKey", "privateKey", "jwtSecret"}
        assert body["publicKey"].startswith("-----BEGIN PUBLIC KEY-----")
        assert body["privateKey"].startswith("-----BEGIN RSA PRIVATE KEY-----")
        assert uuid.UUID(body["jwtSecret"]).version == 4

    async def test_the_secret_never_appears_in_the_project(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.get(f"/projects/{world.project_id}", headers=world.owner.auth)

        assert world.secret not in response.text
        assert "jwtSecret" not in response.json()

    @pytest.mark.parametrize(
        ("role", "expected"),
        [("agent", 403), ("supervisor", 403), ("admin", 200), ("owner", 200), ("outsider", 403),
         ("stranger", 403)],
    )  # fmt: skip
    async def test_only_admins_generate_keys(
        self, client: httpx.AsyncClient, world: World, role: str, expected: int
    ) -> None:
        response = await client.post(
            f"/{world.project_id}/keys/generate", headers=world.person(role).auth
        )

        assert response.status_code == expected

    async def test_visitors_cannot_generate_keys(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        for visitor in (world.guest, world.end_user):
            response = await client.post(f"/{world.project_id}/keys/generate", headers=visitor.auth)

            assert response.status_code == 403


class TestDecode:
    def _token(self, secret: str, *, lifetime: int = 300, **claims: object) -> str:
        now = int(time.time())
        return jwt.encode({"_id": "u1", "iat": now, "exp": now + lifetime, **claims}, secret)

    async def test_decodes_a_project_signed_token(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        token = self._token(world.secret, firstname="Eve")

        response = await client.post(
            f"/{world.project_id}/jwt/decode", headers={"Authorization": "JWT " + token}
        )

        assert response.status_code == 200
        assert response.json()["decoded"]["firstname"] == "Eve"

    async def test_refuses_tokens_living_longer_than_ten_minutes(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        token = self._token(world.secret, lifetime=601)

        response = await client.post(
            f"/{world.project_id}/jwt/decode", headers={"Authorization": "JWT " + token}
        )

        assert response.status_code == 401
        assert "maximum of 10 minutes" in response.json()["msg"]

    async def test_refuses_a_token_without_exp(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        token = jwt.encode({"_id": "u1", "iat": int(time.time())}, world.secret)

        response = await client.post(
            f"/{world.project_id}/jwt/decode", headers={"Authorization": "JWT " + token}
        )

        assert response.status_code == 401
        assert response.json() == {
            "success": False,
            "msg": "Authentication failed. Token exp is required",
        }

    async def test_refuses_a_token_of_another_secret(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        token = self._token(str(uuid.uuid4()))

        response = await client.post(
            f"/{world.project_id}/jwt/decode", headers={"Authorization": "JWT " + token}
        )

        assert response.status_code == 401
        assert response.json()["msg"] == "Authentication failed"

    async def test_a_project_without_secret_is_404(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        created = await client.post("/projects", json={"name": "NoKeys"}, headers=owner.auth)
        token = self._token(str(uuid.uuid4()))

        response = await client.post(
            f"/{created.json()['_id']}/jwt/decode", headers={"Authorization": "JWT " + token}
        )

        assert response.status_code == 404
        assert response.json() == {"success": False, "msg": "Project hasnt  a jwtSecret"}

    async def test_needs_a_two_part_authorization_header(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.post(
            f"/{world.project_id}/jwt/decode", headers={"Authorization": "nonsense"}
        )

        assert response.status_code == 403


class TestGenerateTestToken:
    async def test_mints_a_five_minute_project_token_for_admins(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        claims = {"_id": "tester", "sub": "userexternal",
                  "aud": f"https://tiledesk.com/projects/{world.project_id}"}  # fmt: skip

        response = await client.post(
            f"/{world.project_id}/jwt/generatetestjwt", json=claims, headers=world.admin.auth
        )
        token = response.json()["token"]
        decoded = jwt.decode(
            token.removeprefix("JWT "), world.secret, algorithms=["HS256"], audience=claims["aud"]
        )
        signin = await client.post("/auth/signinWithCustomToken", headers={"Authorization": token})

        assert response.status_code == 200
        assert response.json()["success"] is True
        assert decoded["_id"] == "tester"
        assert decoded["exp"] - decoded["iat"] == 300
        assert signin.status_code == 200

    @pytest.mark.parametrize(("role", "expected"), [("agent", 403), ("outsider", 403)])
    async def test_only_admins_may_mint_test_tokens(
        self, client: httpx.AsyncClient, world: World, role: str, expected: int
    ) -> None:
        response = await client.post(
            f"/{world.project_id}/jwt/generatetestjwt",
            json={"_id": "x"},
            headers=world.person(role).auth,
        )

        assert response.status_code == expected
        assert "token" not in response.json()
