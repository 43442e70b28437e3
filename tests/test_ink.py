"""What the model sees: coloured marks off the page, print kept, under white and warm light."""

import io

import numpy as np
import pytest
from PIL import Image

from rxlens.ocr.ink import prepare

PAPER, PRINT, FADED = (245, 243, 238), (20, 20, 22), (150, 150, 150)
RED_STAMP, BLUE_STAMP, YELLOW_MARKER = (215, 60, 60), (70, 90, 200), (250, 235, 90)
DARK_BAND = (30, 110, 60)
WARM = np.array([1.0, 0.86, 0.62])


def _page(*colours: tuple[int, int, int], light: np.ndarray | None = None) -> np.ndarray:
    """A page (mostly paper, as photos are) with one 10x10 patch of each colour in a row."""
    page = np.full((80, 40 + 20 * len(colours), 3), PAPER, dtype=np.float32)
    for i, colour in enumerate(colours):
        page[30:40, 20 + 20 * i : 30 + 20 * i] = colour
    if light is not None:
        page = page * light
    return np.clip(page, 0, 255).astype(np.uint8)


def _patches(seen: np.ndarray, count: int) -> list[int]:
    return [int(seen[35, 25 + 20 * i, 0]) for i in range(count)]


@pytest.mark.parametrize("light", [None, WARM], ids=["white-light", "warm-lamp"])
def test_paper_takes_coloured_marks_off_and_keeps_print(light: np.ndarray | None) -> None:
    colours = (PRINT, FADED, RED_STAMP, BLUE_STAMP, YELLOW_MARKER, DARK_BAND)
    seen = _patches(prepare(_page(*colours, light=light), "paper", 40), len(colours))
    printed, faded, red, blue, yellow, band = seen
    assert printed < 40 and 120 < faded < 200, seen  # print and faded print stay
    assert red == 255, seen  # a red stamp becomes paper
    assert yellow >= 245, seen  # highlighter is yellow like aged paper: kept, as light as paper
    # A blue stamp under a warm lamp is as dark as a coloured band: it stays as `lightest` sees it.
    assert blue == 255 if light is None else blue >= 120, seen
    assert band < 140, seen  # a dark band stays dark: white print on it stays legible


def test_faded_print_under_a_warm_lamp_through_jpeg_stays() -> None:
    """JPEG keeps the paper's chroma in thin dark strokes (additive, not scaled with brightness):
    grey print on an orange page must not read as coloured."""
    page = np.full((64, 64, 3), PAPER, dtype=np.float32)
    page[:, 31:33] = FADED  # a thin vertical stroke
    warm = np.clip(page * WARM, 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(warm).save(buffer, "JPEG", quality=35)
    photo = np.asarray(Image.open(buffer).convert("RGB"))
    seen = prepare(photo, "paper", 40)[:, 31:33, 0]
    assert seen.max() < 200, seen.max()


@pytest.mark.parametrize(
    "ink",
    [(0, 51, 153), (30, 60, 160), (160, 30, 30), (30, 150, 60), (180, 150, 110), (150, 120, 60)],
    ids=["navy-print", "blue-pen", "dark-red", "green", "sepia-thermal", "brown"],
)
def test_paper_keeps_dark_coloured_and_sepia_print(ink: tuple[int, int, int]) -> None:
    (seen,) = _patches(prepare(_page(ink), "paper", 40), 1)
    assert seen == max(ink), seen  # as `lightest` sees it, not taken off the page


def test_lightest_fades_marks_and_as_taken_keeps_the_photo() -> None:
    page = _page(PRINT, RED_STAMP)
    printed, red = _patches(prepare(page, "lightest", 40), 2)
    assert printed < 40 and red == 215
    assert np.array_equal(prepare(page, "as_taken", 40), page)
