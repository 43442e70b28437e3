"""The plan as an RFC 5545 calendar (icalendar): one event per slot and day rule, repeating until
the drugs' last day, with an alarm; refill windows and last days as all-day events.

Times are local to the plan's zone (Asia/Taipei) with its VTIMEZONE; UNTIL is in UTC, as RFC 5545
asks when DTSTART carries a TZID. Drugs with no known last day get no event: a reminder that
never ends is worse than none (the plan warns about them).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone, vRecur, vText

from rxlens import __version__
from rxlens.plan.model import DayRule, Plan, PlanDrug, Slot
from rxlens.plan.slots import slot_label

_BYDAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
# RFC 5545 TEXT has no control characters but the line breaks it escapes; a name read from a
# photo or typed may carry one (NUL, BEL), and a calendar refuses the whole file for it.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_MORNING_BEFORE = dt.timedelta(hours=-15)  # all-day events: 09:00 the day before


def _uid(*parts: object) -> str:
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:24] + "@rxlens"


def _who(drugs: list[PlanDrug]) -> list[tuple[object, ...]]:
    """The drugs as a UID names them: by what they are and since when, not by their place in the
    list (r1m1 is another drug once an older bag joins) nor by their last day (a corrected number
    of days updates the imported event instead of adding a second one)."""
    return [(d.name, d.matched_drug_id, d.clinic_name, d.start) for d in drugs]


def _text(text: str) -> str:
    return _CONTROL.sub("", text)


def _alarm(text: str, trigger: dt.timedelta) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", _text(text))
    alarm.add("trigger", trigger)
    return alarm


def _first(rule: DayRule, start: dt.date, offset: int) -> dt.date:
    if rule.kind != "weekdays":
        return start + dt.timedelta(days=offset)
    return next(
        start + dt.timedelta(days=n)
        for n in range(7)
        if (start + dt.timedelta(days=n)).isoweekday() in rule.weekdays
    )


def _recur(rule: DayRule, until: dt.datetime) -> vRecur | None:
    if rule.kind == "once":
        return None
    if rule.kind == "weekdays":
        return vRecur(freq="WEEKLY", byday=[_BYDAY[d - 1] for d in rule.weekdays], until=until)
    return vRecur(freq="DAILY", interval=rule.period, until=until)


def _dose_event(plan: Plan, slot: Slot, drugs: list[PlanDrug], offset: int, zone: ZoneInfo) -> Event | None:
    head = drugs[0]
    assert head.rule is not None and head.last_day is not None
    first = _first(head.rule, head.start, offset)
    if first > head.last_day:
        return None
    begin = dt.datetime.combine(first, slot.time, zone)
    lines = [
        f"{d.name} {d.amount}".strip() + (f"（{d.frequency_words}）" if d.frequency_words else "")
        for d in drugs
    ]
    title = f"服藥：{slot_label(slot.id)} " + "、".join(d.name for d in drugs)
    event = Event()
    event.add("uid", _uid("dose", slot.id, offset, head.rule.model_dump_json(), _who(drugs)))
    event.add("dtstamp", dt.datetime.now(dt.UTC))
    event.add("summary", _text(title))
    event.add("description", _text("\n".join(lines)))
    event.add("dtstart", begin)
    event.add("duration", dt.timedelta(minutes=15))
    until = dt.datetime.combine(head.last_day, slot.time, zone).astimezone(dt.UTC)
    if (recur := _recur(head.rule, until)) is not None:
        event.add("rrule", recur)
    event.add_component(_alarm(title, dt.timedelta(minutes=-plan.times.remind_minutes_before)))
    return event


def _groups(plan: Plan, slot: Slot) -> dict[tuple[str, dt.date, dt.date], list[PlanDrug]]:
    """Drugs of one slot that share their days and dates: one event each group."""
    by_key = {d.key: d for d in plan.drugs}
    groups: dict[tuple[str, dt.date, dt.date], list[PlanDrug]] = defaultdict(list)
    for dose in slot.doses:
        d = by_key[dose.drug]
        if d.rule is not None and d.last_day is not None:
            groups[(d.rule.model_dump_json(), d.start, d.last_day)].append(d)
    return groups


def _all_day(uid: str, title: str, first: dt.date, last: dt.date, alarm: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", dt.datetime.now(dt.UTC))
    event.add("summary", _text(title))
    event.add("dtstart", first)
    event.add("dtend", last + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add_component(_alarm(alarm, _MORNING_BEFORE))
    return event


def _dates(plan: Plan) -> list[Event]:
    out = []
    for w in plan.refills:
        title = f"第{w.fill}次領藥（連續處方箋）{w.start.month}/{w.start.day}–{w.end.month}/{w.end.day}"
        mine = [d for d in plan.drugs if d.record == w.record]
        uid, alarm = _uid("refill", w.fill, w.start, w.end, _who(mine)), f"明天起可以第{w.fill}次領藥"
        out.append(_all_day(uid, title, w.start, w.end, alarm))
    return out + _endings(plan)


def _endings(plan: Plan) -> list[Event]:
    """Each drug's last day; a total that runs out sooner is said on its own day, as the dose
    reminders go on to the last day the prescription gives."""
    ending: dict[tuple[dt.date, bool], list[PlanDrug]] = defaultdict(list)
    for d in plan.drugs:
        if d.schedule == "scheduled" and d.last_day:
            ending[(d.run_out or d.last_day, d.run_out is not None)].append(d)
    out = []
    for (day, short), drugs in sorted(ending.items()):
        names = "、".join(d.name for d in drugs)
        if short:
            until = "、".join(
                f"{d.name}（處方到 {d.last_day.month}/{d.last_day.day}）" for d in drugs if d.last_day
            )
            title, alarm = (
                f"總量只夠用到今天：{until}，請洽藥師",
                f"明天藥就用完：{names}",
            )
        else:
            title, alarm = f"用藥最後一天：{names}", f"明天用藥最後一天：{names}"
        out.append(_all_day(_uid("last", day, short, _who(drugs)), title, day, day, alarm))
    return out


def _add(cal: Calendar, events: list[Event]) -> None:
    """The same drug listed twice with other days makes two events of one UID: the second is
    told apart by a count, as a calendar would otherwise keep only one of them."""
    seen: set[str] = set()
    for event in events:
        uid, n = str(event["uid"]), 1
        while uid in seen:
            n += 1
            uid = f"{n}-{event['uid']}"
        seen.add(uid)
        event["uid"] = vText(uid)
        cal.add_component(event)


def to_ics(plan: Plan) -> bytes:
    zone = ZoneInfo(plan.times.time_zone)
    cal = Calendar()
    cal.add("prodid", f"-//rxlens//{__version__}//ZH-TW")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "用藥提醒")
    cal.add("x-wr-timezone", plan.times.time_zone)
    events = []
    for slot in plan.slots:
        for (_, _, _), drugs in _groups(plan, slot).items():
            rule = drugs[0].rule
            assert rule is not None
            for offset in rule.offsets if rule.kind == "period" else [0]:
                events.append(_dose_event(plan, slot, drugs, offset, zone))
    _add(cal, [e for e in events if e is not None] + _dates(plan))
    # Only the years the plan spans: Taipei's DST of the 1970s would be dead weight in every file.
    # Always there: a calendar needs one component, and a plan of as-needed drugs has no event.
    last = max((d.last_day for d in plan.drugs if d.last_day), default=plan.start)
    until = last + dt.timedelta(days=400)
    cal.subcomponents.insert(
        0, Timezone.from_tzid(plan.times.time_zone, first_date=plan.start, last_date=until)
    )
    data: bytes = cal.to_ical()
    return data
