"""Frequency codes and what they mean, written from the NHI code list (藥品使用頻率, 2022-08-02)
and the hospital shorthands seen on real slips — never from the extractor's grammar, so the
evaluation can find wording the extractor does not know.

NHI prints a code as frequency + timing + PRN run together (QDAMAC30M, QDHSPRN, TIDPC);
hospitals add their own shorthands (QD&HS, QW135, Q4HPRN) and eye clinics local ones (QIO, HSO)
whose meaning nobody has confirmed: those are kept verbatim with known=False.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Meaning:
    per_day: float | None  # None: no fixed count (PRN, STAT, ASORDER, unknown)
    weekdays: tuple[int, ...] = ()
    implied_timing: str | None = None  # HS and QDHS mean bedtime by themselves
    known: bool = True


WEEK = 1 / 7
# The NHI list (daily and non-daily groups) plus the shorthands of PROVENANCE.md.
MEANINGS: dict[str, Meaning] = {
    "QD": Meaning(1),
    "QDAM": Meaning(1),
    "QDPM": Meaning(1),
    "QDHS": Meaning(1, implied_timing="HS"),
    "QN": Meaning(1),
    "HS": Meaning(1, implied_timing="HS"),
    "BID": Meaning(2),
    "QAM&HS": Meaning(2),
    "QAM&PM": Meaning(2),
    "QD&HS": Meaning(2),  # hospital shorthand: daily and at bedtime
    "TID": Meaning(3),
    "BID&HS": Meaning(3),
    "QID": Meaning(4),
    "TID&HS": Meaning(4),
    "Q2H": Meaning(12),
    "Q4H": Meaning(6),
    "Q6H": Meaning(4),
    "Q8H": Meaning(3),
    "Q12H": Meaning(2),
    "Q24H": Meaning(1),
    "QOD": Meaning(0.5),
    "Q3D": Meaning(1 / 3),
    "QW": Meaning(WEEK),
    "Q2W": Meaning(WEEK / 2),
    "BIW": Meaning(2 * WEEK),
    "TIW": Meaning(3 * WEEK),
    "QW(1,3,5)": Meaning(3 * WEEK, (1, 3, 5)),
    "QW135": Meaning(3 * WEEK, (1, 3, 5)),  # hospital shorthand of QW(1,3,5)
    "QW(2,4,6)": Meaning(3 * WEEK, (2, 4, 6)),
    "QW(1,4)": Meaning(2 * WEEK, (1, 4)),
    "QW(7)": Meaning(WEEK, (7,)),
    "STAT": Meaning(None),
    "ONCE": Meaning(None),
    "ASORDER": Meaning(None),
    "PRN": Meaning(None),
    "QIO": Meaning(None, known=False),  # seen on eye drops; meaning not confirmed
    "HSO": Meaning(None, implied_timing="HS", known=False),  # eye ointment; not confirmed
    "QAO": Meaning(None, known=False),
}
PRN_CAPABLE = {"Q4H", "Q6H", "Q8H", "Q12H", "QD", "QDHS", "HS", "BID", "TID"}
MEAL_CAPABLE = {"QD", "QDAM", "QDPM", "BID", "TID", "QID"}


@dataclass(frozen=True)
class Usage:
    """One printed frequency and its meaning (the truth of one drug's 用法)."""

    printed: str
    code: str  # the frequency part as printed, or the standard code a Chinese wording means
    timing: str | None
    per_day: float | None
    weekdays: tuple[int, ...]
    prn: bool
    known: bool


def usage(printed: str, code: str, timing: str | None = None, prn: bool = False) -> Usage:
    meaning = MEANINGS[code]
    per_day = None if prn else meaning.per_day
    return Usage(
        printed, code, timing or meaning.implied_timing, per_day, meaning.weekdays, prn, meaning.known
    )


def doses(u: Usage, days: int) -> int | None:
    """How many doses `days` of this usage take: weekly codes round up, as pharmacies dispense."""
    if u.per_day is None:
        return None
    count = u.per_day * days
    return int(count) if count == int(count) else int(count) + 1
