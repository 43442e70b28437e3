"""A second look at what a stamp hid from the page-wide read (helpers in reread.py).

- The visit date: it is what refill windows and the plan are counted from, so a page without
  one is read again right of each date label read without its date (a small crop), else in four
  overlapping parts of the page (bench/second_look.py: about two first reads in all). Only date
  and date-label lines are taken, and only when the visit date they give is labelled as one.
- A drug's name: a table row with a frequency and nothing in the name column is read again
  across the name column (lost_names.py).

Pages where nothing is missing pay nothing.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from rxlens.extract.header_dates import find_dates
from rxlens.extract.header_visit import OTHER_DATE_WORDS, visit_date
from rxlens.extract.lost_names import name_boxes, name_lines
from rxlens.extract.reread import Box, Keep, clamp, cut_by, merged, read_parts
from rxlens.images.intake import Photo
from rxlens.layout.rows import group_rows
from rxlens.ocr.base import OcrEngine, TextLine
from rxlens.textnorm import fold

log = logging.getLogger("rxlens.extract")
# Each part spans this share of the page's width and height; neighbours overlap by the rest, so
# a line cut at one part's edge lies whole inside another.
PART = 0.6
# A label's value is read again in a box this many label heights wide, from the label on.
VALUE_WIDTH = 12
MAX_LABELS = 3  # a refill slip prints a 調劑日期 box for each fill, mostly blank


def grid(width: int, height: int) -> list[Box]:
    w, h = int(width * PART), int(height * PART)
    return [(x, y, x + w, y + h) for y in (0, height - h) for x in (0, width - w)]


def _visit_label(text: str) -> bool:
    """A date label that may name the visit: 就醫日期, 調劑日期, 日期 — not 出生日期, 有效期限."""
    text = fold(text)
    return "日期" in text and not OTHER_DATE_WORDS.search(text)


def after_labels(lines: list[TextLine], width: int, height: int) -> list[Box]:
    """Boxes from each date label read without its date to where the date would be printed."""
    boxes = []
    for line in lines:
        if _visit_label(line.text) and not find_dates(line.text, compact=True):
            h = line.bottom - line.top
            box = (line.left - h, line.top - h, line.right + VALUE_WIDTH * h, line.bottom + h)
            boxes.append(clamp(box, (width, height)))
    return boxes[:MAX_LABELS]


def _date_lines(size: tuple[int, int]) -> Keep:
    """Dates and date labels the crop did not cut."""

    def keep(line: TextLine, part: Box) -> bool:
        dated = bool(find_dates(line.text, compact=True)) or "日期" in fold(line.text)
        return dated and not cut_by(line, part, size)

    return keep


def labelled(cell: TextLine, value: str, lines: list[TextLine]) -> bool:
    """The visit date `value` in `cell` follows a visit-date label: in its cell, else in the
    nearest line before it at its height."""
    text = fold(cell.text)
    own = next((h for h in find_dates(text, compact=True) if h.iso == value), None)
    if own is not None and _visit_label(text[: own.start]):
        return True
    slack = cell.bottom - cell.top  # boxes of a tilted or stamped line overlap a little
    before = [
        o
        for o in lines
        if o is not cell and o.right <= cell.left + slack and o.top < cell.bottom and cell.top < o.bottom
    ]
    return bool(before) and _visit_label(max(before, key=lambda o: o.right).text)


@dataclass(frozen=True)
class _Look:
    """One photo's second look: its engine, and when no more crops may begin."""

    photo: Photo
    engine: OcrEngine
    deadline: float

    def read(self, lines: list[TextLine], parts: list[Box], keep: Keep) -> list[TextLine]:
        return read_parts(self.photo, lines, parts, self.engine, keep, self.deadline)


def _with_parts(look: _Look, lines: list[TextLine], parts: list[Box]) -> list[TextLine] | None:
    """The page's lines with what `parts` read of dates, when that gives a labelled visit date."""
    new = look.read(lines, parts, _date_lines(look.photo.image.size))
    both = merged(lines, new)
    found = visit_date(group_rows(both)) if new else None
    if found is None:
        return None
    value = str(found.value)
    cells = [c for c in found.row.cells if any(h.iso == value for h in find_dates(c.text, compact=True))]
    return both if any(labelled(cell, value, both) for cell in cells) else None


def _date_again(look: _Look, lines: list[TextLine]) -> list[TextLine]:
    if visit_date(group_rows(lines)):
        return lines
    size = look.photo.image.size
    for parts in (after_labels(lines, *size), grid(*size)):
        if parts and (both := _with_parts(look, lines, parts)):
            return both
    return lines


def _names_again(look: _Look, lines: list[TextLine]) -> list[TextLine]:
    boxes = name_boxes(lines, look.photo.image.size)
    return merged(lines, look.read(lines, boxes, name_lines(look.photo.image.size))) if boxes else lines


def second_look(photo: Photo, lines: list[TextLine], engine: OcrEngine, seconds: float) -> list[TextLine]:
    """`lines`, with what a second look found of a lost visit date and lost drug names; no crop
    is begun after `seconds` (0: no second look), so it stays within the OCR stage's time. The
    page must have been read upright (a turned page's boxes are in another frame). The first
    read stands whatever happens here: a failure of this extra look is logged, not raised."""
    if seconds <= 0 or not lines or any(line.rotation for line in lines):
        return lines
    look = _Look(photo, engine, time.monotonic() + seconds)
    try:
        return _names_again(look, _date_again(look, lines))
    except Exception as exc:  # noqa: BLE001 - an optional extra read must not fail a read page
        log.warning("second look failed on photo %d: %s", photo.index + 1, type(exc).__name__)
        return lines
