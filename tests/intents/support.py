"""Builders shared by the intent and FAQ bot tests."""

from typing import Any

import httpx

from tests.factories import Person, World

NOT_A_MEMBER = {"success": False, "msg": "you dont belong to the project."}
ROLE_TOO_LOW = {"success": False, "msg": "you dont have the required role."}
OBJECT_NOT_FOUND = {"success": False, "msg": "Object not found."}


async def make_bot(
    client: httpx.AsyncClient, project_id: str, admin: Person, name: str = "Help Bot", **body: Any
) -> dict[str, Any]:
    response = await client.post(
        f"/{project_id}/faq_kb", json={"name": name, **body}, headers=admin.auth
    )
    assert response.status_code == 200, response.text
    bot: dict[str, Any] = response.json()
    return bot


async def make_intent(
    client: httpx.AsyncClient, project_id: str, admin: Person, bot_id: str, **body: Any
) -> dict[str, Any]:
    response = await client.post(
        f"/{project_id}/faq", json={"id_faq_kb": bot_id, **body}, headers=admin.auth
    )
    assert response.status_code == 200, response.text
    intent: dict[str, Any] = response.json()
    return intent


async def intents_of(
    client: httpx.AsyncClient, project_id: str, who: Person, bot_id: str
) -> list[dict[str, Any]]:
    response = await client.get(
        f"/{project_id}/faq", params={"id_faq_kb": bot_id}, headers=who.auth
    )
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


async def bot_token(client: httpx.AsyncClient, world: World, bot_id: str) -> dict[str, str]:
    """Headers of the bot calling with its own token."""
    response = await client.get(
        f"/{world.project_id}/faq_kb/{bot_id}/jwt", headers=world.admin.auth
    )
    assert response.status_code == 200, response.text
    return {"Authorization": "JWT " + response.json()["jwt"]}
