"""The second look for a visit date that a stamp hid from the page-wide read.

Real OCR on generated slips whose stamp lands on the 就醫日期 cell, regenerated from their seeds;
each first checks the page-wide read still misses the date, so the test cannot pass for nothing.
The boxes the second look reads again are checked on hand-made lines.
"""

from __future__ import annotations

import asyncio

import pytest

from rxlens.evaluation.generate import one
from rxlens.evaluation.scenario import ScenarioMaker
from rxlens.extract.header_visit import visit_date
from rxlens.extract.second_look import PART, VALUE_WIDTH, after_labels, grid
from rxlens.images.intake import Upload, load_photo
from rxlens.layout.rows import group_rows
from rxlens.ocr.base import TextLine
from rxlens.pipeline import analyze
from rxlens.services import Services

pytestmark = pytest.mark.usefixtures("fonts")

# Standard forms (seed 1618033, photos 34 and 354): the stamp covers the label and the date in
# one, and turns the date into noise beside its label (11204213) in the other.
STAMPED = [1618037854133, 1618037854453]


@pytest.mark.parametrize("seed", STAMPED)
def test_a_stamped_visit_date_is_read_on_a_second_look(reader: Services, seed: int) -> None:
    maker = ScenarioMaker(list(reader.catalog.index().products))
    truth, data = one(maker, "nhi_standard_form", seed, damaged_share=0.5)
    photo = load_photo(0, Upload("slip.jpg", data), reader.settings.intake)
    missed = visit_date(group_rows(reader.ocr.read(photo))) is None
    assert missed, "the page-wide read now finds this date: pick a slip whose stamp still hides it"
    record = asyncio.run(analyze([Upload("slip.jpg", data)], reader))
    assert record.visit_date == truth.visit_date


def line(text: str, left: float, top: float, right: float, bottom: float) -> TextLine:
    return TextLine(text, ((left, top), (right, top), (right, bottom), (left, bottom)), 0.99, 0)


def test_a_date_label_without_its_date_is_read_again_to_its_right() -> None:
    lines = [
        line("就醫日期", 60, 200, 180, 240),
        line("有效期限", 60, 400, 180, 440),  # another kind of date: not the visit
        line("調劑日期：114/03/07", 60, 600, 400, 640),  # has its date
    ]
    assert after_labels(lines, 1600, 900) == [(20, 160, 180 + VALUE_WIDTH * 40, 280)]


def test_a_box_stays_on_the_photo() -> None:
    assert after_labels([line("就醫日期", 5, 5, 125, 45)], 400, 300) == [(0, 0, 400, 85)]


def test_without_a_label_the_page_is_read_in_four_overlapping_parts() -> None:
    w, h = int(1000 * PART), int(500 * PART)
    corners = [(0, 0), (1000 - w, 0), (0, 500 - h), (1000 - w, 500 - h)]
    assert grid(1000, 500) == [(x, y, x + w, y + h) for x, y in corners]
    assert 2 * w > 1000 and 2 * h > 500  # neighbours overlap: a line cut by one lies whole in another
