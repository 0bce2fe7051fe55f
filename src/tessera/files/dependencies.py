"""What upload and download routes ask for: the storage and the uploaded file part."""

from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from tessera.config import Settings
from tessera.core.errors import BadRequest, PayloadTooLarge
from tessera.dependencies import SettingsDep
from tessera.files.service import Upload
from tessera.files.storage import Storage, local_storage

FILE_FIELD = "file"


async def file_storage(request: Request) -> Storage:
    """The storage of uploads: ``DATA_DIR/files`` on the local filesystem."""
    state = request.app.state
    storage: Storage | None = getattr(state, "file_storage", None)
    if storage is None:
        settings: Settings = state.settings
        storage = local_storage(settings)
        state.file_storage = storage
    return storage


async def uploaded_file(request: Request, settings: SettingsDep) -> Upload:
    """The multipart field ``file``, at most ``MAX_UPLOAD_FILE_SIZE`` bytes (multer's
    ``.single('file')``). The whole body was already bounded by ``BodyGuard``."""
    try:
        form = await request.form(max_files=1, max_fields=20)
    except HTTPException as error:
        raise BadRequest(str(error.detail), key="error") from None
    try:
        part = form.get(FILE_FIELD)
        if not isinstance(part, UploadFile):
            raise BadRequest("No file uploaded", key="error")
        limit = settings.max_upload_file_size
        data = await part.read(limit + 1)
        if len(data) > limit:
            raise PayloadTooLarge("File too large", key="error", code="LIMIT_FILE_SIZE")
        return Upload(filename=part.filename or "", declared_type=part.content_type, data=data)
    finally:
        await form.close()


FileStorage = Annotated[Storage, Depends(file_storage)]
UploadedFile = Annotated[Upload, Depends(uploaded_file)]
