"""Uploads: ``POST /{pid}/files/chat``, ``/assets``, ``/users/photo`` (fact sheet §5.23)."""

import re
import uuid
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from tessera.config import Settings
from tessera.core.db import Record, Tx
from tessera.files.models import files
from tests.factories import Person, World, make_end_user, make_world
from tests.files.support import (
    PDF,
    TEXT,
    image,
    image_size,
    stored_under,
    upload,
)
from tests.project_users.support import (
    ADMIN_ROUTE_ACCESS,
    AGENT_ROUTE_ACCESS,
    NOT_A_MEMBER,
    ROLE_TOO_LOW,
    headers_of,
)

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
DAY_MS = 86_400_000
GUEST_ROUTE_ACCESS = [
    ("owner", "allowed"),
    ("admin", "allowed"),
    ("supervisor", "allowed"),
    ("agent", "allowed"),
    ("guest", "allowed"),
    ("end_user", "allowed"),
    ("outsider", "not a member"),
    ("stranger", "not a member"),
    ("nobody", "unauthenticated"),
]


@pytest.fixture(scope="module")
async def world(client: httpx.AsyncClient) -> World:
    """Shared by the tests of this module that leave the project's settings alone; what a test
    finds stored is compared with what was stored before it."""
    return await make_world(client)


@pytest.fixture
async def own_world(client: httpx.AsyncClient) -> World:
    """For the tests that change the project's upload settings."""
    return await make_world(client)


def _row_of(path: str) -> Any:
    def read(tx: Tx) -> Record | None:
        return tx.first(select(files).where(files.c.path == path))

    return read


async def _row(app: FastAPI, path: str) -> Record | None:
    row: Record | None = await app.state.db.read(_row_of(path))
    return row


async def _bot_headers(client: httpx.AsyncClient, project_id: str, admin: Person) -> dict[str, str]:
    created = await client.post(
        f"/{project_id}/faq_kb", json={"name": "Uploader"}, headers=admin.auth
    )
    assert created.status_code == 200, created.text
    token = await client.get(
        f"/{project_id}/faq_kb/{created.json()['_id']}/jwt", headers=admin.auth
    )
    assert token.status_code == 200, token.text
    return {"Authorization": "JWT " + token.json()["jwt"]}


def _assert_refused(response: httpx.Response, expected: str) -> None:
    """``expected`` as in the role tables; "allowed" means 201 here."""
    if expected == "allowed":
        assert response.status_code == 201, response.text
    elif expected == "unauthenticated":
        assert response.status_code == 401
        assert response.text == "Unauthorized"
    elif expected == "not a member":
        assert response.status_code == 403
        assert response.json() == NOT_A_MEMBER
    else:
        assert response.status_code == 403
        assert response.json() == ROLE_TOO_LOW


class TestChatUpload:
    async def test_answers_201_with_the_raw_stored_path(
        self, client: httpx.AsyncClient, world: World, app: FastAPI
    ) -> None:
        response = await upload(client, f"/{world.project_id}/files/chat", world.guest.auth)

        assert response.status_code == 201, response.text
        body = response.json()
        assert list(body) == ["message", "filename"]
        assert body["message"] == "File uploaded successfully"
        assert re.fullmatch(
            rf"uploads/users/{world.guest.id}/files/{UUID}/notes\.pdf", body["filename"]
        )
        row = await _row(app, body["filename"])
        assert row is not None
        assert (row.project_id, row.kind, row.owner_id) == (
            world.project_id,
            "chat",
            world.guest.id,
        )
        assert (row.content_type, row.size) == ("application/pdf", len(PDF))

    async def test_the_bytes_are_served_back_as_uploaded(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await upload(client, f"/{world.project_id}/files/chat", world.agent.auth)
        path = response.json()["filename"]

        served = await client.get("/files", params={"path": path})

        assert served.status_code == 200
        assert served.content == PDF
        assert served.headers["content-type"] == "application/pdf"
        assert served.headers["content-length"] == str(len(PDF))
        assert served.headers["x-content-type-options"] == "nosniff"

    async def test_chat_uploads_expire_after_thirty_days(
        self, client: httpx.AsyncClient, world: World, app: FastAPI
    ) -> None:
        response = await upload(client, f"/{world.project_id}/files/chat", world.guest.auth)

        row = await _row(app, response.json()["filename"])

        assert row is not None
        assert abs(row.expires_at - (row.created_at + 30 * DAY_MS)) < 5_000

    async def test_an_image_gets_a_200_by_200_thumbnail(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await upload(
            client,
            f"/{world.project_id}/files/chat",
            world.guest.auth,
            name="photo.png",
            data=image("PNG"),
            content_type="image/png",
        )

        assert response.status_code == 201, response.text
        body = response.json()
        folder, _, name = body["filename"].rpartition("/")
        assert name == "photo.png"
        assert body["thumbnail"] == f"{folder}/thumbnails_200_200-photo.png"
        thumbnail = await client.get("/files", params={"path": body["thumbnail"]})
        assert thumbnail.headers["content-type"] == "image/png"
        assert image_size(thumbnail.content) == (200, 200)

    @pytest.mark.parametrize(("who", "expected"), GUEST_ROUTE_ACCESS)
    async def test_any_member_may_upload(
        self, client: httpx.AsyncClient, world: World, who: str, expected: str
    ) -> None:
        response = await upload(client, f"/{world.project_id}/files/chat", headers_of(world, who))

        _assert_refused(response, expected)

    async def test_a_bot_of_the_project_may_upload_but_not_another_projects(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await _bot_headers(client, world.project_id, world.admin)

        mine = await upload(client, f"/{world.project_id}/files/chat", bot)
        theirs = await upload(client, f"/{world.other_project_id}/files/chat", bot)

        assert mine.status_code == 201, mine.text
        assert theirs.status_code == 403
        assert theirs.json() == NOT_A_MEMBER

    async def test_a_refused_caller_leaves_nothing_stored(
        self, client: httpx.AsyncClient, world: World, settings: Settings
    ) -> None:
        await upload(client, f"/{world.project_id}/files/chat", world.outsider.auth)

        assert stored_under(settings, f"uploads/users/{world.outsider.id}") == []

    @pytest.mark.parametrize(
        ("name", "data", "content_type", "error"),
        [
            (
                "tool.exe",
                b"MZ\x90\x00",
                "application/octet-stream",
                "File extension .exe is not allowed",
            ),
            ("page.html", b"<html></html>", "text/html", "File extension .html is not allowed"),
            ("README", TEXT, "text/plain", "File extension  is not allowed"),
            ("notes.pd", PDF, "application/pdf", "File extension .pd is not allowed"),
            (
                "notes.pdf",
                PDF,
                "image/png",
                "File content does not match mimetype. "
                "Detected: image/png, provided: application/pdf",
            ),
            (
                "photo.png",
                PDF,
                "image/png",
                "File content does not match mimetype. "
                "Detected: application/pdf, provided: image/png",
            ),
            (
                "photo.jpg",
                b"MZ\x90\x00\x03\x00\x00\x00\x04\x00",
                "image/jpeg",
                "File content does not match mimetype. Detected: unknown, provided: image/jpeg",
            ),
            (
                "notes.txt",
                b"text\x00with a NUL",
                "text/plain",
                "File content does not match mimetype. Detected: unknown, provided: text/plain",
            ),
            (
                "notes.txt",
                image("PNG"),
                "text/plain",
                "File content does not match mimetype. Detected: image/png, provided: text/plain",
            ),
        ],
    )
    async def test_wrong_types_are_refused_with_403_and_nothing_stored(
        self,
        client: httpx.AsyncClient,
        world: World,
        settings: Settings,
        name: str,
        data: bytes,
        content_type: str,
        error: str,
    ) -> None:
        stored_before = stored_under(settings, f"uploads/users/{world.guest.id}")

        response = await upload(
            client,
            f"/{world.project_id}/files/chat",
            world.guest.auth,
            name=name,
            data=data,
            content_type=content_type,
        )

        assert response.status_code == 403
        assert response.json() == {"success": False, "error": error}
        assert stored_under(settings, f"uploads/users/{world.guest.id}") == stored_before

    async def test_an_undeclared_type_is_judged_by_the_bytes(
        self, client: httpx.AsyncClient, world: World, app: FastAPI
    ) -> None:
        response = await upload(
            client,
            f"/{world.project_id}/files/chat",
            world.guest.auth,
            name="scan.JPG",
            data=image("JPEG"),
            content_type="application/octet-stream",
        )

        assert response.status_code == 201, response.text
        row = await _row(app, response.json()["filename"])
        assert row is not None
        assert row.content_type == "image/jpeg"

    async def test_end_users_follow_the_widget_list_and_agents_the_settings(
        self, client: httpx.AsyncClient, own_world: World
    ) -> None:
        body = {
            "widget": {"allowedUploadExtentions": ".csv"},
            "settings": {"allowed_upload_extentions": ".txt"},
        }
        updated = await client.put(
            f"/projects/{own_world.project_id}", json=body, headers=own_world.owner.auth
        )
        assert updated.status_code == 200, updated.text
        url = f"/{own_world.project_id}/files/chat"

        async def attempt(who: Person | Any, name: str, content_type: str) -> int:
            response = await upload(
                client, url, who.auth, name=name, data=b"a;b\n1;2\n", content_type=content_type
            )
            return response.status_code

        assert await attempt(own_world.guest, "list.csv", "text/csv") == 201
        assert await attempt(own_world.end_user, "list.csv", "text/csv") == 201
        assert await attempt(own_world.guest, "list.txt", "text/plain") == 403
        assert await attempt(own_world.agent, "list.txt", "text/plain") == 201
        assert await attempt(own_world.agent, "list.csv", "text/csv") == 403

    async def test_allowing_everything_never_trusts_the_declared_type(
        self, client: httpx.AsyncClient, own_world: World, app: FastAPI
    ) -> None:
        body = {"settings": {"allowed_upload_extentions": "*/*"}}
        updated = await client.put(
            f"/projects/{own_world.project_id}", json=body, headers=own_world.owner.auth
        )
        assert updated.status_code == 200, updated.text

        response = await upload(
            client,
            f"/{own_world.project_id}/files/chat",
            own_world.agent.auth,
            name="page.html",
            data=b"<script>alert(document.cookie)</script>",
            content_type="text/html",
        )

        assert response.status_code == 201, response.text
        served = await client.get("/files", params={"path": response.json()["filename"]})
        assert served.headers["content-type"] == "application/octet-stream"
        assert served.headers["content-security-policy"] == "default-src 'none'; sandbox"

    @pytest.mark.parametrize(
        ("original", "stored"),
        [
            ("../../../etc/passwd.txt", "passwd.txt"),
            ("..\\..\\boot.txt", "boot.txt"),
            ("<b>x<b>.txt", "_b_x_b_.txt"),
            ("résumé 2026 (final).txt", "résumé 2026 (final).txt"),
            ("a%2F..%2Fb?.txt", "a_2F.._2Fb_.txt"),
            (".hidden.txt", "hidden.txt"),
        ],
    )
    async def test_names_are_sanitised(
        self, client: httpx.AsyncClient, world: World, original: str, stored: str
    ) -> None:
        response = await upload(
            client,
            f"/{world.project_id}/files/chat",
            world.guest.auth,
            name=original,
            data=TEXT,
            content_type="text/plain",
        )

        assert response.status_code == 201, response.text
        path = response.json()["filename"]
        assert path.rpartition("/")[2] == stored
        assert ".." not in path.split("/")

    async def test_an_end_user_id_cannot_climb_out_of_the_uploads_folder(
        self, client: httpx.AsyncClient, world: World, settings: Settings
    ) -> None:
        visitor = await make_end_user(client, world.project_id, world.secret, _id="../../../x/y")

        response = await upload(client, f"/{world.project_id}/files/chat", visitor.auth)

        assert response.status_code == 201, response.text
        segment = "_" * 9 + "x_y"
        assert re.fullmatch(
            rf"uploads/users/{segment}/files/{UUID}/notes\.pdf", response.json()["filename"]
        )
        assert len(stored_under(settings, f"uploads/users/{segment}")) == 1

    async def test_without_a_file_part_is_a_400(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        url = f"/{world.project_id}/files/chat"
        other_field = await upload(client, url, world.guest.auth, field="attachment")
        json_body = await client.post(url, json={"file": "x"}, headers=world.guest.auth)

        assert other_field.status_code == 400
        assert other_field.json() == {"success": False, "error": "No file uploaded"}
        assert json_body.status_code == 400
        assert json_body.json() == {"success": False, "error": "No file uploaded"}

    async def test_two_files_are_a_400(self, client: httpx.AsyncClient, world: World) -> None:
        response = await client.post(
            f"/{world.project_id}/files/chat",
            files=[
                ("file", ("a.pdf", PDF, "application/pdf")),
                ("file", ("b.pdf", PDF, "application/pdf")),
            ],
            headers=world.guest.auth,
        )

        assert response.status_code == 400
        assert response.json()["success"] is False


class TestSizeLimit:
    async def test_a_file_one_byte_over_the_limit_is_a_413(
        self, client: httpx.AsyncClient, world: World, settings: Settings
    ) -> None:
        data = b"a" * (settings.max_upload_file_size + 1)
        stored_before = stored_under(settings, f"uploads/users/{world.guest.id}")

        response = await upload(
            client,
            f"/{world.project_id}/files/chat",
            world.guest.auth,
            name="big.txt",
            data=data,
            content_type="text/plain",
        )

        assert response.status_code == 413
        assert response.json() == {
            "success": False,
            "error": "File too large",
            "code": "LIMIT_FILE_SIZE",
        }
        assert stored_under(settings, f"uploads/users/{world.guest.id}") == stored_before

    async def test_a_file_at_the_limit_is_accepted(
        self, client: httpx.AsyncClient, world: World, settings: Settings
    ) -> None:
        data = b"a" * settings.max_upload_file_size

        response = await upload(
            client,
            f"/{world.project_id}/files/chat",
            world.guest.auth,
            name="big.txt",
            data=data,
            content_type="text/plain",
        )

        assert response.status_code == 201, response.text

    async def test_a_body_declared_far_over_the_limit_is_refused_before_reading(
        self, client: httpx.AsyncClient, world: World, settings: Settings
    ) -> None:
        data = b"a" * (settings.max_upload_file_size + 100_000)
        stored_before = stored_under(settings, f"uploads/users/{world.guest.id}")

        response = await upload(
            client,
            f"/{world.project_id}/files/chat",
            world.guest.auth,
            name="big.txt",
            data=data,
            content_type="text/plain",
        )

        assert response.status_code == 413
        assert response.json() == {
            "err": "Content Too Large",
            "limit_file_size": settings.max_upload_file_size,
        }
        assert stored_under(settings, f"uploads/users/{world.guest.id}") == stored_before

    async def test_a_streamed_body_without_length_is_stopped_at_the_limit(
        self, client: httpx.AsyncClient, world: World, settings: Settings
    ) -> None:
        stored_before = stored_under(settings, f"uploads/users/{world.guest.id}")
        boundary = uuid.uuid4().hex
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            'filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n'
        ).encode()

        async def body() -> Any:
            yield head
            for _ in range(20):
                yield b"a" * 100_000
            yield f"\r\n--{boundary}--\r\n".encode()

        response = await client.post(
            f"/{world.project_id}/files/chat",
            content=body(),
            headers={
                **world.guest.auth,
                "Content-Type": f"multipart/form-data; boundary={boundary}",
            },
        )

        assert response.status_code == 413
        assert response.json()["err"] == "Content Too Large"
        assert stored_under(settings, f"uploads/users/{world.guest.id}") == stored_before

    async def test_json_bodies_keep_their_own_limit(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.post(
            f"/{world.project_id}/tags",
            content=b'{"tag": "' + b"a" * 600_000 + b'"}',
            headers={**world.agent.auth, "Content-Type": "application/json"},
        )

        assert response.status_code == 413
        assert response.json() == {"err": "Request entity too large", "limit": 512000}


class TestAssets:
    async def test_answers_the_encoded_path_and_thumbnail(
        self, client: httpx.AsyncClient, world: World, app: FastAPI
    ) -> None:
        response = await upload(
            client,
            f"/{world.project_id}/files/assets",
            world.admin.auth,
            name="logo.png",
            data=image("PNG"),
            content_type="image/png",
        )

        assert response.status_code == 201, response.text
        body = response.json()
        assert list(body) == ["message", "filename", "thumbnail"]
        assert body["message"] == "File uploaded successfully"
        path = unquote(body["filename"])
        assert re.fullmatch(
            rf"uploads%2Fprojects%2F{world.project_id}%2Ffiles%2F{UUID}%2Flogo\.png",
            body["filename"],
        )
        assert unquote(body["thumbnail"]) == path.replace(
            "/logo.png", "/thumbnails_200_200-logo.png"
        )
        row = await _row(app, path)
        assert row is not None
        assert (row.kind, row.project_id, row.expires_at) == ("asset", world.project_id, None)

    async def test_a_document_gets_no_thumbnail(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await upload(client, f"/{world.project_id}/files/assets", world.owner.auth)

        assert response.status_code == 201, response.text
        assert "thumbnail" not in response.json()

    async def test_expiration_sets_an_expiry_and_nonsense_is_ignored(
        self, client: httpx.AsyncClient, world: World, app: FastAPI
    ) -> None:
        url = f"/{world.project_id}/files/assets"
        timed = await upload(client, url, world.admin.auth, params={"expiration": "60"})
        ignored = await upload(client, url, world.admin.auth, params={"expiration": "soon"})

        timed_row = await _row(app, unquote(timed.json()["filename"]))
        ignored_row = await _row(app, unquote(ignored.json()["filename"]))
        assert timed_row is not None
        assert ignored_row is not None
        assert abs(timed_row.expires_at - (timed_row.created_at + 60_000)) < 5_000
        assert ignored_row.expires_at is None

    async def test_the_assets_list_allows_office_documents(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        docx = b"PK\x03\x04" + b"\x00" * 26 + b"[Content_Types].xml" + b"word/document.xml"
        response = await upload(
            client,
            f"/{world.project_id}/files/assets",
            world.admin.auth,
            name="offer.docx",
            data=docx,
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        refused = await upload(
            client,
            f"/{world.project_id}/files/assets",
            world.admin.auth,
            name="offer.docx",
            data=b"PK\x03\x04" + b"\x00" * 40,
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )

        assert response.status_code == 201, response.text
        assert refused.status_code == 403

    @pytest.mark.parametrize(("who", "expected"), ADMIN_ROUTE_ACCESS)
    async def test_only_admins_upload_assets(
        self, client: httpx.AsyncClient, world: World, who: str, expected: str
    ) -> None:
        response = await upload(client, f"/{world.project_id}/files/assets", headers_of(world, who))

        _assert_refused(response, expected)

    async def test_a_bot_may_upload_assets(self, client: httpx.AsyncClient, world: World) -> None:
        bot = await _bot_headers(client, world.project_id, world.admin)

        response = await upload(client, f"/{world.project_id}/files/assets", bot)

        assert response.status_code == 201, response.text


class TestPhoto:
    @pytest.mark.parametrize("method", ["POST", "PUT"])
    async def test_sets_the_callers_photo_at_its_fixed_path(
        self, client: httpx.AsyncClient, world: World, method: str
    ) -> None:
        response = await upload(
            client,
            f"/{world.project_id}/files/users/photo",
            world.agent.auth,
            name="me.png",
            data=image("PNG"),
            content_type="image/png",
            method=method,
        )

        assert response.status_code == 201, response.text
        assert response.json() == {
            "message": "Image uploaded successfully",
            "filename": f"uploads%2Fusers%2F{world.agent.id}%2Fimages%2Fphoto.jpg",
            "thumbnail": (
                f"uploads%2Fusers%2F{world.agent.id}%2Fimages%2Fthumbnails_200_200-photo.jpg"
            ),
        }
        thumbnail = await client.get(
            "/images",
            params={"path": f"uploads/users/{world.agent.id}/images/thumbnails_200_200-photo.jpg"},
        )
        assert thumbnail.status_code == 200
        assert image_size(thumbnail.content) == (200, 200)

    async def test_a_new_photo_replaces_the_old_one(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        url = f"/{world.project_id}/files/users/photo"
        first = image("PNG", (300, 300))
        second = image("JPEG", (400, 100))
        await upload(
            client, url, world.agent.auth, name="a.png", data=first, content_type="image/png"
        )
        replaced = await upload(
            client, url, world.agent.auth, name="b.jpg", data=second, content_type="image/jpeg"
        )

        served = await client.get(
            "/images", params={"path": f"uploads/users/{world.agent.id}/images/photo.jpg"}
        )

        assert replaced.status_code == 201, replaced.text
        assert served.content == second
        assert served.headers["content-type"] == "image/jpeg"

    async def test_only_images_make_a_photo(self, client: httpx.AsyncClient, world: World) -> None:
        response = await upload(client, f"/{world.project_id}/files/users/photo", world.agent.auth)

        assert response.status_code == 403
        assert response.json() == {"success": False, "error": "File extension .pdf is not allowed"}

    async def test_admins_set_the_photo_of_a_bot_of_their_project(
        self, client: httpx.AsyncClient, world: World, app: FastAPI
    ) -> None:
        bot = await client.post(
            f"/{world.project_id}/faq_kb", json={"name": "Pic"}, headers=world.admin.auth
        )
        bot_id = bot.json()["_id"]
        url = f"/{world.project_id}/files/users/photo"
        png = image("PNG")

        agent = await upload(
            client,
            url,
            world.agent.auth,
            name="b.png",
            data=png,
            content_type="image/png",
            params={"bot_id": bot_id},
        )
        admin = await upload(
            client,
            url,
            world.admin.auth,
            name="b.png",
            data=png,
            content_type="image/png",
            params={"bot_id": bot_id},
        )

        assert agent.status_code == 403
        assert agent.json() == {
            "success": False,
            "error": "You don't have the role required to modify the chatbot",
        }
        assert admin.status_code == 201, admin.text
        assert admin.json()["filename"] == f"uploads%2Fusers%2F{bot_id}%2Fimages%2Fphoto.jpg"
        row = await _row(app, f"uploads/users/{bot_id}/images/photo.jpg")
        assert row is not None
        assert (row.project_id, row.owner_id) == (world.project_id, bot_id)

    async def test_a_bot_of_another_project_is_not_found(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        theirs = await client.post(
            f"/{world.other_project_id}/faq_kb",
            json={"name": "Theirs"},
            headers=world.stranger.auth,
        )

        response = await upload(
            client,
            f"/{world.project_id}/files/users/photo",
            world.admin.auth,
            name="b.png",
            data=image("PNG"),
            content_type="image/png",
            params={"bot_id": theirs.json()["_id"]},
        )

        assert response.status_code == 404
        assert response.json() == {"success": False, "error": "Chatbot not found"}

    @pytest.mark.parametrize(("who", "expected"), AGENT_ROUTE_ACCESS)
    async def test_agents_set_photos(
        self, client: httpx.AsyncClient, world: World, who: str, expected: str
    ) -> None:
        response = await upload(
            client,
            f"/{world.project_id}/files/users/photo",
            headers_of(world, who),
            name="me.gif",
            data=image("GIF"),
            content_type="image/gif",
        )

        _assert_refused(response, expected)
