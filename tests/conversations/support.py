"""Builders shared by the conversation tests: projects with agents, conversations, messages."""

from typing import Any

import httpx

from tests.factories import Person, make_project, signup


async def project_with_agents(
    client: httpx.AsyncClient, count: int, *, routing: str = "assigned"
) -> tuple[str, Person, list[Person]]:
    """A project whose owner is unavailable, so that routing chooses among ``count`` agents."""
    owner = await signup(client)
    project_id = await make_project(client, owner)
    await client.put(
        f"/{project_id}/project_users", json={"user_available": False}, headers=owner.auth
    )
    agents = []
    for _ in range(count):
        agent = await signup(client)
        invited = await client.post(
            f"/{project_id}/project_users/invite",
            json={"email": agent.email, "role": "agent"},
            headers=owner.auth,
        )
        assert invited.status_code == 200
        agents.append(agent)
    if routing != "assigned":
        default = (await client.get(f"/{project_id}/departments/default")).json()
        await client.patch(
            f"/{project_id}/departments/{default['_id']}",
            json={"routing": routing},
            headers=owner.auth,
        )
    return project_id, owner, agents


async def create_request(
    client: httpx.AsyncClient, project_id: str, who: Any, **body: object
) -> dict[str, Any]:
    """``POST /:pid/requests`` as ``who`` (anything with ``.auth`` headers); asserts 200."""
    response = await client.post(
        f"/{project_id}/requests", json={"first_text": "Hello", **body}, headers=who.auth
    )
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    return created


async def post_message(
    client: httpx.AsyncClient, project_id: str, request_id: str, who: Any, **body: object
) -> dict[str, Any]:
    """``POST /:pid/requests/:rid/messages`` as ``who``; asserts 200."""
    response = await client.post(
        f"/{project_id}/requests/{request_id}/messages",
        json={"text": "Hello", **body},
        headers=who.auth,
    )
    assert response.status_code == 200, response.text
    message: dict[str, Any] = response.json()
    return message
