"""Top-level file routes: the public downloads ``/files`` and ``/images`` (§5.23), and the
legacy uploads Tiledesk removed in 2.14.24 that widgets and dashboards still call.

The downloads are public, as in Tiledesk: browsers load them in ``<img>`` tags, which send no
credentials. A file's path is its capability (uploads get a random UUID folder); avatars
are public on purpose. Not kept: the unauthenticated uploads ``POST /files/public`` and
``POST /images/public`` (anyone could fill the disk), ``PUT /images/users`` (fixed-folder
uploads), the ``/images/thumbnails`` diagnostic, and ``bot_id`` on the legacy photo route
(use ``/:pid/files/users/photo``). They answer as unknown routes do.
"""

from collections.abc import Callable

from fastapi import APIRouter
from starlette.responses import Response

from tessera.auth.dependencies import CurrentCaller, CurrentUser
from tessera.core.db import Database
from tessera.core.errors import NotFound
from tessera.dependencies import DatabaseDep, SettingsDep
from tessera.files import service, uploads
from tessera.files.dependencies import FileStorage, UploadedFile
from tessera.files.downloads import BytesMissing, file_response
from tessera.files.router import MULTIPART_FILE
from tessera.files.schemas import (
    IMAGE_DELETED,
    LEGACY_FILE_UPLOADED,
    LEGACY_IMAGE_UPLOADED,
    DeletedOut,
    UploadOut,
    encoded,
)
from tessera.files.storage import Storage

files_router = APIRouter(prefix="/files", tags=["files"])
images_router = APIRouter(prefix="/images", tags=["files"])


@files_router.get("", response_class=Response)
async def get_public_file(db: DatabaseDep, storage: FileStorage, path: str = "") -> Response:
    return await _public(db, storage, path, attachment=False, not_found=_file_not_found)


@files_router.get("/download", response_class=Response)
async def download_public_file(db: DatabaseDep, storage: FileStorage, path: str = "") -> Response:
    return await _public(db, storage, path, attachment=True, not_found=_file_not_found)


@images_router.get("", response_class=Response)
async def get_public_image(
    db: DatabaseDep, storage: FileStorage, path: str = "", as_attachment: str | None = None
) -> Response:
    attachment = bool(as_attachment)
    return await _public(db, storage, path, attachment=attachment, not_found=_image_not_found)


@files_router.post(
    "/users", status_code=201, response_model=UploadOut, openapi_extra=MULTIPART_FILE
)
async def upload_legacy_file(
    caller: CurrentCaller,
    upload: UploadedFile,
    db: DatabaseDep,
    storage: FileStorage,
    settings: SettingsDep,
) -> Response:
    stored = await uploads.accept(db, storage, upload, uploads.legacy_file_plan(caller, settings))
    return UploadOut(message=LEGACY_FILE_UPLOADED, filename=stored.path).respond(201)


@images_router.post(
    "/users", status_code=201, response_model=UploadOut, openapi_extra=MULTIPART_FILE
)
async def upload_legacy_image(
    caller: CurrentCaller, upload: UploadedFile, db: DatabaseDep, storage: FileStorage
) -> Response:
    stored = await uploads.accept(db, storage, upload, uploads.legacy_image_plan(caller))
    thumbnail = encoded(stored.thumbnail_path) if stored.thumbnail_path else None
    answer = UploadOut(
        message=LEGACY_IMAGE_UPLOADED, filename=encoded(stored.path), thumbnail=thumbnail
    )
    return answer.respond(201)


@images_router.put(
    "/users/photo", status_code=201, response_model=UploadOut, openapi_extra=MULTIPART_FILE
)
async def upload_legacy_photo(
    caller: CurrentUser, upload: UploadedFile, db: DatabaseDep, storage: FileStorage
) -> Response:
    stored = await uploads.accept(db, storage, upload, uploads.avatar_plan(caller.id, None))
    thumbnail = encoded(stored.thumbnail_path) if stored.thumbnail_path else None
    answer = UploadOut(
        message=LEGACY_IMAGE_UPLOADED, filename=encoded(stored.path), thumbnail=thumbnail
    )
    return answer.respond(201)


@images_router.delete("/users", response_model=DeletedOut)
async def delete_legacy_image(
    caller: CurrentCaller, db: DatabaseDep, storage: FileStorage, path: str = ""
) -> Response:
    row = await db.write(service.delete_own_file, caller, path, storage)
    return DeletedOut(message=IMAGE_DELETED, filename=encoded(row.path)).respond()


def _file_not_found() -> NotFound:
    return NotFound(service.FILE_NOT_FOUND, key="error")


def _image_not_found() -> NotFound:
    return NotFound(service.IMAGE_NOT_FOUND)


async def _public(
    db: Database,
    storage: Storage,
    path: str,
    *,
    attachment: bool,
    not_found: Callable[[], NotFound],
) -> Response:
    row = await db.read(service.public_file, path) if path else None
    if row is None:
        raise not_found()
    try:
        return file_response(storage, row, attachment=attachment)
    except BytesMissing:
        raise not_found() from None
