"""total ÷ dose ÷ days against the frequency code, and how complete the record is."""

from __future__ import annotations

import math

from rxlens.result import (
    AnalysisResult,
    ArithmeticCheck,
    Completeness,
    FrequencyOut,
    FrequencyStats,
    Medication,
)
from rxlens.vocab import frequency as grammar

_BY_COUNT = {1.0: "QD", 2.0: "BID", 3.0: "TID", 4.0: "QID"}
DERIVED = "arithmetic"  # FieldInfo.engine of a value computed from the others (validate.derive)
# Relative tolerance: totals are rounded to whole tablets (½ tablet a day for 7 days = 4 tablets).
TOLERANCE = 0.15


def frequency_of(med: Medication) -> FrequencyOut | None:
    """The canonical frequency: as set by the reader, else the grammar's reading of the printed code."""
    if med.frequency is not None:
        return med.frequency
    code = med.frequency_count_code
    if not code:
        return None
    found = grammar.parse(code)
    return grammar.to_out(found) if found else FrequencyOut(code=code, known=False)


def _no_count(freq: FrequencyOut, prn: bool) -> str | None:
    """Why total ÷ dose ÷ days cannot be held against this frequency, if it cannot."""
    if not freq.known:
        return "is not a known frequency code; not checked"
    if freq.prn or prn:
        return "is taken as needed (PRN); no fixed count"
    if freq.per_day is None:
        return "has no fixed count"
    return None


def check(med: Medication) -> ArithmeticCheck:
    freq = frequency_of(med)
    per_day = freq.per_day if freq else None
    if (dose := med.fields.get("dose")) is not None and dose.engine == DERIVED:
        return ArithmeticCheck(
            status="not_applicable", per_day_read=per_day, note="dose derived from the total; not checked"
        )
    if not (med.total_quantity and med.dose_quantity and med.days):
        return ArithmeticCheck(
            status="not_applicable", per_day_read=per_day, note="total, dose or days missing"
        )
    computed = med.total_quantity / med.dose_quantity / med.days
    suggestion = _BY_COUNT.get(round(computed, 2))
    if freq is None:
        return ArithmeticCheck(
            status="not_applicable",
            per_day_computed=round(computed, 3),
            suggested_frequency=suggestion,
            note="frequency not read; suggested from the arithmetic",
        )
    code = med.frequency_count_code or freq.code
    if reason := _no_count(freq, med.prn):
        return ArithmeticCheck(
            status="not_applicable", per_day_computed=round(computed, 3), note=f"{code} {reason}"
        )
    if period := grammar.period(freq.code):
        return _skipping(med, code, per_day, period)
    return _daily(code, per_day, computed, suggestion)


def _daily(code: str, per_day: float | None, computed: float, suggestion: str | None) -> ArithmeticCheck:
    assert per_day is not None
    if abs(computed - per_day) <= TOLERANCE * per_day:
        return ArithmeticCheck(status="verified", per_day_read=per_day, per_day_computed=round(computed, 3))
    return ArithmeticCheck(
        status="mismatch",
        per_day_read=per_day,
        per_day_computed=round(computed, 3),
        suggested_frequency=suggestion,
        note=f"{code} means {per_day:g} a day, but total ÷ dose ÷ days = {computed:.2f}",
    )


def _skipping(
    med: Medication, code: str, per_day: float | None, period: tuple[int, float]
) -> ArithmeticCheck:
    """Codes that skip days (QOD, QW, QW(1,3,5), Q2W …): the supply may end mid-week, so the number
    of weeks (or 2-day periods) is days ÷ period rounded either way: 30 days of QW(1,3,5) is 12 or 15."""
    assert med.total_quantity and med.dose_quantity and med.days
    doses, length = period
    cycles = med.days / length
    expected = sorted({doses * math.floor(cycles + 1e-9), doses * math.ceil(cycles - 1e-9)} - {0})
    taken = med.total_quantity / med.dose_quantity
    computed = round(taken / med.days, 3)
    if any(abs(taken - e) <= TOLERANCE * e for e in expected):
        return ArithmeticCheck(status="verified", per_day_read=per_day, per_day_computed=computed)
    means = "–".join(f"{e:g}" for e in expected) or "less than one"
    return ArithmeticCheck(
        status="mismatch",
        per_day_read=per_day,
        per_day_computed=computed,
        suggested_frequency=_BY_COUNT.get(round(taken / med.days, 2)),
        note=f"{code} over {med.days} days means {means} doses, but total ÷ dose = {taken:g}",
    )


def stats(meds: list[Medication]) -> FrequencyStats:
    out = FrequencyStats()
    for med in meds:
        setattr(out, med.arithmetic.status, getattr(out, med.arithmetic.status) + 1)
    return out


def completeness(record: AnalysisResult) -> Completeness:
    meds = record.medications
    if not meds:
        return "empty"
    usage_known = [m for m in meds if m.frequency_count_code or m.dose_quantity]
    if not usage_known:
        return "drug_photo_only"
    header = record.visit_date and (record.clinic_name or record.doctor_name)
    every = all(m.frequency_count_code and m.dose_quantity and (m.days or m.total_quantity) for m in meds)
    return "complete_prescription" if header and every else "partial_prescription"
