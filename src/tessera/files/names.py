"""Stored names: sanitised file names and the Tiledesk paths built from them (§5.23).

A client's file name and a caller's id end up inside a storage key and inside URLs, so
both are reduced to harmless characters here, before anything is stored: no separators, no
``..``, no control or URL-special characters.
"""

import re
import unicodedata
import uuid

THUMBNAIL_PREFIX = "thumbnails_200_200-"
AVATAR_NAME = "photo.jpg"

_MAX_NAME = 200
_MAX_SEGMENT = 100
_NAME_PUNCTUATION = frozenset(" ._-()")
_SEGMENT = re.compile(r"[^A-Za-z0-9_-]")


def safe_filename(original: str) -> str:
    """The last component of ``original`` with only letters, digits and `` ._-()`` kept
    (anything else becomes ``_``), no leading dot, at most 200 characters (the extension
    kept); ``file`` when nothing is left."""
    name = re.split(r"[/\\]", original)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(
        char if char.isalnum() or char in _NAME_PUNCTUATION else "_"
        for char in name
        if unicodedata.category(char)[0] != "C"
    )
    name = re.sub(r"\s+", " ", name).strip(" .")
    if not name:
        return "file"
    if len(name) > _MAX_NAME:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) < 20:
            name = stem[: _MAX_NAME - len(extension) - 1] + "." + extension
        else:
            name = name[:_MAX_NAME]
    return name


def extension_of(filename: str) -> str:
    """``.pdf`` for ``report.PDF``; empty when the name has no extension."""
    stem, dot, extension = filename.rpartition(".")
    return f".{extension.lower()}" if dot and stem and extension else ""


def safe_segment(identifier: str) -> str:
    """A caller id as one path segment. Ids are ObjectIds or UUIDs, but an end user's id is
    whatever the customer's token says, so anything but ``[A-Za-z0-9_-]`` is replaced."""
    return _SEGMENT.sub("_", identifier)[:_MAX_SEGMENT] or "_"


def chat_path(owner_id: str, filename: str) -> str:
    return f"uploads/users/{safe_segment(owner_id)}/files/{uuid.uuid4()}/{filename}"


def asset_path(project_id: str, filename: str) -> str:
    return f"uploads/projects/{safe_segment(project_id)}/files/{uuid.uuid4()}/{filename}"


def legacy_image_path(owner_id: str, filename: str) -> str:
    return f"uploads/users/{safe_segment(owner_id)}/images/{uuid.uuid4()}/{filename}"


def avatar_path(entity_id: str) -> str:
    """The fixed place of a user's or bot's photo: clients build this URL themselves."""
    return f"uploads/users/{safe_segment(entity_id)}/images/{AVATAR_NAME}"


def thumbnail_path(path: str) -> str:
    folder, _, name = path.rpartition("/")
    return f"{folder}/{THUMBNAIL_PREFIX}{name}"
