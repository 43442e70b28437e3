"""A second look for the visit date when the page-wide read found none.

The detector sees the whole page shrunk to its working size, and a stamp over the 就醫日期 cell
can leave the date's strokes just below its box threshold: the line is lost, or merged with the
stamp into one box read as noise (`113/41`). The same cell read again in a part of the page is
found at full size and without the stamp's neighbours. The date is what refill windows and the
plan are counted from, so a page without one is read again: right of each date label read
without its date (a small crop), else in four overlapping parts of the page (about one and a
half reads of it). Only date and date-label lines are taken from what is read again, and only
when the visit date they give is labelled as one. Pages with a date pay nothing.
"""

from __future__ import annotations

import dataclasses
import logging
import re

from rxlens.extract.header_dates import find_dates
from rxlens.extract.header_visit import OTHER_DATE_WORDS, visit_date
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
MIN_SIDE = 16  # px: a smaller crop holds no line
EDGE = 3  # px: a line this near a part's inner edge was cut by it

Box = tuple[int, int, int, int]


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
            x0, y0 = max(0, int(line.left - h)), max(0, int(line.top - h))
            x1, y1 = min(width, int(line.right + VALUE_WIDTH * h)), min(height, int(line.bottom + h))
            boxes.append((x0, y0, x1, y1))
    return boxes


def _shifted(line: TextLine, x: int, y: int) -> TextLine:
    a, b, c, d = ((px + x, py + y) for px, py in line.box)
    return dataclasses.replace(line, box=(a, b, c, d))


def _inside(line: TextLine, other: TextLine) -> bool:
    cx, cy = (line.left + line.right) / 2, line.centre
    return other.left <= cx <= other.right and other.top <= cy <= other.bottom


def _overlap(a: TextLine, b: TextLine) -> bool:
    return a.left < b.right and b.left < a.right and a.top < b.bottom and b.top < a.bottom


def _bare(text: str) -> str:
    return re.sub(r"\s", "", fold(text))


def _fragment(line: TextLine, lines: list[TextLine]) -> bool:
    """A part's cut of a line the page-wide read has whole (`114/1/8` of `有效期限：114/1/8`)."""
    text = _bare(line.text)
    return any(_overlap(line, old) and text in _bare(old.text) for old in lines)


def cut_by(line: TextLine, part: Box, size: tuple[int, int]) -> bool:
    """The line touches an edge of the part inside the page: the part cut it, and another part
    (or the page-wide read) has it whole (`就醫日期：113/04/2` of `…113/04/25`)."""
    (x0, y0, x1, y1), (width, height) = part, size
    return (
        (x0 > 0 and line.left - x0 < EDGE)
        or (y0 > 0 and line.top - y0 < EDGE)
        or (x1 < width and x1 - line.right < EDGE)
        or (y1 < height and y1 - line.bottom < EDGE)
    )


def _wanted(line: TextLine) -> bool:
    return bool(find_dates(line.text, compact=True)) or "日期" in fold(line.text)


def _read_part(photo: Photo, part: Box, engine: OcrEngine) -> list[TextLine]:
    """Date and label lines read in one part, whole, in page coordinates."""
    x0, y0, x1, y1 = part
    if min(x1 - x0, y1 - y0) < MIN_SIDE:
        return []
    crop = dataclasses.replace(photo, image=photo.image.crop(part))
    shifted = [_shifted(line, x0, y0) for line in engine.read(crop) if line.rotation == 0 and _wanted(line)]
    return [line for line in shifted if not cut_by(line, part, photo.image.size)]


def _read_parts(photo: Photo, lines: list[TextLine], parts: list[Box], engine: OcrEngine) -> list[TextLine]:
    """What the parts read that the page-wide read lacks, each line once."""
    found: list[TextLine] = []
    for part in parts:
        for line in _read_part(photo, part, engine):
            if not _fragment(line, lines) and not any(_inside(line, seen) for seen in found):
                found.append(line)
    return found


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


def _with_parts(
    photo: Photo, lines: list[TextLine], parts: list[Box], engine: OcrEngine
) -> list[TextLine] | None:
    """The page's lines with what `parts` read of dates, when that gives a labelled visit date."""
    new = _read_parts(photo, lines, parts, engine)
    merged = [old for old in lines if not any(_inside(old, line) for line in new)] + new
    found = visit_date(group_rows(merged)) if new else None
    if found is None:
        return None
    value = str(found.value)
    cells = [c for c in found.row.cells if any(h.iso == value for h in find_dates(c.text, compact=True))]
    return merged if any(labelled(cell, value, merged) for cell in cells) else None


def second_look(photo: Photo, lines: list[TextLine], engine: OcrEngine) -> list[TextLine]:
    """`lines`, or with the date lines a second look found when the page-wide read had none.
    The page must have been read upright (a turned page's boxes are in another frame). The first
    read stands whatever happens here: a failure of this extra look is logged, not raised."""
    if not lines or any(line.rotation for line in lines) or visit_date(group_rows(lines)):
        return lines
    size = photo.image.size
    try:
        for parts in (after_labels(lines, *size), grid(*size)):
            if parts and (merged := _with_parts(photo, lines, parts, engine)):
                return merged
    except Exception as exc:  # noqa: BLE001 - an optional extra read must not fail a read page
        log.warning(
            "second look for the visit date failed on photo %d: %s", photo.index + 1, type(exc).__name__
        )
    return lines
