"""Wire shapes of uploads (§5.23). Paths are sent raw by some routes and URL-encoded (as
JavaScript's ``encodeURIComponent``) by others: each route says which, as Tiledesk does."""

from urllib.parse import quote

from tessera.core.schemas import WireModel

FILE_UPLOADED = "File uploaded successfully"
IMAGE_UPLOADED = "Image uploaded successfully"
LEGACY_FILE_UPLOADED = "File uploded successfully"  # sic (Tiledesk's routes/files.js)
LEGACY_IMAGE_UPLOADED = "Image uploded successfully"  # sic (routes/images.js)
FILE_DELETED = "File deleted successfully"
IMAGE_DELETED = "Image deleted successfully"


def encoded(path: str) -> str:
    """``encodeURIComponent``: everything but ``A-Za-z0-9-_.!~*'()`` escaped."""
    return quote(path, safe="-_.!~*'()")


class UploadOut(WireModel):
    """``201 {"message", "filename", "thumbnail"?}``."""

    message: str
    filename: str
    thumbnail: str | None = None


class DeletedOut(WireModel):
    message: str
    filename: str
