"""Intake reads every mode a photo file can hold, survives damaged files, and decodes in bounded memory."""

from __future__ import annotations

import io
from typing import cast

import numpy as np
import pytest
from hypothesis import given, settings, strategies
from PIL import Image, ImageDraw

from bench.intake_memory import made, measure
from rxlens.config import IntakeSettings
from rxlens.errors import RxlensError
from rxlens.evaluation.corrupt import FORMATS, KINDS, Mutation, mutate, seed
from rxlens.evaluation.layouts.base import SANS, font
from rxlens.images.intake import Photo, Upload, load_photo
from rxlens.images.pixels import to_rgb
from rxlens.ocr.base import OcrEngine

LIMITS = IntakeSettings()


def page() -> Image.Image:
    """Dark-grey print on off-white paper, as a photo has it (no pure black that survives
    clipping): 8-bit RGB, the reference every other mode is compared with."""
    image = Image.new("RGB", (720, 200), (246, 246, 242))
    draw = ImageDraw.Draw(image)
    draw.text((30, 30), "Amoxicillin 500mg", fill=(40, 40, 44), font=font(SANS, 48))
    draw.text((30, 110), "每日三次 飯後服用", fill=(40, 40, 44), font=font(SANS, 48))
    return image


def gray(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L"), dtype=np.float32)


def ink_only(image: Image.Image, mode: str) -> Image.Image:
    """The page as black ink whose opacity is the print's darkness: on white it is the page again;
    the paper is almost fully transparent, so on black (Pillow's plain convert) all is dark."""
    alpha = Image.eval(image.convert("L"), lambda v: 255 - v)
    return Image.merge("RGBA", (*Image.new("RGB", image.size, "black").split(), alpha)).convert(mode)


def transparent_paper(image: Image.Image) -> tuple[Image.Image, int]:
    """A palette page whose paper colour is the transparent index (tRNS), hidden colour black."""
    palette_page = image.quantize(colors=32)
    counts = cast(list[tuple[int, int]], palette_page.getcolors() or [])  # (count, palette index)
    paper = max(counts)[1]
    colours = palette_page.getpalette() or []
    colours[paper * 3 : paper * 3 + 3] = [0, 0, 0]
    palette_page.putpalette(colours)
    return palette_page, paper


def on_white_paper(image: Image.Image) -> Image.Image:
    """What a palette page with transparent paper should read as: its colours, white paper."""
    palette_page, paper = transparent_paper(image)
    colours = palette_page.getpalette() or []
    colours[paper * 3 : paper * 3 + 3] = [255, 255, 255]
    palette_page.putpalette(colours)
    return palette_page.convert("RGB")


def sixteen_bit(image: Image.Image, dtype: str) -> Image.Image:
    return Image.fromarray((np.asarray(image.convert("L")).astype(np.uint32) * 257).astype(dtype))


def saved(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def file_in(mode: str) -> bytes:
    base = page()
    match mode:
        case "I;16":
            return saved(sixteen_bit(base, "uint16"), "PNG")
        case "P+tRNS":
            palette_page, paper = transparent_paper(base)
            return saved(palette_page, "PNG", transparency=paper)
        case "LA" | "RGBA":
            return saved(ink_only(base, mode), "PNG")
        case "CMYK":
            return saved(base.convert("CMYK"), "JPEG", quality=95)
        case _:
            return saved(base.convert(mode), "PNG")


def assert_same_page(image: Image.Image, tolerance: float, reference: Image.Image | None = None) -> None:
    reference_gray, read = gray(reference or page()), gray(image)
    assert image.mode == "RGB" and read.shape == reference_gray.shape
    assert (read < 128).mean() > 0.02, "the page came out blank"
    assert np.abs(read - reference_gray).mean() < tolerance


@pytest.mark.parametrize(
    ("mode", "tolerance"),
    [
        pytest.param("I;16", 1, id="16-bit-grayscale-png"),
        pytest.param("P+tRNS", 1, id="palette-with-transparent-paper"),
        pytest.param("LA", 1, id="gray-with-alpha-on-transparent-page"),
        pytest.param("RGBA", 1, id="rgba-on-transparent-page"),
        pytest.param("CMYK", 3, id="cmyk-jpeg"),
        pytest.param("L", 1, id="8-bit-grayscale"),
        pytest.param("1", 1, id="1-bit"),
    ],
)
def test_every_mode_reads_as_the_same_page(mode: str, tolerance: float) -> None:
    photo = load_photo(0, Upload(f"page-{mode}", file_in(mode)), LIMITS)
    # A 1-bit file cannot hold grey paper, and a palette one has white paper under its tRNS.
    expected = {"1": page().convert("1"), "P+tRNS": on_white_paper(page())}.get(mode)
    assert_same_page(photo.image, tolerance, expected)


@pytest.mark.parametrize(
    "image",
    [
        pytest.param(sixteen_bit(page(), ">u2"), id="I;16B"),
        pytest.param(sixteen_bit(page(), "int32"), id="I-with-16-bit-values"),
        pytest.param(page().convert("I"), id="I-with-8-bit-values"),
        pytest.param(page().convert("F"), id="F-0-to-255"),
        pytest.param(Image.eval(page().convert("F"), lambda v: v / 255), id="F-0-to-1"),
    ],
)
def test_wide_modes_in_memory(image: Image.Image) -> None:
    assert_same_page(to_rgb(image), 1)


@pytest.mark.usefixtures("fonts")
def test_16_bit_page_reads_like_the_8_bit_one(ocr_engine: OcrEngine) -> None:
    def text(data: bytes) -> list[str]:
        return [line.text for line in ocr_engine.read(load_photo(0, Upload("p.png", data), LIMITS))]

    eight = text(saved(page(), "PNG"))
    assert any("500mg" in line for line in eight)
    assert text(file_in("I;16")) == eight


def exif_jpeg() -> tuple[bytes, int]:
    """A JPEG whose EXIF holds an orientation and a few tags, and where its EXIF block starts."""
    exif = Image.Exif()
    exif[0x0112], exif[0x010F], exif[0x0110] = 6, "Camera", "Model"
    exif.get_ifd(0x8769)[0x9003] = "2024:01:01 00:00:00"
    data = saved(Image.new("RGB", (64, 48), "white"), "JPEG", exif=exif)
    start = data.index(b"Exif\0\0")
    return data, start


# Production ignores Pillow's "skipping damaged tag" warnings (rxlens.images.intake); so does this test.
@pytest.mark.filterwarnings("ignore::UserWarning:PIL.TiffImagePlugin")
def test_a_damaged_exif_tag_costs_only_the_orientation() -> None:
    data, start = exif_jpeg()
    length = int.from_bytes(data[start - 2 : start], "big") - 2
    for at in range(start + 6, start + length):
        for value in (0x00, 0x01, 0x03, 0x05, 0x7F, 0xFF):
            damaged = data[:at] + bytes([value]) + data[at + 1 :]
            photo = load_photo(0, Upload("exif.jpg", damaged), LIMITS)
            assert sorted(photo.image.size) == [48, 64], (at - start, value)


mutations = strategies.lists(
    strategies.builds(
        Mutation,
        kind=strategies.sampled_from(KINDS),
        where=strategies.floats(0, 1),
        data=strategies.binary(min_size=1, max_size=64),
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=200, deadline=None)
@given(fmt=strategies.sampled_from(FORMATS), changes=mutations)
def test_damaged_files_are_read_or_refused_with_a_4xx(fmt: str, changes: list[Mutation]) -> None:
    try:
        photo = load_photo(0, Upload(f"fuzz.{fmt.lower()}", mutate(seed(fmt), changes)), LIMITS)
    except RxlensError as error:
        assert 400 <= error.status < 500 and error.exit_code == 2, error
    else:
        assert isinstance(photo, Photo) and photo.image.mode == "RGB"


def test_a_huge_canvas_is_decoded_without_a_full_size_rgb_copy() -> None:
    # A 7000×7000 grayscale page is ~80 kB; decoded it is 49 MB in mode L. Converting it to RGB
    # at full size (what intake used to do) took the peak up by 313 MB; band by band it stays
    # near the decoded size.
    before, after = measure(made("PNG L"))
    assert after - before < 150, (before, after)


def test_a_huge_webp_is_refused_before_it_is_decoded() -> None:
    # libwebp has no scaled decode: 7000×7000 took ~750 MB, so WebP has its own pixel cap.
    canvas = Image.new("RGB", (5000, 4000), "white")
    buffer = io.BytesIO()
    canvas.save(buffer, "WEBP", quality=50)
    limits = IntakeSettings()
    with pytest.raises(RxlensError, match="limit for WEBP") as refused:
        load_photo(0, Upload("big.webp", buffer.getvalue()), limits)
    assert refused.value.status == 413
    buffer = io.BytesIO()
    canvas.resize((2000, 1500)).save(buffer, "WEBP", quality=50)
    assert load_photo(0, Upload("small.webp", buffer.getvalue()), limits).image.size[0] > 0
