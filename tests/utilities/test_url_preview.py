"""Link previews: ``POST /{pid}/url-preview`` (fact sheet §5.28): public, one answer per URL,
private addresses refused, bounded in time and size."""

from typing import Any

import httpx
import pytest

from tests.factories import World, make_world
from tests.utilities.conftest import MAX_BYTES, WebServer

NOT_ALLOWED = "URL not allowed"


async def _preview(client: httpx.AsyncClient, project_id: str, urls: Any) -> httpx.Response:
    return await client.post(f"/{project_id}/url-preview", json={"urls": urls})


@pytest.fixture
async def world(preview_client: httpx.AsyncClient) -> World:
    return await make_world(preview_client)


class TestPreviews:
    async def test_reads_what_the_page_says_about_itself(
        self, preview_client: httpx.AsyncClient, world: World, web: WebServer
    ) -> None:
        url = web.url("/page")

        response = await _preview(preview_client, world.project_id, [url])

        assert response.status_code == 200
        assert response.json() == [
            {
                "url": url,
                "success": True,
                "data": {
                    "url": url,
                    "title": "Acme & Co",
                    "description": "Everything for coyotes",
                    "image": "https://acme.example/logo.png",
                    "siteName": "Acme",
                    "type": None,
                    "locale": None,
                    "author": None,
                    "keywords": None,
                    "twitterCard": "summary",
                    "twitterTitle": None,
                    "twitterDescription": None,
                    "twitterImage": None,
                },
            }
        ]

    async def test_answers_each_url_in_order_and_follows_redirects(
        self, preview_client: httpx.AsyncClient, world: World, web: WebServer
    ) -> None:
        urls = [web.url("/plain"), web.url("/missing"), web.url("/moved"), "ftp://example.com/x"]

        response = await _preview(preview_client, world.project_id, urls)

        answers = response.json()
        assert [answer["url"] for answer in answers] == urls
        assert answers[0]["data"]["title"] == "Plain"
        assert answers[1] == {
            "url": urls[1],
            "success": False,
            "error": "Request failed with status code 404",
        }
        assert answers[2]["data"]["title"] == "Acme & Co"
        assert answers[2]["data"]["url"] == urls[2]
        assert answers[3] == {"url": urls[3], "success": False, "error": NOT_ALLOWED}

    async def test_stops_at_the_size_cap_the_timeout_and_redirect_loops(
        self, preview_client: httpx.AsyncClient, world: World, web: WebServer
    ) -> None:
        urls = [web.url("/big"), web.url("/slow"), web.url("/loop")]

        response = await _preview(preview_client, world.project_id, urls)

        big, slow, loop = response.json()
        assert big["error"] == f"maxContentLength size of {MAX_BYTES} exceeded"
        assert slow["error"] == "timeout of 500ms exceeded"
        assert loop["success"] is False
        assert web.requests.count("/loop") == 4

    async def test_needs_no_credentials_but_a_real_project(
        self, preview_client: httpx.AsyncClient, web: WebServer
    ) -> None:
        response = await _preview(preview_client, "0123456789abcdef01234567", [web.url("/page")])

        assert response.status_code == 400
        assert response.json() == {"error": "Project not found with id: 0123456789abcdef01234567"}


class TestPrivateAddresses:
    """The suite's default app: previews may not reach the server's own network."""

    @pytest.mark.parametrize(
        "url",
        [
            "http://127.0.0.1:9/",
            "http://localhost/admin",
            "http://10.0.0.1/",
            "http://192.168.1.1/",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::1]/",
            "http://2130706433/",  # 127.0.0.1 once resolved
            "javascript:alert(1)",
            "http://",
        ],
    )
    async def test_private_targets_are_refused(self, client: httpx.AsyncClient, url: str) -> None:
        world = await make_world(client)

        response = await _preview(client, world.project_id, [url])

        assert response.status_code == 200
        assert response.json() == [{"url": url, "success": False, "error": NOT_ALLOWED}]

    async def test_the_local_server_is_not_reached(
        self, client: httpx.AsyncClient, web: WebServer
    ) -> None:
        world = await make_world(client)
        before = len(web.requests)

        response = await _preview(client, world.project_id, [web.url("/page")])

        assert response.json()[0]["error"] == NOT_ALLOWED
        assert len(web.requests) == before


class TestBadInput:
    @pytest.mark.parametrize(
        ("urls", "error"),
        [
            (None, "urls must be a non-empty array"),
            ([], "urls must be a non-empty array"),
            ("http://example.com", "urls must be a non-empty array"),
            ([f"http://example.com/{n}" for n in range(11)], "urls must contain at most 10 items"),
            ([42], "urls must be strings"),
        ],
    )
    async def test_is_refused(self, client: httpx.AsyncClient, urls: Any, error: str) -> None:
        world = await make_world(client)

        response = await _preview(client, world.project_id, urls)

        assert response.status_code == 422
        assert response.json() == {"success": False, "error": error}
