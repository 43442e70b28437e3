"""The day's time slots in Taiwanese convention: 早餐前/後, 午餐前/後, 晚餐前/後, 睡前, and clock
times for clock-based codes (Q8H)."""

from __future__ import annotations

import datetime as dt

from rxlens.plan.model import Meal, Times

_MEAL_WORD = {"breakfast": "早餐", "lunch": "午餐", "dinner": "晚餐"}
_WHEN_WORD = {"before": "前", "after": "後"}


def slot_id(meal: Meal, timing: str | None, minutes: int | None = None) -> str:
    """Where a dose on `meal` goes: AC before it, CC with it, otherwise after it (the bag default);
    a printed interval (AC60M) is a slot of its own."""
    if meal == "bedtime":
        return "bedtime"
    when = {"AC": "before", "CC": "with"}.get(timing or "", "after")
    return f"{meal}_{when}{minutes if minutes and when != 'with' else ''}"


def clock_id(at: dt.time) -> str:
    return f"clock_{at:%H%M}"


def _shift(at: dt.time, minutes: int) -> dt.time:
    moved = dt.datetime.combine(dt.date(2000, 1, 1), at) + dt.timedelta(minutes=minutes)
    return moved.time()


def _parts(slot: str) -> tuple[str, str, int | None]:
    meal, when = slot.split("_")
    digits = when.lstrip("abcdefghijklmnopqrstuvwxyz")
    return meal, when[: len(when) - len(digits)], int(digits) if digits else None


def slot_time(slot: str, times: Times) -> dt.time:
    """When a slot is: AC `before_meal_minutes` before the meal (AC60M: an hour), PC after it."""
    if slot.startswith("clock_"):
        return dt.time(int(slot[6:8]), int(slot[8:10]))
    if slot == "bedtime":
        return times.bedtime
    meal, when, minutes = _parts(slot)
    start: dt.time = getattr(times, meal)
    if when == "before":
        return _shift(start, -(minutes or times.before_meal_minutes))
    if when == "after":
        return _shift(start, minutes or times.after_meal_minutes)
    return start


def slot_label(slot: str) -> str:
    if slot.startswith("clock_"):
        return f"{slot[6:8]}:{slot[8:10]}"
    if slot == "bedtime":
        return "睡前"
    meal, when, minutes = _parts(slot)
    if when == "with":
        return f"隨{_MEAL_WORD[meal]}"
    return _MEAL_WORD[meal] + _WHEN_WORD[when] + (f" {minutes} 分鐘" if minutes else "")
