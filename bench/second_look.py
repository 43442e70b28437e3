"""What the second look for a lost visit date costs (rxlens/extract/second_look.py).

It runs only on a page where the page-wide read found no visit date. To time it on pages that
have one, the page's date lines are taken out of what the first read returned, as a stamp would
take them, and the second look is timed beside the first read, on the same photos in one run:
the right-of-label crop (the label was read, its date was not) and the four parts (both lost),
with how often the date it then gives is the true one.
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

from rxlens.catalog.bundled import bundle_bytes, parse_bundle
from rxlens.config import Settings
from rxlens.evaluation.generate import one
from rxlens.evaluation.layouts import FAMILIES
from rxlens.evaluation.scenario import ScenarioMaker
from rxlens.extract.header_dates import find_dates
from rxlens.extract.header_visit import visit_date
from rxlens.extract.second_look import second_look
from rxlens.images.intake import Photo, Upload, load_photo
from rxlens.layout.rows import group_rows
from rxlens.ocr.base import TextLine
from rxlens.ocr.local import LocalOcr
from rxlens.textnorm import fold

T = TypeVar("T")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


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


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = fn()
    return (time.perf_counter() - start) * 1000, result


CASES: dict[str, Callable[[list[TextLine]], list[TextLine]]] = {
    "second look, label read": no_date,
    "second look, both lost": no_date_nor_label,
}


def visit(lines: list[TextLine]) -> str | None:
    found = visit_date(group_rows(lines))
    return str(found.value) if found else None


def measure(
    ocr: LocalOcr, pages: list[tuple[Photo, str | None]]
) -> tuple[dict[str, list[float]], dict[str, int]]:
    """Times of each step, and how often the second look gave the true visit date back."""
    times: dict[str, list[float]] = {"first read": [], **{name: [] for name in CASES}}
    right = dict.fromkeys(CASES, 0)
    for photo, truth in pages:
        ms, lines = timed(partial(ocr.read, photo))
        times["first read"].append(ms)
        for name, cut in CASES.items():
            ms, more = timed(partial(second_look, photo, cut(lines), ocr))
            times[name].append(ms)
            right[name] += truth is not None and visit(more) == truth
    return times, right


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    ocr = LocalOcr(Settings().ocr)
    ocr.warm_up()
    times, found = measure(ocr, photos(args.seeds))
    base = statistics.median(times["first read"])
    print("| step | median ms | p95 ms | × first read | true date found again |")
    print("|---|---|---|---|---|")
    for name, values in times.items():
        again = f"{found[name]}/{len(values)}" if name in found else "-"
        median = statistics.median(values)
        print(f"| {name} | {median:.0f} | {p95(values):.0f} | {median / base:.2f} | {again} |")
    count = len(times["first read"])
    print(f"\n{count} undamaged generated photos ({len(FAMILIES)} families × {args.seeds} seeds)")


if __name__ == "__main__":
    main()
