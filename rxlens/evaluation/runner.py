"""Run the pipeline over a generated folder and score it."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from rxlens.evaluation.naming import mg_strengths
from rxlens.evaluation.score import Scorer
from rxlens.evaluation.truth import Truth
from rxlens.images.intake import Upload
from rxlens.pipeline import analyze
from rxlens.services import Services


async def evaluate(
    folder: Path,
    services: Services,
    limit: int | None = None,
    on_image: Callable[[int, int], None] | None = None,
) -> tuple[Scorer, list[float]]:
    images = sorted(folder.glob("*.jpg"))[:limit]
    products = services.catalog.index().products
    scorer, latencies = Scorer({p.id: set(mg_strengths(p)) for p in products}), []
    for n, path in enumerate(images):
        truth = Truth.model_validate_json(path.with_suffix(".json").read_text(encoding="utf-8"))
        start = time.perf_counter()
        record = await analyze([Upload(path.name, path.read_bytes())], services)
        latencies.append((time.perf_counter() - start) * 1000)
        scorer.score(path.name, truth, record)
        if on_image:
            on_image(n + 1, len(images))
    return scorer, latencies


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def latency_line(latencies: list[float]) -> str:
    if not latencies:
        return "no images"
    median, tail = statistics.median(latencies), p95(latencies)
    return f"latency per photo: median {median:.0f} ms, p95 {tail:.0f} ms (n={len(latencies)})"


def run(folder: Path, services: Services, limit: int | None = None) -> tuple[Scorer, list[float]]:
    return asyncio.run(evaluate(folder, services, limit))
