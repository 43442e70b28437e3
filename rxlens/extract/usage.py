"""Frequency, timing, dose, total and days read from usage text (codes or Chinese wording)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Doses a day for each frequency code; None where the arithmetic check does not apply.
PER_DAY: dict[str, float | None] = {
    "QD": 1,
    "BID": 2,
    "TID": 3,
    "QID": 4,
    "HS": 1,
    "QN": 1,
    "QAM": 1,
    "QPM": 1,
    "QOD": 0.5,
    "PRN": None,
    "STAT": None,
}
_COUNT_TO_CODE = {1: "QD", 2: "BID", 3: "TID", 4: "QID"}
_ZH_DIGITS = {"一": 1, "二": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "半": 0.5}
_N = r"(?:\d\s*/\s*\d(?!\d)|\d+(?:\.\d+)?|[一二兩三四五六半])"
_UNIT = r"(?:錠|顆|粒|包|片|膠囊|TABS?|CAPS?|ML|CC|PC)"

_CODE_RE = re.compile(
    r"(?<![A-Z])(QOD|QID|TID|BID|QD|Q\s?(\d{1,2})\s?H|HS|PRN|STAT|QN|QAM|QPM)\s?(AC|PC|HS|CC)?(?![A-Z])"
)
_ZH_COUNT_RE = re.compile(r"(?:每日|一日|每天|一天)\s*([1-6一二兩三四五六])\s*次")
_ZH_HOURS_RE = re.compile(r"每\s*(\d{1,2})\s*(?:小時|鐘頭)")
_TIMING_ZH = [(r"飯前|餐前|空腹", "AC"), (r"飯後|餐後", "PC"), (r"睡前", "HS"), (r"隨餐|餐中", "CC")]
_PRN_RE = re.compile(r"需要時|必要時|疼痛時|發燒時|不舒服時")
DOSE_RE = re.compile(rf"每次\s*[:：]?\s*({_N})\s*({_UNIT})?")
TOTAL_RE = re.compile(rf"(?:總量|數量|總數|共)\s*[:：]?\s*(\d+(?:\.\d+)?)\s*({_UNIT})")
TOTAL_LABEL_RE = re.compile(r"(?:總量|數量|總數)\s*[:：]?\s*(\d+(?:\.\d+)?)")
DAYS_RE = re.compile(
    r"本單發藥\s*(\d{1,3})\s*日|給藥(?:日份|天數|日數)\s*[:：]?\s*(\d{1,3})|服用\s*(\d{1,3})\s*[天日]"
    r"|共\s*(\d{1,3})\s*[天日]|(\d{1,3})\s*[天日]份|(?<![\d/.])\*\s*(\d{1,3})(?!\d)"
)


def per_day(code: str) -> float | None:
    if m := re.fullmatch(r"Q(\d{1,2})H", code):
        return 24 / int(m.group(1)) if 0 < int(m.group(1)) <= 24 else None
    return PER_DAY.get(code)


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).upper()


def number(text: str) -> float | None:
    if text in _ZH_DIGITS:
        return float(_ZH_DIGITS[text])
    if "/" in text:
        top, bottom = text.split("/", 1)
        return float(top) / float(bottom) if float(bottom) else None
    try:
        return float(text)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Frequency:
    count_code: str
    timing_code: str | None
    text: str


def _timing(text: str) -> str | None:
    for pattern, code in _TIMING_ZH:
        if re.search(pattern, text):
            return code
    return None


def frequency(text: str) -> Frequency | None:
    t = fold(text)
    if m := _CODE_RE.search(t):
        code = f"Q{m.group(2)}H" if m.group(2) else m.group(1).replace(" ", "")
        return Frequency(code, m.group(3) or _timing(t) or ("HS" if code == "HS" else None), m.group(0))
    zh_code: str | None = None
    if m := _ZH_COUNT_RE.search(t):
        zh_code = _COUNT_TO_CODE.get(int(number(m.group(1)) or 0))
    elif m := _ZH_HOURS_RE.search(t):
        zh_code = f"Q{m.group(1)}H"
    elif m := re.search(r"早晚各?\s*[一1]\s*次", t):
        zh_code = "BID"
    elif m := re.search(r"隔[日天]", t):
        zh_code = "QOD"
    elif m := _PRN_RE.search(t):
        zh_code = "PRN"
    elif m := re.search(r"睡前", t):
        zh_code = "HS"
    if zh_code is None or m is None:
        return None
    return Frequency(zh_code, _timing(t), m.group(0))


def dose(text: str) -> tuple[float, str | None] | None:
    if m := DOSE_RE.search(fold(text)):
        value = number(m.group(1))
        return (value, m.group(2)) if value else None
    return None


def total(text: str) -> float | None:
    t = fold(text)
    m = TOTAL_RE.search(t) or TOTAL_LABEL_RE.search(t)
    return float(m.group(1)) if m else None


def days(text: str) -> int | None:
    if m := DAYS_RE.search(fold(text)):
        value = int(next(g for g in m.groups() if g))
        return value if 0 < value <= 365 else None
    return None


_USAGE_WORDS = re.compile(
    r"用法用量|用法|用量|口服|外用|每次|服用|飯前|飯後|餐前|餐後|睡前|隨餐|空腹|需要時|必要時|早晚各?[一1]次|隔[日天]"
)


def strip_usage(text: str) -> str:
    """The text without usage phrases, so that `TIDAC 每次1錠` is not read as a drug name."""
    t = fold(text)
    for pattern in (_CODE_RE, _ZH_COUNT_RE, _ZH_HOURS_RE, DOSE_RE, TOTAL_RE, DAYS_RE, _USAGE_WORDS):
        t = pattern.sub(" ", t)
    return t


def cell_number(text: str) -> float | None:
    """A table cell holding a plain number (`1.00`, `0.5`, `1/2`, `*7`)."""
    m = re.fullmatch(r"\s*\*?\s*(\d+(?:\.\d+)?|\d/\d)\s*(?:" + _UNIT + r")?\s*", fold(text))
    return number(m.group(1)) if m else None
