"""Photos in, checked images out. Every refusal is a specific InputError.

Order matters for safety: size in bytes → format sniffed from the header → pixel count from the
header (before any decoding, so a decompression bomb is refused cheaply) → full decode (a
truncated file fails here; JPEG is decoded at a reduced scale) → EXIF orientation (ignored when
the EXIF block is damaged) → converted to RGB and downscaled band by band (pixels.py).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pillow_heif
from PIL import Image, UnidentifiedImageError

from rxlens.config import IntakeSettings
from rxlens.errors import (
    ImageTooLarge,
    NoPhotos,
    RxlensError,
    TooManyPhotos,
    TooManyPixels,
    TruncatedImage,
    UnsupportedImage,
)
from rxlens.images.pixels import MODES, shrink

pillow_heif.register_heif_opener()
# MPO is a JPEG with extra frames (stereo or depth) that some phone cameras write; its first frame
# is the photo.
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "HEIF"}
_ORIENTATION = 0x0112
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# Pillow warns (and carries on) about each EXIF tag it skips as damaged; the photo is still read,
# so the warning only adds noise to the CLI's stderr and the service log.
warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.TiffImagePlugin")
# Pillow warns from 89 Mpx on; our own, lower max_pixels refuses such a file right after opening.
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)


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


def check_size(name: str, size: int, settings: IntakeSettings) -> None:
    if size > settings.max_bytes:
        raise ImageTooLarge(f"{name} is {size / 1e6:.1f} MB; the limit is {settings.max_bytes / 1e6:.0f} MB.")


@contextmanager
def _decoding(name: str) -> Iterator[None]:
    """Every failure of a decoder on this file becomes the user's error, never ours.

    Pillow's plugins, libjpeg/libpng/libwebp and libheif answer hostile bytes with whatever their
    parser tripped on (OSError, EOFError, SyntaxError, struct.error, IndexError, KeyError,
    ZeroDivisionError, RuntimeError, …), and tests turn warnings into exceptions too. No such list
    is complete, and inside this block only third-party decoding runs, so all of them are caught.
    """
    try:
        yield
    except RxlensError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise TooManyPixels(f"{name} declares more pixels than any photo needs.") from exc
    except MemoryError as exc:
        raise TooManyPixels(f"{name} needs more memory to decode than rxlens allows.") from exc
    except Exception as exc:
        reason = str(exc)[:120] or type(exc).__name__
        raise TruncatedImage(f"{name} is damaged or incomplete ({reason}).") from exc


def _open(upload: Upload, settings: IntakeSettings) -> Image.Image:
    check_size(upload.name, len(upload.data), settings)
    with _decoding(upload.name):
        try:
            image = Image.open(io.BytesIO(upload.data))
        except UnidentifiedImageError as exc:
            raise UnsupportedImage(f"{upload.name} is not an image rxlens can read.") from exc
    if image.format not in ACCEPTED_FORMATS:
        raise UnsupportedImage(f"{upload.name} is a {image.format} file, not JPEG, PNG, WebP or HEIC.")
    width, height = image.size
    # libwebp decodes only at full size, into three full-size buffers (~15 bytes a pixel), so
    # WebP gets its own, lower cap; phones do not write WebP, messaging apps send it downscaled.
    limit = settings.max_webp_pixels if image.format == "WEBP" else settings.max_pixels
    if width * height > limit:
        raise TooManyPixels(
            f"{upload.name} is {width}×{height} = {width * height / 1e6:.0f} megapixels; "
            f"the limit for {image.format} is {limit / 1e6:.0f}."
        )
    if image.mode not in MODES:
        raise UnsupportedImage(
            f"{upload.name} uses the colour mode {image.mode}, which rxlens does not read."
        )
    return image


def _orientation(image: Image.Image) -> Image.Transpose | None:
    # A damaged EXIF block costs the photo its orientation, never the photo itself: Pillow's EXIF
    # parser raises struct.error, AttributeError, TypeError… on a single bad tag.
    try:
        value = image.getexif().get(_ORIENTATION)
    except Exception:
        return None
    return _TRANSPOSE.get(value) if isinstance(value, int) else None


def _decode(image: Image.Image, name: str, long_side: int) -> Image.Image:
    with _decoding(name):
        if image.format in ("JPEG", "MPO"):
            image.draft("RGB", (long_side, long_side))  # libjpeg decodes at a reduced scale
        image.load()
        turn = _orientation(image)
        small = shrink(image, long_side)
    return small.transpose(turn) if turn is not None else small


def load_photo(index: int, upload: Upload, settings: IntakeSettings) -> Photo:
    image = _open(upload, settings)
    original, fmt = image.size, str(image.format)
    try:
        small = _decode(image, upload.name, settings.working_long_side)
    finally:
        image.close()
    return Photo(index, upload.name, small, original, fmt)


def check_count(count: int, settings: IntakeSettings) -> None:
    if count == 0:
        raise NoPhotos("No photos were given.")
    if count > settings.max_photos:
        raise TooManyPhotos(f"{count} photos were given; at most {settings.max_photos} are read at once.")


def load_photos(uploads: list[Upload], settings: IntakeSettings) -> list[Photo]:
    check_count(len(uploads), settings)
    return [load_photo(i, u, settings) for i, u in enumerate(uploads)]
