"""200x200 thumbnails of uploaded images (Tiledesk's ``thumbnails_200_200-<name>``).

Like sharp's ``resize(200, 200)`` the image is scaled to cover the square and cropped to it,
and keeps its format. Images Pillow cannot read, or too large to decode safely (a
"decompression bomb": a few kilobytes that expand to gigabytes), get no thumbnail.
"""

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

SIZE = (200, 200)
MAX_PIXELS = 40_000_000

_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def make_thumbnail(data: bytes) -> bytes | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _thumbnail(data)
    except (
        OSError,
        ValueError,
        SyntaxError,
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        return None


def _thumbnail(data: bytes) -> bytes | None:
    with Image.open(io.BytesIO(data)) as image:
        image_format = image.format
        if image_format not in _FORMATS or image.width * image.height > MAX_PIXELS:
            return None
        image.seek(0)
        oriented = ImageOps.exif_transpose(image)
        fitted = ImageOps.fit(oriented, SIZE)
        if image_format == "JPEG" and fitted.mode not in ("RGB", "L"):
            fitted = fitted.convert("RGB")
        output = io.BytesIO()
        fitted.save(output, format=image_format)
        return output.getvalue()
