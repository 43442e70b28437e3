"""The frequency grammar (rxlens.vocab.frequency) and the arithmetic check built on it."""

from __future__ import annotations

import pytest

from rxlens.result import FrequencyOut, Medication
from rxlens.validate.arithmetic import check
from rxlens.vocab import frequency as grammar

W = 1 / 7  # one dose a week, as doses a day


# text, code, per_day; then count, weekdays, timing, timing_minutes, prn, known where not the default
def _row(
    text: str,
    code: str,
    per_day: float | None,
    *,
    count: str | None = None,
    days: tuple[int, ...] = (),
    timing: str | None = None,
    minutes: int | None = None,
    prn: bool = False,
    known: bool = True,
    id: str,
) -> object:
    """A table row; count defaults to the code (as for Chinese wordings and plain codes)."""
    return pytest.param(text, count or code, code, per_day, days, timing, minutes, prn, known, id=id)


TABLE = [
    # NHI codes (2022 list)
    _row("QD", "QD", 1, id="QD"),
    _row("QDAM", "QDAM", 1, id="QDAM"),
    _row("QDPM", "QDPM", 1, id="QDPM"),
    _row("QDHS", "QDHS", 1, timing="HS", id="QDHS"),
    _row("QN", "QN", 1, id="QN"),
    _row("BID", "BID", 2, id="BID"),
    _row("TID", "TID", 3, id="TID"),
    _row("QID", "QID", 4, id="QID"),
    _row("HS", "HS", 1, timing="HS", id="HS"),
    _row("QOD", "QOD", 0.5, id="QOD"),
    _row("Q2D", "QOD", 0.5, count="Q2D", id="Q2D"),
    _row("每二日一次", "QOD", 0.5, id="zh-every-second-day-is-QOD"),
    _row("Q0D", "QOD", 0.5, count="QOD", id="Q0D-its-O-read-as-zero"),
    _row("Q3D", "Q3D", 1 / 3, id="Q3D"),
    _row("QW", "QW", W, id="QW"),
    _row("BIW", "BIW", 2 * W, id="BIW"),
    _row("TIW", "TIW", 3 * W, id="TIW"),
    _row("QW(1,3,5)", "QW(1,3,5)", 3 * W, days=(1, 3, 5), id="QW135-nhi"),
    _row("QW(1,4)", "QW(1,4)", 2 * W, days=(1, 4), id="QW14-nhi"),
    _row("QW(1, 3, 5)", "QW(1,3,5)", 3 * W, days=(1, 3, 5), id="QW-spaced"),
    _row("QW(2.4,6)", "QW(2,4,6)", 3 * W, days=(2, 4, 6), id="QW-dot-read-for-comma"),
    _row("QW(2,46)", "QW(2,4,6)", 3 * W, days=(2, 4, 6), id="QW-comma-lost"),
    _row("QW(1,3,5", "QW(1,3,5)", 3 * W, days=(1, 3, 5), id="QW-bracket-lost"),
    _row("QW(7)", "QW(7)", W, days=(7,), id="QW-sunday"),
    _row("Q2W", "Q2W", W / 2, id="Q2W"),
    _row("Q1M", "Q1M", 1 / 30, id="Q1M"),
    _row("Q3M", "Q3M", 1 / 90, id="Q3M"),
    _row("Q4H", "Q4H", 6, id="Q4H"),
    _row("Q6H", "Q6H", 4, id="Q6H"),
    _row("Q8H", "Q8H", 3, id="Q8H"),
    _row("Q12H", "Q12H", 2, id="Q12H"),
    _row("Q30MN", "Q30MN", 48, id="Q30MN"),
    _row("STAT", "STAT", None, id="STAT"),
    _row("ONCE", "ONCE", None, id="ONCE"),
    _row("ASORDER", "ASORDER", None, id="ASORDER"),
    _row("PRN", "PRN", None, prn=True, id="PRN"),
    _row("Q4HPRN", "Q4H", None, prn=True, id="Q4HPRN"),
    _row("Q6HPRN", "Q6H", None, prn=True, id="Q6HPRN"),
    _row("Q24H", "Q24H", 1, id="Q24H-scheduled"),
    _row("Q30H", "Q30H", 0.8, id="Q30H"),
    _row("Q48H", "Q48H", 0.5, id="Q48H"),
    _row("1W5D", "1W5D", 5 * W, id="yWzD"),
    _row("2W3D", "2W3D", 3 * W / 2, id="yWzD-two-weeks"),
    _row("MCD5D9", "MCD5D9", None, id="MCDxDy"),
    _row("QAM&HS", "QAM&HS", 2, id="QAM&HS"),
    _row("QPM&HS", "QPM&HS", 2, id="QPM&HS"),
    _row("QAM&PM", "QAM&PM", 2, id="QAM&PM"),
    _row("BID&HS", "BID&HS", 3, id="BID&HS"),
    _row("TID&HS", "TID&HS", 4, id="TID&HS"),
    # frequency + timing + PRN in one string
    _row("TIDPC", "TID", 3, timing="PC", id="TIDPC"),
    _row("QDAC", "QD", 1, timing="AC", id="QDAC"),
    _row("BIDAC", "BID", 2, timing="AC", id="BIDAC"),
    _row("QIDPC", "QID", 4, timing="PC", id="QIDPC"),
    _row("QIDAC", "QID", 4, timing="AC", id="QIDAC"),
    _row("TIDCC", "TID", 3, timing="CC", id="TIDCC"),
    _row("QDHSPRN", "QDHS", None, timing="HS", prn=True, id="QDHSPRN"),
    _row("QDAMAC30M", "QDAM", 1, timing="AC", minutes=30, id="QDAMAC30M"),
    _row("TIDAC1H", "TID", 3, timing="AC", minutes=60, id="ACxH"),
    _row("BIDPC30M", "BID", 2, timing="PC", minutes=30, id="PCxM"),
    _row("QDPC2H", "QD", 1, timing="PC", minutes=120, id="PCxH"),
    _row("HSPRN", "HS", None, timing="HS", prn=True, id="HSPRN"),
    _row("QD PRN", "QD", None, prn=True, id="QD-PRN-spaced"),
    # hospital shorthands and print variants
    _row("QD&HS", "QD&HS", 2, id="QD&HS"),
    _row("QD & HS", "QD&HS", 2, id="QD&HS-spaced"),
    _row("QW135", "QW(1,3,5)", 3 * W, count="QW135", days=(1, 3, 5), id="QW135"),
    _row("QW24", "QW(2,4)", 2 * W, count="QW24", days=(2, 4), id="QW24"),
    _row("TID PC", "TID", 3, timing="PC", id="TID-PC"),
    _row("BID AC", "BID", 2, timing="AC", id="BID-AC"),
    _row("Q 8 H", "Q8H", 3, id="Q-8-H"),
    _row("q6h prn", "Q6H", None, prn=True, id="lower-case"),
    _row("ＴＩＤ　ＰＣ", "TID", 3, timing="PC", id="full-width"),
    _row("QAM", "QDAM", 1, count="QAM", id="QAM"),
    _row("AS ORDER", "ASORDER", None, id="AS-ORDER"),
    _row("Q4-6H", "Q4-6H", None, id="hour-range"),
    # printed codes that cannot be confirmed: kept as printed
    _row("QIO", "QIO", None, known=False, id="QIO-unknown"),
    _row("HSO", "HSO", None, timing="HS", known=False, id="HSO-unknown"),
    _row("QDX", "QDX", None, known=False, id="QDX-unknown"),
    _row("qhs", "QHS", None, known=False, id="QHS-unknown"),
    _row("Q0H", "Q0H", None, known=False, id="Q0H-unknown"),
    # Chinese wordings
    _row("一日三次", "TID", 3, id="zh-一日三次"),
    _row("1天3次", "TID", 3, id="zh-1天3次"),
    _row("天1次", "QD", 1, id="zh-天1次-its-一-lost"),
    _row("一日雨次", "BID", 2, id="zh-一日雨次-兩-read-as-雨"),
    _row("每日3次", "TID", 3, id="zh-每日3次"),
    _row("每天一次", "QD", 1, id="zh-每天一次"),
    _row("每日兩次", "BID", 2, id="zh-每日兩次"),
    _row("一天四次", "QID", 4, id="zh-一天四次"),
    _row("每日早晚", "BID", 2, id="zh-每日早晚"),
    _row("早晚各一次", "BID", 2, id="zh-早晚各一次"),
    _row("三餐飯後", "TID", 3, timing="PC", id="zh-三餐飯後"),
    _row("三餐飯前", "TID", 3, timing="AC", id="zh-三餐飯前"),
    _row("三餐後", "TID", 3, timing="PC", id="zh-三餐後"),
    _row("早餐前空腹", "QD", 1, timing="AC", id="zh-早餐前空腹"),
    _row("早餐後", "QD", 1, timing="PC", id="zh-早餐後"),
    _row("晚餐後", "QD", 1, timing="PC", id="zh-晚餐後"),
    _row("早晚餐後", "BID", 2, timing="PC", id="zh-早晚餐後"),
    _row("每晚睡前", "HS", 1, timing="HS", id="zh-每晚睡前"),
    _row("睡前服用", "HS", 1, timing="HS", id="zh-睡前服用"),
    _row("睡前", "HS", 1, timing="HS", id="zh-睡前"),
    _row("每晚", "QN", 1, id="zh-每晚"),
    _row("每日早上", "QDAM", 1, id="zh-每日早上"),
    _row("每天晚上", "QN", 1, id="zh-每天晚上"),
    _row("每日 ３ 次", "TID", 3, id="zh-full-width-digit"),
    _row("每日一次 睡前服用", "QD", 1, timing="HS", id="zh-每日一次-睡前"),
    _row("每日一次，每次1錠，睡前服用", "QD", 1, timing="HS", id="zh-dose-between"),
    _row("每日三次 飯後", "TID", 3, timing="PC", id="zh-每日三次-飯後"),
    _row("三餐飯後及睡前", "TID&HS", 4, timing="PC", id="zh-三餐飯後及睡前"),
    _row("三餐飯前30分鐘", "TID", 3, timing="AC", minutes=30, id="zh-飯前30分鐘"),
    _row("早餐前半小時", "QD", 1, timing="AC", minutes=30, id="zh-早餐前半小時"),
    _row("每週一次", "QW", W, id="zh-每週一次"),
    _row("每星期一次", "QW", W, id="zh-每星期一次"),
    _row("每週二次", "BIW", 2 * W, id="zh-每週二次"),
    _row("每週3次", "TIW", 3 * W, id="zh-每週3次"),
    _row("每週一三五", "QW(1,3,5)", 3 * W, days=(1, 3, 5), id="zh-一三五"),
    _row("每星期一、三、五", "QW(1,3,5)", 3 * W, days=(1, 3, 5), id="zh-星期一、三、五"),
    _row("每週二、四", "QW(2,4)", 2 * W, days=(2, 4), id="zh-週二四"),
    _row("每週日", "QW(7)", W, days=(7,), id="zh-週日"),
    _row("每兩週一次", "Q2W", W / 2, id="zh-每兩週一次"),
    _row("每月一次", "Q1M", 1 / 30, id="zh-每月一次"),
    _row("每3個月一次", "Q3M", 1 / 90, id="zh-每3個月一次"),
    _row("隔日一次", "QOD", 0.5, id="zh-隔日一次"),
    _row("隔天", "QOD", 0.5, id="zh-隔天"),
    _row("每3天一次", "Q3D", 1 / 3, id="zh-每3天一次"),
    _row("每8小時一次", "Q8H", 3, id="zh-每8小時一次"),
    _row("每十二小時一次", "Q12H", 2, id="zh-每十二小時"),
    _row("每4~6小時", "Q4-6H", None, id="zh-每4~6小時"),
    _row("需要時", "PRN", None, prn=True, id="zh-需要時"),
    _row("必要時", "PRN", None, prn=True, id="zh-必要時"),
    _row("焦慮不適時", "PRN", None, prn=True, id="zh-焦慮不適時"),
    _row("疼痛時", "PRN", None, prn=True, id="zh-疼痛時"),
    _row("發燒時", "PRN", None, prn=True, id="zh-發燒時"),
    _row("失眠時", "PRN", None, prn=True, id="zh-失眠時"),
    _row("不舒服時", "PRN", None, prn=True, id="zh-不舒服時"),
    _row("每日不超過3次", "PRN", None, prn=True, id="zh-每日不超過3次"),
    _row("需要時每6小時一次", "Q6H", None, prn=True, id="zh-需要時每6小時"),
    _row("失眠時 睡前服用", "HS", None, timing="HS", prn=True, id="zh-失眠時睡前"),
    _row("依醫師指示", "ASORDER", None, id="zh-依醫師指示"),
    _row("立即服用", "STAT", None, id="zh-立即服用"),
    _row("ＱＤ　飯後", "QD", 1, timing="PC", id="code-with-zh-timing"),
]


@pytest.mark.parametrize(
    ("text", "count", "code", "per_day", "weekdays", "timing", "minutes", "prn", "known"), TABLE
)
def test_parse(
    text: str,
    count: str,
    code: str,
    per_day: float | None,
    weekdays: tuple[int, ...],
    timing: str | None,
    minutes: int | None,
    prn: bool,
    known: bool,
) -> None:
    f = grammar.parse(text)
    assert f is not None
    assert (f.count, f.code, f.weekdays, f.timing, f.timing_minutes, f.prn, f.known) == (
        count,
        code,
        weekdays,
        timing,
        minutes,
        prn,
        known,
    )
    assert f.per_day == (None if per_day is None else pytest.approx(per_day))
    assert f.printed == text and f.span == (0, len(text))


def test_the_table_is_large() -> None:
    assert len(TABLE) >= 90


@pytest.mark.parametrize(
    "text",
    [
        "用餐時服用",
        "睡覺時使用",
        "每4小時服用",
        "請按時服用",
        "請定時服用",
        "準時服用",
        "避免與牛奶同時服用",
        "就寢時服用",
        "起床時服用",
        "吃飯時服用",
        "上午八時服用",
        "懷孕時使用應告知醫師",
        "睡眠時使用",
    ],
)
def test_meals_sleep_and_hours_are_no_condition(text: str) -> None:
    f = grammar.find(text)
    assert f is None or not f.prn, f


@pytest.mark.parametrize(
    ("text", "most"),
    [
        ("每日不超過3次", 3),
        ("必要時 每日最多4次", 4),
        ("疼痛時 一天不可超過6次", 6),
        ("每日不超通3次", 3),
        ("Q4-6H", 6),
        ("每4~6小時", 6),
        ("TID", None),
    ],
)
def test_max_per_day(text: str, most: int | None) -> None:
    f = grammar.parse(text)
    assert f is not None and f.max_per_day == most


@pytest.mark.parametrize(
    "text",
    [
        "每日三次 每次1錠",
        "TID PO",
        "飯後",
        "PC",
        "AC30M",
        "晚餐",
        "QUDEXY",
        "HSA",
        "QTY",
        "普拿疼",
        "",
        "每日五次",
    ],
)
def test_parse_rejects_what_is_not_one_frequency(text: str) -> None:
    assert grammar.parse(text) is None


@pytest.mark.parametrize(
    ("line", "printed", "code", "timing"),
    [
        pytest.param("1 TAB QD&HS PO 28 days 000056 TAB", "QD&HS", "QD&HS", None, id="tab-line"),
        pytest.param("每日三次 飯後 每次1顆", "每日三次 飯後", "TID", "PC", id="zh-line"),
        pytest.param(
            "用法：每日三次，每次1錠，飯後服用", "每日三次，每次1錠，飯後服用", "TID", "PC", id="zh-usage"
        ),
        pytest.param("口服 1 粒 TIDPC 7天", "TIDPC", "TID", "PC", id="glued"),
        pytest.param("Panadol 500mg 1# q6h prn", "q6h prn", "Q6H", None, id="verbatim-lower"),
        pytest.param("0.5 TAB QW135 PO 30 days", "QW135", "QW(1,3,5)", None, id="qw135"),
        pytest.param("每次１錠 ＴＩＤ ＰＣ 共７天", "ＴＩＤ ＰＣ", "TID", "PC", id="full-width-span"),
        pytest.param("ACETAMINOPHEN 500MG 1 TAB Q4HPRN", "Q4HPRN", "Q4H", None, id="after-drug-name"),
        pytest.param("眼藥水 每次1滴 QIO 雙眼", "QIO", "QIO", None, id="unknown-token"),
        pytest.param("1 QI0 OU", "QI0", "QIO", None, id="unknown-token-its-O-read-as-zero"),
        pytest.param("HSO (OU)", "HSO", "HSO", "HS", id="unknown-hso"),
        pytest.param("用法：QD1天1次", "QD1天1次", "QD", None, id="code-glued-to-its-zh-wording"),
        pytest.param("BID2天1次", "BID", "BID", None, id="glued-zh-wording-that-disagrees-stays-apart"),
        pytest.param("1 Q2HOU", "Q2H", "Q2H", None, id="route-glued-after-the-code"),
        pytest.param("1 QDPO 28", "QD", "QD", None, id="route-glued-is-no-unknown-code"),
        pytest.param("1 TIDACPO", "TIDAC", "TID", "AC", id="route-glued-after-the-timing"),
        pytest.param("QIDX", "QIDX", "QIDX", None, id="other-letters-glued-stay-unknown"),
        pytest.param("㎎ 每次1錠 ＴＩＤ", "ＴＩＤ", "TID", None, id="span-after-expanding-character"),
        pytest.param("1#BIDAC*14", "BIDAC", "BID", "AC", id="stars-and-hash"),
        pytest.param("QW(1,3 2 TAB", "QW(1,3", "QW(1,3)", None, id="QW-bracket-lost-dose-kept"),
        pytest.param("QW(7 14", "QW(7", "QW(7)", None, id="QW-bracket-lost-days-kept"),
        pytest.param("用法：請依醫囑使用", "依醫囑使用", "ASORDER", None, id="cream-as-ordered"),
        pytest.param(
            "焦慮不適時服用 每日不超過3次", "焦慮不適時服用 每日不超過3次", "PRN", None, id="prn-with-max"
        ),
        pytest.param("每4小時服用一次", "每4小時", "Q4H", None, id="an-hour-is-no-condition"),
        pytest.param("頭暈時服用", "頭暈時", "PRN", None, id="any-condition-時服用"),
        pytest.param("鼻塞時使用1次", "鼻塞時", "PRN", None, id="any-condition-時使用"),
        pytest.param("口服1顆發燒時服用", "發燒時服用", "PRN", None, id="condition-after-the-dose"),
        pytest.param("每次1粒頭暈時服用", "頭暈時", "PRN", None, id="unlisted-condition-after-the-dose"),
        pytest.param("不舒搖時服用2CAP", "不舒搖時", "PRN", None, id="misread-condition"),
    ],
)
def test_find_in_a_line(line: str, printed: str, code: str, timing: str | None) -> None:
    f = grammar.find(line)
    assert f is not None and (f.printed, f.code, f.timing) == (printed, code, timing)
    assert line[f.span[0] : f.span[1]] == printed


@pytest.mark.parametrize(
    "line",
    [
        "QUDEXY XR 100MG",
        "HSA 20% 50ML",
        "ACETAMINOPHEN 500MG",
        "TIDACT 1 TAB",
        "10PC",
        "QTY: 28",
        "MICARDIS TABLETS 40MG",
        "SHS TABLETS",
        "AQIO 5MG",
        "BIDEN",
        "PRNX",
        "請放置於兒童拿不到的地方",
        "飯後 每次1錠",
        "QUINAPRIL 20MG",
        "注意：請遵照醫師指示服用，勿自行增減劑量。",
        "請依醫師指示按時服藥，不可自行停藥",
    ],
)
def test_find_ignores_words_and_names(line: str) -> None:
    assert grammar.find(line) is None


def test_find_all_left_to_right() -> None:
    found = grammar.find_all("早餐後 1顆 睡前 2顆; TIDPC QIO")
    assert [(f.code, f.timing, f.known) for f in found] == [
        ("QD", "PC", True),
        ("HS", "HS", True),
        ("TID", "PC", True),
        ("QIO", None, False),
    ]


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("TIDAC 每次1錠 普拿疼", "每次1錠 普拿疼"),
        ("普拿疼 每日三次 飯後", "普拿疼"),
        ("1 TAB QD&HS PO 28 days", "1 TAB PO 28 days"),
        ("QUDEXY XR 100MG", "QUDEXY XR 100MG"),
        ("飯後 普拿疼", "普拿疼"),
        ("ＰＡＮＡＤＯＬ ＴＩＤ", "ＰＡＮＡＤＯＬ"),
    ],
)
def test_strip(text: str, left: str) -> None:
    assert grammar.strip(text) == left


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("QW135", 3 / 7),
        ("QD&HS", 2),
        ("TIDPC", 3),
        ("Q8H", 3),
        ("每日三次", 3),
        ("QW(1,3,5)", 3 / 7),
        ("QIO", None),
        ("PRN", None),
        ("", None),
        ("普拿疼", None),
    ],
)
def test_per_day(code: str, expected: float | None) -> None:
    assert grammar.per_day(code) == (None if expected is None else pytest.approx(expected))


def test_to_out() -> None:
    f = grammar.parse("QW135")
    assert f is not None
    out = grammar.to_out(f)
    assert out == FrequencyOut(code="QW(1,3,5)", per_day=3 / 7, weekdays=[1, 3, 5])
    prn = grammar.parse("QDAMAC30M PRN")
    assert prn is not None and grammar.to_out(prn).model_dump() == {
        "code": "QDAM",
        "per_day": None,
        "weekdays": [],
        "timing": "AC",
        "timing_minutes": 30,
        "prn": True,
        "known": True,
    }


# --- the arithmetic check on the grammar ---


def _med(
    code: str | None, dose: float | None, total: float | None, days: int | None, **more: object
) -> Medication:
    return Medication(
        frequency_count_code=code,
        dose_quantity=dose,
        total_quantity=total,
        days=days,
        **more,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("code", "dose", "total", "days", "status"),
    [
        pytest.param("QW", 1, 4, 28, "verified", id="QW-4-weeks"),
        pytest.param("QW", 1, 5, 30, "verified", id="QW-30-days-rounded-up"),
        pytest.param("QW", 1, 8, 28, "mismatch", id="QW-twice-too-many"),
        pytest.param("QW135", 1, 15, 30, "verified", id="QW135-30-days-15"),
        pytest.param("QW135", 1, 12, 30, "verified", id="QW135-30-days-12"),
        pytest.param("QW135", 1, 30, 30, "mismatch", id="QW135-read-as-daily"),
        pytest.param("QW(1,3,5)", 0.5, 6, 28, "verified", id="QW-nhi-half-tablet"),
        pytest.param("BIW", 1, 8, 28, "verified", id="BIW"),
        pytest.param("Q2W", 1, 2, 28, "verified", id="Q2W"),
        pytest.param("QOD", 1, 4, 7, "verified", id="QOD-7-days-4"),
        pytest.param("QOD", 1, 3, 7, "verified", id="QOD-7-days-3"),
        pytest.param("QOD", 1, 7, 7, "mismatch", id="QOD-read-as-daily"),
        pytest.param("QD&HS", 1, 56, 28, "verified", id="QD&HS-twice-a-day"),
        pytest.param("TID", 1, 21, 7, "verified", id="TID-daily"),
        pytest.param("Q8H", 1, 21, 7, "verified", id="Q8H-daily"),
        pytest.param("PRN", 1, 10, 5, "not_applicable", id="PRN"),
        pytest.param("Q4H", 1, 10, 5, "not_applicable", id="Q4H-with-prn-flag"),
        pytest.param("STAT", 1, 1, 1, "not_applicable", id="STAT"),
        pytest.param("ASORDER", 1, 10, 10, "not_applicable", id="ASORDER"),
        pytest.param("QIO", 1, 5, 5, "not_applicable", id="unknown-QIO"),
    ],
)
def test_arithmetic(code: str, dose: float, total: float, days: int, status: str) -> None:
    med = _med(code, dose, total, days, prn=code == "Q4H")
    assert check(med).status == status


def test_weekly_mismatch_says_what_was_expected() -> None:
    result = check(_med("QW135", 1, 30, 30))
    assert result.note == "QW135 over 30 days means 12–15 doses, but total ÷ dose = 30"
    assert result.per_day_read == pytest.approx(3 / 7) and result.suggested_frequency == "QD"


def test_not_applicable_notes() -> None:
    assert "PRN" in check(_med("PRN", 1, 10, 5)).note
    assert check(_med("QIO", 1, 5, 5)).note == "QIO is not a known frequency code; not checked"
    assert check(_med("STAT", 1, 1, 1)).note == "STAT has no fixed count"
    assert check(_med("TID", None, 21, 7)).note == "total, dose or days missing"


def test_the_canonical_frequency_comes_first() -> None:
    f = grammar.parse("Q4HPRN")
    assert f is not None
    assert check(_med("Q4H", 1, 10, 5, frequency=grammar.to_out(f))).status == "not_applicable"
    reading = FrequencyOut(code="QW(1,3,5)", per_day=3 / 7, weekdays=[1, 3, 5])
    assert check(_med("QW135", 1, 15, 30, frequency=reading)).status == "verified"
    assert check(_med(None, 1, 15, 30, frequency=reading)).status == "verified"


def test_daily_messages_are_kept() -> None:
    result = check(_med("BID", 1, 28, 7))
    assert (result.status, result.per_day_read, result.per_day_computed) == ("mismatch", 2, 4)
    assert result.suggested_frequency == "QID"
    assert result.note == "BID means 2 a day, but total ÷ dose ÷ days = 4.00"
    unread = check(_med(None, 1, 21, 7))
    assert (unread.status, unread.suggested_frequency) == ("not_applicable", "TID")
