"""The committed ``openapi.json`` describes the code as it is, and ``/docs`` works offline."""

from pathlib import Path

import httpx

from tessera.openapi import render

COMMITTED = Path(__file__).resolve().parent.parent / "openapi.json"


def test_committed_openapi_json_is_up_to_date() -> None:
    generated = render()

    assert COMMITTED.read_text() == generated, "openapi.json is stale: run `make openapi`"


async def test_the_served_document_is_the_committed_one(client: httpx.AsyncClient) -> None:
    response = await client.get("/openapi.json")

    assert response.status_code == 200
    served = response.json()
    assert served["info"]["title"] == "Tessera"
    assert "/auth/signin" in served["paths"]
    assert served["paths"]["/auth/signin"]["post"]["operationId"] == "signin"


async def test_the_docs_page_loads_its_assets_locally(client: httpx.AsyncClient) -> None:
    page = await client.get("/docs")
    script = await client.get("/docs/assets/swagger-ui-bundle.js")

    assert page.status_code == 200
    assert "/docs/assets/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
    assert script.status_code == 200
    assert len(script.content) > 100_000
