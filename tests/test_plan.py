"""The plan, without the model: every frequency form → slots and days; last days; refills;
run-out; times configurable."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from rxlens.plan import Times, build_plan
from rxlens.plan.model import Plan
from rxlens.plan.placement import takes_on
from rxlens.result import AnalysisResult, FrequencyOut, Medication, Refill, RefillWindow
from rxlens.vocab.frequency import parse, to_out
from rxlens.vocab.words import words

MONDAY = dt.date(2026, 11, 30)
B, L, D = "breakfast", "lunch", "dinner"
AFTER3 = [f"{B}_after", f"{L}_after", f"{D}_after"]
BEFORE3 = [f"{B}_before", f"{L}_before", f"{D}_before"]
DAILY = list(range(14))


def med(
    printed: str, days: int | None = 14, dose: float | None = 1, total: float | None = None
) -> Medication:
    f = parse(printed)
    return Medication(
        drug_name_zh="藥", frequency=to_out(f) if f else None, frequency_text=printed,
        dose_quantity=dose, dose_unit="TAB", days=days, total_quantity=total,
    )  # fmt: skip


def plan_of(*meds: Medication, times: Times | None = None, **record: object) -> Plan:
    result = AnalysisResult(visit_date=MONDAY.isoformat(), medications=list(meds), **record)  # type: ignore[arg-type]
    return build_plan([result], times)


def taken(plan: Plan) -> list[int]:
    d = plan.drugs[0]
    assert d.rule is not None
    return [n for n in range(14) if takes_on(d.rule, d.start, d.last_day, MONDAY + dt.timedelta(days=n))]


# printed code or wording → the slots of a dosing day, and the days (0 = the visit, a Monday)
SCHEDULED = [
    ("QD", [f"{B}_after"], DAILY),
    ("QDAC", [f"{B}_before"], DAILY),
    ("QDPC", [f"{B}_after"], DAILY),
    ("QD AC1H", [f"{B}_before60"], DAILY),
    ("QDAM", [f"{B}_after"], DAILY),
    ("QDPM", [f"{D}_after"], DAILY),
    ("QN", ["bedtime"], DAILY),
    ("QDHS", ["bedtime"], DAILY),
    ("HS", ["bedtime"], DAILY),
    ("QD HS", ["bedtime"], DAILY),
    ("BID", [f"{B}_after", f"{D}_after"], DAILY),
    ("BIDAC", [f"{B}_before", f"{D}_before"], DAILY),
    ("BID CC", [f"{B}_with", f"{D}_with"], DAILY),
    ("TID", AFTER3, DAILY),
    ("TIDPC", AFTER3, DAILY),
    ("TIDAC", BEFORE3, DAILY),
    ("TID AC30M", BEFORE3, DAILY),
    ("QID", [*AFTER3, "bedtime"], DAILY),
    ("QIDAC", [*BEFORE3, "bedtime"], DAILY),
    ("QD&HS", [f"{B}_after", "bedtime"], DAILY),
    ("QAM&HS", [f"{B}_after", "bedtime"], DAILY),
    ("QPM&HS", [f"{D}_after", "bedtime"], DAILY),
    ("QAM&PM", [f"{B}_after", f"{D}_after"], DAILY),
    ("BID&HS", [f"{B}_after", f"{D}_after", "bedtime"], DAILY),
    ("TID&HS", [*AFTER3, "bedtime"], DAILY),
    ("Q4H", ["clock_0000", "clock_0400", "clock_0800", "clock_1200", "clock_1600", "clock_2000"], DAILY),
    ("Q6H", ["clock_0200", "clock_0800", "clock_1400", "clock_2000"], DAILY),
    ("Q8H", ["clock_0000", "clock_0800", "clock_1600"], DAILY),
    ("Q12H", ["clock_0800", "clock_2000"], DAILY),
    ("Q24H", ["clock_0800"], DAILY),
    ("Q48H", ["clock_0800"], list(range(0, 14, 2))),
    ("QOD", [f"{B}_after"], list(range(0, 14, 2))),
    ("Q2D", [f"{B}_after"], list(range(0, 14, 2))),
    ("Q0D", [f"{B}_after"], list(range(0, 14, 2))),
    ("Q3D", [f"{B}_after"], [0, 3, 6, 9, 12]),
    ("QODAC", [f"{B}_before"], list(range(0, 14, 2))),
    ("QW", [f"{B}_after"], [0, 7]),
    ("Q2W", [f"{B}_after"], [0]),
    ("BIW", [f"{B}_after"], [0, 4, 7, 11]),
    ("TIW", [f"{B}_after"], [0, 2, 5, 7, 9, 12]),
    ("QW(1,3,5)", [f"{B}_after"], [0, 2, 4, 7, 9, 11]),
    ("QW135", [f"{B}_after"], [0, 2, 4, 7, 9, 11]),
    ("QW(2,4)", [f"{B}_after"], [1, 3, 8, 10]),
    ("QW(6)", [f"{B}_after"], [5, 12]),
    ("Q1M", [f"{B}_after"], [0]),
    ("一日三次 飯後", AFTER3, DAILY),
    ("1天3次", AFTER3, DAILY),
    ("每日早晚", [f"{B}_after", f"{D}_after"], DAILY),
    ("三餐飯前", BEFORE3, DAILY),
    ("早餐前空腹", [f"{B}_before"], DAILY),
    ("每日一次 睡前服用", ["bedtime"], DAILY),
    ("睡前", ["bedtime"], DAILY),
    ("每晚", ["bedtime"], DAILY),
    ("每日早上", [f"{B}_after"], DAILY),
    ("每8小時", ["clock_0000", "clock_0800", "clock_1600"], DAILY),
    ("隔日一次", [f"{B}_after"], list(range(0, 14, 2))),
    ("每週一次", [f"{B}_after"], [0, 7]),
    ("每週一三五", [f"{B}_after"], [0, 2, 4, 7, 9, 11]),
    ("每3天一次", [f"{B}_after"], [0, 3, 6, 9, 12]),
]

APART = [
    ("PRN", "as_needed"),
    ("Q4HPRN", "as_needed"),
    ("BIDPRN", "as_needed"),
    ("需要時", "as_needed"),
    ("焦慮不適時", "as_needed"),
    ("疼痛時服用", "as_needed"),
    ("每日不超過3次", "as_needed"),
    ("STAT", "unscheduled"),
    ("ONCE", "unscheduled"),
    ("ASORDER", "unscheduled"),
    ("QIO", "unscheduled"),
    ("HSO", "unscheduled"),
    ("Q4-6H", "unscheduled"),
    ("Q5H", "unscheduled"),
    ("Q30MN", "unscheduled"),
    ("MCD5D9", "unscheduled"),
]


@pytest.mark.parametrize(("printed", "slots", "days"), SCHEDULED, ids=[c[0] for c in SCHEDULED])
def test_scheduled_forms(printed: str, slots: list[str], days: list[int]) -> None:
    plan = plan_of(med(printed))
    drug = plan.drugs[0]
    assert drug.schedule == "scheduled", drug.reason
    assert drug.slots == slots and [s.id for s in plan.slots] == sorted(slots, key=_time_of(plan))
    assert taken(plan) == days


def _time_of(plan: Plan):  # type: ignore[no-untyped-def]
    times = {s.id: s.time for s in plan.slots}
    return lambda sid: times[sid]


@pytest.mark.parametrize(("printed", "schedule"), APART, ids=[c[0] for c in APART])
def test_forms_kept_out_of_the_timetable(printed: str, schedule: str) -> None:
    plan = plan_of(med(printed))
    drug = plan.drugs[0]
    assert drug.schedule == schedule and drug.slots == [] and plan.slots == []
    assert all(not day.slots for day in plan.days)
    if schedule == "unscheduled":
        assert drug.reason and any(w.kind == "unscheduled" for w in plan.warnings)


def test_no_frequency_read_is_listed_with_its_reason() -> None:
    plan = plan_of(med("每次1錠"))
    assert plan.drugs[0].schedule == "unscheduled" and "頻率" in plan.drugs[0].reason


def test_slot_times_follow_the_persons_day() -> None:
    times = Times(
        breakfast=dt.time(6, 30), dinner=dt.time(19, 0), bedtime=dt.time(23, 0), before_meal_minutes=15
    )
    plan = plan_of(med("BIDAC"), med("HS"), med("Q12H"), times=times)
    got = {s.id: s.time for s in plan.slots}
    assert got == {
        "breakfast_before": dt.time(6, 15), "dinner_before": dt.time(18, 45), "bedtime": dt.time(23, 0),
        "clock_0630": dt.time(6, 30), "clock_1830": dt.time(18, 30),
    }  # fmt: skip


def test_a_code_can_be_moved_to_other_meals() -> None:
    plan = plan_of(med("QD"), med("BID"), times=Times(meals={"QD": ["dinner"], "BID": ["lunch", "bedtime"]}))
    assert plan.drugs[0].slots == ["dinner_after"]
    assert plan.drugs[1].slots == ["lunch_after", "bedtime"]


def test_last_day_from_days_then_total_then_days_supply() -> None:
    plan = plan_of(med("BID", days=7), med("TID", days=None, total=30), med("QD", days=None), days_supply=28)
    by_days, by_total, by_supply = plan.drugs
    assert (by_days.last_day, by_days.last_day_source) == (MONDAY + dt.timedelta(days=6), "days")
    assert (by_total.last_day, by_total.last_day_source) == (MONDAY + dt.timedelta(days=9), "total")
    assert (by_supply.last_day, by_supply.last_day_source) == (MONDAY + dt.timedelta(days=27), "days_supply")
    assert plan.end == MONDAY + dt.timedelta(days=27) and len(plan.days) == 28
    doses = [sum(len(slot.doses) for slot in day.slots) for day in plan.days]
    assert doses == [6] * 7 + [4] * 3 + [1] * 18  # BID ends after day 7, TID's 30 tablets after day 10


def test_weekly_total_lasts_weeks() -> None:
    plan = plan_of(med("QW", days=None, total=4))
    assert plan.drugs[0].last_day == MONDAY + dt.timedelta(days=27) and taken(plan) == [0, 7]


def test_no_end_is_warned_and_never_guessed() -> None:
    plan = plan_of(med("TID", days=None))
    assert plan.drugs[0].last_day is None and plan.end is None
    assert [w.kind for w in plan.warnings] == ["no_end"]
    assert len(plan.days) == 7  # a week is shown; the calendar gets no event for it


def test_run_out_when_the_total_is_short() -> None:
    plan = plan_of(med("TID", days=7, total=14))
    drug = plan.drugs[0]
    assert drug.run_out == MONDAY + dt.timedelta(days=3)
    assert [w.kind for w in plan.warnings] == ["run_out"]
    assert not plan_of(med("TID", days=7, total=21)).warnings


def test_refill_windows_computed_by_the_ten_day_rule() -> None:
    refill = Refill(fills_allowed=3, this_fill=1)
    plan = plan_of(med("QD", days=28), refill=refill, days_supply=28)
    windows = [(w.fill, w.start, w.end, w.source) for w in plan.refills]
    end2, end3 = MONDAY + dt.timedelta(days=27), MONDAY + dt.timedelta(days=55)
    assert windows == [
        (2, end2 - dt.timedelta(days=9), end2, "computed"),
        (3, end3 - dt.timedelta(days=9), end3, "computed"),
    ]
    assert plan.refills[0].remind_on == end2 - dt.timedelta(days=10)
    assert not plan.warnings


def test_printed_windows_win_and_a_gap_is_warned() -> None:
    printed = RefillWindow(fill=2, start="2027-01-05", end="2027-01-14")
    refill = Refill(fills_allowed=2, this_fill=1, windows=[printed])
    plan = plan_of(med("QD", days=28), refill=refill)
    assert [(w.fill, w.source) for w in plan.refills] == [(2, "printed")]
    gap = [w for w in plan.warnings if w.kind == "refill_gap"]
    assert len(gap) == 1 and "1/5" in gap[0].text  # supply ends 12/27; the window opens 1/5


def test_each_drug_keeps_its_own_visit_and_corrections() -> None:
    first = med("QD", days=3)
    second = med("BID", days=3).model_copy(update={"corrected": ["dose_quantity"]})
    a = AnalysisResult(visit_date="2026-12-01", medications=[first], clinic_name="甲診所")
    b = AnalysisResult(visit_date="2026-12-03", medications=[second], clinic_name="乙醫院")
    plan = build_plan([a, b])
    assert [(d.key, d.start, d.clinic_name) for d in plan.drugs] == [
        ("r1m1", dt.date(2026, 12, 1), "甲診所"),
        ("r2m1", dt.date(2026, 12, 3), "乙醫院"),
    ]
    assert plan.drugs[1].corrected == ["dose_quantity"] and plan.start == dt.date(2026, 12, 1)
    assert plan.start_source == "visit_date"


def test_a_record_without_a_date_starts_on_the_given_day() -> None:
    plan = build_plan([AnalysisResult(medications=[med("QD", days=2)])], start=dt.date(2026, 1, 5))
    assert plan.start == dt.date(2026, 1, 5) and plan.start_source == "given"


@pytest.mark.parametrize(
    ("printed", "said"),
    [
        ("TIDPC", "每日三次 飯後"), ("BIDPRN", "每日兩次 需要時"), ("QW(1,3,5)", "每週一、三、五"),
        ("Q8H", "每8小時一次"), ("QOD", "隔日一次"), ("HS", "睡前"), ("QDAC30M", "每日一次 飯前 30 分鐘"),
        ("QDAC60M", "每日一次 飯前 60 分鐘"), ("QIO", "QIO（無法確認）"), ("PRN", "需要時"),
        ("2W3D", "每2週用3天"), ("1W5D", "每週用5天"), ("Q4-6H", "每4至6小時一次"),
        ("Q4-6HPRN", "每4至6小時一次 需要時"), ("MCD5D9", "月經第5至9天"), ("Q2M", "每2個月一次"),
    ],
)  # fmt: skip
def test_frequency_in_words(printed: str, said: str) -> None:
    f = parse(printed)
    assert f is not None and words(to_out(f)) == said


def test_the_day_list_holds_the_given_day_when_old_bags_stay_in_the_list() -> None:
    """The page's list keeps last winter's bag beside today's: the day-by-day list (120 days at
    most) must still reach today, which the page shows as its timetable."""
    old = AnalysisResult(visit_date="2026-01-05", medications=[med("QD", days=28)])
    new = AnalysisResult(visit_date="2026-11-30", medications=[med("BID", days=28)])
    plan = build_plan([old, new], start=dt.date(2026, 12, 3))
    assert plan.start == dt.date(2026, 1, 5) and len(plan.days) == 120
    today = next(d for d in plan.days if d.date == dt.date(2026, 12, 3))
    assert [s.id for s in today.slots] == ["breakfast_after", "dinner_after"]
    assert plan.days[-1].date == plan.end == dt.date(2026, 12, 27)


@pytest.mark.parametrize(
    ("printed", "days", "total", "last", "run_out"),
    [
        pytest.param("QW(1,2)", None, 1, 0, None, id="QW(1,2)-one-tablet-is-monday-only"),
        pytest.param("QW(1,3,5)", None, 4, 8, None, id="QW135-four-tablets-to-the-next-wednesday"),
        pytest.param("QW(3)", None, 2, 15, None, id="QW3-from-a-monday"),
        pytest.param("TIW", 14, 5, 13, 11, id="TIW-five-tablets-cover-days-0-2-5-7-9"),
        pytest.param("QW(1,3,5)", 14, 4, 13, 8, id="QW135-four-tablets-in-two-weeks"),
        pytest.param("BIW", 28, 4, 27, 13, id="BIW-four-tablets-in-four-weeks"),
        pytest.param("QOD", 14, 7, 13, None, id="QOD-seven-tablets-are-fourteen-days"),
        pytest.param("Q48H", 14, 3, 13, 5, id="Q48H-three-doses"),
        pytest.param("TID", 7, 14, 6, 3, id="TID-daily-unchanged"),
    ],
)
def test_a_total_lasts_until_the_first_dose_it_cannot_cover(
    printed: str, days: int | None, total: float, last: int, run_out: int | None
) -> None:
    """Codes on some days of the week: the tablets are counted on the days they are taken, not
    as an average (QW(1,2) with one tablet was scheduled on Monday and Tuesday)."""
    drug = plan_of(med(printed, days=days, total=total)).drugs[0]
    assert drug.last_day == MONDAY + dt.timedelta(days=last)
    assert drug.run_out == (MONDAY + dt.timedelta(days=run_out) if run_out is not None else None)


def test_a_code_moved_to_no_meal_is_refused_not_dropped() -> None:
    """meals={"QD": []} left every QD drug scheduled with no slot: in no timetable, no reminder."""
    with pytest.raises(ValidationError):
        Times(meals={"QD": []})


def test_today_is_the_day_in_the_plans_zone_not_the_servers() -> None:
    """A server on UTC, asked at 07:00 in Taipei without a start, counted from yesterday. Kiritimati
    (UTC+14) and Etc/GMT+12 (UTC−12) are never on the same date: each plan must use its own."""
    undated = AnalysisResult(medications=[med("QD", days=3)])
    for zone in ("Pacific/Kiritimati", "Etc/GMT+12"):
        plan = build_plan([undated], Times(time_zone=zone))
        assert plan.start == dt.datetime.now(ZoneInfo(zone)).date(), zone


@pytest.mark.parametrize("weekdays", [[9], [0], [1, 3, 5]])
def test_weekdays_are_said_as_the_code_schedules_them(weekdays: list[int]) -> None:
    """The words read the record's weekdays and the timetable the code's: QW(2,4) with weekdays
    [1,3,5] said 每週一、三、五 and was scheduled Tuesday and Thursday; [9] was a 500."""
    f = FrequencyOut(code="QW(2,4)", per_day=2 / 7, weekdays=weekdays)
    drug = plan_of(Medication(drug_name_zh="藥", frequency=f, dose_quantity=1, days=14)).drugs[0]
    assert drug.frequency_words == "每週二、四" and taken(plan_of(med("QW(2,4)"))) == [1, 3, 8, 10]
