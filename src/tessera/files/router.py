"""HTTP surface of project files: ``/{project_id}/files`` (fact sheet §5.23).

Uploads answer 201, as Tiledesk's do (the SDK counts only 200 as success, §12.14: clients
of these routes are the widget and the dashboard, which accept 201).
"""

from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from tessera.auth.dependencies import AdminOrMachine, Agent, AnyMember, Guest
from tessera.core.errors import BadRequest, NotFound
from tessera.dependencies import DatabaseDep, SettingsDep
from tessera.files import service, uploads
from tessera.files.dependencies import FileStorage, UploadedFile
from tessera.files.downloads import BytesMissing, file_response
from tessera.files.schemas import (
    FILE_DELETED,
    FILE_UPLOADED,
    IMAGE_UPLOADED,
    DeletedOut,
    UploadOut,
    encoded,
)
from tessera.files.storage import Storage

router = APIRouter(prefix="/{project_id}/files", tags=["files"])

MULTIPART_FILE: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


@router.post("/chat", status_code=201, response_model=UploadOut, openapi_extra=MULTIPART_FILE)
async def upload_chat_file(
    member: Guest,
    upload: UploadedFile,
    db: DatabaseDep,
    storage: FileStorage,
    settings: SettingsDep,
) -> Response:
    plan = uploads.chat_plan(member, settings)
    stored = await uploads.accept(db, storage, upload, plan)
    answer = UploadOut(message=FILE_UPLOADED, filename=stored.path, thumbnail=stored.thumbnail_path)
    return answer.respond(201)


@router.post("/assets", status_code=201, response_model=UploadOut, openapi_extra=MULTIPART_FILE)
async def upload_asset(
    member: AdminOrMachine,
    upload: UploadedFile,
    db: DatabaseDep,
    storage: FileStorage,
    settings: SettingsDep,
    expiration: str | None = None,
) -> Response:
    plan = uploads.asset_plan(member, settings, expiration)
    stored = await uploads.accept(db, storage, upload, plan)
    thumbnail = encoded(stored.thumbnail_path) if stored.thumbnail_path else None
    answer = UploadOut(message=FILE_UPLOADED, filename=encoded(stored.path), thumbnail=thumbnail)
    return answer.respond(201)


@router.post(
    "/users/photo", status_code=201, response_model=UploadOut, openapi_extra=MULTIPART_FILE
)
async def upload_photo(
    member: Agent,
    upload: UploadedFile,
    db: DatabaseDep,
    storage: FileStorage,
    bot_id: str | None = None,
) -> Response:
    """The caller's photo, or with ``bot_id`` the photo of a bot of this project."""
    entity_id, project_id = await db.read(service.avatar_entity, member, bot_id)
    stored = await uploads.accept(db, storage, upload, uploads.avatar_plan(entity_id, project_id))
    thumbnail = encoded(stored.thumbnail_path) if stored.thumbnail_path else None
    answer = UploadOut(message=IMAGE_UPLOADED, filename=encoded(stored.path), thumbnail=thumbnail)
    return answer.respond(201)


# The widget sends the photo with PUT (chat21-web-widget native-upload-service.ts).
router.put(
    "/users/photo",
    status_code=201,
    response_model=UploadOut,
    openapi_extra=MULTIPART_FILE,
    name="replace_photo",
)(upload_photo)


@router.get("", response_class=Response)
async def get_file(
    member: AnyMember,
    db: DatabaseDep,
    storage: FileStorage,
    path: str = "",
    as_attachment: str | None = None,
) -> Response:
    row = await db.read(service.project_file, member, path)
    return _served(storage, row, attachment=bool(as_attachment))


@router.get("/download", response_class=Response)
async def download_file(
    member: AnyMember, db: DatabaseDep, storage: FileStorage, path: str = ""
) -> Response:
    row = await db.read(service.project_file, member, path)
    return _served(storage, row, attachment=True)


@router.delete("", response_model=DeletedOut)
async def delete_file(
    member: AnyMember, db: DatabaseDep, storage: FileStorage, path: str = ""
) -> Response:
    if not path:
        raise BadRequest("Path parameter is required", key="error")
    row = await db.write(service.delete_project_file, member, path, storage)
    return DeletedOut(message=FILE_DELETED, filename=encoded(row.path)).respond()


def _served(storage: Storage, row: Any, *, attachment: bool) -> Response:
    try:
        return file_response(storage, row, attachment=attachment)
    except BytesMissing:
        raise NotFound(service.FILE_NOT_FOUND, key="error") from None
