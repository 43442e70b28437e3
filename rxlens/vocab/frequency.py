"""One frequency grammar for the whole product: NHI codes (2022 list), hospital shorthands, Chinese.

Source list: /work/shared/data/codes/nhi_medication_frequency_2022.csv (see PROVENANCE.md there).
A printed expression is read as pieces — frequency, timing (AC/PC/HS/CC, AC30M), as-needed (PRN,
需要時, 每日不超過3次) — joined when only fillers (spaces, 口服, 每次1錠 …) lie between them.
Anything that looks like a code but is not in the grammar (QIO, HSO) is kept as printed with
known=False: a wrong guess (QIO → QID) would change how often a patient takes a drug.

Choices where the sources leave room:
- Q1D → QD, Q2D → QOD, Q1W → QW, QAM → QDAM, QPM → QDPM (same meaning, one canonical code),
  Q0D → QOD (its O read as a zero);
  hour codes stay hours (Q24H is not rewritten to QD: it is clock-based).
- Q24H, Q30H, Q48H are filed under PRN in the NHI list; here they are scheduled (prn=False)
  unless PRN is printed with them.
- Combinations (QD&HS, QAM&HS, BID&HS …) keep the combination as code; their timing is None
  because HS is one of the doses, not when all doses are taken.
- QxHPRN keeps the schedule's per_day (Q4HPRN → 6) with prn=True: it is the most a day.
- 早餐前空腹 → QD timing AC; 每日一次 睡前服用 → QD timing HS; 睡前 alone → HS timing HS.
- Ranges (每4~6小時, Q4-6H) have no fixed count: per_day None, max_per_day from the shorter interval.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from rxlens.result import FrequencyOut
from rxlens.vocab.frequency_zh import Piece
from rxlens.vocab.frequency_zh import pieces as zh_pieces


@dataclass(frozen=True, slots=True)
class Frequency:
    printed: str  # verbatim from the input
    count: str  # frequency part as printed (upper, no spaces, suffixes split off); Chinese: the code
    code: str  # canonical
    per_day: float | None  # doses a day; a fraction for weekly codes; None: no fixed count
    weekdays: tuple[int, ...]  # 1 = Monday … 7 = Sunday
    timing: str | None  # AC | PC | HS | CC
    timing_minutes: int | None
    prn: bool
    known: bool
    max_per_day: int | None
    span: tuple[int, int]  # in the input text


class Meaning(NamedTuple):
    code: str
    per_day: float | None
    weekdays: tuple[int, ...] = ()
    known: bool = True
    period: tuple[int, float] | None = None  # (doses, days) for codes that skip days
    max_per_day: int | None = None


_FIXED: dict[str, float | None] = {
    "QD": 1, "QDAM": 1, "QDPM": 1, "QDHS": 1, "QN": 1, "HS": 1, "BID": 2, "TID": 3, "QID": 4,
    "QD&HS": 2, "QAM&HS": 2, "QPM&HS": 2, "QAM&PM": 2, "BID&HS": 3, "TID&HS": 4,
    "QOD": 0.5, "QW": 1 / 7, "BIW": 2 / 7, "TIW": 3 / 7,
    "STAT": None, "ONCE": None, "ASORDER": None, "PRN": None,
}  # fmt: skip
_PERIOD: dict[str, tuple[int, float]] = {"QOD": (1, 2.0), "QW": (1, 7.0), "BIW": (2, 7.0), "TIW": (3, 7.0)}
# Q0D is QOD with its O read as a zero (every 0 days means nothing else).
_ALIAS = {
    "QAM": "QDAM", "QPM": "QDPM", "ASORDERED": "ASORDER",
    "Q1D": "QD", "Q2D": "QOD", "Q1W": "QW", "Q0D": "QOD",
}  # fmt: skip
_MISREAD = {"Q0D"}
_DAYS_PER = {"D": 1, "W": 7, "M": 30}
_HS_CODES = {"HS", "QDHS"}

_EVERY = re.compile(r"Q(\d{1,3})(MN|H|D|W|M)")
# OCR reads QW(1,3,5) as QW(1.3,5), QW(13,5 or QW(1,35): each day is one digit, so the
# separators and the closing bracket may go missing without changing what it says.
_WEEKDAYS = re.compile(r"QW\(([1-7](?:[,.]?[1-7])*)\)?|QW([1-7]{1,7})")
_RANGE = re.compile(r"Q(\d{1,2})-(\d{1,2})H")
_CYCLE = re.compile(r"([1-9])W([1-7])D")
_MENSES = re.compile(r"MCD(\d{1,2})D(\d{1,2})")

_S = r"[ \t]?"  # printed codes are sometimes spaced (TID PC, Q 8 H), never across lines
_F = (
    rf"QW{_S}\({_S}[1-7](?:{_S}[,、.]?{_S}[1-7])*{_S}\)|QW\([1-7](?:[,、.]?[1-7])*(?![\d)])|QW[1-7]{{1,7}}"
    rf"|(?:QAM|QPM|BID|TID|QD){_S}&{_S}HS|QAM{_S}&{_S}PM"
    rf"|Q{_S}\d{{1,2}}{_S}-{_S}\d{{1,2}}{_S}H|Q{_S}\d{{1,3}}{_S}(?:MN|H|D|W|M)"
    r"|(?<!\d)[1-9]W[1-7]D|MCD\d{1,2}D\d{1,2}"
    rf"|QDAM|QDPM|QDHS|QAM|QPM|QOD|QID|TID|BID|QD|QN|QW|BIW|TIW|HS|STAT|ONCE|AS{_S}ORDER(?:ED)?|PRN"
)
_T = rf"(?:AC|PC)(?:{_S}\d{{1,3}}{_S}(?:MIN|M|HRS?|H))?|CC|HS"
# Letters on either side mean a word (QUDEXY, HSA, TIDACT), unless they are the route printed
# next and glued on by OCR (`Q2HOU`, `BIDPO`); a digit after means a number, unless it starts a
# Chinese wording of the same code that OCR glued on (`QD1天1次`).
_ROUTE = r"(?:PO|OU|OD|OS|AU)(?![A-Z])"
_GLUED_ZH = rf"(?:(?={_ROUTE})|(?![A-Z]|\d+(?![天日次\d])))"
_LATIN = re.compile(rf"(?<![A-Z])(?P<f>{_F})(?:{_S}(?P<t>{_T}))?(?:{_S}(?P<p>PRN))?{_GLUED_ZH}")
_MINUTES = re.compile(r"(\d+)(MIN|M|HRS?|H)")
# Code-like tokens outside the grammar, only standing alone; QTY is the label 數量 on bags.
_UNKNOWN = re.compile(r"(?<![A-Z0-9&(])(?:Q[A-Z][A-Z0-9]{1,2}|HSO)(?![A-Z0-9&)])(?!(?<=\d)[天日次])")
_NOT_CODES = {"QTY"}
_CODE_AND_ROUTE = re.compile(rf"(?:{_F}){_ROUTE}")
_GAP = re.compile(
    r"(?:[\s,、;:/()。.~\-*]|口服|服用|使用|內服|外用|及|和|且|並|各"
    r"|每次\s*[\d./一二兩三四半]+\s*(?:錠|顆|粒|包|片|膠囊|毫升|ML|CC|TABS?|CAPS?)?)*"
)
_CELL_REST = re.compile(r"[\s,.;:/、。]*")


@lru_cache(maxsize=1024)
def meaning(count: str) -> Meaning:
    """What a compact, upper-case frequency part means; unknown ones are kept as printed."""
    count = _ALIAS.get(count, count)
    if count in _FIXED:
        return Meaning(count, _FIXED[count], period=_PERIOD.get(count))
    if (m := _WEEKDAYS.fullmatch(count)) and _ascending(digits := re.sub(r"\D", "", m[1] or m[2])):
        days = tuple(int(d) for d in digits)
        code = "QW(" + ",".join(map(str, days)) + ")"
        return Meaning(code, len(days) / 7, days, period=(len(days), 7.0))
    if m := _EVERY.fullmatch(count):
        return _every(int(m[1]), m[2], count)
    if (m := _RANGE.fullmatch(count)) and 0 < int(m[1]) < int(m[2]):
        return Meaning(f"Q{int(m[1])}-{int(m[2])}H", None, max_per_day=24 // int(m[1]))
    if m := _CYCLE.fullmatch(count):
        weeks, doses = int(m[1]), int(m[2])
        return Meaning(f"{weeks}W{doses}D", doses / (7 * weeks), period=(doses, 7.0 * weeks))
    if (m := _MENSES.fullmatch(count)) and 0 < int(m[1]) <= int(m[2]):
        return Meaning(f"MCD{int(m[1])}D{int(m[2])}", None)  # days of the cycle, not of the supply
    return Meaning(count, None, known=False)


def _ascending(digits: str) -> bool:
    """Weekdays print in order; QW(1,3 2 read as QW(1,3,2) is a dose glued on, not a day."""
    return all(a < b for a, b in zip(digits, digits[1:], strict=False))


def _every(x: int, unit: str, printed: str) -> Meaning:
    code = f"Q{x}{unit}"
    if x == 0:
        return Meaning(printed, None, known=False)
    if code in _ALIAS:
        return meaning(_ALIAS[code])
    if unit == "MN":
        return Meaning(code, 24 * 60 / x)
    if unit == "H":
        return Meaning(code, 24 / x, period=(1, x / 24) if x > 24 else None)
    days = x * _DAYS_PER[unit]
    return Meaning(code, 1 / days, period=(1, float(days)))


def _fold(text: str) -> tuple[str, list[int] | None]:
    """NFKC + upper case, with where each folded character came from (None: the same place)."""
    folded = unicodedata.normalize("NFKC", text).upper()
    if len(folded) == len(text):
        return folded, None  # full-width forms fold one to one: the common case, kept cheap
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        piece = unicodedata.normalize("NFKC", ch).upper()
        chars.append(piece)
        origin.extend([i] * len(piece))
    return "".join(chars), origin


def _latin(folded: str) -> list[Piece]:
    found = []
    for m in _LATIN.finditer(folded):
        count = re.sub(r"[ \t]", "", m["f"]).replace("、", ",")
        said = meaning(count)
        # QW(2.4,6 as read is QW(2,4,6); Q0D is QOD with its O read as a zero: the printed code
        # is what the ink says, not what OCR made of it.
        count = said.code if count.startswith("QW(") or count in _MISREAD else count
        timing = minutes = None
        if m["t"]:
            t = re.sub(r"[ \t]", "", m["t"])
            timing = t[:2]
            if unit := _MINUTES.search(t):
                minutes = int(unit[1]) * (60 if unit[2].startswith("H") else 1)
        prn = bool(m["p"]) or said.code == "PRN"
        found.append(
            Piece(m.start(), m.end(), count, said.code, timing, minutes, prn, None, said.code, said.known)
        )
    return found


def _unknown(folded: str) -> list[Piece]:
    # An unconfirmed code that opens with HS (`HSO` on an eye ointment) still says bedtime;
    # how often stays unknown and the code is kept as printed.
    # A zero right after a letter in one is the letter O misread (`QI0` printed QIO): no code
    # writes a number there, so the code reads with the letter; the printed text stays as read.
    # A known code with its route glued on (QDPO) is that code, not an unknown one.
    return [
        _unknown_piece(m)
        for m in _UNKNOWN.finditer(folded)
        if m[0] not in _NOT_CODES and not _CODE_AND_ROUTE.fullmatch(m[0])
    ]


def _unknown_piece(m: re.Match[str]) -> Piece:
    code = re.sub(r"(?<=[A-Z])0(?!\d)", "O", m[0])
    return Piece(m.start(), m.end(), code, code, "HS" if code[:2] == "HS" else None, alone=code, known=False)


def _chosen(found: list[Piece]) -> list[Piece]:
    """Non-overlapping pieces, left to right; the longest wins, then a known one."""
    kept: list[Piece] = []
    for p in sorted(found, key=lambda p: (p.start, p.start - p.end, not p.known)):
        if not kept or p.start >= kept[-1].end:
            kept.append(p)
    return kept


def _joins(group: list[Piece], p: Piece, folded: str) -> bool:
    last = group[-1]
    if not (p.known and last.known) or not _GAP.fullmatch(folded, last.end, p.start):
        return False
    code = next((q.code for q in group if q.code), None)
    timing = next((q.timing for q in group if q.timing), None)
    return not (p.code and code and p.code != code) and not (p.timing and timing and p.timing != timing)


def _groups(folded: str) -> list[list[Piece]]:
    groups: list[list[Piece]] = []
    for p in _chosen(_latin(folded) + _unknown(folded) + zh_pieces(folded)):
        if groups and _joins(groups[-1], p, folded):
            groups[-1].append(p)
        else:
            groups.append([p])
    return groups


def _build(group: list[Piece], text: str, origin: list[int] | None) -> Frequency | None:
    head = next((p for p in group if p.code), None)
    alone = sorted((p.alone for p in group if p.alone), key=lambda a: a == "PRN")  # 失眠時 睡前 → HS, prn
    code = head.code if head and head.code else next(iter(alone), None)
    if code is None:
        return None  # timing words alone (飯後, PC) say when, not how often
    said = meaning(code)
    timing = next((p.timing for p in group if p.timing), "HS" if said.code in _HS_CODES else None)
    start, end = group[0].start, group[-1].end
    span = (origin[start], origin[end - 1] + 1) if origin else (start, end)
    prn = any(p.prn for p in group) or said.code == "PRN"
    most = next((p.max_per_day for p in group if p.max_per_day), said.max_per_day)
    # As needed has no fixed count a day: BIDPRN and Q4HPRN say how often at most, which the
    # plan must never schedule and the arithmetic check must not expect.
    most = most or (int(said.per_day) if prn and said.per_day and said.per_day >= 1 else None)
    return Frequency(
        printed=text[span[0] : span[1]],
        count=head.count or code if head else code,
        code=said.code,
        per_day=None if prn else said.per_day,
        weekdays=said.weekdays,
        timing=timing,
        timing_minutes=next((p.minutes for p in group if p.minutes), None),
        prn=prn,
        known=said.known and all(p.known for p in group),
        max_per_day=most,
        span=span,
    )


def _scan(text: str) -> tuple[list[Frequency], list[tuple[int, int]]]:
    """The frequencies, and the spans of every usage piece (timing words included)."""
    folded, origin = _fold(text)
    found: list[Frequency] = []
    spans: list[tuple[int, int]] = []
    for group in _groups(folded):
        if f := _build(group, text, origin):
            found.append(f)
            spans.append(f.span)
        else:
            start, end = group[0].start, group[-1].end
            spans.append((origin[start], origin[end - 1] + 1) if origin else (start, end))
    return found, spans


def find_all(text: str) -> list[Frequency]:
    return _scan(text)[0]


def find(text: str) -> Frequency | None:
    found = find_all(text)
    return found[0] if found else None


def parse(text: str) -> Frequency | None:
    """The whole text (a table cell) as one frequency expression, or None."""
    found = find_all(text)
    if len(found) != 1:
        return None
    f = found[0]
    rest = unicodedata.normalize("NFKC", text[: f.span[0]] + " " + text[f.span[1] :])
    return f if _CELL_REST.fullmatch(rest) else None


@lru_cache(maxsize=1024)
def per_day(code: str) -> float | None:
    """Doses a day for a canonical or printed code (None: no fixed count, or not a code)."""
    f = parse(code)
    return f.per_day if f else None


def period(code: str) -> tuple[int, float] | None:
    """(doses, days) for codes that do not repeat every day: QOD (1, 2), QW(1,3,5) (3, 7) …"""
    f = parse(code)
    return meaning(f.code).period if f and f.known else None


def strip(text: str) -> str:
    """The text without frequency expressions and timing words (so `TIDAC 每次1錠` is no drug name)."""
    out = text
    for start, end in reversed(_scan(text)[1]):
        out = out[:start] + " " + out[end:]
    return re.sub(r"[ \t]{2,}", " ", out).strip()


def to_out(f: Frequency) -> FrequencyOut:
    return FrequencyOut(
        code=f.code,
        per_day=f.per_day,
        weekdays=list(f.weekdays),
        timing=f.timing,
        timing_minutes=f.timing_minutes,
        prn=f.prn,
        known=f.known,
    )
