"""Builders for test data, through the public API (as a client would make it)."""

import base64
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt

PASSWORD = "Correct-horse-9"


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


def unique_phone() -> str:
    return "+1555" + str(secrets.randbelow(10**8)).zfill(8)


@dataclass
class Person:
    """A registered user with a login token."""

    id: str
    email: str
    token: str
    password: str = PASSWORD
    firstname: str = "Ada"
    lastname: str = "Lovelace"

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": self.token}

    @property
    def basic(self) -> dict[str, str]:
        raw = f"{self.email}:{self.password}".encode()
        return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


@dataclass
class Visitor:
    """A guest or end user: a token and the id memberships know it by."""

    id: str
    token: str
    claims: dict[str, Any] = field(default_factory=dict)

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": self.token}


async def signup(
    client: httpx.AsyncClient,
    *,
    email: str | None = None,
    password: str = PASSWORD,
    firstname: str = "Ada",
    lastname: str = "Lovelace",
    send_email: bool = False,
) -> Person:
    email = email or unique_email()
    body = {
        "email": email,
        "password": password,
        "firstname": firstname,
        "lastname": lastname,
        "disableEmail": not send_email,
    }
    response = await client.post("/auth/signup", json=body)
    assert response.status_code == 200, response.text
    signin = await client.post("/auth/signin", json={"email": email, "password": password})
    assert signin.status_code == 200, signin.text
    data = signin.json()
    return Person(
        id=data["user"]["_id"],
        email=email.lower(),
        token=data["token"],
        password=password,
        firstname=firstname,
        lastname=lastname,
    )


async def make_project(client: httpx.AsyncClient, owner: Person, name: str = "Acme") -> str:
    response = await client.post("/projects", json={"name": name}, headers=owner.auth)
    assert response.status_code == 200, response.text
    project_id: str = response.json()["_id"]
    return project_id


async def add_member(
    client: httpx.AsyncClient, project_id: str, owner: Person, person: Person, role: str
) -> dict[str, Any]:
    response = await client.post(
        f"/{project_id}/project_users/invite",
        json={"email": person.email, "role": role},
        headers=owner.auth,
    )
    assert response.status_code == 200, response.text
    membership: dict[str, Any] = response.json()
    return membership


async def make_guest(client: httpx.AsyncClient, project_id: str, **profile: Any) -> Visitor:
    response = await client.post(
        "/auth/signinAnonymously", json={"id_project": project_id, **profile}
    )
    assert response.status_code == 200, response.text
    data = response.json()
    return Visitor(id=data["user"]["_id"], token=data["token"], claims=data["user"])


async def project_secret(client: httpx.AsyncClient, project_id: str, admin: Person) -> str:
    response = await client.post(f"/{project_id}/keys/generate", headers=admin.auth)
    assert response.status_code == 200, response.text
    secret: str = response.json()["jwtSecret"]
    return secret


def custom_token(secret: str, project_id: str, **claims: Any) -> str:
    """A token as a customer's backend mints it for one of its end users (§3.2)."""
    payload: dict[str, Any] = {
        "_id": f"{project_id}_{uuid.uuid4().hex[:8]}",
        "firstname": "End",
        "lastname": "User",
        "sub": "userexternal",
        "aud": f"https://tiledesk.com/projects/{project_id}",
        "iat": int(time.time()),
        "exp": int(time.time()) + 600,
    }
    payload.update(claims)
    return "JWT " + jwt.encode(payload, secret, algorithm="HS256")


async def make_end_user(
    client: httpx.AsyncClient, project_id: str, secret: str, **claims: Any
) -> Visitor:
    token = custom_token(secret, project_id, **claims)
    response = await client.post("/auth/signinWithCustomToken", headers={"Authorization": token})
    assert response.status_code == 200, response.text
    data = response.json()
    return Visitor(id=data["user"]["_id"], token=data["token"], claims=data["user"])


@dataclass
class World:
    """A project with one member of every role, plus people from outside it."""

    project_id: str
    owner: Person
    admin: Person
    supervisor: Person
    agent: Person
    guest: Visitor
    end_user: Visitor
    outsider: Person  # registered, member of nothing
    stranger: Person  # owner of another project
    other_project_id: str
    secret: str

    def person(self, role: str) -> Person:
        person: Person = getattr(self, role)
        return person


async def make_world(client: httpx.AsyncClient) -> World:
    owner = await signup(client, firstname="Olivia", lastname="Owner")
    project_id = await make_project(client, owner)
    members: dict[str, Person] = {}
    for role in ("admin", "supervisor", "agent"):
        members[role] = await signup(client, firstname=role.title(), lastname="Member")
        await add_member(client, project_id, owner, members[role], role)
    secret = await project_secret(client, project_id, owner)
    stranger = await signup(client, firstname="Sam", lastname="Stranger")
    other_project_id = await make_project(client, stranger, name="Other")
    return World(
        project_id=project_id,
        owner=owner,
        admin=members["admin"],
        supervisor=members["supervisor"],
        agent=members["agent"],
        guest=await make_guest(client, project_id),
        end_user=await make_end_user(client, project_id, secret),
        outsider=await signup(client, firstname="Oscar", lastname="Outsider"),
        stranger=stranger,
        other_project_id=other_project_id,
        secret=secret,
    )
