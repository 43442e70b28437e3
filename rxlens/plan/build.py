"""From one or more records (as read, or corrected by a person) to the plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rxlens.catalog.index import MatchIndex
from rxlens.plan.duplicates import duplicates
from rxlens.plan.model import Dose, Plan, PlanDay, PlanDrug, RefillOut, Slot, StartSource, Times
from rxlens.plan.placement import place, takes_on
from rxlens.plan.slots import slot_label, slot_time
from rxlens.plan.supply import last_day, refills, run_out
from rxlens.plan.warnings import plan_warnings
from rxlens.result import AnalysisResult, Medication
from rxlens.vocab.words import amount, words

MAX_DAYS = 120  # the day-by-day list stops here; the calendar's rules go on to each last day
OPEN_DAYS = 7  # days listed when no drug says when it ends


def _start(med: Medication, record: AnalysisResult, given: dt.date) -> tuple[dt.date, StartSource]:
    printed = (med.visit.visit_date if med.visit else None) or record.visit_date
    if printed:
        try:
            return dt.date.fromisoformat(printed), "visit_date"
        except ValueError:
            pass  # a corrected date a person typed badly: the given start stands in
    return given, "given"


def _drug(med: Medication, m: int, record: AnalysisResult, r: int, start: dt.date, times: Times) -> PlanDrug:
    where = place(med.frequency, times)
    last, source = last_day(med, record, start) if where.rule else (None, None)
    return PlanDrug(
        key=f"r{r}m{m}", record=r, medication=m,
        name=med.drug_name_zh or med.printed_name or med.drug_name_en or "（未讀到藥名）",
        name_en=med.drug_name_en, matched_drug_id=med.matched_drug_id, ingredients=med.ingredients,
        amount=amount(med.dose_quantity, med.dose_unit),
        frequency_printed=med.frequency_text, frequency_code=med.frequency.code if med.frequency else None,
        frequency_words=words(med.frequency) if med.frequency else "",
        schedule="as_needed" if where.as_needed else ("scheduled" if where.rule else "unscheduled"),
        reason=where.reason, slots=where.slots, rule=where.rule, start=start,
        last_day=last, last_day_source=source, run_out=run_out(med, start, last) if where.rule else None,
        clinic_name=(med.visit.clinic_name if med.visit else None) or record.clinic_name,
        corrected=med.corrected,
    )  # fmt: skip


def _slots(drugs: list[PlanDrug], times: Times, day: dt.date | None = None) -> list[Slot]:
    """The slots with their doses: every day's template, or the doses of one day."""
    found: dict[str, Slot] = {}
    for d in drugs:
        if d.rule is None or (day is not None and not takes_on(d.rule, d.start, d.last_day, day)):
            continue
        for sid in d.slots:
            at = slot_time(sid, times)
            label = slot_label(sid) + ("" if sid.startswith("clock_") else f"（{at:%H:%M}）")
            slot = found.setdefault(sid, Slot(id=sid, label=label, time=at))
            slot.doses.append(Dose(drug=d.key, amount=d.amount))
    return sorted(found.values(), key=lambda s: s.time)


def _days(drugs: list[PlanDrug], times: Times, start: dt.date, end: dt.date | None) -> list[PlanDay]:
    last = end or start + dt.timedelta(days=OPEN_DAYS - 1)
    count = min((last - start).days + 1, MAX_DAYS)
    dates = [start + dt.timedelta(days=n) for n in range(count)]
    return [PlanDay(date=day, slots=_slots(drugs, times, day)) for day in dates]


def build_plan(
    records: Sequence[AnalysisResult],
    times: Times | None = None,
    start: dt.date | None = None,
    index: MatchIndex | None = None,
) -> Plan:
    """The plan of one or more records. `start` stands in for a record without a visit date
    (default: today); `index` gives catalog ingredients for duplicate warnings."""
    times = times or Times()
    given = start or dt.date.today()
    drugs: list[PlanDrug] = []
    windows: list[RefillOut] = []
    sources: set[StartSource] = set()
    for r, record in enumerate(records, 1):
        for m, med in enumerate(record.medications, 1):
            begin, source = _start(med, record, given)
            sources.add(source)
            drugs.append(_drug(med, m, record, r, begin, times))
        first = min((d.start for d in drugs if d.record == r), default=None)
        windows += refills(record, r, first) if first else []
    plan_start = min((d.start for d in drugs), default=given)
    ends = [d.last_day for d in drugs if d.last_day]
    end = max(ends) if ends else None
    twins = duplicates(drugs, index)
    said: StartSource = "visit_date" if sources == {"visit_date"} else ("given" if start else "today")
    return Plan(
        start=plan_start, start_source=said,
        end=end, times=times, slots=_slots(drugs, times), drugs=drugs, refills=windows, duplicates=twins,
        warnings=plan_warnings(drugs, windows, twins), days=_days(drugs, times, plan_start, end),
    )  # fmt: skip
