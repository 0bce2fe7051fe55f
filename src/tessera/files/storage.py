"""Where the bytes of stored files live, behind one small interface.

``LocalStorage`` keeps them under a root directory (``DATA_DIR/files`` by default). An
S3-compatible backend would implement the same four methods. Keys are the Tiledesk paths
(``uploads/...``); the storage itself refuses any key that would resolve outside its root,
whatever the caller checked before (defence in depth: keys normally come from the database,
and were built by ``files.names`` from sanitised parts).
"""

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Protocol

from tessera.config import Settings

CHUNK_SIZE = 256 * 1024


class UnsafeKey(ValueError):
    """A key that is absolute, climbs up (``..``) or leaves the root through a link."""


class FileMissing(LookupError):
    """No bytes are stored under this key."""


class Storage(Protocol):
    def put(self, key: str, data: bytes) -> None: ...

    def chunks(self, key: str) -> Iterator[bytes]: ...

    def delete(self, key: str) -> None: ...

    def exists(self, key: str) -> bool: ...


class LocalStorage:
    """Files on the local filesystem under ``root``; writes are atomic (temp file + rename)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, key: str, data: bytes) -> None:
        target = self._resolve(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def chunks(self, key: str) -> Iterator[bytes]:
        """The stored bytes, in chunks; ``FileMissing`` (before the first chunk) if none."""
        target = self._resolve(key)
        try:
            file = target.open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise FileMissing(key) from None
        return _read(file)

    def delete(self, key: str) -> None:
        target = self._resolve(key)
        target.unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._resolve(key).is_file()

    def _resolve(self, key: str) -> Path:
        if not key or "\x00" in key or "\\" in key:
            raise UnsafeKey(key)
        relative = PurePosixPath(key)
        if relative.is_absolute() or any(part in ("..", ".") for part in relative.parts):
            raise UnsafeKey(key)
        root = self.root.resolve()
        target = (root / relative).resolve()
        if not target.is_relative_to(root) or target == root:
            raise UnsafeKey(key)
        return target


def _read(file: BinaryIO) -> Iterator[bytes]:
    with file:
        while chunk := file.read(CHUNK_SIZE):
            yield chunk


def local_storage(settings: Settings) -> LocalStorage:
    """The storage of uploads: ``DATA_DIR/files`` on the local filesystem."""
    return LocalStorage(settings.data_dir / "files")
