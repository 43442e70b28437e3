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
from rxlens.extract.lost_names import name_boxes, name_lines, named
from rxlens.extract.reread import covers, cut_by
from rxlens.extract.second_look import PART, VALUE_WIDTH, after_labels, grid, labelled
from rxlens.images.intake import Upload, load_photo
from rxlens.layout.rows import group_rows
from rxlens.ocr.base import TextLine
from rxlens.pipeline import analyze
from rxlens.services import Services

pytestmark = pytest.mark.usefixtures("fonts")

# A standard form (seed 1618033, photo 354) whose stamp turns the date beside its label into
# noise (11204213) for the page-wide read.
STAMPED = [1618037854453]


@pytest.mark.parametrize("seed", STAMPED)
def test_a_stamped_visit_date_is_read_on_a_second_look(reader: Services, seed: int) -> None:
    maker = ScenarioMaker(list(reader.catalog.index().products))
    truth, data = one(maker, "nhi_standard_form", seed, damaged_share=0.5)
    photo = load_photo(0, Upload("slip.jpg", data), reader.settings.intake)
    missed = visit_date(group_rows(reader.ocr.read(photo))) is None
    assert missed, "the page-wide read now finds this date: pick a slip whose stamp still hides it"
    record = asyncio.run(analyze([Upload("slip.jpg", data)], reader))
    assert record.visit_date == truth.visit_date


# A standard form (seed 1618033, photo 50) whose stamp hides one drug's name from the page-wide read.
NAME_STAMPED = 1618037854149


def test_a_stamped_drug_name_is_read_on_a_second_look(reader: Services) -> None:
    maker = ScenarioMaker(list(reader.catalog.index().products))
    truth, data = one(maker, "nhi_standard_form", NAME_STAMPED, damaged_share=0.5)
    photo = load_photo(0, Upload("slip.jpg", data), reader.settings.intake)
    lost = name_boxes(reader.ocr.read(photo), photo.image.size)
    assert lost, "the page-wide read now finds every name: pick a slip whose stamp still hides one"
    record = asyncio.run(analyze([Upload("slip.jpg", data)], reader))
    got = [m.matched_drug_id for m in record.medications]
    assert len(got) == len(truth.medications)
    assert all(g in t.acceptable_ids for g, t in zip(got, truth.medications, strict=True))


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


def test_a_line_a_part_cut_is_not_taken() -> None:
    """`就醫日期：113/04/2` of `…/25`: the part's inner edge cut it; the page's own edge cuts nothing."""
    size = (1000, 800)
    assert cut_by(line("就醫日期：113/04/2", 430, 100, 599, 130), (0, 0, 600, 480), size)
    assert not cut_by(line("就醫日期：113/04/25", 430, 100, 610, 130), (400, 0, 1000, 480), size)
    assert not cut_by(line("就醫日期：113/04/25", 2, 100, 180, 130), (0, 0, 600, 480), size)


@pytest.mark.parametrize(
    ("before", "cell", "expected"),
    [
        pytest.param("就醫日期", "113/04/25", True, id="label-before"),
        pytest.param("就留日期", "113/04/25", True, id="label-with-醫-misread"),
        pytest.param("出生日期：050/01/01", "113/04/25", False, id="a-birth-date-is-no-label"),
        pytest.param("就醫序號：IC01", "113/04/25", False, id="another-就醫-label"),
        pytest.param("藥局", "113/04/25", False, id="a-stamps-date"),
        pytest.param(None, "就醫日期：113/04/25", True, id="label-in-its-cell"),
        pytest.param(None, "有效日期：113/04/25", False, id="validity-in-its-cell"),
    ],
)
def test_a_date_found_again_must_be_labelled_as_the_visit(
    before: str | None, cell: str, expected: bool
) -> None:
    date = line(cell, 300, 100, 520, 130)
    lines = [date] + ([line(before, 60, 98, 280, 132)] if before else [])
    assert labelled(date, "2024-04-25", lines) == expected


HEADER = [
    line("藥品名稱及規格", 200, 300, 420, 330),
    line("用量", 780, 300, 840, 330),
    line("用法", 950, 300, 1010, 330),
    line("日數", 1120, 300, 1180, 330),
]


def test_a_table_row_with_usage_and_no_name_is_read_again_across_the_name_column() -> None:
    rows = [
        *HEADER,
        line("Utapine F.C. Tablet 200mg", 60, 350, 500, 385),
        line("1", 800, 350, 830, 385),
        line("QD", 960, 350, 1010, 385),
        line("14", 1130, 350, 1170, 385),
        line("1", 800, 400, 830, 435),  # the next drug's name lost under a stamp
        line("QD", 960, 400, 1010, 435),
        line("14", 1130, 400, 1170, 435),
    ]
    ((x0, y0, x1, y1),) = name_boxes(rows, (1500, 900))
    assert (x0, x1) == (0, 780)  # the whole name column, up to the dose column
    assert y0 < 400 and y1 > 435


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param(
            HEADER[:1] + [line("1", 800, 400, 830, 435), line("QD", 960, 400, 1010, 435)], id="no-header"
        ),
        pytest.param(
            [
                *HEADER,
                line("Utapine F.C. Tablet 200mg", 60, 350, 500, 385),
                line("1 TAB QD 14", 800, 400, 1170, 435),
            ],
            id="usage-line-under-its-name",
        ),
        pytest.param(
            [
                *HEADER,
                line("以下空白", 60, 350, 300, 385),
                line("1 QD", 800, 400, 1010, 435),  # between: a row with usage and no name
                line("QD", 960, 450, 1010, 485),
            ],
            id="after-the-table",
        ),
        pytest.param(
            [*HEADER, line("1", 800, 400, 830, 435), line("14", 1130, 400, 1170, 435)], id="no-frequency"
        ),
    ],
)
def test_rows_that_lost_no_name_are_not_read_again(rows: list[TextLine]) -> None:
    assert name_boxes(rows, (1500, 900)) == []


def tilted(text: str, left: float, top: float, width: float, height: float, rise: float) -> TextLine:
    """A line whose text runs `rise` pixels down per pixel across (a tilted page)."""
    a, b = (left, top), (left + width, top + rise * width)
    return TextLine(text, (a, b, (b[0], b[1] + height), (left, top + height)), 0.99, 0)


def test_a_line_read_again_replaces_what_lies_on_it_not_its_neighbours() -> None:
    """On a page tilted 4°, a long line's upright box reaches into the next row."""
    date = tilted("就醫日期：113/04/25 科別：家醫科 醫師：陳大文", 100, 550, 900, 34, 0.07)
    assert covers(date, line("113/41", 300, 560, 420, 600))  # the noise it replaces
    assert not covers(date, line("性別：男", 160, 610, 240, 642))  # the row under its right end


def test_a_tilted_row_gets_a_name_box_as_tall_as_its_tilt() -> None:
    rise = 0.08  # about 4.6°: a 780 px column drops 62 px
    rows = [
        tilted("藥品名稱及規格", 200, 300, 220, 30, rise),
        tilted("用量", 780, 300 + 580 * rise, 60, 30, rise),
        tilted("用法", 950, 300 + 750 * rise, 60, 30, rise),
        tilted("日數", 1120, 300 + 920 * rise, 60, 30, rise),
        tilted("Utapine F.C. Tablet 200mg", 60, 350 - 140 * rise, 440, 34, rise),
        tilted("1", 800, 350 + 600 * rise, 30, 34, rise),
        tilted("QD", 960, 350 + 760 * rise, 50, 34, rise),
        tilted("1", 800, 410 + 600 * rise, 30, 34, rise),  # the next name lost
        tilted("QD", 960, 410 + 760 * rise, 50, 34, rise),
    ]
    ((_, y0, x1, y1),) = name_boxes(rows, (1500, 900))
    lost_name = tilted("Sinemet Tablets 25/250", 60, 410 - 140 * rise, 440, 34, rise)
    assert y0 <= lost_name.top and y1 >= lost_name.bottom and x1 == 780


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Utapine F.C.", True),
        ("鬆筋錠", True),
        ("1 TAB TID", False),
        ("BC25419100", False),
        ("AC58220IG0StoPain", True),
        ("Reglide1 mg", True),
    ],
)
def test_what_counts_as_a_name_word(text: str, expected: bool) -> None:
    assert named(line(text, 0, 0, 100, 30)) == expected


def test_a_name_crop_keeps_the_name_of_its_own_row() -> None:
    """A crop one row tall: the detector's box of its row may fill it from top to bottom, but a
    neighbour row's line cut at the crop's top or bottom is not that row's name."""
    keep, part = name_lines((1500, 900)), (0, 489, 601, 560)
    assert keep(line("拿可欣膠囊100毫克(本補麻隆)", 34, 489, 441, 560), part)  # fills the crop
    assert not keep(line("得安穩膜衣錠160毫克", 44, 489, 279, 502), part)  # the row above, cut
    assert not keep(line("拿可欣膠囊100毫克(本補麻隆)", 34, 500, 601, 540), part)  # cut at the column's edge
    assert not keep(line("1 TAB QD", 60, 500, 200, 540), part)  # no name word
