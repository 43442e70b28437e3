"""Rows of text in reading order, and table columns when a header row names them."""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass, field, replace

from rxlens.ocr.base import TextLine

# A line joins a row when this share of the smaller height overlaps vertically.
ROW_OVERLAP = 0.5


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
    def photo(self) -> int:
        return self.cells[0].photo

    @property
    def confidence(self) -> float:
        return min(c.confidence for c in self.cells)

    def overlaps(self, line: TextLine) -> bool:
        shared = min(self.bottom, line.bottom) - max(self.top, line.top)
        return shared >= ROW_OVERLAP * min(line.height, self.bottom - self.top)


def _angle(line: TextLine) -> float:
    (x0, y0), (x1, y1) = line.box[0], line.box[1]
    return math.atan2(y1 - y0, x1 - x0)


def deskew(lines: list[TextLine]) -> list[TextLine]:
    """Turn boxes by the page's median text angle, so rows of a tilted photo line up again.
    (Only the coordinates used for grouping turn; evidence keeps the boxes as read.)"""
    wide = [ln for ln in lines if ln.right - ln.left > 2 * ln.height]
    if not wide:
        return lines
    angle = statistics.median(_angle(ln) for ln in wide)
    if abs(angle) < 0.005:
        return lines
    cos, sin = math.cos(-angle), math.sin(-angle)

    def turn(p: tuple[float, float]) -> tuple[float, float]:
        return p[0] * cos - p[1] * sin, p[0] * sin + p[1] * cos

    return [
        replace(
            ln,
            box=(turn(ln.box[0]), turn(ln.box[1]), turn(ln.box[2]), turn(ln.box[3])),
            original=ln.original or ln.box,
        )
        for ln in lines
    ]


def group_rows(lines: list[TextLine]) -> list[Row]:
    """Lines of one photo → rows, top to bottom, cells left to right."""
    rows: list[Row] = []
    for line in sorted(deskew(lines), key=lambda ln: (ln.top + ln.bottom) / 2):
        target = next((r for r in reversed(rows[-3:]) if r.overlaps(line)), None)
        if target is None:
            rows.append(Row([line]))
        else:
            target.cells.append(line)
    for row in rows:
        row.cells.sort(key=lambda c: c.left)
    return rows


COLUMN_WORDS = {
    "name": r"藥品名稱|藥名|品名|藥品",
    "dose": r"用量|劑量|每次",
    "usage": r"用法|頻率|頻次|次數",
    "days": r"日數|天數|日份",
    "total": r"總量|數量|總數",
}


@dataclass(frozen=True)
class Columns:
    """Left edges of the columns a table header row names (same photo only).

    `combined`: one column holds "dose/total" (`劑量/總量` printed as `1.00/21`)."""

    photo: int
    edges: dict[str, float]
    combined: bool = False

    def column_at(self, x: float) -> str:
        ordered = sorted(self.edges.items(), key=lambda kv: kv[1])
        name = ordered[0][0]
        for col, left in ordered:
            if x >= left - 20:
                name = col
        return name

    def assign(self, row: Row) -> dict[str, list[TextLine]]:
        """Cells by column; a box OCR drew across several columns is cut at its spaces."""
        out: dict[str, list[TextLine]] = {name: [] for name in self.edges}
        for cell in row.cells:
            for piece in split_words(cell):
                out[self.column_at((piece.left + piece.right) / 2)].append(piece)
        return out


def _width(text: str) -> float:
    """Rough printed width: CJK characters are about twice as wide as Latin ones."""
    return sum(2.0 if "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" else 1.0 for ch in text)


def split_words(cell: TextLine) -> list[TextLine]:
    """Cut a box at its spaces, placing each word by its share of the printed width."""
    words = [(m.start(), m.group(0)) for m in re.finditer(r"\S+", cell.text)]
    if len(words) < 2:
        return [cell]
    total, span = _width(cell.text), cell.right - cell.left
    pieces = []
    for start, word in words:
        x0 = cell.left + span * _width(cell.text[:start]) / total
        x1 = x0 + span * _width(word) / total
        box = ((x0, cell.top), (x1, cell.top), (x1, cell.bottom), (x0, cell.bottom))
        pieces.append(TextLine(word, box, cell.confidence, cell.photo, cell.rotation, cell.original))
    return pieces


_COMBINED_RE = re.compile(r"(?:用量|劑量)\s*/\s*(?:總量|數量)")


def find_columns(row: Row) -> Columns | None:
    edges: dict[str, float] = {}
    for cell in row.cells:
        for name, pattern in COLUMN_WORDS.items():
            for match in re.finditer(pattern, cell.text):
                if name in edges:
                    continue
                # OCR may merge neighbouring header words into one box: place by character offset.
                share = match.start() / max(len(cell.text), 1)
                edges[name] = cell.left + share * (cell.right - cell.left)
    combined = bool(_COMBINED_RE.search(row.text))
    if combined and "total" in edges:
        del edges["total"]
    return Columns(row.photo, edges, combined) if len(edges) >= 3 and "name" in edges else None
