"""Sample files and upload helpers for the file tests."""

import io
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

from tessera.config import Settings

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
TEXT = "Ciao, è un file di testo.\n".encode()


def image(image_format: str = "PNG", size: tuple[int, int] = (320, 240)) -> bytes:
    picture = Image.new("RGB", size, (200, 30, 90))
    output = io.BytesIO()
    picture.save(output, format=image_format)
    return output.getvalue()


def image_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as picture:
        return picture.size


async def upload(
    client: httpx.AsyncClient,
    url: str,
    headers: dict[str, str],
    *,
    name: str = "notes.pdf",
    data: bytes = PDF,
    content_type: str | None = "application/pdf",
    field: str = "file",
    params: dict[str, Any] | None = None,
    method: str = "POST",
) -> httpx.Response:
    part: tuple[Any, ...] = (name, data) if content_type is None else (name, data, content_type)
    return await client.request(method, url, files={field: part}, headers=headers, params=params)


def stored_under(settings: Settings, folder: str) -> list[Path]:
    """The files the storage holds under ``folder`` (relative to the storage root)."""
    root = settings.data_dir / "files" / folder
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []
