"""Who may change labels: admins and owners of the project, nobody else (§5.12, §4.3)."""

from typing import Any

import httpx
import pytest

from tests.factories import World, make_world
from tests.labels.support import document, save, with_languages
from tests.project_users.support import ADMIN_ROUTE_ACCESS, assert_access, headers_of

# (method, path under /{pid}/labels, body): each call succeeds on a project storing EN
# (the default) and IT.
ADMIN_ROUTES = [
    ("POST", "", {"lang": "FR", "data": {"A": "x"}}),
    ("POST", "/default/clone", {"lang": "FR"}),
    ("PATCH", "/IT/default", None),
    ("DELETE", "/IT", None),
    ("DELETE", "", None),
]


async def _world_with_en_and_it(client: httpx.AsyncClient) -> World:
    world = await make_world(client)
    await with_languages(client, world, "EN", "IT")
    return world


@pytest.fixture(scope="module")
async def world(client: httpx.AsyncClient) -> World:
    """Shared by the callers turned away, who may change nothing; a caller the guard admits
    changes the labels and gets a World of its own."""
    return await _world_with_en_and_it(client)


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_ROUTES)
@pytest.mark.parametrize(("who", "expected"), ADMIN_ROUTE_ACCESS)
async def test_only_admins_and_owners_change_labels(
    client: httpx.AsyncClient,
    world: World,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    who: str,
    expected: str,
) -> None:
    if expected == "allowed":
        world = await _world_with_en_and_it(client)
    before = await document(client, world.project_id)

    response = await client.request(
        method, f"/{world.project_id}/labels{path}", json=body, headers=headers_of(world, who)
    )

    assert_access(response, expected)
    if expected != "allowed":
        assert await document(client, world.project_id) == before


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_ROUTES)
async def test_an_admin_of_another_project_changes_nothing_here(
    client: httpx.AsyncClient, world: World, method: str, path: str, body: dict[str, Any] | None
) -> None:
    """The stranger owns the other project: its own labels are reachable, these are not."""
    before = await document(client, world.project_id)

    here = await client.request(
        method, f"/{world.project_id}/labels{path}", json=body, headers=world.stranger.auth
    )
    theirs = await save(client, world.other_project_id, world.stranger, "FR", {"A": "x"})

    assert here.status_code == 403
    assert here.json() == {"success": False, "msg": "you dont belong to the project."}
    assert theirs["default"] is True
    assert await document(client, world.project_id) == before


async def test_a_bot_token_of_the_project_cannot_change_labels(
    client: httpx.AsyncClient, world: World
) -> None:
    """Tiledesk's label routes admit no machine callers (``hasRole('admin')`` lists none)."""
    created = await client.post(
        f"/{world.project_id}/faq_kb", json={"name": "Label Bot"}, headers=world.admin.auth
    )
    assert created.status_code == 200, created.text
    token = await client.get(
        f"/{world.project_id}/faq_kb/{created.json()['_id']}/jwt", headers=world.admin.auth
    )
    assert token.status_code == 200, token.text
    headers = {"Authorization": "JWT " + token.json()["jwt"]}
    before = await document(client, world.project_id)

    response = await client.post(
        f"/{world.project_id}/labels", json={"lang": "FR", "data": {}}, headers=headers
    )

    assert response.status_code == 403
    assert response.json() == {"success": False, "msg": "you dont belong to the project."}
    assert await document(client, world.project_id) == before
