"""Rows, columns, drafting and fields on hand-made OCR lines (no OCR model): each layout rule
with a test that runs in milliseconds. Fixtures are invented, modelled on real layouts."""

from __future__ import annotations

import math

import pytest

from rxlens.catalog.index import MatchIndex
from rxlens.extract.record import build_record
from rxlens.extract.tokens import name_text, tokenize
from rxlens.layout.rows import find_columns, group_rows
from rxlens.ocr.base import TextLine
from rxlens.result import AnalysisResult, Medication
from tests.linefixtures import lines_of, load, stacked, text_line

LAYOUTS = [
    "rows_code_table",
    "rows_name_then_usage",
    "rows_zh_en_grid",
    "rows_bag_wording",
    "rows_not_in_catalog",
    "rows_hidden_headers",
    "rows_misread_strength",
    "rows_misread_header",
    "rows_stamped_receipt",
    "rows_code_alone",
    "rows_glare_code_column",
    "rows_misread_total_header",
    "rows_unnamed_form",
    "rows_bag_two_names_code_below",
]


def _record(name: str, index: MatchIndex | None) -> AnalysisResult:
    return build_record({0: lines_of(load(name))}, index, {0: (1200, 800)})


def _one_row(cells: list[str], index: MatchIndex) -> AnalysisResult:
    """One table row: each cell 24 px a character, 30 px apart."""
    lines, x = [], 0.0
    for text in cells:
        lines.append(text_line(text, [x, 0, x + 24 * len(text), 30]))
        x += 24 * len(text) + 30
    return build_record({0: lines}, index, {0: (2000, 800)})


def _find(record: AnalysisResult, brand: str) -> Medication:
    meds = [m for m in record.medications if brand in (m.drug_name_en.upper() + " " + m.printed_name.upper())]
    assert len(meds) == 1, f"{brand}: {[m.printed_name for m in record.medications]}"
    return meds[0]


@pytest.mark.parametrize("name", LAYOUTS)
def test_each_drug_and_its_usage(name: str, bundled_index: MatchIndex) -> None:
    record = _record(name, bundled_index)
    expected = load(name)["expect"]["drugs"]
    assert len(record.medications) == len(expected)
    for brand, dose, count, timing, days, total in expected:
        med = _find(record, brand)
        got = (
            med.dose_quantity,
            med.frequency_count_code,
            med.frequency_timing_code,
            med.days,
            med.total_quantity,
        )
        assert got == (dose, count, timing, days, total), brand


def test_stamps_signatures_and_money_lines_stay_out_of_names(bundled_index: MatchIndex) -> None:
    record = _record("rows_stamped_receipt", bundled_index)
    printed = [m.printed_name for m in record.medications]
    assert not any(word in " ".join(printed) for word in ("林美華", "合計", "服務費")), printed
    assert all(m.matched_drug_id and not m.not_in_catalog for m in record.medications), printed


def test_a_brand_the_catalog_lacks_is_kept_as_printed(bundled_index: MatchIndex) -> None:
    record = _record("rows_not_in_catalog", bundled_index)
    unknown = _find(record, "ZORVEXTIL")
    assert unknown.not_in_catalog and unknown.matched_drug_id is None and unknown.main_use == ""
    assert not _find(record, "LASIX").not_in_catalog


def test_without_a_catalog_drugs_are_found_by_layout(bundled_index: MatchIndex) -> None:
    record = _record("rows_code_table", None)
    assert len(record.medications) == 4 and all(m.matched_drug_id is None for m in record.medications)


def test_drifting_rows_keep_their_own_cells() -> None:
    rows = group_rows(lines_of(load("rows_code_table")))
    drug_rows = [r for r in rows if r.text.startswith("BC")]
    assert [r.text.split()[-1] for r in drug_rows] == ["28.0", "14.0", "28.0", "112.0"]


def _tilted(text: str, x0: float, y0: float, width: float, degrees: float) -> TextLine:
    """A line as an engine boxes it on a page turned `degrees` (its quad turned with it)."""
    rise, height = math.tan(math.radians(degrees)), 34.0
    corners = ((x0, y0), (x0 + width, y0 + rise * width), (x0 + width, y0 + rise * width + height))
    return TextLine(text, (*corners, (x0, y0 + height)), 0.95, 0)


def test_a_long_name_on_a_tilted_page_keeps_its_usage() -> None:
    """At -4° a 440 px name line has an upright box twice a letter's height: it is no stamp, and
    the usage cells further right (higher up the page) stay in its row."""
    lines = [
        _tilted("Const-K Extended-Release Tablets 750mg", 180, 585, 470, -4),
        _tilted("舒補鉀持續性藥效錠750毫克", 180, 625, 300, -4),
        _tilted("2", 780, 543, 20, -4),
        _tilted("QAM&HS", 1000, 528, 95, -4),
        _tilted("12 TAB", 1240, 510, 75, -4),
        *(text_line(f"{n}", [60, 700 + 40 * n, 84, 734 + 40 * n]) for n in range(6)),  # row numbers
    ]
    rows = group_rows(lines)
    assert [r.text for r in rows][:2] == [
        "Const-K Extended-Release Tablets 750mg 2 QAM&HS 12 TAB",
        "舒補鉀持續性藥效錠750毫克",
    ]


def test_a_turned_stamp_line_joins_no_row() -> None:
    """A stamp's name turned 15° against the print sits level with a drug row: it never joins
    (its upright box is not tall enough to tell)."""
    lines = [
        text_line("Cationorm, ophthalmic emulsion", [100, 300, 500, 334]),
        _tilted("陳冠品", 520, 296, 75, 15),
        text_line("1 QID OU", [700, 302, 820, 336]),
    ]
    rows = group_rows(lines)
    assert [r.text for r in rows if "QID" in r.text] == ["Cationorm, ophthalmic emulsion 1 QID OU"]


def test_a_tall_stamp_glues_no_rows() -> None:
    rows = group_rows(lines_of(load("rows_name_then_usage")))
    stamp = next(r for r in rows if "主治醫師" in r.text)
    assert len(stamp.cells) == 1


@pytest.mark.parametrize(
    ("cells", "columns"),
    [
        pytest.param(
            ["藥品名稱及規格（劑型，劑量）", "用量", "用法", "總量"],
            {"name", "dose", "usage", "total"},
            id="bracket-not-a-column",
        ),
        pytest.param(
            ["品名", "單次量", "頻次", "途徑", "天數", "總量"],
            {"name", "dose", "usage", "days", "total"},
            id="other-order",
        ),
        pytest.param(
            ["藥品名稱及規格(劑型、劑量)", "健保碼", "用量及用法", "天數總數量"],
            {"name", "code", "dose", "usage", "days", "total"},
            id="merged-words",
        ),
        pytest.param(["本處方箋共計2種藥品"], None, id="not-a-header"),
    ],
)
def test_columns_from_header_words(cells: list[str], columns: set[str] | None) -> None:
    found = find_columns(stacked(cells)[0])
    assert (set(found.edges) if found else None) == columns


@pytest.mark.parametrize(
    ("text", "kinds", "name"),
    [
        pytest.param(
            "0383 Crestor FC * tab 10 mg (Rosuvastatin)",
            ["number", "text", "unit", "strength", "text"],
            "CRESTOR FC *",
            id="row-number",
        ),
        pytest.param(
            "BC24131100 Lipitor 20mg", ["code", "text", "strength"], "LIPITOR 20MG", id="code-first"
        ),
        pytest.param(
            "1 TABQD&HS PO 28days 000056 TAB",
            ["amount", "frequency", "route", "days", "amount"],
            "",
            id="usage-line",
        ),
        pytest.param(
            "Xanax 0.25mg(跌)(管四)贊安諾",
            ["text", "strength", "flag", "flag", "text"],
            "XANAX 0.25MG 贊安諾",
            id="flags",
        ),
        pytest.param("每次 1 顆 共 21 顆", ["amount", "amount"], "", id="zh-amounts"),
        pytest.param(
            "一日二次，每次2錠，餐前服用", ["frequency", "amount"], "", id="dose-inside-a-zh-frequency"
        ),
        pytest.param(
            "TAB QD&HS PO 56.days", ["unit", "frequency", "route", "days"], "", id="days-after-a-speck"
        ),
        pytest.param(
            "用法：每次1顆天1次，餐後", ["text", "amount", "frequency"], "", id="天1次-after-the-dose"
        ),
        pytest.param("總量：56CAP 共28夫", ["amount", "text", "days"], "", id="days-with-天-read-as-夫"),
        pytest.param("焦慮不適時服用1粒", ["frequency", "amount"], "", id="prn-wording-then-its-dose"),
        pytest.param("每次1粒頭暈時服用", ["amount", "frequency"], "", id="dose-then-an-unlisted-condition"),
        pytest.param("睡前服用 2 顆", ["frequency", "amount"], "", id="bedtime-then-its-dose"),
        pytest.param(
            "BE044SQIGO Lexil Tablets 1.5mg",
            ["id", "text", "strength"],
            "LEXIL TABLETS 1.5MG",
            id="garbled-code",
        ),
        pytest.param(
            "KORES TABLETS 20OMG (SULINDAC)",
            ["text", "strength", "text"],
            "KORES TABLETS 200MG",
            id="letter-o-in-a-strength",
        ),
        pytest.param("MEBEN 1OO MG", ["text", "strength"], "MEBEN 100 MG", id="two-letter-o-in-a-strength"),
        pytest.param(
            '"TIMING" SHU LAO QING LIANG OIL', ["text"], '"TIMING" SHU LAO QING LIANG', id="pinyin-q-word"
        ),
        pytest.param(
            "PANADOL TAB-1 QD", ["text", "number", "frequency"], "PANADOL TAB-", id="dose-after-a-hyphen"
        ),
        pytest.param("TS-1CAPSULES 25MG", ["text", "strength"], "TS-1CAPSULES 25MG", id="after-hyphen"),
        pytest.param("0.5 Tab QDHS1.6.1 PO", ["amount", "frequency"], "", id="stamp-date-glued-to-a-code"),
        pytest.param("WETA B6 Tab 50mg", ["text", "unit", "strength"], "WETA B6", id="vitamin-b6-is-no-dose"),
        pytest.param("VITAMIN B12 TAB 1 TAB QD", ["text", "unit", "amount"], "VITAMIN B12", id="vitamin-b12"),
    ],
)
def test_typed_tokens(text: str, kinds: list[str], name: str) -> None:
    tokens = tokenize(stacked([text])[0])
    assert [t.kind for t in tokens][: len(kinds)] == kinds
    assert name_text(tokens).startswith(name)


@pytest.mark.parametrize("text", ["PANADOL 1# QD", "PANADOL 500MG 1 T QD"])
def test_a_spaced_number_after_a_name_stays_a_dose(bundled_index: MatchIndex, text: str) -> None:
    """Only a number glued to letters inside a name is part of it; `1#` or `1 T` (a unit misread)
    is the dose."""
    record = build_record({0: [text_line(text, [0, 0, 600, 30])]}, bundled_index, {0: (1200, 800)})
    assert [m.dose_quantity for m in record.medications] == [1.0]


def test_a_code_one_character_off_the_named_product_is_that_code_misread(bundled_index: MatchIndex) -> None:
    """`AC4314Z100` repairs to another licence's code (AC43142100, an aspirin); the printed name
    and strength are BEENRONE 100 mg, whose code is AC43141100: the name wins."""
    cells = ["Beenrone tab 100 mg (Benzbromarone)", "1/2", "TAB", "QD", "AC4314Z100"]
    record = _one_row(cells, bundled_index)
    assert [m.drug_name_en for m in record.medications] == ["BEENRONE TABLETS 100MG (BENZBROMARONE)"]


def test_a_code_printed_in_clean_digits_stands_against_a_one_off_name(bundled_index: MatchIndex) -> None:
    """AC58071100 is a metformin + glimepiride licence; metformin alone is AC58072100, one digit
    away. A clean code is no misread: the name (which fits many products) does not override it."""
    cells = ["Metformin 500mg (Glimet)", "1", "TAB", "BID", "AC58071100"]
    record = _one_row(cells, bundled_index)
    coded = bundled_index.by_code("AC58071100")
    assert coded is not None and len(coded.product.ingredients) == 2
    assert [m.matched_drug_id for m in record.medications] == [coded.product.id]


def test_half_read_codes_under_other_headers_stay_out_of_names(bundled_index: MatchIndex) -> None:
    record = _record("rows_glare_code_column", bundled_index)
    printed = [m.printed_name for m in record.medications]
    assert not any(frag in name for name in printed for frag in ("VC01Q3", "AB48", "S4")), printed


@pytest.mark.parametrize(
    ("cells", "dose"),
    [
        (["NYSTATIN TABLETS 500000 units", "2", "TID", "7", "42"], 2.0),
        (["Duloz 60 (Duloxetine Capsules 60mg)", "1", "TIDAC", "84", "252"], 1.0),
        (["Panadol 500mg", "30", "QD", "3", "3"], None),
    ],
)
def test_a_strength_in_the_dose_place_is_no_dose(
    bundled_index: MatchIndex, cells: list[str], dose: float | None
) -> None:
    """Twenty tablets at once is no dose: a number that large is a strength or a misplaced cell."""
    record = _one_row(cells, bundled_index)
    assert [m.dose_quantity for m in record.medications] == [dose]


@pytest.mark.parametrize("strength", ["25/100", "25/250"])
def test_the_code_tells_which_product_a_shared_name_means(bundled_index: MatchIndex, strength: str) -> None:
    """SINEMET 25/100 and 25/250 both answer to `Sinemet Tablets`: the printed code decides."""
    named = [c for c in bundled_index.match("SINEMET TABLETS", limit=10) if c.accepted]
    product = next(c.product for c in named if strength in c.product.name_en)
    code = product.nhi_codes[0]
    record = _one_row(["Sinemet Tablets", "QD&HS", "6 TAB", code], bundled_index)
    assert [m.matched_drug_id for m in record.medications] == [product.id]


def test_a_unitless_strength_ending_the_name_cell_is_the_name(bundled_index: MatchIndex) -> None:
    """`CONCOR 1.25` | `0.500`: an imported brand prints its strength without a unit; the next
    cell holds the dose."""
    record = _one_row(["CONCOR 1.25", "0.500", "HSPRN", "30天", "10.0"], bundled_index)
    med = record.medications[0]
    assert (med.dose_quantity, med.total_quantity) == (0.5, 10.0)
    assert "1.25" in med.printed_name and "1.25" in med.drug_name_en, med.drug_name_en


def test_a_stamp_word_between_a_drugs_name_lines_is_no_break(bundled_index: MatchIndex) -> None:
    """A pharmacist's stamp turned against the print is a row of its own (`藥師`) between a
    bag's English and Chinese name: the Chinese line still names the same drug, the usage below
    is still its usage."""
    texts = [
        "Aminophylline 100 mg",
        "藥師",
        '"榮民"氨基非林錠100毫克',
        "用法：QD一天1次 每次 0.25 顆",
        "總量：3.5顆 共14天",
    ]
    lines = [text_line(t, [60, 40 + 50 * i, 60 + 28 * len(t), 74 + 50 * i]) for i, t in enumerate(texts)]
    record = build_record({0: lines}, bundled_index, {0: (1200, 800)})
    assert [(m.dose_quantity, m.frequency_count_code, m.total_quantity) for m in record.medications] == [
        (0.25, "QD", 3.5)
    ]


def test_a_lone_digit_whose_box_tilts_stays_in_its_row() -> None:
    """A one-character box tilts with its glyph: too narrow to show a turn, it is no stamp."""
    lines = [
        text_line("NORVASC 5MG TAB", [40, 100, 400, 134]),
        _tilted("1", 430, 100, 18, 12),
        text_line("QD", [480, 100, 530, 134]),
    ]
    assert [r.text for r in group_rows(lines)] == ["NORVASC 5MG TAB 1 QD"]


def test_numbers_under_a_merged_header_box_go_to_the_nearest_word() -> None:
    """OCR read `天數` and `總數量` as one box: the days (`28`, centred under 天數 but past the
    estimated start of 總數量 less the usual slack) stay days, the count right of it is the total."""
    header = [
        text_line("藥品名稱及規格(劑型、劑量)", [120, 340, 460, 374]),
        text_line("用量及用法", [944, 330, 1082, 364]),
        text_line("天數總數量", [1160, 322, 1332, 356]),
    ]
    row = [text_line("ARTEOPTIC 2% OPHTHALMIC SOLUTION", [126, 436, 686, 470])]
    row += [text_line("1 QIO", [947, 429, 1049, 463]), text_line("28", [1189, 428, 1231, 462])]
    row += [text_line("1", [1317, 428, 1339, 462])]
    record = build_record({0: header + row}, None, {0: (1600, 800)})
    assert [(m.days, m.total_quantity) for m in record.medications] == [(28, 1.0)]


def test_a_number_right_under_its_header_word_when_header_boxes_overlap() -> None:
    """`天數` and `數量` boxes overlap: the `7` under 天數 (inside 數量's left slack) is the days,
    the `3.5` under 數量 the total."""
    header = [
        text_line("藥品名稱", [237, 277, 343, 313]),
        text_line("頻次", [599, 277, 661, 313]),
        text_line("單次單位", [729, 277, 870, 313]),
        text_line("天數", [891, 278, 952, 312]),
        text_line("數量", [944, 276, 1047, 312]),
        text_line("金額", [1110, 277, 1170, 313]),
    ]
    row = [
        text_line('"華興"腦舒錠5公絲(尼什枸寧)', [45, 419, 388, 447]),
        text_line("每晚一次", [542, 416, 646, 450]),
    ]
    row += [text_line("0.5", [758, 419, 803, 449]), text_line("7", [938, 419, 960, 447])]
    row += [text_line("3.5", [1037, 419, 1077, 450]), text_line("17", [1163, 419, 1199, 450])]
    record = build_record({0: header + row}, None, {0: (1600, 800)})
    assert [(m.dose_quantity, m.days, m.total_quantity) for m in record.medications] == [(0.5, 7, 3.5)]
