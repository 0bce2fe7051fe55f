"""Who may call the ``/{pid}/project_users`` routes (fact sheet §4.2-4.3, §5.3; DESIGN.md
"Deliberate deviations": credentials of one project never act in another)."""

import httpx
import pytest

from tests.factories import (
    Person,
    World,
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


@pytest.fixture(scope="module")
async def world(client: httpx.AsyncClient) -> World:
    """Shared by the tests of this module: a test that changes a membership's role or status
    does it to a member of its own (``_new_member``), and counts compare before and after."""
    return await make_world(client)


async def _new_member(client: httpx.AsyncClient, world: World, role: str) -> Person:
    person = await signup(client)
    await add_member(client, world.project_id, world.owner, person, role)
    return person


async def _guests(client: httpx.AsyncClient, world: World) -> list[dict[str, object]]:
    response = await client.get(
        f"/{world.project_id}/project_users", params={"role": "guest"}, headers=world.owner.auth
    )
    assert response.status_code == 200, response.text
    guests: list[dict[str, object]] = response.json()
    return guests


async def _pending_emails(client: httpx.AsyncClient, world: World) -> list[str]:
    response = await client.get(f"/{world.project_id}/pendinginvitations", headers=world.owner.auth)
    assert response.status_code == 200, response.text
    return [item["email"] for item in response.json()]


@pytest.mark.parametrize("path", AGENT_READS)
@pytest.mark.parametrize(("role", "expected"), AGENT_ROUTE_ACCESS)
async def test_agents_and_above_may_read_memberships(
    client: httpx.AsyncClient, world: World, path: str, role: str, expected: str
) -> None:
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
    client: httpx.AsyncClient, world: World, role: str, expected: str
) -> None:
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
    client: httpx.AsyncClient, world: World, role: str, expected: str
) -> None:
    before = await _guests(client, world)

    response = await client.post(
        f"/{world.project_id}/project_users", json={}, headers=headers_of(world, role)
    )

    assert_access(response, expected)
    after = await _guests(client, world)
    assert len(after) == len(before) + (1 if expected == "allowed" else 0)


@pytest.mark.parametrize(("role", "expected"), AGENT_ROUTE_ACCESS)
async def test_agents_and_above_may_update_their_own_membership(
    client: httpx.AsyncClient, world: World, role: str, expected: str
) -> None:
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
    client: httpx.AsyncClient, world: World, role: str, expected: str
) -> None:
    email = unique_email("invitee")
    before = await _pending_emails(client, world)

    response = await client.post(
        f"/{world.project_id}/project_users/invite",
        json={"email": email, "role": "agent"},
        headers=headers_of(world, role),
    )

    assert_access(response, expected)
    after = await _pending_emails(client, world)
    assert after == ([*before, email] if expected == "allowed" else before)


@pytest.mark.parametrize(("role", "expected"), ADMIN_ROUTE_ACCESS)
async def test_admins_and_owners_may_update_a_membership(
    client: httpx.AsyncClient, world: World, role: str, expected: str
) -> None:
    person = await _new_member(client, world, "agent")
    agent = await membership_of(client, world.project_id, world.owner, person.id)

    response = await client.put(
        f"/{world.project_id}/project_users/{agent['_id']}",
        json={"role": "supervisor"},
        headers=headers_of(world, role),
    )

    assert_access(response, expected)
    after = await membership_of(client, world.project_id, world.owner, person.id)
    assert after["role"] == ("supervisor" if expected == "allowed" else "agent")


@pytest.mark.parametrize(("role", "expected"), ADMIN_ROUTE_ACCESS)
async def test_admins_and_owners_may_restore_a_membership(
    client: httpx.AsyncClient, world: World, role: str, expected: str
) -> None:
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
    client: httpx.AsyncClient, world: World, role: str, expected: str
) -> None:
    person = await _new_member(client, world, "supervisor")
    supervisor = await membership_of(client, world.project_id, world.owner, person.id)

    response = await client.delete(
        f"/{world.project_id}/project_users/{supervisor['_id']}",
        headers=headers_of(world, role),
    )

    assert_access(response, expected)
    after = await membership_of(client, world.project_id, world.owner, person.id)
    assert after["status"] == ("disabled" if expected == "allowed" else "active")


@pytest.mark.parametrize("visitor", ["guest", "end_user"])
async def test_end_users_of_another_project_do_not_belong(
    client: httpx.AsyncClient, world: World, visitor: str
) -> None:
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


async def test_basic_credentials_are_accepted(client: httpx.AsyncClient, world: World) -> None:
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
