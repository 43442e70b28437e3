"""How long each drug lasts, and when a 連續處方箋 may be refilled.

Refill windows not printed on the slip follow the NHI rule for chronic-illness refill
prescriptions (全民健康保險醫療辦法): each later fill is collected within the ten days before the
previous supply runs out. A computed window says so (`source: computed`).
"""

from __future__ import annotations

import datetime as dt
import math

from rxlens.plan.model import LastDaySource, RefillOut
from rxlens.result import AnalysisResult, Medication
from rxlens.vocab.frequency import meaning

REFILL_LEAD_DAYS = 10


def doses_per_day(med: Medication) -> float | None:
    f = med.frequency
    if f is None or f.prn or not f.known or f.per_day is None or med.dose_quantity is None:
        return None
    return med.dose_quantity * f.per_day


def last_day(
    med: Medication, record: AnalysisResult, start: dt.date
) -> tuple[dt.date | None, LastDaySource | None]:
    """The drug's own days; else total ÷ daily amount; else the slip's days supply — saying which."""
    if med.days:
        return start + dt.timedelta(days=med.days - 1), "days"
    daily = doses_per_day(med)
    if daily and med.total_quantity:
        days = math.floor(med.total_quantity / daily + 1e-6)
        if days >= 1:
            return start + dt.timedelta(days=days - 1), "total"
    if record.days_supply:
        return start + dt.timedelta(days=record.days_supply - 1), "days_supply"
    return None, None


def run_out(med: Medication, start: dt.date, last: dt.date | None) -> dt.date | None:
    """The last day the printed total covers, when it ends before the drug's last day."""
    daily = doses_per_day(med)
    if not (daily and med.total_quantity and last):
        return None
    period = meaning(med.frequency.code).period if med.frequency else None
    if period:  # QW: 4 tablets last 4 weeks, not 28 days of 1/7 tablet
        doses, days = period
        covered = math.floor(med.total_quantity / (med.dose_quantity or 1) / doses + 1e-6) * days
    else:
        covered = math.floor(med.total_quantity / daily + 1e-6)
    end = start + dt.timedelta(days=max(covered, 1) - 1)
    return end if end < last else None


def supply_days(record: AnalysisResult) -> int | None:
    """One fill's days: the slip's days supply, else the longest drug's days."""
    return record.days_supply or max((m.days for m in record.medications if m.days), default=None)


def refills(record: AnalysisResult, index: int, start: dt.date) -> list[RefillOut]:
    """Windows of the fills still to come: as printed, or from the NHI rule when not printed."""
    refill = record.refill
    if refill is None:
        return []
    this = refill.this_fill or 1
    printed = {w.fill: w for w in refill.windows if w.start and w.end and w.fill > this}
    out: list[RefillOut] = []
    for fill, w in sorted(printed.items()):
        begin, end = dt.date.fromisoformat(w.start or ""), dt.date.fromisoformat(w.end or "")
        out.append(RefillOut(record=index, fill=fill, start=begin, end=end, source="printed",
                             remind_on=begin - dt.timedelta(days=1)))  # fmt: skip
    days = supply_days(record)
    for fill in range(this + 1, (refill.fills_allowed or 0) + 1):
        if fill in printed or not days:
            continue
        end = start + dt.timedelta(days=(fill - this) * days - 1)
        begin = end - dt.timedelta(days=REFILL_LEAD_DAYS - 1)
        out.append(RefillOut(record=index, fill=fill, start=begin, end=end, source="computed",
                             remind_on=begin - dt.timedelta(days=1)))  # fmt: skip
    return sorted(out, key=lambda r: r.fill)
