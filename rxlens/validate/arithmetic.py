"""total ÷ dose ÷ days against the frequency code, and how complete the record is."""

from __future__ import annotations

from rxlens.extract.usage import per_day as per_day_of
from rxlens.result import AnalysisResult, ArithmeticCheck, Completeness, FrequencyStats, Medication

_BY_COUNT = {1.0: "QD", 2.0: "BID", 3.0: "TID", 4.0: "QID"}
# Relative tolerance: totals are rounded to whole tablets (½ tablet a day for 7 days = 4 tablets).
TOLERANCE = 0.15


def check(med: Medication) -> ArithmeticCheck:
    code = med.frequency_count_code
    per_day = per_day_of(code) if code else None
    if not (med.total_quantity and med.dose_quantity and med.days):
        return ArithmeticCheck(
            status="not_applicable", per_day_read=per_day, note="total, dose or days missing"
        )
    computed = med.total_quantity / med.dose_quantity / med.days
    suggestion = _BY_COUNT.get(round(computed, 2))
    if code is None:
        return ArithmeticCheck(
            status="not_applicable",
            per_day_computed=round(computed, 3),
            suggested_frequency=suggestion,
            note="frequency not read; suggested from the arithmetic",
        )
    if per_day is None:
        return ArithmeticCheck(
            status="not_applicable", per_day_computed=round(computed, 3), note=f"{code} has no fixed count"
        )
    if abs(computed - per_day) <= TOLERANCE * per_day:
        return ArithmeticCheck(status="verified", per_day_read=per_day, per_day_computed=round(computed, 3))
    return ArithmeticCheck(
        status="mismatch",
        per_day_read=per_day,
        per_day_computed=round(computed, 3),
        suggested_frequency=suggestion,
        note=f"{code} means {per_day:g} a day, but total ÷ dose ÷ days = {computed:.2f}",
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
