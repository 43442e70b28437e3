"""Hand-made OCR lines for layout and header tests, without the OCR model.

A fixture is JSON: `{"lines": [{"text": "...", "box": [x0, y0, x1, y1], "conf": 0.95}], ...}`;
other keys (`expect`, `note`) are for the test that reads it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rxlens.layout.rows import Row, group_rows
from rxlens.ocr.base import TextLine

LINES = Path(__file__).parent / "fixtures" / "lines"

# Inline tables place each row this far below the previous one, cells this far apart.
ROW_PITCH = 40
CELL_GAP = 20
CHAR_WIDTH = 24


def text_line(text: str, box: list[float], conf: float = 0.95, photo: int = 0) -> TextLine:
    x0, y0, x1, y1 = box
    return TextLine(text, ((x0, y0), (x1, y0), (x1, y1), (x0, y1)), conf, photo)


def lines_of(data: dict[str, Any], photo: int = 0) -> list[TextLine]:
    return [text_line(ln["text"], ln["box"], ln.get("conf", 0.95), photo) for ln in data["lines"]]


def load(name: str) -> dict[str, Any]:
    """A fixture by file name (without `.json`)."""
    data: dict[str, Any] = json.loads((LINES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def rows_from(name: str) -> list[Row]:
    return group_rows(lines_of(load(name)))


def stacked(*rows: str | list[str]) -> list[Row]:
    """Rows top to bottom, each a text or a list of cell texts laid left to right — for tests
    where only the words matter, not where they sit."""
    lines = []
    for i, row in enumerate(rows):
        x = 40.0
        for text in [row] if isinstance(row, str) else row:
            width = CHAR_WIDTH * len(text)
            lines.append(text_line(text, [x, 40 + i * ROW_PITCH, x + width, 70 + i * ROW_PITCH]))
            x += width + CELL_GAP
    return group_rows(lines)
