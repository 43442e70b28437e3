"""Dates as slips print them: ROC (114/03/13, 114年05月08日, 114.4.15) and Western (2025-04-16,
2025/5/8, 20250416), each with where it sits in the text so labels can be read around it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rxlens.textnorm import fold

_DATE_RES = [
    re.compile(r"(?:民國)\s*(\d{2,3})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?"),
    re.compile(r"(?<!\d)(\d{2,4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?"),
    re.compile(r"(?<![\d/.-])(\d{2,4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?![\d/.])"),
]
# Digits run together — Western 20250416 or ROC 1140416, as NHI forms print them — are a date
# only when a label or a time of day says so: IDs look the same. OCR glues the time on
# (2025041408:35), so the date may end where a time starts.
_COMPACT_RE = re.compile(r"(?<!\d)((?:19|20)\d{2}|1[01]\d)(\d{2})(\d{2})(?=\d{2}:\d{2}|(?!\d))")
# … and an ROC date whose second dot OCR lost (`調劑日期：113.0630`).
_ROC_ONE_DOT_RE = re.compile(r"(?<![\d/.-])(1[01]\d)\.(\d{2})(\d{2})(?![\d/.])")
# A day without a year (03月31日), as refill windows print them under a dated header.
_MONTH_DAY_RE = re.compile(r"(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*日")


@dataclass(frozen=True, slots=True)
class DateHit:
    iso: str
    start: int
    end: int


def _iso(year: int, month: int, day: int) -> str | None:
    year = year + 1911 if year < 1911 else year  # ROC years (民國) are < 1911
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def find_dates(text: str, compact: bool = False) -> list[DateHit]:
    """Every date in `text`, left to right (positions refer to the NFKC-folded text, which
    keeps the length of CJK and ASCII text)."""
    folded, hits = fold(text), []
    taken: set[int] = set()
    for pattern in _DATE_RES + ([_COMPACT_RE, _ROC_ONE_DOT_RE] if compact else []):
        for m in pattern.finditer(folded):
            if taken & set(range(m.start(), m.end())):
                continue
            if iso := _iso(*(int(g) for g in m.groups())):
                hits.append(DateHit(iso, m.start(), m.end()))
                taken |= set(range(m.start(), m.end()))
    return sorted(hits, key=lambda h: h.start)


def parse_date(text: str) -> str | None:
    hits = find_dates(text)
    return hits[0].iso if hits else None


def month_days(text: str, year: int) -> list[DateHit]:
    """Days printed without a year, placed in `year`."""
    return [
        DateHit(iso, m.start(), m.end())
        for m in _MONTH_DAY_RE.finditer(fold(text))
        if (iso := _iso(year, int(m.group(1)), int(m.group(2))))
    ]
