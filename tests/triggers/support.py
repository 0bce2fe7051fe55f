"""Builders shared by the trigger tests."""

from typing import Any

import httpx

from tests.factories import Person, Visitor

SYSTEM_CODES = [
    "s_new_conversation_01",
    "s_online_welcome_01",
    "s_offline_welcome_01",
    "s_closed_operating_hours_01",
    "s_invite_bot_01",
    "s_checkout_page_01",
    "s_ticketing_taking_01",
]


def trigger_body(
    key: str,
    actions: list[dict[str, Any]],
    *,
    all_of: list[dict[str, Any]] | None = None,
    any_of: list[dict[str, Any]] | None = None,
    name: str = "My trigger",
) -> dict[str, Any]:
    return {
        "name": name,
        "description": "made by a test",
        "trigger": {"key": key, "name": f"{key} event", "description": "an event"},
        "conditions": {"all": all_of or [], "any": any_of or []},
        "actions": actions,
    }


def condition(path: str, operator: str, value: Any) -> dict[str, Any]:
    return {"key": f"c.{path}", "fact": "json", "path": path, "operator": operator, "value": value}


async def create_trigger(
    client: httpx.AsyncClient, project_id: str, admin: Person, body: dict[str, Any]
) -> dict[str, Any]:
    response = await client.post(f"/{project_id}/modules/triggers", json=body, headers=admin.auth)
    assert response.status_code == 200, response.text
    trigger: dict[str, Any] = response.json()
    return trigger


async def triggers_of(
    client: httpx.AsyncClient, project_id: str, admin: Person
) -> list[dict[str, Any]]:
    response = await client.get(f"/{project_id}/modules/triggers", headers=admin.auth)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


async def disable_system_triggers(
    client: httpx.AsyncClient, project_id: str, admin: Person
) -> None:
    """Delete the system triggers, so that a test sees only its own triggers act."""
    for trigger in await triggers_of(client, project_id, admin):
        response = await client.delete(
            f"/{project_id}/modules/triggers/{trigger['_id']}", headers=admin.auth
        )
        assert response.status_code == 200, response.text


async def messages_of(
    client: httpx.AsyncClient, project_id: str, request_id: str, reader: Person
) -> list[dict[str, Any]]:
    response = await client.get(
        f"/{project_id}/requests/{request_id}/messages", headers=reader.auth
    )
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


async def say(
    client: httpx.AsyncClient, project_id: str, request_id: str, who: Person | Visitor, text: str
) -> dict[str, Any]:
    response = await client.post(
        f"/{project_id}/requests/{request_id}/messages", json={"text": text}, headers=who.auth
    )
    assert response.status_code == 200, response.text
    message: dict[str, Any] = response.json()
    return message


async def conversation(
    client: httpx.AsyncClient, project_id: str, request_id: str, reader: Person
) -> dict[str, Any]:
    response = await client.get(f"/{project_id}/requests/{request_id}", headers=reader.auth)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found
