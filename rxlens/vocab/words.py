"""The canonical frequency in Traditional Chinese words, for the page, the plan and the calendar.

Built from the canonical form (rxlens.vocab.frequency), never from a second list of codes.
"""

from __future__ import annotations

import math
import re

from rxlens.result import FrequencyOut
from rxlens.vocab.frequency import meaning

_DIGITS = "零一二三四五六七八九十"
_WEEKDAY = "一二三四五六日"
_FIXED = {
    "QDAM": "每日早上一次", "QDPM": "每日晚上一次", "QDHS": "每日睡前一次", "QN": "每晚一次", "HS": "睡前",
    "QD&HS": "每日早上及睡前", "QAM&HS": "每日早上及睡前", "QPM&HS": "每日晚上及睡前",
    "QAM&PM": "每日早晚", "BID&HS": "每日早晚及睡前", "TID&HS": "每日三餐及睡前",
    "QOD": "隔日一次", "BIW": "每週兩次", "TIW": "每週三次", "STAT": "立即使用", "ONCE": "使用一次",
    "ASORDER": "依醫囑", "PRN": "需要時",
}  # fmt: skip
_TIMES_A_DAY = {"QD": 1, "BID": 2, "TID": 3, "QID": 4}
_TIMING = {"AC": "飯前", "PC": "飯後", "HS": "睡前", "CC": "隨餐"}


def count(n: float) -> str:
    """1 → 一, 2 → 兩, 12 → 12 (small counts are said in characters, as bags print them)."""
    if n == 2:
        return "兩"
    if n == int(n) and 0 < n <= 10:
        return _DIGITS[int(n)]
    return f"{n:g}"


def _every(code: str) -> str | None:
    unit = {"MN": "分鐘", "H": "小時", "D": "天", "W": "週", "M": "個月"}
    for suffix, word in unit.items():
        number = code[1 : -len(suffix)]
        if code.startswith("Q") and code.endswith(suffix) and number.isdigit():
            return f"每{number}{word}一次"
    return None


# The canonical forms of ranges, cycles and menstrual days (Q4-6H, 2W3D, MCD5D9), in the NHI
# list's own words (每y星期用z天, 月經第x天至第y天使用).
_SPANS = [
    (re.compile(r"Q(\d+)-(\d+)H"), "每{0}至{1}小時一次"),
    (re.compile(r"1W(\d)D"), "每週用{0}天"),
    (re.compile(r"(\d)W(\d)D"), "每{0}週用{1}天"),
    (re.compile(r"MCD(\d+)D(\d+)"), "月經第{0}至{1}天"),
]


def _span(code: str) -> str | None:
    return next((said.format(*m.groups()) for p, said in _SPANS if (m := p.fullmatch(code))), None)


def _base(f: FrequencyOut) -> str:
    code = f.code
    if code in _FIXED:
        return _FIXED[code]
    if weekdays := meaning(code).weekdays:  # the code's days, the ones the plan schedules
        return "每週" + "、".join(_WEEKDAY[d - 1] for d in weekdays)
    if code == "QW":
        return "每週一次"
    if code in _TIMES_A_DAY:  # from the code: an as-needed one has no per_day, still BID says 兩次
        return f"每日{count(_TIMES_A_DAY[code])}次"
    return _every(code) or _span(code) or code


def words(f: FrequencyOut) -> str:
    """`TID` `PC` → 每日三次 飯後; `Q8H` → 每8小時一次; `QW(1,3,5)` → 每週一、三、五; unknown codes
    stay as printed (the plan says they need a pharmacist's word)."""
    if not f.known:
        return f"{f.code}（無法確認）"
    said = _base(f)
    timing = _TIMING.get(f.timing or "")
    if timing and timing not in said:
        minutes = f" {f.timing_minutes} 分鐘" if f.timing_minutes else ""
        said += f" {timing}{minutes}"
    if f.prn and f.code != "PRN":
        said += " 需要時"
    return said


_UNITS = {
    "TAB": "錠", "TABS": "錠", "T": "錠", "錠": "錠", "CAP": "顆", "CAPS": "顆", "顆": "顆", "粒": "粒",
    "ML": "毫升", "CC": "毫升", "毫升": "毫升", "PC": "包", "PK": "包", "包": "包", "片": "片",
    "DROP": "滴", "DROPS": "滴", "GTT": "滴", "滴": "滴", "PUFF": "噴", "噴": "噴", "支": "支", "條": "條",
}  # fmt: skip


def amount(quantity: float | None, unit: str | None) -> str:
    """`1` `TAB` → 1 錠; a unit we do not know is kept as printed; no dose read (or one that is
    no amount: 0, -1, NaN) is said as nothing."""
    if quantity is None or not (math.isfinite(quantity) and quantity > 0):
        return ""
    said = _UNITS.get((unit or "").strip().upper(), unit or "")
    return f"{quantity:g} {said}".strip()
