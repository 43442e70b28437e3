"""Drug rows whose name the page-wide read lost (a stamp over it): a row of a table with a
frequency and no word in the name column. second_look.py reads the name column there again.

Only in a table with a header naming its columns (where the name column ends is known), and not
under a name row still waiting for its usage (a usage line under its name is no lost name).
"""

from __future__ import annotations

import re
import statistics

from rxlens.extract.drafts import TABLE_END_RE
from rxlens.extract.reread import Box, Keep, clamp, cut_by
from rxlens.extract.tokens import cell_tokens
from rxlens.layout.rows import Columns, Row, find_columns, group_rows, slope
from rxlens.ocr.base import TextLine
from rxlens.vocab import frequency as grammar

# A word a name holds: three Latin letters or two Chinese characters, in what the row's
# tokens leave as text once codes, frequencies, amounts and units (`1 TAB TID`) are typed.
_WORD = re.compile(r"[A-Z]{3,}|[\u3400-\u9fff]{2,}")
MAX_ROWS = 6  # each is a crop read; more lost names than this is a page to photograph again
MARGIN = 1.2  # line heights above and below the row's line, for a tilt the slope misjudges


def named(line: TextLine) -> bool:
    return any(t.kind == "text" and _WORD.search(t.text) for t in cell_tokens(line))


def name_lines(size: tuple[int, int]) -> Keep:
    """Names in the middle of a name crop (the row it was cut for), not cut at its sides. Its
    top and bottom may be touched: the detector's box of a row can fill a crop one row tall."""

    def keep(line: TextLine, part: Box) -> bool:
        top, bottom = part[1], part[3]
        middle = top + (bottom - top) / 4 <= line.centre <= bottom - (bottom - top) / 4
        return middle and named(line) and not cut_by(line, part, size, rows=False)

    return keep


def name_right(columns: Columns) -> float | None:
    """Where the name column ends: the next column's left edge."""
    left = columns.edges["name"]
    return min((e for c, e in columns.edges.items() if c != "name" and e > left), default=None)


def has_usage(row: Row) -> bool:
    return any(f.known for f in grammar.find_all(row.text))


def _name_in(row: Row, right: float) -> bool:
    return any(named(c) for c in row.cells if (c.left + c.right) / 2 < right)


def _box(row: Row, right: float, rise: float, size: tuple[int, int]) -> Box:
    """The name column at the row's height there (the slope carries it across the page, and a
    tilted name spans the column's width times the slope in height)."""
    x = statistics.fmean((c.left + c.right) / 2 for c in row.cells)
    y = row.centre + rise * (right / 2 - x)
    half = MARGIN * statistics.median(c.thickness for c in row.cells) + abs(rise) * right / 2
    return clamp((0, y - half, right, y + half), size)


def table_rows(rows: list[Row]) -> tuple[list[Row], float] | None:
    """The rows under the first header that names its columns, and where its name column ends."""
    header = next(((i, c) for i, row in enumerate(rows) if (c := find_columns(row))), None)
    right = name_right(header[1]) if header else None
    return (rows[header[0] + 1 :], right) if header and right is not None else None


def name_boxes(lines: list[TextLine], size: tuple[int, int]) -> list[Box]:
    table = table_rows(group_rows(lines))
    if table is None:
        return []
    body, right = table
    boxes, waiting = [], False
    for row in body:
        if TABLE_END_RE.search(row.text):
            break
        usage, name = has_usage(row), _name_in(row, right)
        if usage and not name and not waiting:
            boxes.append(_box(row, right, slope(lines), size))
        # A name row waits for its usage, also across its wrapped lines (`… Tablet` / `200mg`).
        waiting = not usage and (name or waiting)
    return boxes[:MAX_ROWS]
