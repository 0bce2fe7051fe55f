"""Who may call the ``/{pid}/project_users`` routes (fact sheet §4.2-4.3, §5.3; DESIGN.md
"Deliberate deviations": credentials of one project never act in another)."""

import httpx
import pytest

from tests.factories import (
    add_member,
    make_end_user,
    make_guest,
    make_world,
    project_secret,
    signup,
    unique_email,
)
from tests.project_users.support import (
    ADMIN_ROUTE_ACCESS,
    AGENT_ROUTE_ACCESS,
    NOT_A_MEMBER,
    assert_access,
    headers_of,
    membership_of,
)

AGENT_READS = ["", "/me", "/users/{owner_id}", "/{owner_membership_id}"]


@pytest.mark.parametrize("path", AGENT_READS)
@pytest.mark.parametrize(("role", "expected"), AGENT_ROUTE_ACCESS)
async def test_agents_and_above_may_read_memberships(
    client: httpx.AsyncClient, path: str, role: str, expected: str
) -> None:
    world = await make_world(client)
    owner = await membership_of(client, world.project_id, world.owner, world.owner.id)
    url = f"/{world.project_id}/project_users" + path.format(
        owner_id=world.owner.id, owner_membership_id=owner["_id"]
    )

    response = await client.get(url, headers=headers_of(world, role))

    assert_access(response, expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("owner", "allowed"),
        ("agent", "allowed"),
        ("end_user", "allowed"),
        ("guest", "role too low"),
        ("outsider", "not a member"),
        ("stranger", "not a member"),
        ("nobody", "unauthenticated"),
    ],
)
async def test_end_users_and_above_may_search_teammates(
    client: httpx.AsyncClient, role: str, expected: str
) -> None:
    world = await make_world(client)

    response = await client.get(
        f"/{world.project_id}/project_users/users/search",
        params={"email": world.agent.email},
        headers=headers_of(world, role),
    )

    assert_access(response, expected)
    if expected == "allowed":
        assert response.json() == {"_id": world.agent.id}


@pytest.mark.parametrize(("role", "expected"), AGENT_ROUTE_ACCESS)
async def test_agents_and_above_may_create_end_users(
    client: httpx.AsyncClient, role: str, expected: str
) -> None:
    world = await make_world(client)

    response = await client.post(
        f"/{world.project_id}/project_users", json={}, headers=headers_of(world, role)
    )

    assert_access(response, expected)
    guests = await client.get(
        f"/{world.project_id}/project_users", params={"role": "guest"}, headers=world.owner.auth
    )
    assert len(guests.json()) == (2 if expected == "allowed" else 1)


@pytest.mark.parametrize(("role", "expected"), AGENT_ROUTE_ACCESS)
async def test_agents_and_above_may_update_their_own_membership(
    client: httpx.AsyncClient, role: str, expected: str
) -> None:
    world = await make_world(client)

    response = await client.put(
        f"/{world.project_id}/project_users",
        json={"profileStatus": "away"},
        headers=headers_of(world, role),
    )

    assert_access(response, expected)
    if expected == "allowed":
        assert response.json()["profileStatus"] == "away"
        assert response.json()["id_user"] == world.person(role).id


@pytest.mark.parametrize(("role", "expected"), ADMIN_ROUTE_ACCESS)
async def test_admins_and_owners_may_invite(
    client: httpx.AsyncClient, role: str, expected: str
) -> None:
    world = await make_world(client)
    email = unique_email("invitee")

    response = await client.post(
        f"/{world.project_id}/project_users/invite",
        json={"email": email, "role": "agent"},
        headers=headers_of(world, role),
    )

    assert_access(response, expected)
    pending = await client.get(f"/{world.project_id}/pendinginvitations", headers=world.owner.auth)
    assert [item["email"] for item in pending.json()] == ([email] if expected == "allowed" else [])


@pytest.mark.parametrize(("role", "expected"), ADMIN_ROUTE_ACCESS)
async def test_admins_and_owners_may_update_a_membership(
    client: httpx.AsyncClient, role: str, expected: str
) -> None:
    world = await make_world(client)
    agent = await membership_of(client, world.project_id, world.owner, world.agent.id)

    response = await client.put(
        f"/{world.project_id}/project_users/{agent['_id']}",
        json={"role": "supervisor"},
        headers=headers_of(world, role),
    )

    assert_access(response, expected)
    after = await membership_of(client, world.project_id, world.owner, world.agent.id)
    assert after["role"] == ("supervisor" if expected == "allowed" else "agent")


@pytest.mark.parametrize(("role", "expected"), ADMIN_ROUTE_ACCESS)
async def test_admins_and_owners_may_restore_a_membership(
    client: httpx.AsyncClient, role: str, expected: str
) -> None:
    world = await make_world(client)
    former = await signup(client)
    trashed = await add_member(client, world.project_id, world.owner, former, "agent")
    await client.delete(
        f"/{world.project_id}/project_users/{trashed['_id']}?soft=true", headers=world.owner.auth
    )

    response = await client.put(
        f"/{world.project_id}/project_users/{trashed['_id']}/restore",
        headers=headers_of(world, role),
    )

    assert_access(response, expected)
    after = await membership_of(client, world.project_id, world.owner, former.id)
    assert after["trashed"] is (expected != "allowed")


@pytest.mark.parametrize(("role", "expected"), ADMIN_ROUTE_ACCESS)
async def test_admins_and_owners_may_delete_a_membership(
    client: httpx.AsyncClient, role: str, expected: str
) -> None:
    world = await make_world(client)
    supervisor = await membership_of(client, world.project_id, world.owner, world.supervisor.id)

    response = await client.delete(
        f"/{world.project_id}/project_users/{supervisor['_id']}",
        headers=headers_of(world, role),
    )

    assert_access(response, expected)
    after = await membership_of(client, world.project_id, world.owner, world.supervisor.id)
    assert after["status"] == ("disabled" if expected == "allowed" else "active")


@pytest.mark.parametrize("visitor", ["guest", "end_user"])
async def test_end_users_of_another_project_do_not_belong(
    client: httpx.AsyncClient, visitor: str
) -> None:
    world = await make_world(client)
    if visitor == "guest":
        foreign = await make_guest(client, world.other_project_id)
    else:
        secret = await project_secret(client, world.other_project_id, world.stranger)
        foreign = await make_end_user(client, world.other_project_id, secret)

    response = await client.get(
        f"/{world.project_id}/project_users/users/search",
        params={"email": world.agent.email},
        headers=foreign.auth,
    )

    assert response.status_code == 403
    assert response.json() == NOT_A_MEMBER


async def test_basic_credentials_are_accepted(client: httpx.AsyncClient) -> None:
    world = await make_world(client)

    response = await client.get(f"/{world.project_id}/project_users/me", headers=world.admin.basic)

    assert response.status_code == 200
    assert response.json()[0]["id_user"] == world.admin.id


async def test_a_custom_role_counts_as_agent(client: httpx.AsyncClient) -> None:
    world = await make_world(client)
    agent = await membership_of(client, world.project_id, world.owner, world.agent.id)
    await client.put(
        f"/{world.project_id}/project_users/{agent['_id']}",
        json={"role": "triage"},
        headers=world.owner.auth,
    )

    listed = await client.get(f"/{world.project_id}/project_users", headers=world.agent.auth)
    invited = await client.post(
        f"/{world.project_id}/project_users/invite",
        json={"email": unique_email(), "role": "agent"},
        headers=world.agent.auth,
    )

    assert listed.status_code == 200
    assert {member["role"] for member in listed.json()} == {
        "owner",
        "admin",
        "supervisor",
        "triage",
    }
    assert_access(invited, "role too low")
