"""Who may call each /projects route (fact sheet §4.2-4.3, §5.2): the role matrices.

Every test takes a project with one member of each role, plus a registered outsider and a
stranger (owner of another project), and checks the guard's answer for one kind of caller.
A caller the guard admits to a route that writes gets a World of its own; the others share
one World, which nothing they call may change.
"""

from typing import Any

import httpx
import pytest

from tests.factories import Person, World, make_project, make_world, signup
from tests.projects.helpers import DENIALS, auth_of

CALLERS = ["outsider", "stranger", "guest", "end_user", "agent", "supervisor", "admin", "owner"]


def _matrix(minimum: str) -> list[tuple[str, int]]:
    """``(caller, expected status)`` for a route that needs ``minimum``."""
    allowed = {
        "agent": {"agent", "supervisor", "admin", "owner"},
        "admin": {"admin", "owner"},
        "owner": {"owner"},
    }[minimum]
    return [(role, 200 if role in allowed else 403) for role in CALLERS]


def _assert_answer(response: httpx.Response, role: str, expected: int) -> None:
    assert response.status_code == expected, response.text
    if expected == 403:
        assert response.json() == DENIALS[role]


@pytest.fixture(scope="module")
async def shared_world(client: httpx.AsyncClient) -> World:
    return await make_world(client)


async def _world_for(client: httpx.AsyncClient, shared_world: World, expected: int) -> World:
    """The shared World for a caller turned away, a new one for a caller who writes."""
    return shared_world if expected == 403 else await make_world(client)


@pytest.mark.parametrize(("role", "expected"), _matrix("agent"))
async def test_agents_and_above_may_read_a_project(
    client: httpx.AsyncClient, shared_world: World, role: str, expected: int
) -> None:
    response = await client.get(
        f"/projects/{shared_world.project_id}", headers=auth_of(shared_world, role)
    )

    _assert_answer(response, role, expected)


@pytest.mark.parametrize(("role", "expected"), _matrix("admin"))
async def test_only_admins_may_update_a_project(
    client: httpx.AsyncClient, shared_world: World, role: str, expected: int
) -> None:
    world = await _world_for(client, shared_world, expected)

    response = await client.put(
        f"/projects/{world.project_id}", json={"name": "Renamed"}, headers=auth_of(world, role)
    )

    _assert_answer(response, role, expected)
    read = await client.get(f"/projects/{world.project_id}", headers=world.owner.auth)
    assert read.json()["name"] == ("Renamed" if expected == 200 else "Acme")


@pytest.mark.parametrize(("role", "expected"), _matrix("admin"))
async def test_only_admins_may_patch_a_project(
    client: httpx.AsyncClient, shared_world: World, role: str, expected: int
) -> None:
    world = await _world_for(client, shared_world, expected)

    response = await client.patch(
        f"/projects/{world.project_id}", json={"name": "Patched"}, headers=auth_of(world, role)
    )

    _assert_answer(response, role, expected)


@pytest.mark.parametrize(("role", "expected"), _matrix("admin"))
async def test_only_admins_may_change_project_attributes(
    client: httpx.AsyncClient, shared_world: World, role: str, expected: int
) -> None:
    world = await _world_for(client, shared_world, expected)

    response = await client.patch(
        f"/projects/{world.project_id}/attributes", json={"a": 1}, headers=auth_of(world, role)
    )

    _assert_answer(response, role, expected)


@pytest.mark.parametrize(("role", "expected"), _matrix("admin"))
async def test_only_admins_may_ban(
    client: httpx.AsyncClient, shared_world: World, role: str, expected: int
) -> None:
    world = await _world_for(client, shared_world, expected)

    response = await client.post(
        f"/projects/{world.project_id}/ban", json={"id": "visitor"}, headers=auth_of(world, role)
    )

    _assert_answer(response, role, expected)


@pytest.mark.parametrize(("role", "expected"), _matrix("admin"))
async def test_only_admins_may_unban(
    client: httpx.AsyncClient, shared_world: World, role: str, expected: int
) -> None:
    world = await _world_for(client, shared_world, expected)
    banned = await client.post(
        f"/projects/{world.project_id}/ban", json={"id": "visitor"}, headers=world.owner.auth
    )
    ban_id = banned.json()["bannedUsers"][-1]["_id"]

    response = await client.delete(
        f"/projects/{world.project_id}/ban/{ban_id}", headers=auth_of(world, role)
    )

    _assert_answer(response, role, expected)


@pytest.mark.parametrize(("role", "expected"), _matrix("owner"))
async def test_only_the_owner_may_delete_a_project(
    client: httpx.AsyncClient, shared_world: World, role: str, expected: int
) -> None:
    world = await _world_for(client, shared_world, expected)

    response = await client.delete(f"/projects/{world.project_id}", headers=auth_of(world, role))

    _assert_answer(response, role, expected)
    read = await client.get(f"/{world.project_id}/project_users", headers=world.owner.auth)
    assert read.status_code == (400 if expected == 200 else 200)


@pytest.mark.parametrize(("role", "expected"), _matrix("owner"))
async def test_only_the_owner_may_delete_a_project_physically(
    client: httpx.AsyncClient, shared_world: World, role: str, expected: int
) -> None:
    world = await _world_for(client, shared_world, expected)

    response = await client.delete(
        f"/projects/{world.project_id}/physical", headers=auth_of(world, role)
    )

    _assert_answer(response, role, expected)


@pytest.mark.parametrize(("role", "expected"), _matrix("owner"))
async def test_only_the_owner_may_downgrade_the_plan(
    client: httpx.AsyncClient, shared_world: World, role: str, expected: int
) -> None:
    world = await _world_for(client, shared_world, expected)

    response = await client.put(
        f"/projects/{world.project_id}/downgradeplan",
        json={"name": "Downgraded"},
        headers=auth_of(world, role),
    )

    _assert_answer(response, role, expected)


@pytest.mark.parametrize(
    "role", ["outsider", "stranger", "guest", "end_user", "agent", "admin", "owner"]
)
@pytest.mark.parametrize("route", ["isopen", "users/availables"])
async def test_public_routes_answer_anyone(
    client: httpx.AsyncClient, shared_world: World, role: str, route: str
) -> None:
    response = await client.get(
        f"/projects/{shared_world.project_id}/{route}", headers=auth_of(shared_world, role)
    )

    assert response.status_code == 200


PROTECTED: list[tuple[str, str, dict[str, Any] | None]] = [
    ("POST", "/projects", {"name": "x"}),
    ("GET", "/projects", None),
    ("GET", "/projects/all", None),
    ("GET", "/projects/{pid}", None),
    ("PUT", "/projects/{pid}", {"name": "x"}),
    ("PATCH", "/projects/{pid}", {"name": "x"}),
    ("PATCH", "/projects/{pid}/attributes", {"a": 1}),
    ("POST", "/projects/{pid}/ban", {"id": "x"}),
    ("DELETE", "/projects/{pid}/ban/{banid}", None),
    ("DELETE", "/projects/{pid}", None),
    ("DELETE", "/projects/{pid}/physical", None),
    ("PUT", "/projects/{pid}/downgradeplan", {"name": "x"}),
]


@pytest.fixture(scope="module")
async def owned_project(client: httpx.AsyncClient) -> tuple[Person, str]:
    """A project named "Acme" and its owner, which no test of the matrix below may change."""
    owner = await signup(client)
    return owner, await make_project(client, owner)


@pytest.mark.parametrize(("method", "path", "body"), PROTECTED)
@pytest.mark.parametrize(
    "authorization", [None, "JWT not-a-token", "Bearer abc", "Basic Zm9vOmJhcg=="]
)
async def test_without_valid_credentials_is_a_plain_401_and_changes_nothing(
    client: httpx.AsyncClient,
    owned_project: tuple[Person, str],
    method: str,
    path: str,
    body: dict[str, Any] | None,
    authorization: str | None,
) -> None:
    owner, project_id = owned_project
    url = path.format(pid=project_id, banid="b" * 24)
    headers = {"Authorization": authorization} if authorization else {}

    response = await client.request(method, url, json=body, headers=headers)

    assert response.status_code == 401
    assert response.text == "Unauthorized"
    read = await client.get(f"/projects/{project_id}", headers=owner.auth)
    assert read.json()["status"] == 100
    assert read.json()["name"] == "Acme"
