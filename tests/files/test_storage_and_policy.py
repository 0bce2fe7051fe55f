"""The pieces under the file routes: the local storage's containment, stored names and the
content policy (pure functions and the real filesystem, no app)."""

import os
from pathlib import Path

import pytest

from tessera.files import names, policy
from tessera.files.storage import FileMissing, LocalStorage, UnsafeKey
from tessera.files.thumbnails import make_thumbnail
from tests.files.support import PDF, image, image_size


class TestLocalStorage:
    def test_keeps_reads_and_deletes_bytes_under_its_root(self, tmp_path: Path) -> None:
        storage = LocalStorage(tmp_path / "files")

        storage.put("uploads/a/b.txt", b"hello")

        assert (tmp_path / "files" / "uploads" / "a" / "b.txt").read_bytes() == b"hello"
        assert b"".join(storage.chunks("uploads/a/b.txt")) == b"hello"
        assert storage.exists("uploads/a/b.txt")
        storage.delete("uploads/a/b.txt")
        assert not storage.exists("uploads/a/b.txt")
        storage.delete("uploads/a/b.txt")  # deleting twice is fine

    def test_a_missing_key_is_file_missing(self, tmp_path: Path) -> None:
        storage = LocalStorage(tmp_path / "files")

        with pytest.raises(FileMissing):
            storage.chunks("uploads/none.txt")

    @pytest.mark.parametrize(
        "key",
        [
            "../outside.txt",
            "uploads/../../outside.txt",
            "/etc/passwd",
            "uploads\\..\\x",
            "uploads/x\x00.txt",
            "",
            ".",
        ],
    )
    def test_refuses_keys_that_leave_the_root(self, tmp_path: Path, key: str) -> None:
        (tmp_path / "outside.txt").write_text("secret")
        storage = LocalStorage(tmp_path / "files")

        with pytest.raises(UnsafeKey):
            storage.chunks(key)
        with pytest.raises(UnsafeKey):
            storage.put(key, b"x")
        with pytest.raises(UnsafeKey):
            storage.delete(key)
        assert (tmp_path / "outside.txt").read_text() == "secret"

    def test_refuses_a_link_that_leads_out(self, tmp_path: Path) -> None:
        root = tmp_path / "files"
        root.mkdir()
        (tmp_path / "outside.txt").write_text("secret")
        os.symlink(tmp_path / "outside.txt", root / "link.txt")
        os.symlink(tmp_path, root / "up")
        storage = LocalStorage(root)

        with pytest.raises(UnsafeKey):
            storage.chunks("link.txt")
        with pytest.raises(UnsafeKey):
            storage.chunks("up/outside.txt")

    def test_a_write_replaces_atomically(self, tmp_path: Path) -> None:
        storage = LocalStorage(tmp_path)
        storage.put("a/photo.jpg", b"old")

        storage.put("a/photo.jpg", b"new")

        assert b"".join(storage.chunks("a/photo.jpg")) == b"new"
        assert sorted(path.name for path in (tmp_path / "a").iterdir()) == ["photo.jpg"]


class TestNames:
    @pytest.mark.parametrize(
        ("original", "safe"),
        [
            ("report.pdf", "report.pdf"),
            ("../../x.pdf", "x.pdf"),
            ("C:\\Users\\me\\x.pdf", "x.pdf"),
            ("a\nb\x00c.txt", "abc.txt"),
            ("..", "file"),
            ("", "file"),
            ("a#b?c&d.txt", "a_b_c_d.txt"),
            ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
        ],
    )
    def test_safe_filename(self, original: str, safe: str) -> None:
        assert names.safe_filename(original) == safe

    @pytest.mark.parametrize(
        ("identifier", "segment"),
        [("5f0c1a2b3c4d5e6f7a8b9c0d", "5f0c1a2b3c4d5e6f7a8b9c0d"), ("../x", "___x"), ("", "_")],
    )
    def test_safe_segment(self, identifier: str, segment: str) -> None:
        assert names.safe_segment(identifier) == segment

    def test_thumbnail_path(self) -> None:
        assert names.thumbnail_path("uploads/u/images/photo.jpg") == (
            "uploads/u/images/thumbnails_200_200-photo.jpg"
        )

    @pytest.mark.parametrize(
        ("filename", "extension"), [("a.PDF", ".pdf"), ("a", ""), (".pdf", ""), ("a.", "")]
    )
    def test_extension_of(self, filename: str, extension: str) -> None:
        assert names.extension_of(filename) == extension


class TestPolicy:
    @pytest.mark.parametrize(
        ("data", "expected"),
        [
            (image("PNG"), "image/png"),
            (image("JPEG"), "image/jpeg"),
            (image("GIF"), "image/gif"),
            (image("WEBP"), "image/webp"),
            (image("BMP"), "image/bmp"),
            (PDF, "application/pdf"),
            (b"ID3\x03\x00", "audio/mpeg"),
            (b"RIFF\x00\x00\x00\x00WAVEfmt ", "audio/wav"),
            (b"BMW is a car brand", None),
            (b"plain text", None),
        ],
    )
    def test_sniff(self, data: bytes, expected: str | None) -> None:
        assert policy.sniff(data) == expected

    def test_the_allow_list_matches_whole_extensions(self) -> None:
        allowed = policy.AllowList.parse(".jpg,.jpeg, .PNG")

        assert allowed.allows(".png")
        assert not allowed.allows(".pn")
        assert not allowed.allows("")
        assert not allowed.allows(".pdf")

    def test_the_deprecated_mime_type_list_still_works(self) -> None:
        allowed = policy.AllowList.parse("application/pdf,image/png")

        assert allowed.allows(".pdf")
        assert allowed.allows(".png")
        assert not allowed.allows(".jpg")

    def test_everything_and_lists(self) -> None:
        assert policy.AllowList.parse("*/*").allows(".exe")
        assert policy.AllowList.parse([".pdf"]).allows(".pdf")
        assert not policy.AllowList.parse(None).allows(".pdf")

    def test_aliases_are_tolerated(self) -> None:
        jpeg = image("JPEG")
        allowed = policy.AllowList.parse(".jpg")

        assert policy.checked_type(".jpg", "image/jpg", jpeg, allowed) == "image/jpeg"
        assert policy.checked_type(".jpg", "image/jpeg; q=1", jpeg, allowed) == "image/jpeg"

    def test_csv_declared_by_windows_as_excel_is_accepted(self) -> None:
        allowed = policy.AllowList.parse(".csv")

        found = policy.checked_type(".csv", "application/vnd.ms-excel", b"a;b\n", allowed)

        assert found == "text/csv"


class TestThumbnails:
    @pytest.mark.parametrize("image_format", ["PNG", "JPEG", "GIF", "WEBP"])
    def test_cover_and_crop_to_200_by_200(self, image_format: str) -> None:
        thumbnail = make_thumbnail(image(image_format, (640, 100)))

        assert thumbnail is not None
        assert image_size(thumbnail) == (200, 200)

    def test_unreadable_images_get_none(self) -> None:
        assert make_thumbnail(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20) is None
        assert make_thumbnail(PDF) is None
