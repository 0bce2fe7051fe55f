"""Helpers shared by the label API tests."""

from typing import Any

import httpx

from tessera.labels.defaults import builtin_set
from tests.factories import Person, World

BRAND = "Tessera"  # the test settings keep the default BRAND_NAME
NOT_FOUND = {"success": False, "msg": "Object not found."}
LANG_NOT_FOUND = {"success": False, "msg": "Lang not found"}
DEFAULT_UNDELETABLE = {"success": False, "msg": "You can't delete the default language."}
ENTRY_FIELDS = {"_id", "lang", "data", "default"}
DOCUMENT_FIELDS = {"_id", "id_project", "data", "createdBy", "createdAt", "updatedAt", "__v"}


def builtin(lang: str) -> dict[str, Any]:
    found = builtin_set(lang, BRAND)
    assert found is not None
    return found


async def save(
    client: httpx.AsyncClient,
    project_id: str,
    admin: Person,
    lang: str,
    data: dict[str, Any],
    **extra: Any,
) -> dict[str, Any]:
    """``POST /labels`` as an admin; the entry it answers."""
    response = await client.post(
        f"/{project_id}/labels", json={"lang": lang, "data": data, **extra}, headers=admin.auth
    )
    assert response.status_code == 200, response.text
    entry: dict[str, Any] = response.json()
    return entry


async def document(client: httpx.AsyncClient, project_id: str) -> dict[str, Any]:
    """``GET /labels``, without credentials (it is public)."""
    response = await client.get(f"/{project_id}/labels")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


async def resolved(client: httpx.AsyncClient, project_id: str, lang: str) -> dict[str, Any]:
    """``GET /labels/:lang``, without credentials."""
    response = await client.get(f"/{project_id}/labels/{lang}")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def languages(found: dict[str, Any]) -> list[tuple[str, bool]]:
    """A document's languages in order, with their default flag."""
    return [(entry["lang"], entry["default"]) for entry in found["data"]]


async def with_languages(client: httpx.AsyncClient, world: World, *langs: str) -> None:
    """Store ``langs`` in ``world``'s project (the first one becomes the default)."""
    for lang in langs:
        await save(client, world.project_id, world.admin, lang, {"GREETING": f"hello {lang}"})
