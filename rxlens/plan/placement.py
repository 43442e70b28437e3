"""Where a canonical frequency falls in the day and on which days (rxlens.vocab.frequency).

Choices where prescriptions leave room, said once here:
- QD/BID/TID/QID and the combinations sit on meals (QD breakfast, BID breakfast and dinner, TID the
  three meals, QID the three meals and bedtime); without a printed timing a dose goes after the
  meal, the bag's usual default. `Times.meals` moves any code to other meals.
- Clock codes (Q6H, Q8H, Q12H) start at breakfast time and repeat through the day; intervals that
  do not divide the day (Q5H) shift from day to day and are not put in a daily timetable.
- Codes that skip days (QOD, Q3D, QW, BIW, TIW, 2W3D) are spread over their period from the start
  date (BIW: day 0 and 4 of each week); QW(1,3,5) is taken on those weekdays.
- PRN is listed apart and never scheduled; STAT, ONCE, ASORDER, ranges (Q4-6H), cycle days (MCD)
  and codes we cannot confirm are listed apart with the reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rxlens.plan.model import DayRule, Meal, Times
from rxlens.plan.slots import clock_id, slot_id
from rxlens.result import FrequencyOut
from rxlens.vocab.frequency import meaning

MEALS: dict[str, list[Meal]] = {
    "QD": ["breakfast"], "QDAM": ["breakfast"], "QDPM": ["dinner"], "QN": ["bedtime"],
    "QDHS": ["bedtime"], "HS": ["bedtime"], "BID": ["breakfast", "dinner"],
    "TID": ["breakfast", "lunch", "dinner"], "QID": ["breakfast", "lunch", "dinner", "bedtime"],
    "QD&HS": ["breakfast", "bedtime"], "QAM&HS": ["breakfast", "bedtime"],
    "QPM&HS": ["dinner", "bedtime"], "QAM&PM": ["breakfast", "dinner"],
    "BID&HS": ["breakfast", "dinner", "bedtime"], "TID&HS": ["breakfast", "lunch", "dinner", "bedtime"],
}  # fmt: skip
_APART = {
    "STAT": "立即使用一次，不排入每日時間表",
    "ONCE": "只使用一次，不排入每日時間表",
    "ASORDER": "依醫囑使用，請向醫師或藥師確認時間",
}


@dataclass(frozen=True)
class Placement:
    slots: list[str]
    rule: DayRule | None
    reason: str = ""  # when not scheduled: why, in words
    as_needed: bool = False


def _apart(reason: str, as_needed: bool = False) -> Placement:
    return Placement([], None, reason, as_needed)


def _rule(code: str) -> DayRule:
    said = meaning(code)
    if said.weekdays:
        return DayRule(kind="weekdays", weekdays=list(said.weekdays))
    if said.period is None:
        return DayRule(kind="daily")
    doses, days = said.period
    period = round(days)
    offsets = sorted({round(i * days / doses) for i in range(doses)})
    return DayRule(kind="period", period=period, offsets=offsets)


def _clock(hours: int, times: Times) -> Placement | None:
    if hours > 24:
        if hours % 24:
            return None
        return Placement([clock_id(times.breakfast)], DayRule(kind="period", period=hours // 24))
    if 24 % hours:
        return None
    first = dt.datetime.combine(dt.date(2000, 1, 1), times.breakfast)
    stamps = sorted(clock_id((first + dt.timedelta(hours=hours * k)).time()) for k in range(24 // hours))
    return Placement(stamps, DayRule(kind="daily"))


def _meals(code: str, times: Times) -> list[Meal] | None:
    if code in times.meals:
        return times.meals[code]
    if code in MEALS:
        return MEALS[code]
    return ["breakfast"] if meaning(code).period else None  # one dose on each day it is taken


def place(f: FrequencyOut | None, times: Times) -> Placement:
    """The slots and days of one frequency, or why it stays out of the timetable."""
    if f is None:
        return _apart("未讀到頻率，請向藥師確認用法")
    if f.prn:
        return _apart("需要時使用，不定時", as_needed=True)
    if not f.known:
        return _apart(f"頻率「{f.code}」無法確認，請向藥師確認")
    if f.code in _APART:
        return _apart(_APART[f.code])
    if f.code.startswith("Q") and f.code.endswith("H") and f.code[1:-1].isdigit():
        return _clock(int(f.code[1:-1]), times) or _apart(f"{f.code} 的時間每天不同，請依醫囑")
    meals = _meals(f.code, times)
    if meals is None or (f.per_day is None and f.code not in times.meals):
        return _apart("此頻率沒有固定時間，請依醫囑")
    if f.timing == "HS" and len(meals) == 1:
        meals = ["bedtime"]  # 每日一次 睡前: HS says when the one dose is
    usual = {"AC": times.before_meal_minutes, "PC": times.after_meal_minutes}.get(f.timing or "")
    minutes = f.timing_minutes if f.timing_minutes != usual else None  # AC30M is the usual 飯前
    slots = [slot_id(m, f.timing, minutes) for m in meals]
    return Placement(list(dict.fromkeys(slots)), _rule(f.code))


def takes_on(rule: DayRule, start: dt.date, last: dt.date | None, day: dt.date) -> bool:
    """Whether a drug with this rule, from `start` to `last`, is taken on `day`."""
    if day < start or (last is not None and day > last):
        return False
    if rule.kind == "weekdays":
        return day.isoweekday() in rule.weekdays
    if rule.kind == "once":
        return day == start
    return (day - start).days % rule.period in rule.offsets
