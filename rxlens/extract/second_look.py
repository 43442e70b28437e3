"""A second look for the visit date when the page-wide read found none.

The detector sees the whole page shrunk to its working size, and a stamp over the 就醫日期 cell
can leave the date's strokes just below its box threshold: the line is lost, or merged with the
stamp into one box read as noise (`113/41`). The same cell read again in a part of the page is
found at full size and without the stamp's neighbours. The date is what refill windows and the
plan are counted from, so a page without one is read again: right of each date label read
without its date (a small crop), else in four overlapping parts of the page (about one and a
half reads of it). Only date and date-label lines are taken from what is read again, and only
when they give a labelled visit date. Pages with a date pay nothing.
"""

from __future__ import annotations

import dataclasses
import re

from rxlens.extract.header_dates import find_dates
from rxlens.extract.header_visit import OTHER_LABEL, VISIT_LABEL, visit_date
from rxlens.images.intake import Photo
from rxlens.layout.rows import group_rows
from rxlens.ocr.base import OcrEngine, TextLine
from rxlens.textnorm import fold

# Each part spans this share of the page's width and height; neighbours overlap by the rest, so
# a line cut at one part's edge lies whole inside another.
PART = 0.6
# A label's value is read again in a box this many label heights wide, from the label on.
VALUE_WIDTH = 12

Box = tuple[int, int, int, int]


def grid(width: int, height: int) -> list[Box]:
    w, h = int(width * PART), int(height * PART)
    return [(x, y, x + w, y + h) for y in (0, height - h) for x in (0, width - w)]


def after_labels(lines: list[TextLine], width: int, height: int) -> list[Box]:
    """Boxes from each date label read without its date to where the date would be printed."""
    boxes = []
    for line in lines:
        text = fold(line.text)
        if "日期" in text and not OTHER_LABEL.search(text) and not find_dates(text, compact=True):
            h = line.bottom - line.top
            box = (line.left - h, line.top - h, line.right + VALUE_WIDTH * h, line.bottom + h)
            boxes.append(
                (max(0, int(box[0])), max(0, int(box[1])), min(width, int(box[2])), min(height, int(box[3])))
            )
    return boxes


def _shifted(line: TextLine, x: int, y: int) -> TextLine:
    box = tuple((px + x, py + y) for px, py in line.box)
    return dataclasses.replace(line, box=box)  # type: ignore[arg-type]


def _inside(line: TextLine, other: TextLine) -> bool:
    cx, cy = (line.left + line.right) / 2, line.centre
    return other.left <= cx <= other.right and other.top <= cy <= other.bottom


def _overlap(a: TextLine, b: TextLine) -> bool:
    return a.left < b.right and b.left < a.right and a.top < b.bottom and b.top < a.bottom


def _fragment(line: TextLine, lines: list[TextLine]) -> bool:
    """A part's cut of a line the page-wide read has whole (`114/1/8` of `有效期限：114/1/8`)."""
    text = _bare(line.text)
    return any(_overlap(line, old) and text in _bare(old.text) for old in lines)


def _bare(text: str) -> str:
    return re.sub(r"\s", "", fold(text))


def _wanted(line: TextLine) -> bool:
    return bool(find_dates(line.text, compact=True)) or "日期" in fold(line.text)


def _read_parts(photo: Photo, lines: list[TextLine], parts: list[Box], engine: OcrEngine) -> list[TextLine]:
    """Date and label lines of the page's parts that the page-wide read lacks, in page
    coordinates, each line once."""
    found: list[TextLine] = []
    for x0, y0, x1, y1 in parts:
        part = dataclasses.replace(photo, image=photo.image.crop((x0, y0, x1, y1)))
        for line in engine.read(part):
            if line.rotation == 0 and _wanted(line):
                line = _shifted(line, x0, y0)
                if not _fragment(line, lines) and not any(_inside(line, seen) for seen in found):
                    found.append(line)
    return found


def _labelled(cell: TextLine, lines: list[TextLine]) -> bool:
    """A visit label printed in the date's line or just before it, at its height."""
    return any(
        VISIT_LABEL.search(fold(other.text))
        and other.left < cell.left
        and other.top < cell.bottom
        and cell.top < other.bottom
        for other in lines
    ) or bool(VISIT_LABEL.search(fold(cell.text)))


def _with_parts(
    photo: Photo, lines: list[TextLine], parts: list[Box], engine: OcrEngine
) -> list[TextLine] | None:
    """The page's lines with what `parts` read of dates, when that gives a labelled visit date."""
    new = _read_parts(photo, lines, parts, engine)
    merged = [old for old in lines if not any(_inside(old, line) for line in new)] + new
    found = visit_date(group_rows(merged)) if new else None
    dated = [c for c in found.row.cells if find_dates(c.text, compact=True)] if found else []
    return merged if any(_labelled(cell, merged) for cell in dated) else None


def second_look(photo: Photo, lines: list[TextLine], engine: OcrEngine) -> list[TextLine]:
    """`lines`, or with the date lines a second look found when the page-wide read had none:
    first right of each date label read without its date, then in four parts of the page. The
    page must have been read upright (a turned page's boxes are in another frame), and the date
    taken must be labelled, so a stamp's date found on the way is not made the visit."""
    if not lines or any(line.rotation for line in lines) or visit_date(group_rows(lines)):
        return lines
    size = photo.image.size
    for parts in (after_labels(lines, *size), grid(*size)):
        if parts and (merged := _with_parts(photo, lines, parts, engine)):
            return merged
    return lines
