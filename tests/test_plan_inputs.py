"""Records as they may arrive at the plan: misread or mistyped numbers and dates. The plan never
fails on them and never drops a drug without saying so; the calendar stays a valid file."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from icalendar import Calendar

from rxlens.errors import InputError
from rxlens.plan import build_plan
from rxlens.plan.ics import to_ics
from rxlens.result import AnalysisResult, FrequencyOut, Medication, Refill, RefillWindow, Visit

DAY = dt.date(2026, 12, 1)


def med(
    days: int | None = 7, dose: float | None = 1, total: float | None = None, **extra: object
) -> Medication:
    extra.setdefault("drug_name_zh", "甲")
    return Medication(
        frequency=FrequencyOut(code="QD", per_day=1), dose_quantity=dose, dose_unit="TAB",
        days=days, total_quantity=total, **extra,  # type: ignore[arg-type]
    )  # fmt: skip


def record(*meds: Medication, visit: str | None = DAY.isoformat(), **extra: object) -> AnalysisResult:
    return AnalysisResult(visit_date=visit, medications=list(meds), **extra)  # type: ignore[arg-type]


def planned(*records: AnalysisResult, start: dt.date | None = DAY) -> tuple[object, bytes]:
    plan = build_plan(records, start=start)
    plan.model_dump_json()
    data = to_ics(plan)
    Calendar.from_ical(data)
    return plan, data


@pytest.mark.parametrize(
    ("medication", "source"),
    [
        pytest.param(med(days=10**9), None, id="days-a-billion"),
        pytest.param(med(days=2800), None, id="days-2800-for-28"),
        pytest.param(med(days=-5), None, id="days-negative"),
        pytest.param(med(days=0, total=7), "total", id="days-zero-total-stands-in"),
        pytest.param(med(days=None, total=math.inf), None, id="total-infinite"),
        pytest.param(med(days=None, total=math.nan), None, id="total-nan"),
        pytest.param(med(days=None, total=1e300), None, id="total-huge"),
        pytest.param(med(days=None, dose=math.nan, total=7), None, id="dose-nan"),
        pytest.param(med(days=None, dose=-1, total=7), None, id="dose-negative"),
        pytest.param(med(days=7, total=math.nan), "days", id="days-with-total-nan"),
    ],
)
def test_implausible_numbers_are_not_read_as_a_supply(medication: Medication, source: str | None) -> None:
    plan, _ = planned(record(medication))
    drug = plan.drugs[0]  # type: ignore[attr-defined]
    assert drug.last_day_source == source
    if source is None:  # said, not silently empty
        assert drug.last_day is None and [w.kind for w in plan.warnings] == ["no_end"]  # type: ignore[attr-defined]
    else:
        assert drug.start <= drug.last_day <= drug.start + dt.timedelta(days=366)
    assert "nan" not in drug.amount and "-" not in drug.amount


def test_days_supply_of_the_slip_is_guarded_too() -> None:
    plan, _ = planned(record(med(days=None), days_supply=10**7))
    assert plan.drugs[0].last_day is None  # type: ignore[attr-defined]


@pytest.mark.parametrize("visit", ["9999-12-25", "0001-01-01", "2026-02-30", "115/12/01", "", "0115-12-01"])
def test_a_date_the_plan_cannot_count_from_starts_on_the_given_day_and_says_so(visit: str) -> None:
    plan, _ = planned(record(med(days=28), visit=visit, clinic_name="甲診所"))
    drug = plan.drugs[0]  # type: ignore[attr-defined]
    assert drug.start == DAY and drug.last_day == DAY + dt.timedelta(days=27)
    [said] = [w for w in plan.warnings if w.kind == "no_start"]  # type: ignore[attr-defined]
    assert "甲診所" in said.text and "12/1" in said.text and said.drugs == ["r1m1"]


def test_a_record_without_a_date_is_said_to_start_on_the_given_day() -> None:
    plan, _ = planned(record(med(), visit=None), record(med(), visit="2026-11-20"))
    [said] = [w for w in plan.warnings if w.kind == "no_start"]  # type: ignore[attr-defined]
    assert "第1份" in said.text and said.drugs == ["r1m1"]


def test_a_visit_of_one_photo_is_guarded_like_the_records() -> None:
    plan, _ = planned(record(med(visit=Visit(visit_date="9999-12-31"))))
    assert plan.drugs[0].start == DAY  # type: ignore[attr-defined]


def test_a_given_start_outside_the_calendar_is_refused() -> None:
    with pytest.raises(InputError):
        build_plan([record(med(), visit=None)], start=dt.date(9999, 12, 31))


def test_misread_refill_windows_and_counts() -> None:
    bad = [
        RefillWindow(fill=2, start="2026-02-30", end="2027-01-05"),  # no such day: computed instead
        RefillWindow(fill=3, start="2027-02-10", end="2027-01-01"),  # ends before it starts
    ]
    refill = Refill(fills_allowed=10**6, this_fill=-3, windows=bad)
    plan, _ = planned(record(med(days=28), days_supply=28, refill=refill))
    fills = [(w.fill, w.source) for w in plan.refills]  # type: ignore[attr-defined]
    assert fills[:2] == [(2, "computed"), (3, "computed")] and len(fills) <= 8
    assert all(w.start <= w.end for w in plan.refills)  # type: ignore[attr-defined]


def test_text_that_cannot_be_encoded_or_shown_in_a_calendar() -> None:
    name = "甲\x00錠\x07\u202e"
    plan, data = planned(record(med(drug_name_zh=name)))
    assert b"\x00" not in data and b"\x07" not in data
    assert all(c in "\t\r\n" or ord(c) >= 32 for c in data.decode())
