"""Every refusal of stage 1, with its exact error; and what is accepted."""

from __future__ import annotations

import pytest
from PIL import Image

from rxlens.config import IntakeSettings
from rxlens.errors import (
    ImageTooLarge,
    InputError,
    NoPhotos,
    TooManyPhotos,
    TooManyPixels,
    TruncatedImage,
    UnsupportedImage,
)
from rxlens.images.intake import Upload, load_photos
from tests.images import encoded, jpeg, png_header_only

LIMITS = IntakeSettings()
PHOTO = Image.new("RGB", (3000, 2000), (240, 240, 240))


@pytest.mark.parametrize(
    ("uploads", "error", "message"),
    [
        pytest.param([], NoPhotos, "No photos were given", id="zero-photos"),
        pytest.param(
            [Upload("a.jpg", jpeg(PHOTO))] * 6,
            TooManyPhotos,
            "6 photos were given; at most 5",
            id="too-many-photos",
        ),
        pytest.param(
            [Upload("notes.txt", "藥袋照片".encode())],
            UnsupportedImage,
            "notes.txt is not an image",
            id="not-an-image",
        ),
        pytest.param(
            [Upload("a.gif", encoded(PHOTO, "GIF"))],
            UnsupportedImage,
            "a.gif is a GIF file",
            id="gif-refused",
        ),
        pytest.param(
            [Upload("cut.jpg", jpeg(PHOTO)[:20_000])],
            TruncatedImage,
            "cut.jpg is damaged or incomplete",
            id="truncated-jpeg",
        ),
        pytest.param(
            [Upload("cut.png", encoded(PHOTO, "PNG")[:3_000])],
            TruncatedImage,
            "cut.png is damaged",
            id="truncated-png",
        ),
        pytest.param(
            [Upload("head.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")],
            TruncatedImage,
            "head.jpg is damaged or incomplete",
            id="header-cut-short",
        ),
        pytest.param(
            [Upload("big.jpg", b"\xff\xd8" + b"\0" * (LIMITS.max_bytes + 1))],
            ImageTooLarge,
            "big.jpg is 20.0 MB; the limit is 20 MB",
            id="too-many-bytes",
        ),
        pytest.param(
            [Upload("wide.png", png_header_only(10_000, 6_000))],
            TooManyPixels,
            "wide.png is 10000×6000 = 60 megapixels; the limit for PNG is 50",
            id="too-many-pixels",
        ),
        pytest.param(
            [Upload("bomb.png", png_header_only(100_000, 100_000))],
            TooManyPixels,
            "bomb.png declares more pixels than any photo needs",
            id="decompression-bomb",
        ),
    ],
)
def test_refusals(uploads: list[Upload], error: type[InputError], message: str) -> None:
    with pytest.raises(error) as caught:
        load_photos(uploads, LIMITS)
    assert caught.value.message.startswith(message), caught.value.message
    assert caught.value.hint and 400 <= caught.value.status < 500 and caught.value.exit_code == 2


def test_more_photos_allowed_when_configured() -> None:
    photos = load_photos(
        [Upload("a.png", encoded(Image.new("RGB", (40, 30)), "PNG"))] * 8, IntakeSettings(max_photos=10)
    )
    assert [p.index for p in photos] == list(range(8))


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "HEIF"])
def test_accepted_formats_are_downscaled(fmt: str) -> None:
    (photo,) = load_photos([Upload(f"p.{fmt.lower()}", encoded(PHOTO, fmt))], LIMITS)
    assert photo.format == fmt and photo.original_size == (3000, 2000)
    assert max(photo.image.size) == LIMITS.working_long_side and photo.image.mode == "RGB"


def test_exif_orientation_is_applied() -> None:
    portrait_on_its_side = Image.new("RGB", (400, 300), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    (photo,) = load_photos([Upload("phone.jpg", jpeg(portrait_on_its_side, exif=exif))], LIMITS)
    assert photo.image.size == (300, 400)


def test_cloud_copy_is_a_small_jpeg() -> None:
    (photo,) = load_photos([Upload("a.png", encoded(PHOTO, "PNG"))], LIMITS)
    data = photo.cloud_jpeg(LIMITS.cloud_long_side, LIMITS.cloud_jpeg_quality)
    assert data[:2] == b"\xff\xd8"
    import io

    assert max(Image.open(io.BytesIO(data)).size) <= 1536
