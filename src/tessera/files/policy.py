"""What may be uploaded: extension allow-lists, declared types and content sniffing (§5.23).

Tiledesk checks three things, in this order, and answers 403 to each failure:
1. the extension is in the allow-list (``*/*`` allows everything and skips the rest);
2. the type the client declared for the part matches the extension's type (aliases such as
   ``image/jpg`` for ``image/jpeg`` tolerated);
3. the bytes themselves are of that type (magic numbers; text types must be UTF-8 text).

Tessera does the same with its own signature table. Deliberate differences: an extension is
matched exactly (Tiledesk tests a substring of the list, so ``.pd`` or a name without an
extension passed), and a part declared as ``application/octet-stream`` (or undeclared) is
judged by its bytes alone. The stored type is always the one the bytes were checked
against, never what the client declared.
"""

from collections.abc import Iterable
from dataclasses import dataclass

OCTET_STREAM = "application/octet-stream"
ALLOW_EVERYTHING = "*/*"

EXTENSION_TYPES: dict[str, str] = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".bmp": "image/bmp",
    ".ico": "image/vnd.microsoft.icon",
    ".svg": "image/svg+xml",
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".md": "text/markdown",
    ".json": "application/json",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".zip": "application/zip",
    ".mp3": "audio/mpeg",
    ".wav": "audio/wav",
    ".ogg": "audio/ogg",
    ".m4a": "audio/mp4",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
}

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif")  # avatars; thumbnails of assets
LEGACY_IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".ico", ".webp")
TEXT_TYPES = frozenset({"text/plain", "text/csv", "text/markdown", "application/json"})
SVG = "image/svg+xml"

# Types a browser may show inline from our origin without running anything.
INLINE_SAFE_TYPES = frozenset(
    {
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "image/bmp",
        "image/vnd.microsoft.icon",
        "application/pdf",
        "audio/mpeg",
        "audio/wav",
        "audio/ogg",
        "audio/mp4",
        "video/mp4",
        "video/webm",
    }
)

_ALIASES: tuple[frozenset[str], ...] = (
    frozenset({"image/jpeg", "image/jpg", "image/pjpeg"}),
    frozenset({"image/vnd.microsoft.icon", "image/x-icon"}),
    frozenset({"audio/wav", "audio/wave", "audio/x-wav", "audio/vnd.wave"}),
    frozenset({"audio/mpeg", "audio/mp3", "audio/opus"}),
    frozenset({"audio/mp4", "audio/x-m4a", "video/mp4"}),
    frozenset({"video/webm", "audio/webm"}),
    frozenset({"application/zip", "application/x-zip-compressed"}),
    # Windows browsers declare .csv files as Excel documents.
    frozenset({"text/csv", "application/vnd.ms-excel", "application/csv", "text/plain"}),
    frozenset({"text/markdown", "text/x-markdown", "text/plain"}),
    frozenset({"application/json", "text/plain"}),
)

_ZIP_MEMBERS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": b"word/",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": b"xl/",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": b"ppt/",
}
_OLE_TYPES = frozenset(
    {"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"}
)


class Refused(Exception):
    """An upload the policy refuses; the message is Tiledesk's (403 ``{success, error}``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class AllowList:
    """Extensions (``.pdf``) and, in Tiledesk's deprecated format, MIME types (``image/png``)."""

    everything: bool
    entries: frozenset[str]

    @classmethod
    def parse(cls, value: object) -> "AllowList":
        """From ``".jpg,.png"``, ``[".jpg", ".png"]`` or ``"*/*"``."""
        items: Iterable[object]
        if isinstance(value, str):
            items = value.split(",")
        elif isinstance(value, list | tuple):
            items = value
        else:
            items = ()
        entries = frozenset(str(item).strip().lower() for item in items if str(item).strip())
        return cls(everything=ALLOW_EVERYTHING in entries, entries=entries)

    def allows(self, extension: str) -> bool:
        if self.everything:
            return True
        if not extension:
            return False
        return extension in self.entries or EXTENSION_TYPES.get(extension) in self.entries


def equivalent(first: str, second: str) -> bool:
    first, second = first.lower(), second.lower()
    return first == second or any(first in group and second in group for group in _ALIASES)


def checked_type(extension: str, declared: str | None, data: bytes, allowed: AllowList) -> str:
    """The content type to store ``data`` under, or ``Refused``.

    A ``*/*`` list skips the checks, as in Tiledesk, but the declared type is still never
    trusted: the bytes decide, and what is not recognised is ``application/octet-stream``."""
    if not allowed.allows(extension):
        raise Refused(f"File extension {extension} is not allowed")
    expected = EXTENSION_TYPES.get(extension)
    if allowed.everything:
        return _recognised(expected, data)
    if expected is None:
        raise Refused(f"File extension {extension} is not allowed")
    declared = (declared or "").split(";", 1)[0].strip().lower()
    if declared and declared != OCTET_STREAM and not equivalent(declared, expected):
        raise Refused(
            f"File content does not match mimetype. Detected: {declared}, provided: {expected}"
        )
    if not matches(data, expected):
        detected = sniff(data) or "unknown"
        raise Refused(
            f"File content does not match mimetype. Detected: {detected}, provided: {expected}"
        )
    return expected


def _recognised(expected: str | None, data: bytes) -> str:
    if expected is not None and matches(data, expected):
        return expected
    return sniff(data) or OCTET_STREAM


def matches(data: bytes, content_type: str) -> bool:
    """Whether the bytes are of ``content_type``."""
    if content_type in TEXT_TYPES:
        return sniff(data) is None and is_text(data)
    if content_type == SVG:
        return is_text(data) and b"<svg" in data[:4096].lower()
    if content_type in _ZIP_MEMBERS:
        return sniff(data) == "application/zip" and _ZIP_MEMBERS[content_type] in data
    if content_type in _OLE_TYPES:
        return sniff(data) == "application/x-ole-storage"
    detected = sniff(data)
    return detected is not None and equivalent(detected, content_type)


def sniff(data: bytes) -> str | None:
    """The type the first bytes announce, for the binary formats we know."""
    head = data[:16]
    for prefix, content_type in _PREFIXES:
        if head.startswith(prefix):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] in _RIFF:
        return _RIFF[head[8:12]]
    if head[:2] == b"BM" and int.from_bytes(head[2:6], "little") == len(data):
        return "image/bmp"  # the header repeats the file's size: "BM..." text never does
    if head[4:8] == b"ftyp":
        return "video/mp4"
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        return "audio/mpeg"
    return None


_PREFIXES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"\x00\x00\x01\x00", "image/vnd.microsoft.icon"),
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),
    (b"PK\x05\x06", "application/zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
    (b"ID3", "audio/mpeg"),
    (b"OggS", "audio/ogg"),
    (b"\x1a\x45\xdf\xa3", "video/webm"),
)
_RIFF = {b"WEBP": "image/webp", b"WAVE": "audio/wav"}


def is_text(data: bytes) -> bool:
    """UTF-8 text (a BOM allowed) without NUL bytes."""
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
