"""From one or more records (as read, or corrected by a person) to the plan."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from rxlens.catalog.index import MatchIndex
from rxlens.errors import InputError
from rxlens.plan.duplicates import duplicates
from rxlens.plan.model import (
    Dose,
    DrugStart,
    Plan,
    PlanDay,
    PlanDrug,
    PlanWarning,
    RefillOut,
    Slot,
    StartSource,
    Times,
)  # fmt: skip
from rxlens.plan.placement import place, takes_on
from rxlens.plan.slots import slot_label, slot_time
from rxlens.plan.supply import EARLIEST, LATEST, last_day, readable_date, refills, run_out
from rxlens.plan.warnings import plan_warnings
from rxlens.result import AnalysisResult, Medication
from rxlens.vocab.words import amount, words

MAX_DAYS = 120  # the day-by-day list holds this many; the calendar's rules go on to each last day
OPEN_DAYS = 7  # days listed when no drug says when it ends


def _start(med: Medication, record: AnalysisResult, given: dt.date) -> tuple[dt.date, DrugStart]:
    """The visit date; one missing or misread (115/12/01, 9999-…) gives way to the given start."""
    if day := readable_date(_printed_date(med, record)):
        return day, "visit_date"
    return given, "given"


def _printed_date(med: Medication, record: AnalysisResult) -> str | None:
    return (med.visit.visit_date if med.visit else None) or record.visit_date


def _drug(med: Medication, m: int, record: AnalysisResult, r: int, given: dt.date, times: Times) -> PlanDrug:
    where = place(med.frequency, times)
    start, start_source = _start(med, record, given)
    last, source = last_day(med, record, start, where.rule) if where.rule else (None, None)
    short = run_out(med, start, last, where.rule) if where.rule else None
    return PlanDrug(
        key=f"r{r}m{m}", record=r, medication=m,
        name=med.drug_name_zh or med.printed_name or med.drug_name_en or "（未讀到藥名）",
        name_en=med.drug_name_en, matched_drug_id=med.matched_drug_id, ingredients=med.ingredients,
        amount=amount(med.dose_quantity, med.dose_unit),
        frequency_printed=med.frequency_text, frequency_code=med.frequency.code if med.frequency else None,
        frequency_words=words(med.frequency) if med.frequency else "",
        schedule="as_needed" if where.as_needed else ("scheduled" if where.rule else "unscheduled"),
        reason=where.reason, slots=where.slots, rule=where.rule, start=start, start_source=start_source,
        last_day=last, last_day_source=source, run_out=short,
        clinic_name=(med.visit.clinic_name if med.visit else None) or record.clinic_name,
        corrected=med.corrected,
    )  # fmt: skip


def _slot(sid: str, times: Times, doses: list[Dose]) -> Slot:
    at = slot_time(sid, times)
    label = slot_label(sid) + ("" if sid.startswith("clock_") else f"（{at:%H:%M}）")
    return Slot(id=sid, label=label, time=at, doses=doses)


def _doses(drugs: list[PlanDrug]) -> dict[str, Dose]:
    return {d.key: Dose(drug=d.key, amount=d.amount) for d in drugs}


def _slots(drugs: list[PlanDrug], times: Times, dose: dict[str, Dose] | None = None) -> list[Slot]:
    """The slots of these drugs, each with its doses, in time order."""
    dose = dose or _doses(drugs)
    doses: dict[str, list[Dose]] = defaultdict(list)
    for d in drugs:
        for sid in d.slots if d.rule else []:
            doses[sid].append(dose[d.key])
    return sorted((_slot(sid, times, ds) for sid, ds in doses.items()), key=lambda s: s.time)


def _days(
    drugs: list[PlanDrug], times: Times, start: dt.date, end: dt.date | None, given: dt.date
) -> list[PlanDay]:
    """Day by day from the plan's start. A plan longer than MAX_DAYS (an old bag kept in the list
    beside a new one) lists the days that end on its end, or begin on the given day (today) when
    that is earlier: the page shows today's timetable from this list."""
    last = end or start + dt.timedelta(days=OPEN_DAYS - 1)
    count = min((last - start).days + 1, MAX_DAYS)
    start = min(max(given, start), last - dt.timedelta(days=count - 1))
    made: dict[tuple[str, ...], list[Slot]] = {}  # days with the same drugs share their slots
    dose, out = _doses(drugs), []
    for day in (start + dt.timedelta(days=n) for n in range(count)):
        taken = [d for d in drugs if d.rule and takes_on(d.rule, d.start, d.last_day, day)]
        keys = tuple(d.key for d in taken)
        if keys not in made:
            made[keys] = _slots(taken, times, dose)
        out.append(PlanDay(date=day, slots=made[keys]))
    return out


def _undated(records: Sequence[AnalysisResult], drugs: list[PlanDrug], given: dt.date) -> list[PlanWarning]:
    """Records whose drugs count from the given start: the person should know which day that is."""
    out = []
    for r, record in enumerate(records, 1):
        undated = [d for d in drugs if d.record == r and d.start_source == "given"]
        if not undated:
            continue
        where = undated[0].clinic_name or f"第{r}份紀錄"
        printed = _printed_date(record.medications[undated[0].medication - 1], record)
        said = f"的就醫日期「{printed}」無法辨識" if printed else " 沒有讀到就醫日期"
        text = f"{where}{said}，從 {given.month}/{given.day} 起算；若不是這天開始用藥，請修改就醫日期。"
        out.append(PlanWarning(kind="no_start", text=text, drugs=[d.key for d in undated]))
    return out


def build_plan(
    records: Sequence[AnalysisResult],
    times: Times | None = None,
    start: dt.date | None = None,
    index: MatchIndex | None = None,
) -> Plan:
    """The plan of one or more records. `start` stands in for a record without a visit date
    (default: today where the person is, in `times.time_zone`, whatever the server's zone);
    `index` gives catalog ingredients for duplicate warnings."""
    times = times or Times()
    given = start or dt.datetime.now(ZoneInfo(times.time_zone)).date()
    if not EARLIEST <= given <= LATEST:
        raise InputError(f"The start {given} is outside {EARLIEST.year}–{LATEST.year}.")
    drugs: list[PlanDrug] = []
    windows: list[RefillOut] = []
    for r, record in enumerate(records, 1):
        found = [_drug(med, m, record, r, given, times) for m, med in enumerate(record.medications, 1)]
        windows += refills(record, r, min(d.start for d in found)) if found else []
        drugs += found
    plan_start = min((d.start for d in drugs), default=given)
    ends = [d.last_day for d in drugs if d.last_day]
    end = max(ends) if ends else None
    twins = duplicates(drugs, index)
    dated = drugs and all(d.start_source == "visit_date" for d in drugs)
    said: StartSource = "visit_date" if dated else ("given" if start else "today")
    return Plan(
        start=plan_start, start_source=said,
        end=end, times=times, slots=_slots(drugs, times), drugs=drugs, refills=windows, duplicates=twins,
        warnings=_undated(records, drugs, given) + plan_warnings(drugs, windows, twins),
        days=_days(drugs, times, plan_start, end, given),
    )  # fmt: skip
