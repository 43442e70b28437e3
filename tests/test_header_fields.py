"""Header rules on hand-made OCR lines (no OCR model): invented institutions, names and dates,
laid out the way real slips, drug bags and receipts print them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from rxlens.extract import header
from rxlens.extract.header import Found
from rxlens.layout.rows import Row, group_rows
from rxlens.textnorm import to_traditional
from tests.linefixtures import load, rows_from, stacked, text_line

Rule = Callable[[list[Row]], Found | None]
RULES: dict[str, Rule] = {
    "clinic": header.clinic,
    "institution_code": header.institution_code,
    "doctor": header.doctor,
    "visit_date": header.visit_date,
    "days_supply": header.days_supply,
}
FIXTURES = [
    "hospital_refill",
    "dispensing_slip",
    "drug_bag",
    "pharmacy_receipt",
    "code_table_refill",
    "refill_printout",
]


def _value(found: Found | None) -> str | int | None:
    return found.value if found else None


@pytest.mark.parametrize("name", FIXTURES)
@pytest.mark.parametrize("field", list(RULES))
def test_fixture_field(name: str, field: str) -> None:
    assert _value(RULES[field](rows_from(name))) == load(name)["expect"][field]


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_refill(name: str) -> None:
    found = header.refill(rows_from(name))
    expected: dict[str, Any] | None = load(name)["expect"]["refill"]
    assert (found[0].model_dump() if found else None) == expected


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(["病患姓名：王小明 松濤診所"], "松濤診所", id="patient-name-before-clinic-not-glued"),
        pytest.param(["病患姓名：王小明 康寧診所"], "康寧診所", id="registered-clinic-after-patient-name"),
        pytest.param(["門診藥袋 松濤診所"], "松濤診所", id="form-title-before-clinic"),
        pytest.param(["霧峰仁心醫院慢性病連續處方箋"], "霧峰仁心醫院", id="title-glued-after-name"),
        pytest.param(
            ["全民健康保險門診交付調劑處方箋綠川診所"], "綠川診所", id="dispensing-title-glued-before"
        ),
        pytest.param(["高雄榮總 慢性病連續處方箋(交病患)"], "高雄榮總", id="short-form-rongzong"),
        pytest.param(["臺東松濤診所"], "臺東松濤診所", id="tai-stays-as-printed"),
        pytest.param(["北辰醫院"], "北辰醫院", id="unregistered-name-not-forced-onto-near-register-name"),
        pytest.param(["輔英科枝大學附設醫院"], "輔英科枝大學附設醫院", id="complete-name-kept-without-code"),
        pytest.param(
            ["輔英科枝大學附設醫院", "醫院代號:1343030018"],
            "輔英科技大學附設醫院",
            id="printed-code-corrects-spelling",
        ),
        pytest.param(["陽明耳鼻喉科診所"], "陽明耳鼻喉科診所", id="one-letter-from-a-registered-clinic"),
        pytest.param(["輔英科技大學附設醫阮"], "輔英科技大學附設醫院", id="misread-ending-found-in-register"),
        pytest.param(["青 嵐 家 醫 診 所"], "青嵐家醫診所", id="letter-spaced-name"),
        pytest.param(
            ["第1頁,共2頁", "慢性病連續處方箋", "批價序號:0123", "處方醫院核章", "晴川耳鼻喉科診所"],
            "晴川耳鼻喉科診所",
            id="name-below-titles-and-labels",
        ),
        pytest.param(
            ["星野內科診所", "藥品名稱", "Panadol 500mg", "杏和藥局 調劑章"],
            "星野內科診所",
            id="issuer-over-pharmacy-stamp",
        ),
        pytest.param(
            ["處方箋", "綠川診所 地址：臺中市西屯區福科路5號", "松濤診所"],
            "松濤診所",
            id="address-footer-scores-less",
        ),
        pytest.param(
            ["醫事機構代碼：1343030018", "就醫日期：114/07/21"], "輔英科技大學附設醫院", id="code-only"
        ),
        pytest.param(["處方醫院核章", "醫院代號", "可至健保特約藥局調劑"], None, id="labels-are-not-names"),
        pytest.param(["慢箋可於建議期間內至健保特的藥局"], None, id="a-footer-sentence-with-a-misread-label"),
        pytest.param(["嘉義澄心診所"], "嘉義澄心診所", id="place-before-a-registered-name-kept"),
        pytest.param(
            ["醫療財團法人霧峰仁心醫院慢性病連續處方箋"],
            "醫療財團法人霧峰仁心醫院",
            id="legal-owner-as-printed",
        ),
        pytest.param(
            ["杏和大藥局", "領藥收據", ["處方醫院", "晴川小兒科診所"]],
            "晴川小兒科診所",
            id="receipt-names-the-prescriber-in-a-box",
        ),
        pytest.param(
            ["杏和大藥局", "領藥收據", "虛方醫院：晴川小兒科診所"],
            "晴川小兒科診所",
            id="misread-prescriber-label-still-names-the-issuer",
        ),
        pytest.param(
            ["惠安藥局", "調劑明細暨收據", "處方醫院：花蓮澄心小兒科診所 處方醫師：周宏廷"],
            "花蓮澄心小兒科診所",
            id="labelled-prescriber-beats-a-registered-pharmacy-on-top",
        ),
        pytest.param(["醫療財圍法人晴川醫院"], "醫療財團法人晴川醫院", id="misread-團-of-the-legal-form"),
        pytest.param(
            ["Rx.青松綜合醫院", ["松綜合醫院", "3599990017"], "姓名：王小明", "就醫日期：114/03/07", "藥品"],
            "青松綜合醫院",
            id="rx-mark-before-the-name",
        ),
    ],
)
def test_clinic(rows: list[str | list[str]], expected: str | None) -> None:
    assert _value(header.clinic(stacked(*rows))) == expected


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(["醫院代號:1343030018"], "1343030018", id="labelled"),
        pytest.param(["醫事機構代碼 1502110064"], "1502110064", id="labelled-with-space"),
        pytest.param(["醫院服務機構:松濤診所(3599990017)"], "3599990017", id="after-name-in-brackets"),
        pytest.param([["星野內科診所", "1343030018"]], "1343030018", id="bare-registered-number"),
        pytest.param(["收據號碼 1234567890"], None, id="bare-unregistered-number"),
        pytest.param(["電話：1502110064"], None, id="phone-number-is-not-a-code"),
        pytest.param([["Rx.松濤綜合醫院", "3599990017"]], "3599990017", id="bare-number-beside-a-name"),
        pytest.param(["松濤醫院 3599990017"], "3599990017", id="bare-number-after-a-name"),
        pytest.param(["松濤醫院", "3599990017", "門診章"], "3599990017", id="number-under-a-name-in-a-stamp"),
        pytest.param(
            [["松濤醫院", "慢性病連續處方箋(交病患)2025041408:35"]], None, id="date-and-time-beside-a-name"
        ),
        pytest.param(["3599990017"], None, id="bare-number-alone"),
    ],
)
def test_institution_code(rows: list[str | list[str]], expected: str | None) -> None:
    assert _value(header.institution_code(stacked(*rows))) == expected


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(["醫師:周品睿處"], "周品睿", id="next-label-character-glued"),
        pytest.param(["醫師簽章 林子涵"], "林子涵", id="after-signature-label"),
        pytest.param(["主治醫師：吳承恩"], "吳承恩", id="attending"),
        pytest.param(["醫師 陳柏宇 (章)"], "陳柏宇", id="stamp-mark-after"),
        pytest.param(["醫師：歐陽志明"], "歐陽志明", id="compound-surname"),
        pytest.param(["醫師:黃立群科別:內科"], "黃立群", id="department-label-glued"),
        pytest.param([["醫師：", "蔡宛臻"]], "蔡宛臻", id="name-in-next-cell"),
        pytest.param(["藥師：李文華"], None, id="pharmacist-only"),
        pytest.param(["藥師：李文華", "醫師：吳承恩"], "吳承恩", id="pharmacist-before-doctor"),
        pytest.param(["醫師簽章 處方醫院核章"], None, id="label-followed-by-label"),
        pytest.param(["注意：請遵照醫師指示服用，勿自行增減劑量"], None, id="label-inside-a-sentence"),
        pytest.param(["請依醫師指示服藥", "醫師：吳承恩"], "吳承恩", id="sentence-before-the-label"),
        pytest.param(["醫師篷章 藥師"], None, id="misread-signature-label-is-no-name"),
        pytest.param(["醫師:許志成核印"], "許志成", id="stamp-words-glued-after-a-name"),
        pytest.param(["醫師：上官婉兒蓋章"], "上官婉兒", id="stamp-words-after-a-compound-surname"),
        pytest.param(["處方醫師簽章", "醬師蘇柏嘉"], "蘇柏嘉", id="misread-title-on-the-doctors-stamp"),
        pytest.param(["處方醫師簽章", "備師 郭華建"], "郭華建", id="misread-title-spaced-from-the-name"),
        pytest.param(
            ["處方醫師簽章", "藥居", "醫師 張玲明"], "張玲明", id="pharmacy-stamp-word-over-the-name"
        ),
        pytest.param(["醫師：王師安"], "王師安", id="a-name-with-師-in-it-stays"),
        pytest.param(["醫郵：莊冠婷 藥師：潘慧君"], "莊冠婷", id="label-with-師-misread"),
        pytest.param(["處方師：王妤文"], "王妤文", id="label-with-醫-lost"),
        pytest.param(["醫院：明德綜合醫院"], None, id="hospital-label-is-no-doctor-label"),
        pytest.param(["醫科：家庭醫學科"], None, id="department-label-is-no-doctor-label"),
        pytest.param(["處方醫師簽章", "藥師潘慧君"], None, id="pharmacist-stamp-under-the-signature-box"),
        pytest.param(["醫師：陳師孟核印"], "陳師孟", id="name-with-師-second"),
        pytest.param(["調劑藥師：潘慧君"], None, id="pharmacist-label-still-refused"),
    ],
)
def test_doctor(rows: list[str | list[str]], expected: str | None) -> None:
    assert _value(header.doctor(stacked(*rows))) == expected


def _signature_box(label: str, name_x: float) -> list[Row]:
    return group_rows(
        [
            text_line(label, [60, 600, 200, 640]),
            text_line("簽章:", [55, 650, 120, 680]),
            text_line("林子涵", [name_x, 690, name_x + 72, 722]),
        ]
    )


def test_dates_under_their_labels() -> None:
    """A boxed form prints the label over its value: the date under 有效期限 is no visit."""
    rows = group_rows(
        [
            text_line("有效期限", [500, 500, 620, 530]),
            text_line("114/07/03", [500, 540, 640, 570]),
            text_line("就醫日期", [60, 100, 180, 130]),
            text_line("114/04/10", [60, 140, 200, 170]),
        ]
    )
    assert _value(header.visit_date(rows)) == "2025-04-10"
    assert _value(header.visit_date(rows[2:])) is None


@pytest.mark.parametrize(
    ("label", "name_x", "expected"),
    [
        pytest.param("醫師簽章", 60, "林子涵", id="name-under-label"),
        pytest.param("處方醫師簽章", 60, "林子涵", id="name-under-prescriber-label"),
        pytest.param("醫師簽章", 900, None, id="name-elsewhere-on-the-row"),
        pytest.param("如有疑問請洽醫師", 60, None, id="sentence-mentioning-doctor"),
        pytest.param("醫師答章", 60, "林子涵", id="misread-signature-label"),
    ],
)
def test_doctor_under_label(label: str, name_x: float, expected: str | None) -> None:
    assert _value(header.doctor(_signature_box(label, name_x))) == expected


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(["就醫日期:114/09/02"], "2025-09-02", id="roc-slashes"),
        pytest.param(["就醫日期： 114年07月21日就醫序號：0012"], "2025-07-21", id="roc-year-month-day"),
        pytest.param(["調劑日期 20251105"], "2025-11-05", id="eight-digits-labelled"),
        pytest.param(["收據號碼 20251105"], None, id="eight-digits-unlabelled"),
        pytest.param(["開立日期：2025-04-16"], "2025-04-16", id="western-dashes"),
        pytest.param(["出生日期: 60/02/03", "就診日期: 114/10/01"], "2025-10-01", id="birth-date-skipped"),
        pytest.param(
            ["有效期限 114/11/30", "第2次領藥 114/10/20~114/10/29", "114/09/30"],
            "2025-09-30",
            id="validity-and-window-skipped",
        ),
        pytest.param(
            ["2025/10/04 09:12", "就醫日期 114/10/01"], "2025-10-01", id="labelled-beats-print-time"
        ),
        pytest.param(["調劑日期 2025-11-05 就醫日期 114/10/08"], "2025-10-08", id="visit-beats-dispensing"),
        pytest.param(["有效期限：114/12/31"], None, id="only-validity"),
        pytest.param(["領藥日期：2025-05-06"], "2025-05-06", id="dispensing-label-on-a-bag"),
        pytest.param(["就醫日期:1140410 科目:眼科"], "2025-04-10", id="roc-seven-digits-labelled"),
        pytest.param(["卡號 1140410"], None, id="roc-seven-digits-unlabelled"),
        pytest.param(["調劑日期：113.0630", "110.6.25"], "2024-06-30", id="roc-date-lost-a-dot-labelled"),
        pytest.param(["單價 113.0630"], None, id="roc-date-lost-a-dot-unlabelled"),
        pytest.param([["就醫日期", "1130915", "給藥日份", "14"]], "2024-09-15", id="boxed-label-cell"),
        pytest.param(
            ["出生日期 60/01/01", "114/05/06"], "2025-05-06", id="birth-date-is-not-a-plain-date-label"
        ),
        pytest.param(["回診日期：114/06/03", "日期：114/05/06"], "2025-05-06", id="next-visit-skipped"),
        pytest.param(
            ["就醫日期：民國11年9月17日", "有效期限：111.12.16"], "2022-09-17", id="lost-year-digit-restored"
        ),
        pytest.param(["就醫日期：民國11年9月17日"], None, id="lost-year-digit-without-another-date"),
        pytest.param(["就醫日期：2113/05/06"], None, id="year-in-the-future"),
        pytest.param(
            ["松濤醫院 慢性病連續處方箋(交病患)2025041408:35"],
            "2025-04-14",
            id="compact-date-with-glued-time",
        ),
        pytest.param(["1140416", "處方箋(交病患)20250416 09:05"], "2025-04-16", id="compact-date-with-time"),
    ],
)
def test_visit_date(rows: list[str | list[str]], expected: str | None) -> None:
    assert _value(header.visit_date(stacked(*rows))) == expected


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(["給藥日份：30"], 30, id="gei-yao-ri-fen"),
        pytest.param(["單次給藥日份：28日，尚可調劑<2>次"], 28, id="single-fill-supply"),
        pytest.param(["天數: 7"], 7, id="tian-shu"),
        pytest.param(["本單發藥 3 日"], 3, id="this-bag"),
        pytest.param(["日數 14天"], 14, id="ri-shu"),
        pytest.param(["服用 5 天"], 5, id="take-for"),
        pytest.param(["共 10 天份"], 10, id="days-worth"),
        pytest.param(["數量：共56顆 28天"], 28, id="days-after-the-count"),
        pytest.param(["總量：4.5錠 共3天"], 3, id="days-after-the-total"),
        pytest.param(["數量：共56顆"], None, id="count-without-days"),
        pytest.param(["本處方箋有效期間為【84】天，逾期無效"], None, id="validity-is-not-supply"),
        pytest.param(
            ["1 TAB QD PO 28 days", "1 TAB HS PO 28days"], None, id="drug-line-days-are-not-the-header"
        ),
    ],
)
def test_days_supply(rows: list[str], expected: int | None) -> None:
    assert _value(header.days_supply(stacked(*rows))) == expected


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(["本處方箋可調劑2次"], (2, None, []), id="fills-allowed"),
        pytest.param(["單次給藥日份：28日，尚可調劑<2>次"], (3, None, []), id="fills-left-after-this-one"),
        pytest.param(["第3次調劑", "慢箋可調劑 3 次"], (3, 3, []), id="this-fill"),
        pytest.param(["第二次調劑"], (None, 2, []), id="this-fill-chinese-numeral"),
        pytest.param(["慢箋 第2次/共3次"], (3, 2, []), id="fill-of-total-on-a-refill-bag"),
        pytest.param(
            ["就醫日期 114/04/20", "第二次領藥 114/05/01~114/05/10"],
            (None, None, [(2, "2025-05-01", "2025-05-10")]),
            id="dated-fill-label-is-a-window",
        ),
        pytest.param(
            ["第2次建議領藥期間 114/06/01~114/06/07"],
            (None, None, [(2, "2025-06-01", "2025-06-07")]),
            id="suggested-window",
        ),
        pytest.param(
            ["第3次調劑", "建議領藥期間 2025-06-01 ~ 2025-06-11"],
            (None, 3, [(3, "2025-06-01", "2025-06-11")]),
            id="unnumbered-window-is-this-fill",
        ),
        pytest.param(
            ["就醫日期:114/12/10", ["第二次領藥"], ["01月05日至01月14日"]],
            (None, None, [(2, "2026-01-05", "2026-01-14")]),
            id="window-without-year-after-new-year",
        ),
        pytest.param(["在本院第2,3次領藥免收費用"], None, id="sentence-is-not-a-refill"),
        pytest.param(["就醫日期:114/09/02", "給藥日份：28"], None, id="not-a-refill-slip"),
    ],
)
def test_refill(rows: list[str | list[str]], expected: tuple[Any, ...] | None) -> None:
    found = header.refill(stacked(*rows))
    got = found[0] if found else None
    if expected is None:
        assert got is None
        return
    assert got is not None
    windows = [(w.fill, w.start, w.end) for w in got.windows]
    assert (got.fills_allowed, got.this_fill, windows) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("臺北市立聯合醫院", "臺北市立聯合醫院", id="tai-stays"),
        pytest.param("台中榮總", "台中榮總", id="tai-short-stays"),
        pytest.param("法莫替丁锭", "法莫替丁錠", id="simplified-only-converted"),
        pytest.param("医师:王小明", "醫師:王小明", id="simplified-label-converted"),
        pytest.param("歴史綫", "歷史線", id="variant-forms"),
    ],
)
def test_to_traditional(text: str, expected: str) -> None:
    assert to_traditional(text) == expected


def test_a_dispensing_stamp_is_not_the_visit() -> None:
    """An unlabelled date in tall stamp ink beside the printed line loses to the date the slip
    printed with its time, however near the top the stamp sits."""
    lines = [
        text_line("建議領藥期間2025-09-06至2025-09-16", [370, 160, 880, 195]),
        text_line("112.6.20", [250, 240, 370, 330]),  # the stamp: three lines tall
        text_line("安和紀念醫院 慢性病連續處方箋(交病患)20250902 16:20", [380, 265, 1030, 300]),
        text_line("姓名：王小明", [140, 340, 330, 372]),
        text_line("Amlodipine 5mg 1 TAB QD 28 days", [140, 400, 700, 432]),
    ]
    assert _value(header.visit_date(group_rows(lines))) == "2025-09-02"
    lines[1] = text_line("112.6.20", [250, 262, 370, 296])  # printed in the line's own size: a date like any
    assert _value(header.visit_date(group_rows(lines))) == "2023-06-20"


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        pytest.param(
            [("Rx.嘉義禾", [101, 87, 305, 132]), ("豐紀念醫院", [278, 79, 510, 143])],
            "嘉義禾豐紀念醫院",
            id="overlapping-boxes-of-one-name",
        ),
        pytest.param(
            [("Rx.禾", [120, 115, 236, 161]), ("豐綜合醫院", [226, 106, 429, 144])],
            "禾豐綜合醫院",
            id="one-character-split-off",
        ),
        pytest.param(
            [("王小明", [60, 80, 160, 120]), ("康寧診所", [200, 80, 330, 120])],
            "康寧診所",
            id="a-patients-name-printed-apart",
        ),
        pytest.param(
            [("星野診所", [60, 80, 180, 120]), ("杏和藥局", [180, 80, 300, 120])],
            "星野診所",
            id="two-names-touching-stay-two",
        ),
    ],
)
def test_a_name_ocr_split_in_two_boxes_is_read_whole(
    cells: list[tuple[str, list[float]]], expected: str
) -> None:
    rows = group_rows([text_line(text, box) for text, box in cells])
    assert _value(header.clinic(rows)) == expected
