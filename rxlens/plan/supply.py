"""How long each drug lasts, and when a 連續處方箋 may be refilled.

Refill windows not printed on the slip follow the NHI rule for chronic-illness refill
prescriptions (全民健康保險醫療辦法): each later fill is collected within the ten days before the
previous supply runs out. A computed window says so (`source: computed`).

Numbers and dates are read from photos or typed by a person, so each is checked before the plan
counts with it: a supply longer than a year (2800 for 28), a year no slip prints (0115, 9999), a
day no calendar has (2026-02-30) are misreadings, treated as not read, never as a prescription.
"""

from __future__ import annotations

import datetime as dt
import math
from itertools import islice

from rxlens.plan.model import DayRule, LastDaySource, RefillOut
from rxlens.plan.placement import takes_on
from rxlens.result import AnalysisResult, Medication, Refill
from rxlens.vocab.frequency import meaning

REFILL_LEAD_DAYS = 10
LONGEST = 366  # days one fill can last
LAST_FILL = 9  # a slip prints its fills with one digit (第N次, 可調劑N次)
# Within these every sum the plan makes (a year's supply, nine fills, the calendar's zone) is a date.
EARLIEST, LATEST = dt.date(1912, 1, 1), dt.date(2199, 12, 31)


def readable_date(text: str | None) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(text or "")
    except ValueError:
        return None
    return day if EARLIEST <= day <= LATEST else None


def _span(days: int | float | None) -> int | None:
    return int(days) if days is not None and 1 <= days <= LONGEST else None


def positive(x: float | None) -> float | None:
    return x if x is not None and math.isfinite(x) and x > 0 else None


def doses_per_day(med: Medication) -> float | None:
    f = med.frequency
    dose, per_day = positive(med.dose_quantity), positive(f.per_day if f else None)
    if f is None or f.prn or not f.known or dose is None or per_day is None:
        return None
    return dose * per_day


def _total_days(med: Medication, rule: DayRule, start: dt.date) -> int | None:
    """Days the printed total lasts: up to the day before the first dose it cannot cover. Codes
    that skip days take one dose on each day they are taken, counted on those days (QW(1,2): one
    tablet is Monday's, not three and a half days of an average)."""
    daily, total = doses_per_day(med), positive(med.total_quantity)
    if not (daily and total and med.frequency and med.dose_quantity):
        return None
    skips = meaning(med.frequency.code).period is not None
    doses = math.floor(total / (med.dose_quantity if skips else daily) + 1e-6)
    if rule.kind == "daily" or not doses or doses > LONGEST:
        return doses
    taken = (n for n in range(LONGEST + 1) if takes_on(rule, start, None, start + dt.timedelta(days=n)))
    return next(islice(taken, doses, None), LONGEST + 1)


def last_day(
    med: Medication, record: AnalysisResult, start: dt.date, rule: DayRule
) -> tuple[dt.date | None, LastDaySource | None]:
    """The drug's own days; else what the total covers; else the slip's days supply — saying which."""
    if days := _span(med.days):
        return start + dt.timedelta(days=days - 1), "days"
    if days := _span(_total_days(med, rule, start)):
        return start + dt.timedelta(days=days - 1), "total"
    if days := _span(record.days_supply):
        return start + dt.timedelta(days=days - 1), "days_supply"
    return None, None


def run_out(med: Medication, start: dt.date, last: dt.date | None, rule: DayRule) -> dt.date | None:
    """The last day the printed total covers, when it ends before the drug's last day."""
    covered = _total_days(med, rule, start)
    if covered is None or last is None or covered > (last - start).days:
        return None
    return start + dt.timedelta(days=max(covered, 1) - 1)


def supply_days(record: AnalysisResult) -> int | None:
    """One fill's days: the slip's days supply, else the longest drug's days."""
    return _span(record.days_supply) or max(
        (d for m in record.medications if (d := _span(m.days))), default=None
    )


def _printed(refill: Refill, this: int) -> dict[int, tuple[dt.date, dt.date]]:
    """Windows printed for later fills; one with a misread date is left to the NHI rule."""
    out = {}
    for w in refill.windows:
        begin, end = readable_date(w.start), readable_date(w.end)
        if begin and end and begin <= end and this < w.fill <= LAST_FILL:
            out[w.fill] = (begin, end)
    return out


def refills(record: AnalysisResult, index: int, start: dt.date) -> list[RefillOut]:
    """Windows of the fills still to come: as printed, or from the NHI rule when not printed."""
    refill = record.refill
    if refill is None:
        return []
    this = refill.this_fill if refill.this_fill and 1 <= refill.this_fill <= LAST_FILL else 1
    printed = _printed(refill, this)
    out: list[RefillOut] = []
    for fill, (begin, end) in sorted(printed.items()):
        out.append(RefillOut(record=index, fill=fill, start=begin, end=end, source="printed",
                             remind_on=begin - dt.timedelta(days=1)))  # fmt: skip
    days = supply_days(record)
    for fill in range(this + 1, min(refill.fills_allowed or 0, LAST_FILL) + 1):
        if fill in printed or not days:
            continue
        end = start + dt.timedelta(days=(fill - this) * days - 1)
        begin = end - dt.timedelta(days=REFILL_LEAD_DAYS - 1)
        out.append(RefillOut(record=index, fill=fill, start=begin, end=end, source="computed",
                             remind_on=begin - dt.timedelta(days=1)))  # fmt: skip
    return sorted(out, key=lambda r: r.fill)
