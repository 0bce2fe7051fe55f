"""``/troubleshooting/headers`` and ``/urls/redirect`` (§5.28), with Tessera's deviations:
credentials masked in the echo, and no open redirect (fact sheet §12.10)."""

from pathlib import Path

import httpx
import pytest

from tessera.main import create_app
from tests.conftest import make_settings
from tests.factories import signup

NOT_ALLOWED = {"success": False, "msg": "Redirect target not allowed"}


async def test_headers_are_echoed_to_anyone(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/troubleshooting/headers", headers={"X-Forwarded-For": "203.0.113.7", "X-Probe": "1"}
    )

    assert response.status_code == 200
    echoed = response.json()
    assert echoed["x-forwarded-for"] == "203.0.113.7"
    assert echoed["x-probe"] == "1"
    assert echoed["host"]


async def test_credentials_are_masked_in_the_echo(client: httpx.AsyncClient) -> None:
    person = await signup(client)

    response = await client.get(
        "/troubleshooting/headers", headers={**person.auth, "Cookie": "session=secret-value"}
    )

    assert response.status_code == 200
    echoed = response.json()
    assert echoed["authorization"] == "[masked]"
    assert echoed["cookie"] == "[masked]"
    assert person.token not in response.text
    assert "secret-value" not in response.text


@pytest.mark.parametrize("path", ["/widgets?tiledesk_projectid=1", "/auth/signin"])
async def test_a_local_path_is_redirected_to(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get("/urls/redirect", params={"path": path})

    assert response.status_code == 302
    assert response.headers["location"] == path


async def test_the_widget_origin_is_allowed(client: httpx.AsyncClient) -> None:
    target = "http://localhost:4200/assets/twp/index.html?x=1"  # the default WIDGET_LOCATION

    response = await client.get("/urls/redirect", params={"path": target})

    assert response.status_code == 302
    assert response.headers["location"] == target


@pytest.mark.parametrize(
    "path",
    [
        "https://evil.example.com/phish",
        "//evil.example.com/phish",
        "/\\evil.example.com",
        "javascript:alert(1)",
        "http://localhost:4201/",
        "/next\r\nSet-Cookie: stolen=1",
        "evil.example.com",
    ],
)
async def test_any_other_target_is_refused(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get("/urls/redirect", params={"path": path})

    assert response.status_code == 400
    assert response.json() == NOT_ALLOWED
    assert "location" not in response.headers


async def test_a_missing_path_is_a_400(client: httpx.AsyncClient) -> None:
    response = await client.get("/urls/redirect")

    assert response.status_code == 400
    assert response.json() == {"success": False, "msg": "The path query parameter is required"}


async def test_configured_origins_are_allowed(database_url: str, tmp_path: Path) -> None:
    settings = make_settings(
        database_url,
        tmp_path,
        redirect_allowed_origins="https://www.example.com, https://help.example.com",
    )
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50003))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as own:
            allowed = await own.get(
                "/urls/redirect", params={"path": "https://help.example.com/faq"}
            )
            refused = await own.get("/urls/redirect", params={"path": "https://shop.example.com/"})
    finally:
        app.state.db.close()

    assert allowed.status_code == 302
    assert allowed.headers["location"] == "https://help.example.com/faq"
    assert refused.status_code == 400
