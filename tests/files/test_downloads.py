"""Reading and deleting files: ``GET|DELETE /{pid}/files``, ``GET /{pid}/files/download``,
the public ``/files`` and ``/images`` and the legacy uploads (fact sheet §5.23)."""

from typing import Any
from urllib.parse import quote, unquote

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from tessera.config import Settings
from tessera.core.clock import now_ms
from tessera.core.db import Tx
from tessera.files.models import files
from tessera.files.storage import LocalStorage
from tessera.files.uploads import purge_expired
from tessera.scheduler import runner as scheduler
from tests.factories import World, make_guest, make_world
from tests.files.support import PDF, image, image_size, stored_under, upload
from tests.project_users.support import NOT_A_MEMBER

FILE_NOT_FOUND = {"success": False, "error": "File not found."}
IMAGE_NOT_FOUND = {"success": False, "msg": "Image not found."}
ANY_MEMBER = ["owner", "admin", "supervisor", "agent", "guest", "end_user"]


@pytest.fixture(scope="module")
async def world(client: httpx.AsyncClient) -> World:
    """Shared by the tests that look only at files of their own; the tests that count what the
    storage holds for the guest take ``own_world``."""
    return await make_world(client)


@pytest.fixture
async def own_world(client: httpx.AsyncClient) -> World:
    return await make_world(client)


async def _chat_file(
    client: httpx.AsyncClient, project_id: str, headers: dict[str, str], **options: Any
) -> str:
    response = await upload(client, f"/{project_id}/files/chat", headers, **options)
    assert response.status_code == 201, response.text
    path: str = response.json()["filename"]
    return path


async def _asset(client: httpx.AsyncClient, world: World) -> str:
    response = await upload(client, f"/{world.project_id}/files/assets", world.admin.auth)
    assert response.status_code == 201, response.text
    return unquote(response.json()["filename"])


def _expire(path: str) -> Any:
    def write(tx: Tx) -> None:
        tx.conn.execute(update(files).where(files.c.path == path).values(expires_at=tx.now - 1))

    return write


class TestProjectFiles:
    @pytest.mark.parametrize("who", ANY_MEMBER)
    async def test_any_member_reads_a_project_file(
        self, client: httpx.AsyncClient, world: World, who: str
    ) -> None:
        path = await _chat_file(client, world.project_id, world.guest.auth)

        response = await client.get(
            f"/{world.project_id}/files", params={"path": path}, headers=getattr(world, who).auth
        )

        assert response.status_code == 200
        assert response.content == PDF
        assert response.headers["content-type"] == "application/pdf"
        assert "content-disposition" not in response.headers

    @pytest.mark.parametrize(
        ("who", "status", "body"),
        [("outsider", 403, NOT_A_MEMBER), ("stranger", 403, NOT_A_MEMBER)],
    )
    async def test_non_members_read_nothing(
        self, client: httpx.AsyncClient, world: World, who: str, status: int, body: Any
    ) -> None:
        path = await _chat_file(client, world.project_id, world.guest.auth)

        response = await client.get(
            f"/{world.project_id}/files", params={"path": path}, headers=getattr(world, who).auth
        )

        assert response.status_code == status
        assert response.json() == body

    async def test_without_credentials_is_a_401(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        path = await _chat_file(client, world.project_id, world.guest.auth)

        response = await client.get(f"/{world.project_id}/files", params={"path": path})

        assert response.status_code == 401
        assert response.text == "Unauthorized"

    async def test_another_projects_file_is_not_found_through_this_project(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        theirs = await _chat_file(client, world.other_project_id, world.stranger.auth)

        read = await client.get(
            f"/{world.project_id}/files", params={"path": theirs}, headers=world.owner.auth
        )
        download = await client.get(
            f"/{world.project_id}/files/download", params={"path": theirs}, headers=world.owner.auth
        )

        assert (read.status_code, read.json()) == (404, FILE_NOT_FOUND)
        assert (download.status_code, download.json()) == (404, FILE_NOT_FOUND)

    async def test_as_attachment_and_download_name_the_file(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        path = await _chat_file(client, world.project_id, world.guest.auth, name="offer é.pdf")

        inline = await client.get(
            f"/{world.project_id}/files",
            params={"path": path, "as_attachment": "true"},
            headers=world.agent.auth,
        )
        download = await client.get(
            f"/{world.project_id}/files/download", params={"path": path}, headers=world.agent.auth
        )

        expected = "attachment; filename=\"offer _.pdf\"; filename*=UTF-8''offer%20%C3%A9.pdf"
        assert inline.headers["content-disposition"] == expected
        assert download.headers["content-disposition"] == expected
        assert download.content == PDF

    async def test_a_users_photo_is_readable_from_any_of_their_projects(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await upload(
            client,
            f"/{world.project_id}/files/users/photo",
            world.stranger.auth,
            name="me.png",
            data=image("PNG"),
            content_type="image/png",
        )
        assert response.status_code == 403  # not a member here
        await upload(
            client,
            f"/{world.other_project_id}/files/users/photo",
            world.stranger.auth,
            name="me.png",
            data=image("PNG"),
            content_type="image/png",
        )

        read = await client.get(
            f"/{world.project_id}/files",
            params={"path": f"uploads/users/{world.stranger.id}/images/photo.jpg"},
            headers=world.agent.auth,
        )

        assert read.status_code == 200
        assert read.headers["content-type"] == "image/png"


class TestTraversal:
    @pytest.mark.parametrize(
        "path",
        [
            "../secret.txt",
            "../../secret.txt",
            "uploads/../../secret.txt",
            "/etc/passwd",
            "%2e%2e/secret.txt",
            "..%2Fsecret.txt",
            "uploads/users/../../../secret.txt",
            "....//secret.txt",
            "uploads\\..\\..\\secret.txt",
            "",
        ],
    )
    async def test_no_path_reaches_outside_the_storage(
        self, client: httpx.AsyncClient, world: World, settings: Settings, path: str
    ) -> None:
        (settings.data_dir / "secret.txt").write_text("top secret")
        auth = world.owner.auth

        answers = [
            await client.get(f"/{world.project_id}/files", params={"path": path}, headers=auth),
            await client.get(
                f"/{world.project_id}/files/download", params={"path": path}, headers=auth
            ),
            await client.get("/files", params={"path": path}),
            await client.get("/files/download", params={"path": path}),
            await client.get("/images", params={"path": path}),
        ]

        assert [answer.status_code for answer in answers] == [404] * 5
        assert all(b"top secret" not in answer.content for answer in answers)
        assert answers[4].json() == IMAGE_NOT_FOUND
        assert answers[2].json() == FILE_NOT_FOUND

    async def test_deleting_outside_the_storage_is_impossible(
        self, client: httpx.AsyncClient, world: World, settings: Settings
    ) -> None:
        secret = settings.data_dir / "keep.txt"
        secret.write_text("keep me")

        response = await client.delete(
            f"/{world.project_id}/files", params={"path": "../keep.txt"}, headers=world.owner.auth
        )
        legacy = await client.delete(
            "/images/users", params={"path": "../keep.txt"}, headers=world.owner.auth
        )

        assert (response.status_code, response.json()) == (404, FILE_NOT_FOUND)
        assert (legacy.status_code, legacy.json()) == (404, IMAGE_NOT_FOUND)
        assert secret.read_text() == "keep me"


class TestDelete:
    async def test_the_uploader_deletes_the_file_and_its_thumbnail(
        self, client: httpx.AsyncClient, own_world: World, settings: Settings
    ) -> None:
        path = await _chat_file(
            client,
            own_world.project_id,
            own_world.guest.auth,
            name="p.png",
            data=image("PNG"),
            content_type="image/png",
        )
        assert len(stored_under(settings, f"uploads/users/{own_world.guest.id}")) == 2

        response = await client.delete(
            f"/{own_world.project_id}/files", params={"path": path}, headers=own_world.guest.auth
        )

        assert response.status_code == 200
        assert response.json() == {
            "message": "File deleted successfully",
            "filename": quote(path, safe="-_.!~*'()"),
        }
        assert stored_under(settings, f"uploads/users/{own_world.guest.id}") == []
        gone = await client.get("/files", params={"path": path})
        assert (gone.status_code, gone.json()) == (404, FILE_NOT_FOUND)

    async def test_another_visitor_may_not_delete_it(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        path = await _chat_file(client, world.project_id, world.guest.auth)
        other = await make_guest(client, world.project_id)

        response = await client.delete(
            f"/{world.project_id}/files", params={"path": path}, headers=other.auth
        )

        assert response.status_code == 403
        assert response.json() == {
            "success": False,
            "error": "You don't have the permission required to delete this file",
        }
        assert (await client.get("/files", params={"path": path})).status_code == 200

    async def test_agents_delete_chat_files_but_only_admins_assets(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        chat = await _chat_file(client, world.project_id, world.guest.auth)
        asset = await _asset(client, world)
        url = f"/{world.project_id}/files"

        by_agent = await client.delete(url, params={"path": chat}, headers=world.agent.auth)
        asset_by_agent = await client.delete(url, params={"path": asset}, headers=world.agent.auth)
        asset_by_owner = await client.delete(url, params={"path": asset}, headers=world.owner.auth)

        assert by_agent.status_code == 200
        assert asset_by_agent.status_code == 403
        assert asset_by_owner.status_code == 200

    async def test_another_projects_file_cannot_be_deleted(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        theirs = await _chat_file(client, world.other_project_id, world.stranger.auth)

        response = await client.delete(
            f"/{world.project_id}/files", params={"path": theirs}, headers=world.owner.auth
        )

        assert (response.status_code, response.json()) == (404, FILE_NOT_FOUND)
        assert (await client.get("/files", params={"path": theirs})).status_code == 200

    async def test_a_users_photo_is_theirs_to_delete(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        url = f"/{world.project_id}/files/users/photo"
        png = image("PNG")
        await upload(
            client, url, world.agent.auth, name="a.png", data=png, content_type="image/png"
        )
        path = f"uploads/users/{world.agent.id}/images/photo.jpg"

        by_owner = await client.delete(
            f"/{world.project_id}/files", params={"path": path}, headers=world.owner.auth
        )
        by_agent = await client.delete(
            f"/{world.project_id}/files", params={"path": path}, headers=world.agent.auth
        )

        assert by_owner.status_code == 403
        assert by_agent.status_code == 200
        thumbnail = f"uploads/users/{world.agent.id}/images/thumbnails_200_200-photo.jpg"
        assert (await client.get("/images", params={"path": thumbnail})).status_code == 404

    async def test_a_path_is_required(self, client: httpx.AsyncClient, world: World) -> None:
        response = await client.delete(f"/{world.project_id}/files", headers=world.owner.auth)

        assert response.status_code == 400
        assert response.json() == {"success": False, "error": "Path parameter is required"}

    async def test_non_members_delete_nothing(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        path = await _chat_file(client, world.project_id, world.guest.auth)

        outsider = await client.delete(
            f"/{world.project_id}/files", params={"path": path}, headers=world.outsider.auth
        )
        nobody = await client.delete(f"/{world.project_id}/files", params={"path": path})

        assert (outsider.status_code, outsider.json()) == (403, NOT_A_MEMBER)
        assert nobody.status_code == 401
        assert (await client.get("/files", params={"path": path})).status_code == 200


class TestPublicDownloads:
    async def test_files_and_images_serve_by_path_without_credentials(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        png = image("PNG")
        path = await _chat_file(
            client,
            world.project_id,
            world.guest.auth,
            name="p.png",
            data=png,
            content_type="image/png",
        )

        as_file = await client.get("/files", params={"path": path})
        as_image = await client.get("/images", params={"path": path, "as_attachment": "1"})
        downloaded = await client.get("/files/download", params={"path": path})

        assert as_file.content == png
        assert as_file.headers["content-type"] == "image/png"
        assert "content-security-policy" not in as_file.headers
        assert as_image.content == png
        assert as_image.headers["content-disposition"].startswith('attachment; filename="p.png"')
        assert downloaded.headers["content-disposition"].startswith('attachment; filename="p.png"')

    async def test_unknown_paths_answer_each_routes_not_found(
        self, client: httpx.AsyncClient
    ) -> None:
        path = "uploads/users/nobody/files/x/y.pdf"

        files_answer = await client.get("/files", params={"path": path})
        images_answer = await client.get("/images", params={"path": path})

        assert (files_answer.status_code, files_answer.json()) == (404, FILE_NOT_FOUND)
        assert (images_answer.status_code, images_answer.json()) == (404, IMAGE_NOT_FOUND)

    async def test_an_encoded_path_passed_on_once_more_is_found(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await upload(client, f"/{world.project_id}/files/assets", world.admin.auth)
        encoded = response.json()["filename"]

        found = await client.get("/files", params={"path": encoded})

        assert found.status_code == 200
        assert found.content == PDF

    async def test_an_expired_chat_file_is_gone_before_the_purge_and_purged_after(
        self, client: httpx.AsyncClient, own_world: World, app: FastAPI, settings: Settings
    ) -> None:
        path = await _chat_file(client, own_world.project_id, own_world.guest.auth)
        await app.state.db.write(_expire(path))

        public = await client.get("/files", params={"path": path})
        scoped = await client.get(
            f"/{own_world.project_id}/files", params={"path": path}, headers=own_world.owner.auth
        )
        removed = await purge_expired(
            app.state.db, LocalStorage(settings.data_dir / "files"), now_ms()
        )

        assert (public.status_code, public.json()) == (404, FILE_NOT_FOUND)
        assert (scoped.status_code, scoped.json()) == (404, FILE_NOT_FOUND)
        assert removed >= 1
        assert stored_under(settings, f"uploads/users/{own_world.guest.id}") == []

    async def test_the_scheduler_pass_purges_expired_chat_files(
        self, client: httpx.AsyncClient, own_world: World, app: FastAPI, settings: Settings
    ) -> None:
        path = await _chat_file(client, own_world.project_id, own_world.guest.auth)
        await app.state.db.write(_expire(path))

        report = await scheduler.run_once(app.state.db, settings, now_ms())

        assert report.files_purged >= 1
        assert stored_under(settings, f"uploads/users/{own_world.guest.id}") == []

    async def test_the_purge_keeps_what_has_not_expired(
        self, client: httpx.AsyncClient, world: World, app: FastAPI, settings: Settings
    ) -> None:
        path = await _chat_file(client, world.project_id, world.guest.auth)
        asset = await _asset(client, world)

        await purge_expired(app.state.db, LocalStorage(settings.data_dir / "files"), now_ms())

        assert (await client.get("/files", params={"path": path})).status_code == 200
        assert (await client.get("/files", params={"path": asset})).status_code == 200


class TestLegacyUploads:
    async def test_files_users_answers_the_raw_path(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await upload(client, "/files/users", world.guest.auth)

        assert response.status_code == 201, response.text
        body = response.json()
        assert body["message"] == "File uploded successfully"
        assert body["filename"].startswith(f"uploads/users/{world.guest.id}/files/")
        assert (await client.get("/files", params={"path": body["filename"]})).content == PDF

    async def test_images_users_answers_encoded_paths_with_a_thumbnail(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await upload(
            client,
            "/images/users",
            world.agent.auth,
            name="pic.jpg",
            data=image("JPEG"),
            content_type="image/jpeg",
        )

        assert response.status_code == 201, response.text
        body = response.json()
        assert body["message"] == "Image uploded successfully"
        path = unquote(body["filename"])
        assert path.startswith(f"uploads/users/{world.agent.id}/images/")
        thumbnail = await client.get("/images", params={"path": unquote(body["thumbnail"])})
        assert image_size(thumbnail.content) == (200, 200)

    async def test_images_users_takes_images_only(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await upload(client, "/images/users", world.agent.auth)

        assert response.status_code == 403
        assert response.json() == {"success": False, "error": "File extension .pdf is not allowed"}

    async def test_legacy_uploads_need_credentials(self, client: httpx.AsyncClient) -> None:
        files_answer = await upload(client, "/files/users", {})
        images_answer = await upload(client, "/images/users", {})

        assert files_answer.status_code == 401
        assert images_answer.status_code == 401

    async def test_only_the_uploader_deletes_a_legacy_image(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await upload(
            client,
            "/images/users",
            world.agent.auth,
            name="x.png",
            data=image("PNG"),
            content_type="image/png",
        )
        path = unquote(response.json()["filename"])

        by_other = await client.delete(
            "/images/users", params={"path": path}, headers=world.owner.auth
        )
        nobody = await client.delete("/images/users", params={"path": path})
        by_uploader = await client.delete(
            "/images/users", params={"path": path}, headers=world.agent.auth
        )

        assert by_other.status_code == 403
        assert nobody.status_code == 401
        assert by_uploader.status_code == 200
        assert by_uploader.json() == {
            "message": "Image deleted successfully",
            "filename": quote(path, safe="-_.!~*'()"),
        }
        assert (await client.get("/images", params={"path": path})).status_code == 404

    async def test_the_legacy_photo_route_sets_a_registered_users_photo(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        png = image("PNG")

        response = await upload(
            client,
            "/images/users/photo",
            world.agent.auth,
            name="me.png",
            data=png,
            content_type="image/png",
            method="PUT",
        )
        guest = await upload(
            client,
            "/images/users/photo",
            world.guest.auth,
            name="me.png",
            data=png,
            content_type="image/png",
            method="PUT",
        )

        assert response.status_code == 201, response.text
        assert (
            response.json()["filename"]
            == f"uploads%2Fusers%2F{world.agent.id}%2Fimages%2Fphoto.jpg"
        )
        assert guest.status_code == 401

    @pytest.mark.parametrize(
        ("url", "segment"), [("/files/public", "files"), ("/images/public", "images")]
    )
    async def test_unauthenticated_upload_routes_stay_removed(
        self, client: httpx.AsyncClient, url: str, segment: str
    ) -> None:
        response = await upload(client, url, {})

        assert response.status_code == 400
        assert response.json() == {"error": f"Invalid project id: {segment}"}
