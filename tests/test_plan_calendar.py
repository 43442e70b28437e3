"""The plan's .ics read back by icalendar: occurrences per drug, alarm times, RFC 5545 rules."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from icalendar import Calendar, Component

from rxlens.plan import Times, build_plan
from rxlens.plan.ics import to_ics
from rxlens.result import AnalysisResult, Medication, Refill
from rxlens.vocab.frequency import parse, to_out

TAIPEI = ZoneInfo("Asia/Taipei")
MONDAY = dt.date(2026, 11, 30)


def med(name: str, printed: str, days: int) -> Medication:
    f = parse(printed)
    assert f is not None
    return Medication(
        drug_name_zh=name, frequency=to_out(f), frequency_text=printed, dose_quantity=1, days=days
    )


def three_drugs() -> bytes:
    record = AnalysisResult(
        visit_date=MONDAY.isoformat(),
        medications=[
            med("甲錠", "TIDPC", 7),
            med("乙錠", "QW(1,3,5)", 14),
            med("丙錠", "QOD HS", 10),
            med("丁錠", "PRN", 5),
        ],
    )
    return to_ics(build_plan([record], Times(remind_minutes_before=10)))


def _rule(event: Component) -> str:
    text = event["rrule"].to_ical()
    return text.decode() if isinstance(text, bytes) else str(text)


def occurrences(event: Component) -> list[dt.datetime]:
    start = event.decoded("dtstart")
    if "rrule" not in event:
        return [start]
    return list(rrulestr(_rule(event), dtstart=start))


def test_each_drug_occurs_as_often_as_prescribed_and_alarms_before_each_slot() -> None:
    cal = Calendar.from_ical(three_drugs())
    doses = [e for e in cal.walk("VEVENT") if str(e["summary"]).startswith("服藥")]
    per_drug: Counter[str] = Counter()
    for event in doses:
        times = occurrences(event)
        for name in ("甲錠", "乙錠", "丙錠", "丁錠"):
            if name in str(event["description"]):
                per_drug[name] += len(times)
        alarm = event.walk("VALARM")[0]
        assert alarm["action"] == "DISPLAY" and alarm.decoded("trigger") == dt.timedelta(minutes=-10)
        first = times[0].astimezone(TAIPEI)
        assert (first + alarm.decoded("trigger")).time() == (
            dt.datetime.combine(first.date(), first.time()) - dt.timedelta(minutes=10)
        ).time()
        assert first.tzinfo is not None and first.utcoffset() == dt.timedelta(hours=8)
    # 7 days × 3 meals; Mon/Wed/Fri in 14 days from a Monday; every other day in 10 days; PRN never
    assert per_drug == Counter({"甲錠": 21, "乙錠": 6, "丙錠": 5})
    slots = {str(e["summary"]).split()[0]: e.decoded("dtstart").time() for e in doses}
    assert slots == {
        "服藥：早餐後": dt.time(8, 30), "服藥：午餐後": dt.time(12, 30),
        "服藥：晚餐後": dt.time(18, 30), "服藥：睡前": dt.time(22, 0),
    }  # fmt: skip
    last = sorted(e.decoded("dtstart") for e in cal.walk("VEVENT") if "最後一天" in str(e["summary"]))
    assert last == [MONDAY + dt.timedelta(days=d) for d in (6, 9, 13)]


def test_the_file_keeps_rfc_5545_rules() -> None:
    data = three_drugs()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in data.split(b"\r\n")), "content lines fold at 75 octets"
    assert b"\n" not in data.replace(b"\r\n", b"")
    cal = Calendar.from_ical(data)
    assert cal["version"] == "2.0" and cal["prodid"]
    zones = {str(z["tzid"]) for z in cal.walk("VTIMEZONE")}
    assert zones == {"Asia/Taipei"}
    uids = [str(e["uid"]) for e in cal.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    for event in cal.walk("VEVENT"):
        assert "dtstamp" in event and "dtstart" in event
        assert not ("dtend" in event and "duration" in event)
        if "rrule" in event:
            until = re.search(r"UNTIL=(\w+)", _rule(event))
            assert until and until[1].endswith("Z"), "UNTIL is UTC when DTSTART has a TZID"
        for alarm in event.walk("VALARM"):
            assert {"action", "trigger", "description"} <= {k.lower() for k in alarm}


def test_refill_windows_are_all_day_events_with_a_reminder_the_day_before() -> None:
    record = AnalysisResult(
        visit_date=MONDAY.isoformat(), days_supply=28, refill=Refill(fills_allowed=2, this_fill=1),
        medications=[med("甲錠", "QD", 28)],
    )  # fmt: skip
    cal = Calendar.from_ical(to_ics(build_plan([record])))
    refill = next(e for e in cal.walk("VEVENT") if "第2次領藥" in str(e["summary"]))
    start, end = refill.decoded("dtstart"), refill.decoded("dtend")
    assert start == MONDAY + dt.timedelta(days=18) and end == MONDAY + dt.timedelta(days=28)
    assert refill.walk("VALARM")[0].decoded("trigger") == dt.timedelta(hours=-15)  # 09:00 the day before


def _uids(*records: AnalysisResult) -> dict[str, str]:
    """UID by summary and start: what a calendar matches when the file is imported again."""
    cal = Calendar.from_ical(to_ics(build_plan(list(records))))
    return {f"{e['summary']} {e.decoded('dtstart')}": str(e["uid"]) for e in cal.walk("VEVENT")}


def bag(visit: str, *meds: Medication, **extra: object) -> AnalysisResult:
    return AnalysisResult(visit_date=visit, medications=list(meds), **extra)  # type: ignore[arg-type]


def test_an_event_keeps_its_uid_when_the_list_grows() -> None:
    """Importing the file again after adding an older bag updates the events already imported
    (same UID) instead of adding every reminder a second time."""
    today = bag(
        "2026-11-30", med("甲錠", "BID", 28), days_supply=28, refill=Refill(fills_allowed=2, this_fill=1)
    )
    alone = _uids(today)
    grown = _uids(bag("2026-11-20", med("乙錠", "QD", 14)), today)
    assert alone.items() <= grown.items()


def test_two_plans_of_two_people_share_no_uid() -> None:
    """A caregiver imports a plan for each parent into one calendar: same visit day, other drugs."""
    mother = _uids(bag("2026-11-30", med("甲錠", "BID", 28), med("乙錠", "HS", 28)))
    father = _uids(bag("2026-11-30", med("丙錠", "BID", 28), med("丁錠", "HS", 28)))
    assert not set(mother.values()) & set(father.values())


def test_the_same_drug_twice_with_other_days_has_two_uids() -> None:
    cal = Calendar.from_ical(
        to_ics(
            build_plan([bag("2026-11-30", med("甲錠", "QD", 28)), bag("2026-11-30", med("甲錠", "QD", 7))])
        )
    )
    uids = [str(e["uid"]) for e in cal.walk("VEVENT")]
    assert len(uids) == len(set(uids)) == 4  # two dose events, two last days


def test_a_short_total_is_said_on_its_day_not_called_the_last_day() -> None:
    """TID for 7 days with 14 tablets: the reminders go on to the 7th day as prescribed, so the
    4th day is where the tablets run out, not 用藥最後一天."""
    short = med("甲錠", "TID", 7).model_copy(update={"total_quantity": 14})
    cal = Calendar.from_ical(to_ics(build_plan([bag(MONDAY.isoformat(), short)])))
    days = {str(e["summary"]): e.decoded("dtstart") for e in cal.walk("VEVENT") if "rrule" not in e}
    [(title, day)] = days.items()
    assert day == MONDAY + dt.timedelta(days=3) and "最後一天" not in title
    assert "總量只夠用到今天" in title and "12/6" in title


def test_a_plan_with_nothing_to_remind_is_still_a_valid_calendar() -> None:
    """RFC 5545 asks for at least one component; only as-needed drugs, or none with a known end,
    make no event, and the file still carries the zone (what it would use) rather than nothing."""
    for only in (med("甲錠", "PRN", 5), med("乙錠", "TID", 5).model_copy(update={"days": None})):
        cal = Calendar.from_ical(to_ics(build_plan([bag("2026-12-01", only)])))
        assert not cal.walk("VEVENT") and [str(z["tzid"]) for z in cal.walk("VTIMEZONE")] == ["Asia/Taipei"]
