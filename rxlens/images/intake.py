"""Photos in, checked images out. Every refusal is a specific InputError.

Order matters for safety: size in bytes → format sniffed from the header → pixel count from the
header (before any decoding, so a decompression bomb is refused cheaply) → full decode (a
truncated file fails here) → EXIF orientation → downscale to the engine's working size.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError

from rxlens.config import IntakeSettings
from rxlens.errors import (
    ImageTooLarge,
    NoPhotos,
    TooManyPhotos,
    TooManyPixels,
    TruncatedImage,
    UnsupportedImage,
)

pillow_heif.register_heif_opener()
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF"}


@dataclass(frozen=True, slots=True)
class Upload:
    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Photo:
    index: int
    name: str
    image: Image.Image  # RGB, EXIF-oriented, long side ≤ the working size
    original_size: tuple[int, int]
    format: str

    def cloud_jpeg(self, long_side: int, quality: int) -> bytes:
        """A compressed copy for cloud engines (long side ≤ `long_side`)."""
        image = self.image.copy()
        image.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality, optimize=True)
        return out.getvalue()


def _open(upload: Upload, settings: IntakeSettings) -> Image.Image:
    if len(upload.data) > settings.max_bytes:
        raise ImageTooLarge(
            f"{upload.name} is {len(upload.data) / 1e6:.1f} MB; "
            f"the limit is {settings.max_bytes / 1e6:.0f} MB."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(upload.data))
    except UnidentifiedImageError as exc:
        raise UnsupportedImage(f"{upload.name} is not an image rxlens can read.") from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise TooManyPixels(f"{upload.name} declares more pixels than any photo needs.") from exc
    except (OSError, SyntaxError, ValueError) as exc:  # the header itself is cut short
        raise TruncatedImage(f"{upload.name} is damaged or incomplete ({exc}).") from exc
    if image.format not in ACCEPTED_FORMATS:
        raise UnsupportedImage(f"{upload.name} is a {image.format} file, not JPEG, PNG, WebP or HEIC.")
    width, height = image.size
    if width * height > settings.max_pixels:
        raise TooManyPixels(
            f"{upload.name} is {width}×{height} = {width * height / 1e6:.0f} megapixels; "
            f"the limit is {settings.max_pixels / 1e6:.0f}."
        )
    return image


def _decode(image: Image.Image, name: str, long_side: int) -> Image.Image:
    if image.format == "JPEG":
        image.draft("RGB", (long_side, long_side))  # let libjpeg decode at a reduced scale
    try:
        image.load()
    except (OSError, SyntaxError, ValueError) as exc:
        raise TruncatedImage(f"{name} is damaged or incomplete ({exc}).") from exc
    oriented = ImageOps.exif_transpose(image).convert("RGB")
    oriented.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
    return oriented


def load_photo(index: int, upload: Upload, settings: IntakeSettings) -> Photo:
    image = _open(upload, settings)
    original, fmt = image.size, str(image.format)
    return Photo(index, upload.name, _decode(image, upload.name, settings.working_long_side), original, fmt)


def check_count(count: int, settings: IntakeSettings) -> None:
    if count == 0:
        raise NoPhotos("No photos were given.")
    if count > settings.max_photos:
        raise TooManyPhotos(f"{count} photos were given; at most {settings.max_photos} are read at once.")


def load_photos(uploads: list[Upload], settings: IntakeSettings) -> list[Photo]:
    check_count(len(uploads), settings)
    return [load_photo(i, u, settings) for i, u in enumerate(uploads)]
