"""Refill information of a 慢性病連續處方箋: how many fills, which one this is, and when each
later fill may be collected."""

from __future__ import annotations

import re
from datetime import date

from rxlens.extract.header_base import below, squeeze
from rxlens.extract.header_dates import DateHit, find_dates, month_days
from rxlens.extract.tokens import zh_number as number
from rxlens.layout.rows import Row
from rxlens.ocr.base import TextLine
from rxlens.result import Refill, RefillWindow
from rxlens.textnorm import fold

_N = r"([1-9一二三四五六])"
# 可調劑 3 次 / 本處方箋可調劑2次 / 尚可調劑<2>次 (尚: fills still left after this one).
_ALLOWED = re.compile(rf"(尚)?可(?:再)?(?:調劑|領藥)\s*[<〈(【\[]?\s*{_N}\s*[>〉)】\]]?\s*次")
_THIS_FILL = re.compile(rf"第\s*{_N}\s*次\s*調劑")
# Refill bags print both at once: 第1次/共3次.
_OF_TOTAL = re.compile(rf"第\s*{_N}\s*次\s*[/／]\s*共\s*{_N}\s*次")
_FILL_LABEL = re.compile(rf"第\s*{_N}\s*次\s*領藥(?!\S*期間)")
# 第二次領藥 / 第2次建議領藥期間 (OCR drops characters: 第2次建藥期間) / 建議領藥期間.
_WINDOW = re.compile(
    rf"(?:第\s*{_N}\s*次\s*(?:建議)?\s*(?:領|調)?\s*(?:藥|劑)?\s*(?:期間|期限)?|建議領藥期間)"
)


def _count(text: str | None) -> int | None:
    value = number(text) if text else None
    return int(value) if value else None


def _this_fill(rows: list[Row]) -> tuple[int | None, list[Row]]:
    for pattern in (_THIS_FILL, _OF_TOTAL):
        for row in rows:
            if m := pattern.search(squeeze(fold(row.text))):
                return _count(m.group(1)), [row]
    return None, []


def _lone_fill_label(rows: list[Row], windows: list[RefillWindow]) -> tuple[int | None, list[Row]]:
    """A single 第N次領藥 with no dates says which fill this is; several (or dated ones) are the
    boxes of later fills."""
    labels = {(_count(m.group(1)), id(r)): r for r in rows for m in _FILL_LABEL.finditer(fold(r.text))}
    fills = {fill for fill, _ in labels}
    dated = {w.fill for w in windows if w.start}
    if len(fills) == 1 and not fills & dated:
        return fills.pop(), list(labels.values())
    return None, []


def _allowed(rows: list[Row], this_fill: int | None) -> tuple[int | None, list[Row]]:
    for row in rows:
        if m := _OF_TOTAL.search(squeeze(fold(row.text))):
            return _count(m.group(2)), [row]
        if m := _ALLOWED.search(squeeze(fold(row.text))):
            n = _count(m.group(2))
            if n is not None and m.group(1):
                n += this_fill or 1  # 尚可 counts the fills left after this one
            return n, [row]
    return None, []


def _dates(text: str, base: date | None) -> list[str]:
    hits: list[DateHit] = find_dates(text)
    if not hits and base:
        hits = month_days(text, base.year)
        # a window printed without a year that falls before the visit is in the next year
        return [h.iso if h.iso >= base.isoformat() else f"{base.year + 1}{h.iso[4:]}" for h in hits]
    return [h.iso for h in hits]


def _window_dates(rows: list[Row], i: int, cell: TextLine, after: str, base: date | None) -> list[str]:
    """Dates after the label: in its own cell, the next cells of its row (up to the next
    label), then the cells printed under it. A cell holding a whole range wins over loose dates
    (a handwritten collection date may sit in the same box)."""
    row = rows[i]
    following = []
    for other in row.cells[row.cells.index(cell) + 1 :]:
        if _WINDOW.search(fold(other.text)):
            break
        following.append(other.text)
    per_cell = [_dates(after, base)] + [_dates(t, base) for t in following]
    per_cell += [_dates(under.text, base) for _, under in below(rows, cell)]
    ranges = [found for found in per_cell if len(found) >= 2]
    if ranges:
        return ranges[0]
    return list(dict.fromkeys(d for found in per_cell for d in found))


def _windows(
    rows: list[Row], this_fill: int | None, base: date | None
) -> tuple[list[RefillWindow], list[Row]]:
    windows: dict[int, RefillWindow] = {}
    used = []
    for i, row in enumerate(rows):
        for cell in row.cells:
            text = fold(cell.text)
            for m in _WINDOW.finditer(text):
                fill = _count(m.group(1)) or this_fill
                if fill is None or not re.search("領|藥|期間", m.group(0)):
                    continue  # 第3次調劑 says which fill this is, not when
                rest = _WINDOW.split(text[m.end() :], maxsplit=1)[0]
                dates = _window_dates(rows, i, cell, rest, base)
                window = RefillWindow(
                    fill=fill, start=next(iter(dates), None), end=next(iter(dates[1:]), None)
                )
                if fill not in windows or (windows[fill].start is None and window.start):
                    windows[fill] = window
                    used.append(row)
    return sorted(windows.values(), key=lambda w: w.fill), used


def _base(rows: list[Row]) -> date | None:
    """The earliest full date on the page (the visit): the year for windows printed without one."""
    hits = [h.iso for row in rows for h in find_dates(row.text)]
    return date.fromisoformat(min(hits)) if hits else None


def refill(rows: list[Row]) -> tuple[Refill, list[Row]] | None:
    """The refill block with the rows it was read from; None on a slip that is not a refill."""
    this_fill, this_rows = _this_fill(rows)
    windows, window_rows = _windows(rows, this_fill, _base(rows))
    if this_fill is None:
        this_fill, this_rows = _lone_fill_label(rows, windows)
    allowed, allowed_rows = _allowed(rows, this_fill)
    if allowed is None and this_fill is None and not windows:
        return None
    evidence = list({id(r): r for r in this_rows + allowed_rows + window_rows}.values())
    return Refill(fills_allowed=allowed, this_fill=this_fill, windows=windows), evidence
