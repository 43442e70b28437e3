"""What the second look costs (rxlens/extract/second_look.py), and what it gives back.

It runs only on a page where the page-wide read lost the visit date or a drug's name. To time
it on pages that have both, lines are taken out of what the first read returned, as a stamp
would take them, and the second look is timed beside the first read, on the same photos in one
run: the date lost but its label read (a crop right of the label), date and label lost (four
parts of the page), and the name of a table's first drug lost (a crop across the name column);
with how often the true date, or a name where the lost one was, comes back.
Generated photos, one per layout family and seed; the real model.

    .venv/bin/python -m bench.second_look [--seeds 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from rapidfuzz import fuzz

from rxlens.catalog.bundled import bundle_bytes, parse_bundle
from rxlens.config import Settings
from rxlens.evaluation.generate import one
from rxlens.evaluation.layouts import FAMILIES
from rxlens.evaluation.runner import p95
from rxlens.evaluation.scenario import ScenarioMaker
from rxlens.extract.header_dates import find_dates
from rxlens.extract.header_visit import visit_date
from rxlens.extract.lost_names import has_usage, named, table_rows
from rxlens.extract.reread import inside
from rxlens.extract.second_look import second_look
from rxlens.images.intake import Photo, Upload, load_photo
from rxlens.layout.rows import group_rows
from rxlens.ocr.base import TextLine
from rxlens.ocr.local import LocalOcr
from rxlens.textnorm import fold

T = TypeVar("T")
SAME_TEXT = 80  # rapidfuzz ratio: the same name read twice, not a stamp's words in its place


def photos(seeds: int) -> list[tuple[Photo, str | None]]:
    """Each photo with its true visit date."""
    maker, settings = ScenarioMaker(parse_bundle(bundle_bytes()).products), Settings().intake
    out: list[tuple[Photo, str | None]] = []
    for family in FAMILIES:
        for seed in range(seeds):
            truth, data = one(maker, family, random.Random(seed).randrange(10**9), damaged_share=0.0)
            photo = load_photo(len(out), Upload(f"{family}-{seed}.jpg", data), settings)
            out.append((photo, truth.visit_date))
    return out


def no_date(lines: list[TextLine]) -> list[TextLine]:
    return [ln for ln in lines if not find_dates(ln.text, compact=True)]


def no_date_nor_label(lines: list[TextLine]) -> list[TextLine]:
    return [ln for ln in no_date(lines) if "日期" not in fold(ln.text)]


def name_cells(lines: list[TextLine]) -> list[TextLine]:
    """The name cells of a headed table's first drug row (none on pages without a table)."""
    table = table_rows(group_rows(lines))
    if table is None:
        return []
    body, right = table
    for row in body:
        cells = [c for c in row.cells if (c.left + c.right) / 2 < right and named(c)]
        if cells and has_usage(row):
            return cells
    return []


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = fn()
    return (time.perf_counter() - start) * 1000, result


def no_name(lines: list[TextLine]) -> list[TextLine]:
    lost = name_cells(lines)
    return [ln for ln in lines if ln not in lost]


def date_back(lines: list[TextLine], truth: str | None, _: list[TextLine]) -> bool:
    return truth is not None and visit(lines) == truth


def name_back(lines: list[TextLine], _: str | None, first: list[TextLine]) -> bool:
    """A line at the lost name's place that reads as the first read did (within OCR noise)."""
    lost = name_cells(first)
    return any(
        inside(ln, old) and fuzz.ratio(fold(ln.text), fold(old.text)) >= SAME_TEXT
        for ln in lines
        for old in lost
    )


Check = Callable[[list[TextLine], str | None, list[TextLine]], bool]
CASES: dict[str, tuple[Callable[[list[TextLine]], list[TextLine]], Check]] = {
    "date lost, label read": (no_date, date_back),
    "date and label lost": (no_date_nor_label, date_back),
    "first drug's name lost": (no_name, name_back),
}


def visit(lines: list[TextLine]) -> str | None:
    found = visit_date(group_rows(lines))
    return str(found.value) if found else None


def measure(
    ocr: LocalOcr, pages: list[tuple[Photo, str | None]]
) -> tuple[dict[str, list[float]], dict[str, int]]:
    """Times of each step, and how often the second look gave back what was taken out (pages
    with nothing to take out, a name on a page without a table, are left out of that case)."""
    times: dict[str, list[float]] = {"first read": [], **{name: [] for name in CASES}}
    right = dict.fromkeys(CASES, 0)
    for photo, truth in pages:
        ms, lines = timed(partial(ocr.read, photo))
        times["first read"].append(ms)
        for name, (cut, back) in CASES.items():
            kept = cut(lines)
            if kept == lines:
                continue
            ms, more = timed(partial(second_look, photo, kept, ocr, Settings().ocr.second_look_seconds))
            times[name].append(ms)
            right[name] += back(more, truth, lines)
    return times, right


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    ocr = LocalOcr(Settings().ocr)
    ocr.warm_up()
    times, found = measure(ocr, photos(args.seeds))
    base = statistics.median(times["first read"])
    print("| step | median ms | p95 ms | × first read | given back |")
    print("|---|---|---|---|---|")
    for name, values in times.items():
        again = f"{found[name]}/{len(values)}" if name in found else "-"
        median = statistics.median(values)
        print(f"| {name} | {median:.0f} | {p95(values):.0f} | {median / base:.2f} | {again} |")
    count = len(times["first read"])
    print(f"\n{count} undamaged generated photos ({len(FAMILIES)} families × {args.seeds} seeds)")


if __name__ == "__main__":
    main()
