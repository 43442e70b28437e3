"""What every header rule returns, and the geometry they share: a value printed under its label."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from rxlens.layout.rows import Row
from rxlens.ocr.base import TextLine

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

# How many rows below a label its value may sit (a signature box, a refill box).
BELOW_ROWS = 3


@dataclass(frozen=True, slots=True)
class Found:
    value: str | int
    row: Row
    text: str


def cell_at(row: Row, offset: int) -> TextLine:
    """The cell holding character `offset` of `row.text` (cells are joined by one space)."""
    position = 0
    for cell in row.cells:
        position += len(cell.text) + 1
        if offset < position:
            return cell
    return row.cells[-1]


def below(rows: list[Row], index: int, label: TextLine) -> Iterator[tuple[Row, TextLine]]:
    """Cells in the next rows that sit under `label` (their centre within its width, widened by
    half on each side because stamps and handwriting drift), nearest first."""
    width = label.right - label.left
    lo, hi = label.left - width / 2, label.right + width / 2
    for row in rows[index + 1 : index + 1 + BELOW_ROWS]:
        if row.photo != label.photo or row.top - label.bottom > 4 * max(label.height, 1.0):
            return
        for cell in sorted(row.cells, key=lambda c: c.top):
            if lo <= (cell.left + cell.right) / 2 <= hi:
                yield row, cell


def squeeze(text: str) -> str:
    """Letter-spaced CJK (康 寧 診 所) joined again; words that OCR split at a real gap
    (王小明 康寧診所) stay apart."""
    return re.sub(
        rf"(?<![{CJK}])[{CJK}](?:\s+[{CJK}](?![{CJK}]))+", lambda m: re.sub(r"\s+", "", m.group(0)), text
    )
