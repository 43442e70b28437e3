"""The visit date (就醫日期): a date read with the label printed before it or above it."""

from __future__ import annotations

import re
from datetime import date

from rxlens.extract.header_base import CJK, Found, below, cell_at
from rxlens.extract.header_dates import DateHit, find_dates
from rxlens.layout.rows import Row
from rxlens.textnorm import fold

VISIT_LABEL = re.compile(
    r"就醫日期|就診日期|開立日期|開方日期|看診日期|門診日期|處方日期|調劑日期|領藥日期|就醫|就診|日期"
)
# Dates that are never the visit: birth, validity, refill windows, next visit, ranges, printing.
# (Compound labels come first so 出生日期 is not read as 出生 + 日期.)
OTHER_DATE_WORDS = re.compile(
    r"出生日期|出生|生日|有效日期|有效|期限|期間|截止|回診日期|回診|預約|領藥(?!日期)|列印|印表"
)
OTHER_LABEL = re.compile(rf"{OTHER_DATE_WORDS.pattern}|[~～至]")
# A dispensing date is the visit on a first fill only; a plain 日期 may be any date.
_LABEL_WEIGHT = {"調劑日期": 2.5, "領藥日期": 2.5, "日期": 2.0}
_ANY_LABEL = re.compile(f"{VISIT_LABEL.pattern}|{OTHER_LABEL.pattern}")
# A box label is alone in its cell, with at most which fill it is for (第二次領藥); a cell with
# more words (第1頁，共1頁 第3次領藥) is a line of text, not a label over what is under it.
_BOX_LABEL_REST = re.compile(f"{_ANY_LABEL.pattern}|第\\s*\\S\\s*次")
_CLOCK_AFTER = re.compile(r"^\s*\d{1,2}:\d{2}")
_RANGE_AFTER = re.compile(r"^\s*[~～至]")
# No slip we are sent is older than this; an earlier year is a misread (民國11年 for 111年).
_FIRST_YEAR = 1990
STAMP_HEIGHT = 1.5  # times the print's median line height


def _labels_above(rows: list[Row]) -> dict[int, str]:
    """Cells printed under a date label with no date of its own (boxed forms put 就醫日期 or
    有效期限 over the value): id of the cell → that label."""
    marks: dict[int, str] = {}
    for row in rows:
        for cell in row.cells:
            text = fold(cell.text)
            labels = _ANY_LABEL.findall(text)
            alone = not re.search(f"[{CJK}]", _BOX_LABEL_REST.sub("", text))
            if labels and alone and not find_dates(cell.text, compact=True):
                for _, under in below(rows, cell):
                    marks.setdefault(id(under), labels[-1])
    return marks


def _score(text: str, hit: DateHit, label: str | None) -> float | None:
    """How surely a date is the visit date, from its label."""
    if (label and OTHER_LABEL.fullmatch(label)) or _RANGE_AFTER.match(text[hit.end :]):
        return None
    compact = re.fullmatch(r"\d+(?:\.\d{4})?", text[hit.start : hit.end])
    if not label and compact and not _CLOCK_AFTER.match(text[hit.end :]):
        return None  # 20250416, 1140416 or 114.0416 alone may be any number; with a time it is a date
    score = _LABEL_WEIGHT.get(label, 3.0) if label else 1.0
    if _CLOCK_AFTER.match(text[hit.end :]):
        score -= 0.5  # a print or issue time stamp
    return score


def _plausible(iso: str) -> bool:
    return _FIRST_YEAR <= int(iso[:4]) <= date.today().year + 1


def _restored(text: str, hit: DateHit, years: set[int]) -> DateHit | None:
    """A visit in a year no slip we read is from (民國11年, 1922) lost a digit to a stamp or to
    OCR: the year of another date on the page that prints those digits and one more restores it;
    with no such year, or two, the date is not read."""
    if _plausible(hit.iso):
        return hit
    printed = re.match(r"\D*(\d+)", text[hit.start : hit.end])
    digits = printed.group(1) if printed else ""
    fits = {
        year
        for year in years
        for form in (str(year), str(year - 1911))
        if any(form[:k] + form[k + 1 :] == digits for k in range(len(form)))
    }
    if len(fits) != 1:
        return None
    try:
        return DateHit(date.fromisoformat(hit.iso).replace(year=fits.pop()).isoformat(), hit.start, hit.end)
    except ValueError:  # 29 February in another year
        return None


def _print_height(rows: list[Row]) -> float:
    heights = sorted(cell.height for row in rows for cell in row.cells)
    return heights[len(heights) // 2] if heights else 0.0


def _stamped(row: Row, at: int, print_height: float) -> bool:
    """A date in ink far taller than the print around it is a stamp (dispensed, received), put
    on after the slip was printed: not the visit the slip was printed for."""
    return print_height > 0 and cell_at(row, at).height > STAMP_HEIGHT * print_height


def visit_date(rows: list[Row]) -> Found | None:
    """The 就醫日期 when labelled, else the highest unlabelled date that is no other kind."""
    above, print_height = _labels_above(rows), _print_height(rows)
    years = {int(h.iso[:4]) for row in rows for h in find_dates(row.text) if _plausible(h.iso)}
    best: tuple[float, Found] | None = None
    for i, row in enumerate(rows):
        text, start = fold(row.text), 0
        for read in find_dates(row.text, compact=True):
            before = _ANY_LABEL.findall(text[start : read.start])
            label = before[-1] if before else above.get(id(cell_at(row, read.start)))
            start = read.end
            hit = _restored(text, read, years)
            score = _score(text, hit, label) if hit else None
            if hit is None or score is None:
                continue
            score += 1.0 - i / max(len(rows), 1) - (1.0 if _stamped(row, read.start, print_height) else 0.0)
            if best is None or score > best[0]:
                best = (score, Found(hit.iso, row, row.text))
    return best[1] if best else None
