"""Anonymous visitors and customer-signed end users (§3.2, §3.5)."""

import time
import uuid

import httpx
import jwt

from tessera.config import Settings
from tests.factories import (
    add_member,
    custom_token,
    make_guest,
    make_project,
    project_secret,
    signup,
    unique_email,
)


class TestSigninAnonymously:
    async def test_answers_a_guest_token_and_profile(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)

        response = await client.post("/auth/signinAnonymously", json={"id_project": project_id})

        assert response.status_code == 200
        body = response.json()
        assert body["success"] is True
        assert body["token"].startswith("JWT ")
        user = body["user"]
        assert uuid.UUID(user["_id"]).version == 4
        assert user["firstname"] == "guest#" + user["_id"][:4]
        assert user["id"] == user["_id"]
        assert user["fullName"] == user["firstname"] + " "
        assert set(user) == {"_id", "firstname", "id", "fullName"}

    async def test_echoes_the_visitor_profile_in_token_and_answer(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        profile = {
            "firstname": "Vera",
            "lastname": "Visitor",
            "email": "vera@example.com",
            "attributes": {"plan": "gold"},
        }

        response = await client.post(
            "/auth/signinAnonymously", json={"id_project": project_id, **profile}
        )

        user = response.json()["user"]
        assert user["fullName"] == "Vera Visitor"
        assert user["attributes"] == {"plan": "gold"}
        claims = jwt.decode(
            response.json()["token"].removeprefix("JWT "),
            settings.jwt_secret(),
            algorithms=["HS256"],
            audience="https://tiledesk.com",
        )
        assert claims["sub"] == "guest"
        assert claims["email"] == "vera@example.com"
        assert claims["_id"] == user["_id"]

    async def test_creates_a_guest_membership(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)

        visitor = await make_guest(client, project_id)
        response = await client.get(
            f"/{project_id}/project_users", params={"role": "guest"}, headers=owner.auth
        )

        guests = [m for m in response.json() if m.get("uuid_user") == visitor.id]
        assert len(guests) == 1
        assert guests[0]["role"] == "guest"
        assert guests[0]["roleType"] == 2
        assert guests[0]["isAuthenticated"] is False

    async def test_missing_project_is_422(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/auth/signinAnonymously", json={})

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == "id_project"

    async def test_unknown_project_is_400(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/auth/signinAnonymously", json={"id_project": "f" * 24})

        assert response.status_code == 400
        assert response.json() == {"error": "Project not found with id: " + "f" * 24}

    async def test_a_guest_is_not_an_agent(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        visitor = await make_guest(client, project_id)

        response = await client.get(f"/{project_id}/project_users", headers=visitor.auth)

        assert response.status_code == 403
        assert response.json() == {"success": False, "msg": "you dont have the required role."}

    async def test_a_guest_has_no_account_to_read(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        visitor = await make_guest(client, project_id)

        response = await client.get("/users", headers=visitor.auth)

        assert response.status_code == 401


class TestSigninWithCustomToken:
    async def test_a_project_end_user_gets_back_its_token_and_a_membership(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        secret = await project_secret(client, project_id, owner)
        token = custom_token(secret, project_id, _id="customer-42", email="c42@example.com")

        response = await client.post(
            "/auth/signinWithCustomToken", headers={"Authorization": token}
        )
        members = await client.get(
            f"/{project_id}/project_users", params={"role": "user"}, headers=owner.auth
        )

        assert response.status_code == 200
        body = response.json()
        assert body == {
            "success": True,
            "token": token,
            "user": jwt.decode(
                token.removeprefix("JWT "),
                secret,
                algorithms=["HS256"],
                audience=f"https://tiledesk.com/projects/{project_id}",
            ),
        }
        end_users = [m for m in members.json() if m.get("uuid_user") == "customer-42"]
        assert end_users[0]["role"] == "user"
        assert end_users[0]["roleType"] == 2

    async def test_signing_in_twice_keeps_one_membership(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        secret = await project_secret(client, project_id, owner)
        token = custom_token(secret, project_id, _id="repeat-visitor")

        for _ in range(2):
            await client.post("/auth/signinWithCustomToken", headers={"Authorization": token})
        members = await client.get(
            f"/{project_id}/project_users", params={"role": "user"}, headers=owner.auth
        )

        assert [m["uuid_user"] for m in members.json()].count("repeat-visitor") == 1

    async def test_a_token_without_prefix_is_answered_with_the_prefix(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        secret = await project_secret(client, project_id, owner)
        token = custom_token(secret, project_id)

        response = await client.post(
            "/auth/signinWithCustomToken", headers={"Authorization": "JWT " + token[4:]}
        )

        assert response.json()["token"] == token

    async def test_a_wrong_signature_is_401(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        await project_secret(client, project_id, owner)
        token = custom_token(str(uuid.uuid4()), project_id)

        response = await client.post(
            "/auth/signinWithCustomToken", headers={"Authorization": token}
        )

        assert response.status_code == 401

    async def test_a_project_without_secret_refuses_custom_tokens(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        token = custom_token(str(uuid.uuid4()), project_id)

        response = await client.post(
            "/auth/signinWithCustomToken", headers={"Authorization": token}
        )

        assert response.status_code == 401

    async def test_regenerating_the_secret_invalidates_old_tokens(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        old_secret = await project_secret(client, project_id, owner)
        await project_secret(client, project_id, owner)

        response = await client.post(
            "/auth/signinWithCustomToken",
            headers={"Authorization": custom_token(old_secret, project_id)},
        )

        assert response.status_code == 401

    async def test_a_global_token_without_project_is_echoed(
        self, client: httpx.AsyncClient
    ) -> None:
        person = await signup(client)

        response = await client.post("/auth/signinWithCustomToken", headers=person.auth)

        assert response.status_code == 200
        assert response.json()["token"] == person.token
        assert response.json()["user"]["_id"] == person.id

    async def test_a_token_without_audience_is_400(
        self, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        token = jwt.encode({"_id": "x", "iat": int(time.time())}, settings.jwt_secret())

        response = await client.post(
            "/auth/signinWithCustomToken", headers={"Authorization": "JWT " + token}
        )

        assert response.status_code == 400
        assert response.json() == {"success": False, "msg": "JWT Aud field is required"}

    async def test_no_credentials_is_401(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/auth/signinWithCustomToken")

        assert response.status_code == 401

    async def test_an_agent_role_creates_an_sso_account_and_returns_a_login_token(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        secret = await project_secret(client, project_id, owner)
        email = unique_email("sso")
        token = custom_token(secret, project_id, _id="agent-7", role="agent", email=email.upper())

        response = await client.post(
            "/auth/signinWithCustomToken", headers={"Authorization": token}
        )
        login = {"Authorization": response.json()["token"]}
        account = await client.get("/users", headers=login)
        team = await client.get(f"/{project_id}/project_users", headers=login)
        again = await client.post("/auth/signinWithCustomToken", headers={"Authorization": token})

        assert response.status_code == 200
        assert response.json()["token"] != token
        assert account.json()["email"] == email
        assert team.status_code == 200
        assert again.json()["user"]["_id"] == account.json()["_id"]

    async def test_sso_never_hands_out_an_existing_account(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        secret = await project_secret(client, project_id, owner)
        victim = await signup(client)
        await add_member(client, project_id, owner, victim, "agent")
        token = custom_token(secret, project_id, _id="impostor", role="owner", email=victim.email)

        response = await client.post(
            "/auth/signinWithCustomToken", headers={"Authorization": token}
        )

        assert response.status_code == 403
        assert "token" not in response.json()

    async def test_a_disabled_end_user_is_401(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        secret = await project_secret(client, project_id, owner)
        token = custom_token(secret, project_id, _id="soon-disabled")
        await client.post("/auth/signinWithCustomToken", headers={"Authorization": token})
        members = await client.get(
            f"/{project_id}/project_users", params={"role": "user"}, headers=owner.auth
        )
        membership = next(m for m in members.json() if m["uuid_user"] == "soon-disabled")
        await client.delete(f"/{project_id}/project_users/{membership['_id']}", headers=owner.auth)

        response = await client.post(
            "/auth/signinWithCustomToken", headers={"Authorization": token}
        )

        assert response.status_code == 401
        assert response.json() == {
            "success": False,
            "msg": "Authentication failed. Project_user not active.",
        }

    async def test_an_end_user_token_acts_only_in_its_project(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        other_project = await make_project(client, owner, name="Second")
        secret = await project_secret(client, project_id, owner)
        token = custom_token(secret, project_id, _id="pinned-user")
        await client.post("/auth/signinWithCustomToken", headers={"Authorization": token})

        response = await client.get(
            f"/{other_project}/project_users/me", headers={"Authorization": token}
        )

        assert response.status_code == 403
        assert response.json()["msg"] == "you dont belong to the project."

    async def test_a_project_secret_cannot_impersonate_a_registered_user(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)
        secret = await project_secret(client, project_id, owner)
        token = custom_token(secret, project_id, _id=owner.id, sub="user")

        response = await client.get("/users", headers={"Authorization": token})

        assert response.status_code == 401
