"""What every header rule returns, and the geometry they share: a value printed under its label."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rxlens.layout.rows import Row
from rxlens.ocr.base import TextLine

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

# How far below a label its value may sit, in label heights (a signature box, a refill box).
BELOW_HEIGHTS = 6


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


def below(rows: list[Row], label: TextLine) -> list[tuple[Row, TextLine]]:
    """Cells printed under `label`, nearest first: their top within a few label heights below
    it (a signature or refill box leaves room for stamps and handwriting) and their centre within
    its width, widened by half on each side because stamps and handwriting drift."""
    width, height = label.right - label.left, max(label.height, 1.0)
    lo, hi = label.left - width / 2, label.right + width / 2
    found = [
        (row, cell)
        for row in rows
        if row.photo == label.photo
        for cell in row.cells
        if cell is not label
        and label.bottom - 0.3 * height <= cell.top <= label.bottom + BELOW_HEIGHTS * height
        and lo <= (cell.left + cell.right) / 2 <= hi
    ]
    return sorted(found, key=lambda rc: rc[1].top)


def squeeze(text: str) -> str:
    """Letter-spaced CJK (康 寧 診 所) joined again; words that OCR split at a real gap
    (王小明 康寧診所) stay apart."""
    return re.sub(
        rf"(?<![{CJK}])[{CJK}](?:\s+[{CJK}](?![{CJK}]))+", lambda m: re.sub(r"\s+", "", m.group(0)), text
    )
