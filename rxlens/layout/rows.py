"""Rows of text in reading order, and table columns when a header row names them."""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass, field

from rxlens.ocr.base import TextLine

# docTR's rule, followed along the row: a line joins the row whose last cell, carried on at
# the page's slant, has its vertical centre within this share of the median line height.
# Following the row cell by cell copes with photos whose rows bend (perspective, curled paper),
# where one global rotation lines up a table's columns with the wrong names.
ROW_TOLERANCE = 0.5
# Lines thicker than this many median heights (measured across the text, so a long line on a
# tilted page is not thick), or turned more than ASKEW radians from the page's text, are stamps,
# vertical headers or handwriting: they never join a row, so one of them cannot glue two table
# rows together or take a row's place.
TALL = 1.8
ASKEW = math.radians(10)
# A row's last cell may reach this share of a line height past the next cell's left edge.
OVERLAP = 0.5


@dataclass
class Row:
    cells: list[TextLine] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(c.text for c in self.cells)

    @property
    def top(self) -> float:
        return min(c.top for c in self.cells)

    @property
    def bottom(self) -> float:
        return max(c.bottom for c in self.cells)

    @property
    def centre(self) -> float:
        return statistics.fmean(c.centre for c in self.cells)

    @property
    def photo(self) -> int:
        return self.cells[0].photo

    @property
    def confidence(self) -> float:
        return min(c.confidence for c in self.cells)


def _angle(line: TextLine) -> float:
    (x0, y0), (x1, y1) = line.box[0], line.box[1]
    return math.atan2(y1 - y0, x1 - x0)


def median_height(lines: list[TextLine]) -> float:
    return statistics.median(ln.thickness for ln in lines) if lines else 0.0


def slope(lines: list[TextLine]) -> float:
    """The page's text slope (dy/dx) from the boxes wide enough to show it."""
    wide = [_angle(ln) for ln in lines if ln.right - ln.left > 4 * ln.height]
    return math.tan(statistics.median(wide)) if wide else 0.0


def _centre_x(line: TextLine) -> float:
    return (line.left + line.right) / 2


def _apart(line: TextLine, rise: float, height: float) -> bool:
    # Only a box wide enough to show an angle can be turned (slope() trusts the same ones): a
    # lone digit's box tilts with its glyph.
    wide = line.right - line.left > 2 * line.thickness
    return line.thickness > TALL * height or (wide and abs(_angle(line) - math.atan(rise)) > ASKEW)


def _distance(row: Row, line: TextLine, rise: float, height: float) -> float | None:
    """How far the line sits from where the row, carried on at the slope, would be."""
    last = row.cells[-1]
    if last.right > line.left + OVERLAP * height or _apart(last, rise, height):
        return None
    expected = last.centre + rise * (_centre_x(line) - _centre_x(last))
    gap = abs(expected - line.centre)
    return gap if gap <= ROW_TOLERANCE * height else None


def group_rows(lines: list[TextLine]) -> list[Row]:
    """Lines of one photo → rows, top to bottom, cells left to right."""
    height, rise = median_height(lines), slope(lines)
    rows: list[Row] = []
    for line in sorted(lines, key=lambda ln: (ln.left, ln.centre)):
        near = [] if _apart(line, rise, height) else rows
        scored = [(d, i) for i, r in enumerate(near) if (d := _distance(r, line, rise, height)) is not None]
        if scored:
            rows[min(scored)[1]].cells.append(line)
        else:
            rows.append(Row([line]))
    rows.sort(key=lambda r: r.cells[0].centre - rise * _centre_x(r.cells[0]))
    return rows


# Header words of drug tables as hospitals, clinics and pharmacies print them, in any order.
COLUMN_WORDS = {
    "name": r"藥品名稱|藥名|品名|藥品",
    "dose": r"用量|劑量|每次|單次量|次量|單次",
    "usage": r"用法|頻率|頻次|次數",
    "days": r"日數|天數|日份|DAYS",
    "total": r"總數量|總量|數量|總數",
    "code": r"健保碼|藥品代碼|藥碼",
    "unit": r"單位",
    "price": r"金額|單價|價格|藥價",
}


@dataclass(frozen=True)
class Columns:
    """Left edges of the columns a table header row names, and where each header word spans
    (same photo only)."""

    photo: int
    edges: dict[str, float]
    spans: dict[str, tuple[float, float]] = field(default_factory=dict)  # of each header word

    def column_at(self, x: float) -> str:
        ordered = sorted(self.edges.items(), key=lambda kv: kv[1])
        name = ordered[0][0]
        for col, left in ordered:
            if x >= left - 20:
                name = col
        return name

    def header_over(self, x: float, among: tuple[str, ...]) -> str | None:
        """The column among `among` whose header word stands right over `x`, the nearest centre
        where two do. Left edges with slack misplace a number when header boxes overlap or OCR
        merged two header words into one box (`天數總數量`: where one ends is an estimate)."""
        over = [
            (abs((left + right) / 2 - x), c)
            for c in among
            if c in self.edges and c in self.spans
            for left, right in [self.spans[c]]
            if left <= x <= right
        ]
        return min(over)[1] if over else None


_COMBINED_RE = re.compile(r"(?:用量|劑量)\s*/\s*(?:總量|數量)")
# Words in brackets qualify the word before them (`藥品名稱及規格（劑型，劑量）`): not columns.
_BRACKETED_RE = re.compile(r"[(（][^)）]*[)）]")


def _header_words(cell: TextLine) -> dict[str, tuple[float, float]]:
    """Where each column word of a header cell starts and ends."""
    text = _BRACKETED_RE.sub(lambda m: " " * len(m.group(0)), cell.text)
    width, found = (cell.right - cell.left) / max(len(text), 1), {}
    for name, pattern in COLUMN_WORDS.items():
        if match := re.search(pattern, text):
            # OCR may merge neighbouring header words into one box: place by character offset.
            found[name] = (cell.left + match.start() * width, cell.left + match.end() * width)
    return found


def find_columns(row: Row) -> Columns | None:
    edges: dict[str, float] = {}
    spans: dict[str, tuple[float, float]] = {}
    for cell in row.cells:
        for name, span in _header_words(cell).items():
            edges.setdefault(name, span[0])
            spans.setdefault(name, span)
    if _COMBINED_RE.search(row.text):  # `劑量/總量` is one column: no total column of its own
        edges.pop("total", None)
    return Columns(row.photo, edges, spans) if len(edges) >= 3 and "name" in edges else None
