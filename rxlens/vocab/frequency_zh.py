"""Chinese frequency wordings as pieces (count, timing, as-needed) that frequency.py joins.

Works on NFKC-folded, upper-cased text. Each piece says only what its words say; a wording such
as 每日一次 … 睡前服用 is two pieces that the caller joins when only fillers lie between them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# 雨 is 兩 as OCR often reads it; only count rules (一日雨次) accept it.
_DIGITS = {
    "一": 1,
    "二": 2,
    "兩": 2,
    "雨": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_N = r"(\d{1,2}|[一二兩三四五六七八九十]{1,3})"  # a count or interval: 3, 三, 十二
_ONE = r"(?:\s*[一1]\s*次)?"
_WEEK = r"(?:週|周|星期|禮拜|個星期|個禮拜)"
_BY_COUNT = {1: "QD", 2: "BID", 3: "TID", 4: "QID"}
_BY_WEEKLY = {1: "QW", 2: "BIW", 3: "TIW"}
_WEEKDAY = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7}
_MEALS = {"三餐": "TID", "早午晚": "TID", "早晚": "BID", "早": "QD", "午": "QD", "晚": "QD"}
_SYMPTOM = (
    r"(?:焦慮|不適|不舒服|疼痛|頭痛|牙痛|胸痛|胸悶|發燒|發熱|失眠|睡不著|氣喘|喘|咳嗽"
    r"|噁心|嘔吐|便秘|腹瀉|過敏|搔癢|癢|痛)"
)
# Characters that name a symptom (痛 pain, 燒 fever, 暈 dizziness, 塞 a blocked nose, 舒/適
# unwell, 慮 anxiety …): one of them makes a 時 clause a condition.
_SYMPTOM_CHARS = "痛燒熱咳嗽喘癢暈悶吐瀉秘塞適舒慮悸酸脹鼻疹抽"
_CJK_WORD = r"(?:(?![顆錠粒包片滴次同與和])[\u4e00-\u9fff])"
_AS_ORDERED = r"(?:依|遵|按)照?\s*醫(?:師|生)?\s*(?:指示|囑咐|囑)(?:使用|服用)?"
# 請遵照醫師指示服用，勿自行增減劑量 is a bag's standing advice, not this drug's schedule: the
# clause goes on to a warning (勿/不可). 請依醫師指示使用 alone is a cream's schedule.
_ADVICE = r"[^，,。;；]{0,6}[，,。;；]\s*(?:勿|不可|不要|請勿)"
# 服用/使用 after a wording belongs to it, unless an amount follows: in `焦慮不適時服用1粒` the
# verb labels the dose (`服用1粒`), which the caller reads as one.
_VERB = r"(?:(?:服用|使用)(?!\s*[\d０-９一二兩三四半]))?"
_MINUTES = r"(?:\s*(\d{1,3}|[一二兩三四五六七八九十]{1,3}|半)\s*(分鐘|分|個?小時))?"


@dataclass(frozen=True, slots=True)
class Piece:
    """One part of a frequency expression; `alone` is the code it means when nothing joins it."""

    start: int
    end: int
    count: str | None = None  # the frequency part as printed (Latin) or canonical (Chinese)
    code: str | None = None
    timing: str | None = None
    minutes: int | None = None
    prn: bool = False
    max_per_day: int | None = None
    alone: str | None = None
    known: bool = True


def number(text: str) -> int | None:
    """1–99 in Arabic or Chinese numerals (三, 十二, 二十四)."""
    if text.isdigit():
        return int(text)
    if text == "半":
        return None
    tens, _, ones = text.rpartition("十")
    if "十" not in text:
        return _DIGITS.get(text) if len(text) == 1 else None
    high = _DIGITS.get(tens, 0) if tens else 1
    low = _DIGITS.get(ones, 0) if ones else 0
    return high * 10 + low if (not tens or tens in _DIGITS) and (not ones or ones in _DIGITS) else None


def _minutes(value: str | None, unit: str | None) -> int | None:
    if not value or not unit:
        return None
    amount = 0.5 if value == "半" else number(value)
    if amount is None:
        return None
    return round(amount * 60) if "時" in unit else round(amount)


def _coded(
    code: str | None, m: re.Match[str], timing: str | None = None, minutes: int | None = None
) -> Piece | None:
    if not code:
        return None
    return Piece(m.start(), m.end(), count=code, code=code, timing=timing, minutes=minutes, alone=code)


def _daily(m: re.Match[str]) -> Piece | None:
    n = number(m.group(1))
    return _coded(_BY_COUNT.get(n or 0), m)


def _weekly(m: re.Match[str]) -> Piece | None:
    n = number(m.group(1))
    return _coded(_BY_WEEKLY.get(n or 0), m)


def _weekdays(m: re.Match[str]) -> Piece | None:
    days = sorted({_WEEKDAY.get(ch) or int(ch) for ch in re.findall(r"[一二三四五六日天1-7]", m.group(1))})
    return _coded("QW(" + ",".join(map(str, days)) + ")", m)


def _every(unit: str) -> Callable[[re.Match[str]], Piece | None]:
    def piece(m: re.Match[str]) -> Piece | None:
        x = number(m.group(1)) if m.group(1) else 1
        if not x:
            return None
        y = number(m.group(2)) if m.lastindex and m.lastindex >= 2 and m.group(2) else None
        if y and y > x:
            return _coded(f"Q{x}-{y}H", m)
        # Every second day is QOD on the NHI list (Q2D is no code of its own).
        return _coded("QOD" if (x, unit) == (2, "D") else f"Q{x}{unit}", m)

    return piece


def _meal(m: re.Match[str]) -> Piece | None:
    meals, side, value, unit, empty, bedtime = m.groups()
    key = meals if meals == "三餐" else meals.rstrip("餐")
    if not (side or empty or bedtime or _MEALS[key] == "TID"):
        return None  # 晚餐 alone is a word, not a frequency
    # 早餐前空腹 is one morning dose before food: QD with timing AC (not QDAM, which has no timing).
    timing = "AC" if side == "前" or (empty and not side) else "PC" if side else None
    return _coded(_MEALS[key] + ("&HS" if bedtime else ""), m, timing, _minutes(value, unit))


def _timing(code: str, alone: str | None = None) -> Callable[[re.Match[str]], Piece | None]:
    def piece(m: re.Match[str]) -> Piece | None:
        groups = [g for g in m.groups() if g] if m.lastindex else []
        side = code if code != "MEAL" else ("AC" if groups[0] == "前" else "PC")
        minutes = _minutes(*groups[-2:]) if len(groups) >= 2 else None
        return Piece(m.start(), m.end(), timing=side, minutes=minutes, alone=alone)

    return piece


def _prn(m: re.Match[str]) -> Piece | None:
    most = number(m.group(1)) if m.lastindex else None
    return Piece(m.start(), m.end(), prn=True, max_per_day=most, alone="PRN")


def _fixed(code: str) -> Callable[[re.Match[str]], Piece | None]:
    return lambda m: _coded(code, m)


# A cell that opens with 天 lost the 一 before it (a stamp's edge, a fold): `天1次` is still daily;
# so is a 天 right after the dose's unit or a colon (`每次1顆天1次`: the 1 of 1天 lost).
_DAY = r"(?:(?:每|一|(?<!\d)1|^)\s*[日天]|(?<=[:：,，顆錠粒包片滴])\s*天)"
# Each rule names the characters one of which its wording must contain: most OCR lines hold none,
# and a `in` test is far cheaper than a regex scan.
_RULES: list[tuple[str, re.Pattern[str], Callable[[re.Match[str]], Piece | None]]] = [
    ("日天", re.compile(rf"{_DAY}\s*(?:服用|使用|用)?\s*([1-4一二兩雨两三四])\s*次"), _daily),
    ("週周星禮", re.compile(rf"(?:每|一)\s*{_WEEK}\s*(?:服用|使用|用)?\s*([1-3一二兩雨两三])\s*次"), _weekly),
    (
        "週周星禮",
        re.compile(
            rf"每\s*{_WEEK}\s*([一二三四五六日天1-7](?:\s*[、,及和]?\s*[一二三四五六日天1-7])*)(?!\s*次)"
        ),
        _weekdays,
    ),
    ("週周星禮", re.compile(rf"每\s*{_N}\s*{_WEEK}{_ONE}"), _every("W")),
    ("月", re.compile(rf"每\s*{_N}?\s*個?\s*月{_ONE}"), _every("M")),
    (
        "時頭H",
        re.compile(rf"每\s*{_N}\s*(?:[~\-至到]\s*{_N}\s*)?個?\s*(?:小時|鐘頭|HRS?|H){_ONE}"),
        _every("H"),
    ),
    ("分", re.compile(rf"每\s*{_N}\s*分鐘{_ONE}"), _every("MN")),
    ("日天", re.compile(rf"每\s*{_N}\s*[日天]{_ONE}"), _every("D")),
    ("隔", re.compile(rf"(?:每\s*隔\s*[一1]\s*[日天]|隔\s*[日天]){_ONE}"), _fixed("QOD")),
    ("早", re.compile(rf"(?:每[日天]\s*)?早晚(?:\s*各\s*[一1]\s*次)?|{_DAY}\s*早晚"), _fixed("BID")),
    ("午", re.compile(r"(?:每[日天]\s*)?早午晚(?:\s*各\s*[一1]\s*次)?"), _fixed("TID")),
    (
        "餐",
        re.compile(
            rf"(?:每[日天]\s*)?(三餐|早午晚餐?|早晚餐?|早餐|午餐|晚餐)\s*飯?\s*(前|後)?{_MINUTES}"
            rf"\s*(空腹)?(\s*(?:及|和|與|、|,)?\s*睡前{_VERB})?"
        ),
        _meal,
    ),
    ("晚", re.compile(rf"每晚\s*睡前{_VERB}"), lambda m: _coded("HS", m, "HS")),
    ("晚", re.compile(rf"(?:每晚|每[日天]\s*晚上){_ONE}"), _fixed("QN")),
    ("早", re.compile(r"每[日天]\s*(?:早上|早晨)(?:\s*[一1]\s*次)?|每早"), _fixed("QDAM")),
    ("醫", re.compile(rf"{_AS_ORDERED}(?!{_ADVICE})"), _fixed("ASORDER")),
    ("立刻馬", re.compile(r"(?:立即|立刻|馬上)(?:服用|使用)"), _fixed("STAT")),
    ("單", re.compile(r"單次(?:服用|使用|給藥)"), _fixed("ONCE")),
    ("飯餐", re.compile(rf"(?:飯|餐)\s*(前|後){_MINUTES}{_VERB}"), _timing("MEAL")),
    ("空", re.compile(r"空腹(?:時)?"), _timing("AC")),
    ("隨餐食", re.compile(r"隨餐|餐中|與餐同服|與食物同服|用餐時|進食時"), _timing("CC")),
    ("睡", re.compile(rf"睡前{_MINUTES}{_VERB}"), _timing("HS", alone="HS")),
    ("時", re.compile(rf"(?:有)?(?:需要|必要|{_SYMPTOM}{{1,3}})時{_VERB}"), _prn),
    # A condition we do not list, or list but OCR misread (不舒搖時), before 時 and the verb: it
    # must name a symptom (one of _SYMPTOM_CHARS), so standing advice (按時服用, 同時服用,
    # 起床時服用, 懷孕時使用) is no schedule; dose units and digits stay out of it.
    (
        "時",
        re.compile(rf"{_CJK_WORD}{{0,3}}[{_SYMPTOM_CHARS}]{_CJK_WORD}{{0,2}}時(?=\s*(?:服用|使用))"),
        _prn,
    ),
    (
        "超",
        # 超過 read 超通 (過 and 通 differ by a stroke at phone resolution).
        re.compile(rf"{_DAY}\s*(?:最多|至多)?\s*(?:不可|不能|不得|不要|不宜|勿|不)?\s*超[過通]\s*{_N}\s*次"),
        _prn,
    ),
    ("多", re.compile(rf"{_DAY}\s*(?:最多|至多)\s*{_N}\s*次"), _prn),
]
_CJK = re.compile(r"[\u4e00-\u9fff]")


def pieces(folded: str) -> list[Piece]:
    """Every Chinese piece in the folded text (they may overlap; the caller keeps the longest)."""
    if not _CJK.search(folded):
        return []
    found = []
    for trigger, pattern, build in _RULES:
        if not any(ch in folded for ch in trigger):
            continue
        for m in pattern.finditer(folded):
            if m.end() > m.start() and (piece := build(m)):
                found.append(piece)
    return found
