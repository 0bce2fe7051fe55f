"""Conversation transcripts: ``/public/requests/:rid/...`` in every format, who may read
them, signed links and the time zone (fact sheet §5.27; Tessera's access rule)."""

import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tessera.main import create_app
from tessera.transcripts import links
from tests.conftest import make_settings
from tests.factories import World, make_guest, make_world
from tests.transcripts.support import bot_auth, guest_conversation, reply

NOT_FOUND = {"success": False, "msg": "Object not found."}
BAD_LINK = {"success": False, "msg": "Invalid or expired transcript link."}
SECRET = "tessera-test-secret-of-at-least-32-bytes"  # tests.conftest.make_settings


async def _chat(client: httpx.AsyncClient) -> tuple[World, str]:
    """A project and a conversation its guest opened with ``welcome``, then a question, an
    agent's answer, closed by the admin (which posts a system message)."""
    world = await make_world(client)
    request_id = await guest_conversation(
        client, world.project_id, world.guest, ["welcome", "I need <b>help</b> & more"]
    )
    await reply(client, world.project_id, request_id, world.agent, "Hello, how can I help?")
    closed = await client.put(
        f"/{world.project_id}/requests/{request_id}/close", headers=world.admin.auth
    )
    assert closed.status_code == 200, closed.text
    return world, request_id


@pytest.fixture(scope="module")
async def chat(client: httpx.AsyncClient) -> tuple[World, str]:
    """Shared by the tests that leave this conversation and the project's settings alone (some
    open conversations of their own)."""
    return await _chat(client)


@pytest.fixture
async def own_chat(client: httpx.AsyncClient) -> tuple[World, str]:
    """For a test that changes the project's settings."""
    return await _chat(client)


async def _all_messages(
    client: httpx.AsyncClient, world: World, request_id: str
) -> list[dict[str, Any]]:
    response = await client.get(
        f"/{world.project_id}/requests/{request_id}/messages", headers=world.agent.auth
    )
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def _path(request_id: str, document: str) -> str:
    return f"/public/requests/{request_id}/{document}"


class TestDocuments:
    async def test_json_holds_every_message_as_the_messages_route_does(
        self, client: httpx.AsyncClient, chat: tuple[World, str]
    ) -> None:
        world, request_id = chat

        response = await client.get(_path(request_id, "messages"), headers=world.agent.auth)

        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json; charset=utf-8"
        everything = await _all_messages(client, world, request_id)
        assert response.json() == everything
        assert any(message["sender"] == "system" for message in everything)
        assert everything[0]["text"] == "welcome"

    async def test_html_leaves_out_the_opening_trigger_and_system_messages(
        self, client: httpx.AsyncClient, chat: tuple[World, str]
    ) -> None:
        world, request_id = chat

        response = await client.get(_path(request_id, "messages.html"), headers=world.agent.auth)

        assert response.status_code == 200
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert "default-src 'none'" in response.headers["content-security-policy"]
        page = response.text
        assert "I need &lt;b&gt;help&lt;/b&gt; &amp; more" in page
        assert "<b>help</b>" not in page
        assert "Hello, how can I help?" in page
        assert "welcome" not in page
        assert "Chat closed" not in page

    async def test_csv_has_time_sender_and_text_of_the_same_messages(
        self, client: httpx.AsyncClient, chat: tuple[World, str]
    ) -> None:
        world, request_id = chat
        everything = await _all_messages(client, world, request_id)
        shown = [m for m in everything[1:] if m["sender"] != "system"]

        response = await client.get(_path(request_id, "messages.csv"), headers=world.agent.auth)

        assert response.status_code == 200
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert response.headers["content-disposition"] == f'attachment; filename="{request_id}.csv"'
        lines = response.text.splitlines()
        assert lines[0] == "createdAt;senderFullname;text"
        assert len(lines) == 1 + len(shown)
        assert lines[2].endswith(f";{shown[1]['senderFullname']};Hello, how can I help?")
        assert lines[1].split(";")[0].endswith(" UTC")

    async def test_text_lists_every_message(
        self, client: httpx.AsyncClient, chat: tuple[World, str]
    ) -> None:
        world, request_id = chat
        everything = await _all_messages(client, world, request_id)

        response = await client.get(_path(request_id, "messages.txt"), headers=world.agent.auth)

        assert response.status_code == 200
        assert response.headers["content-type"] == "text/plain; charset=utf-8"
        assert response.headers["content-disposition"] == 'attachment; filename="transcript.txt"'
        lines = response.text.split("\n")
        assert lines[0] == "Chat transcript:"
        assert lines[-1] == ""
        assert len(lines) == len(everything) + 2
        assert lines[1].startswith("[ ")
        assert lines[1].endswith(f" UTC] {everything[0]['senderFullname']}: welcome")

    @pytest.mark.parametrize("document", ["messages.pdf", "messages-user.pdf"])
    async def test_pdf_is_a_pdf_document(
        self, client: httpx.AsyncClient, chat: tuple[World, str], document: str
    ) -> None:
        world, request_id = chat

        response = await client.get(_path(request_id, document), headers=world.agent.auth)

        assert response.status_code == 200
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"] == f'attachment; filename="{request_id}.pdf"'
        assert response.content.startswith(b"%PDF-")
        assert response.content.rstrip().endswith(b"%%EOF")

    async def test_pdf_prints_any_script(
        self, client: httpx.AsyncClient, chat: tuple[World, str]
    ) -> None:
        world, _request_id = chat
        request_id = await guest_conversation(
            client, world.project_id, world.guest, ["Привет, 日本語 and emoji 🙂"]
        )

        response = await client.get(_path(request_id, "messages.pdf"), headers=world.agent.auth)

        assert response.status_code == 200
        assert response.content.startswith(b"%PDF-")

    @pytest.mark.parametrize("document", ["messages-user.html", "messages-user.txt"])
    async def test_user_documents_keep_the_opening_and_drop_system_messages(
        self, client: httpx.AsyncClient, chat: tuple[World, str], document: str
    ) -> None:
        world, request_id = chat

        response = await client.get(_path(request_id, document), headers=world.guest.auth)

        assert response.status_code == 200
        assert "welcome" in response.text
        assert "Chat closed" not in response.text

    async def test_user_csv_lists_what_the_visitor_saw(
        self, client: httpx.AsyncClient, chat: tuple[World, str]
    ) -> None:
        world, request_id = chat
        everything = await _all_messages(client, world, request_id)
        seen = [m for m in everything if m["sender"] != "system"]

        response = await client.get(
            _path(request_id, "messages-user.csv"), headers=world.guest.auth
        )

        lines = response.text.splitlines()
        assert len(lines) == 1 + len(seen)
        assert lines[1].endswith(";welcome")

    @pytest.mark.parametrize(
        "document",
        ["messages-user.html", "messages-user.txt", "messages-user.pdf", "messages-user.csv"],
    )
    async def test_user_documents_of_a_silent_conversation_are_not_found(
        self, client: httpx.AsyncClient, chat: tuple[World, str], document: str
    ) -> None:
        world, _request_id = chat
        created = await client.post(
            f"/{world.project_id}/requests", json={"first_text": "hi"}, headers=world.agent.auth
        )
        request_id = created.json()["request_id"]

        response = await client.get(_path(request_id, document), headers=world.agent.auth)
        agents_view = await client.get(_path(request_id, "messages.txt"), headers=world.agent.auth)

        assert response.status_code == 404
        assert response.json() == NOT_FOUND
        assert agents_view.text == "Chat transcript:\n"

    async def test_the_error_page_is_an_html_500(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/public/requests/whatever/test/error")

        assert response.status_code == 500
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert "An error occurred while getting the request" in response.text


class TestTimeZone:
    @pytest.mark.parametrize(
        ("params", "zones"),
        [
            ({}, {"UTC"}),
            ({"tz": "Europe/Rome"}, {"CET", "CEST"}),
            ({"timezone": "America/New_York"}, {"EST", "EDT"}),
            ({"tz": "Mars/Olympus"}, {"UTC"}),
            ({"tz": "../../etc/passwd"}, {"UTC"}),
        ],
    )
    async def test_times_are_shown_in_the_asked_zone(
        self,
        client: httpx.AsyncClient,
        chat: tuple[World, str],
        params: dict[str, str],
        zones: set[str],
    ) -> None:
        world, request_id = chat

        response = await client.get(
            _path(request_id, "messages.csv"), params=params, headers=world.agent.auth
        )

        stamps = [line.split(";")[0] for line in response.text.splitlines()[1:]]
        assert stamps
        assert {stamp.rsplit(" ", 1)[1] for stamp in stamps} <= zones

    async def test_the_projects_operating_hours_zone_is_the_default(
        self, client: httpx.AsyncClient, own_chat: tuple[World, str]
    ) -> None:
        world, request_id = own_chat
        updated = await client.put(
            f"/projects/{world.project_id}",
            json={"operatingHours": '{"tzname": "Asia/Tokyo"}'},
            headers=world.owner.auth,
        )
        assert updated.status_code == 200, updated.text

        default = await client.get(_path(request_id, "messages.txt"), headers=world.agent.auth)
        asked = await client.get(
            _path(request_id, "messages.txt"), params={"tz": "UTC"}, headers=world.agent.auth
        )

        assert " JST] " in default.text
        assert " JST] " not in asked.text


# Who calls, for a conversation the world's guest opened.
ACCESS = [
    ("requester", 200),
    ("agent", 200),
    ("supervisor", 200),
    ("admin", 200),
    ("owner", 200),
    ("bot", 200),
    ("other_guest", 404),
    ("end_user", 404),
    ("outsider", 404),
    ("stranger", 404),
    ("foreign_bot", 404),
    ("nobody", 401),
]


async def _headers(client: httpx.AsyncClient, world: World, who: str) -> dict[str, str]:
    if who == "nobody":
        return {}
    if who == "requester":
        return world.guest.auth
    if who == "other_guest":
        return (await make_guest(client, world.project_id)).auth
    if who == "bot":
        return (await bot_auth(client, world.project_id, world.owner)).headers
    if who == "foreign_bot":
        return (await bot_auth(client, world.other_project_id, world.stranger)).headers
    headers: dict[str, str] = getattr(world, who).auth
    return headers


class TestAccess:
    @pytest.mark.parametrize(("who", "status"), ACCESS)
    @pytest.mark.parametrize("document", ["messages", "messages-user.html"])
    async def test_role_matrix(
        self,
        client: httpx.AsyncClient,
        chat: tuple[World, str],
        who: str,
        status: int,
        document: str,
    ) -> None:
        world, request_id = chat
        headers = await _headers(client, world, who)

        response = await client.get(_path(request_id, document), headers=headers)

        assert response.status_code == status
        if status == 404:
            assert response.json() == NOT_FOUND
        if status == 401:
            assert response.text == "Unauthorized"

    async def test_a_token_in_the_query_works_for_browsers(
        self, client: httpx.AsyncClient, chat: tuple[World, str]
    ) -> None:
        world, request_id = chat

        response = await client.get(
            _path(request_id, "messages-user.html"), params={"secret_token": world.guest.token}
        )

        assert response.status_code == 200

    async def test_an_unknown_conversation_is_not_found(
        self, client: httpx.AsyncClient, chat: tuple[World, str]
    ) -> None:
        world, _request_id = chat

        response = await client.get(
            _path("support-group-nope", "messages"), headers=world.owner.auth
        )

        assert response.status_code == 404
        assert response.json() == NOT_FOUND


class TestSignedLinks:
    async def test_a_link_opens_every_document_without_credentials(
        self, client: httpx.AsyncClient, chat: tuple[World, str]
    ) -> None:
        world, request_id = chat
        before = int(time.time())

        issued = await client.get(f"/public/requests/{request_id}/link", headers=world.guest.auth)

        assert issued.status_code == 200
        link = issued.json()
        assert set(link) == {"request_id", "expires", "expiresAt", "signature", "path"}
        assert link["request_id"] == request_id
        assert before + 7 * 86_400 <= link["expires"] <= int(time.time()) + 7 * 86_400
        assert link["path"] == (
            f"/public/requests/{request_id}/messages-user.html"
            f"?expires={link['expires']}&signature={link['signature']}"
        )
        query = {"expires": link["expires"], "signature": link["signature"]}
        for document in ("messages", "messages.html", "messages.csv", "messages.txt"):
            response = await client.get(_path(request_id, document), params=query)
            assert response.status_code == 200, document
        assert (await client.get(link["path"])).status_code == 200

    async def test_agents_may_ask_for_a_link(
        self, client: httpx.AsyncClient, chat: tuple[World, str]
    ) -> None:
        world, request_id = chat

        response = await client.get(f"/public/requests/{request_id}/link", headers=world.agent.auth)

        assert response.status_code == 200

    @pytest.mark.parametrize(
        ("who", "status"), [("nobody", 401), ("end_user", 404), ("stranger", 404)]
    )
    async def test_only_readers_get_a_link(
        self, client: httpx.AsyncClient, chat: tuple[World, str], who: str, status: int
    ) -> None:
        world, request_id = chat

        response = await client.get(
            f"/public/requests/{request_id}/link", headers=await _headers(client, world, who)
        )

        assert response.status_code == status

    async def test_tampered_expired_or_foreign_links_are_refused(
        self, client: httpx.AsyncClient, chat: tuple[World, str]
    ) -> None:
        world, request_id = chat
        other = await guest_conversation(client, world.project_id, world.guest, ["another"])
        issued = (
            await client.get(f"/public/requests/{request_id}/link", headers=world.guest.auth)
        ).json()
        past = int(time.time()) - 1
        expired = links.signature(SECRET, world.project_id, request_id, past)
        attempts = [
            (request_id, {"expires": issued["expires"], "signature": "0" * 64}),
            (request_id, {"expires": issued["expires"] + 1, "signature": issued["signature"]}),
            (request_id, {"expires": past, "signature": expired}),
            (request_id, {"signature": issued["signature"]}),
            (other, {"expires": issued["expires"], "signature": issued["signature"]}),
            ("support-group-unknown", {"expires": issued["expires"], "signature": "0" * 64}),
        ]

        for target, query in attempts:
            response = await client.get(_path(target, "messages"), params=query)
            assert response.status_code == 403, query
            assert response.json() == BAD_LINK

    @pytest.mark.parametrize("expires", ["soon", "-1", "1e99"])
    async def test_a_malformed_expiry_is_refused(
        self, client: httpx.AsyncClient, chat: tuple[World, str], expires: str
    ) -> None:
        _world, request_id = chat

        response = await client.get(
            _path(request_id, "messages"), params={"expires": expires, "signature": "ab"}
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == "expires"


@pytest.fixture(scope="module")
def disabled_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    data_dir: Path = tmp_path_factory.mktemp("transcripts-off")
    settings = make_settings(database_url, data_dir, disable_transcript_view_page=True)
    application = create_app(settings)
    yield application
    application.state.db.close()


@pytest.fixture
async def disabled_client(disabled_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=disabled_app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def test_transcripts_can_be_switched_off(
    disabled_client: httpx.AsyncClient, chat: tuple[World, str]
) -> None:
    world, request_id = chat

    for document in ("messages", "messages-user.html", "link"):
        response = await disabled_client.get(_path(request_id, document), headers=world.owner.auth)
        assert response.status_code == 400
        assert response.json() == {"error": "Invalid project id: public"}
