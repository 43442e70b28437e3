"""Match latency of the catalog index: bundled catalog vs a generated 60,000-product catalog.

    .venv/bin/python bench/catalog.py [--repeat N]

Prints index build time, memory (RSS growth while building) and per-query latency (median, p95)
for single queries and for batches of 30 (a full slip), measured in one run.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from pathlib import Path

from rxlens.catalog.bundled import read_bundle
from rxlens.catalog.index import MatchIndex
from rxlens.catalog.records import Product, Synonym
from rxlens.config import Settings
from rxlens.evaluation.runner import p95
from rxlens.evaluation.synthetic import synthetic_catalog
from rxlens.evaluation.variants import VariantMaker


def rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 1e6


def measure(name: str, products: list[Product], synonyms: list[Synonym], repeat: int) -> list[str]:
    gc.collect()
    before, start = rss_mb(), time.perf_counter()
    index = MatchIndex(products, synonyms, name, Settings().catalog.match_threshold)
    build, memory = time.perf_counter() - start, rss_mb() - before
    queries = [v.text for v in VariantMaker(products, seed=99).make(300)]
    single = []
    for q in queries * repeat:
        t = time.perf_counter()
        index.match(q, 5)
        single.append((time.perf_counter() - t) * 1000)
    batches = []
    for i in range(0, len(queries) - 29, 30):
        t = time.perf_counter()
        for q in queries[i : i + 30]:
            index.match(q, 5)
        batches.append((time.perf_counter() - t) * 1000)
    return [
        f"| {name} | {len(products):,} | {build:.2f} s | {memory:.0f} MB | "
        f"{statistics.median(single):.2f} | {p95(single):.2f} | "
        f"{statistics.median(batches):.1f} | {p95(batches):.1f} |"
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    bundle = read_bundle()
    rows = [
        "| catalog | products | index build | index memory | 1 query median ms | 1 query p95 ms "
        "| 30 queries median ms | 30 queries p95 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    rows += measure("bundled", bundle.products, bundle.synonyms, args.repeat)
    big = synthetic_catalog(bundle.products, 60_000)
    rows += measure("generated 60k", big, bundle.synonyms, args.repeat)
    print("\n".join(rows))


if __name__ == "__main__":
    main()
