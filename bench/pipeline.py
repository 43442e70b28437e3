"""Parallel vs sequential schedule, side by side in one run, with a warm catalog and with an
injected catalog latency of 300 ms; then peak memory of each schedule in its own process.

    .venv/bin/python bench/pipeline.py [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from bench.catalog import rss_mb
from bench.recognition import photos
from rxlens.config import Settings
from rxlens.evaluation.runner import p95
from rxlens.images.intake import Upload
from rxlens.pipeline import analyze
from rxlens.services import Services, init_catalog


def open_services(tmp: str) -> Services:
    services = Services.open(Settings(data_dir=Path(tmp)))
    init_catalog(services)
    services.catalog.index()
    services.ocr.warm_up()
    return services


def timed(services: Services, batch: list[Upload], mode: str) -> float:
    return asyncio.run(analyze(batch, services, mode=mode)).usage.total_ms / 1000


def compare(services: Services, pool: list[Upload], latency: int, runs: int) -> list[str]:
    services.settings.catalog.injected_latency_ms = latency
    rows = []
    for n in (1, 3, 5):
        times: dict[str, list[float]] = {"parallel": [], "sequential": []}
        for run in range(runs):
            batch = [pool[(run * n + k) % len(pool)] for k in range(n)]
            for mode in ("parallel", "sequential") if run % 2 == 0 else ("sequential", "parallel"):
                times[mode].append(timed(services, batch, mode))
        par, seq = (statistics.median(times[m]) for m in ("parallel", "sequential"))
        # Each run reads the same photos both ways: pairing cancels the photo-to-photo spread.
        pairs = list(zip(times["parallel"], times["sequential"], strict=True))
        ratio = statistics.median(p / s for p, s in pairs)
        saved = statistics.median(s - p for p, s in pairs)
        rows.append(
            f"| {latency} ms | {n} | {par:.3f} | {p95(times['parallel']):.3f} | {seq:.3f} | "
            f"{p95(times['sequential']):.3f} | {ratio:.3f} | {saved * 1000:+.0f} ms |"
        )
    return rows


def peak_rss(mode: str, runs: int, folder: Path) -> float:
    """Peak RSS (MB) of a fresh process doing the same work with one schedule."""
    command = [
        sys.executable,
        "-m",
        "bench.pipeline",
        "--memory",
        mode,
        "--runs",
        str(runs),
        "--photos",
        str(folder),
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True)
    return float(json.loads(out.stdout.strip().splitlines()[-1])["peak_rss_mb"])


def memory_child(mode: str, runs: int, folder: Path) -> None:
    pool = [Upload(p.name, p.read_bytes()) for p in sorted(folder.glob("*.jpg"))]
    with tempfile.TemporaryDirectory() as tmp:
        services = open_services(tmp)
        peak, stop = [rss_mb()], threading.Event()

        def sample() -> None:  # the peak while analysing, not while importing the catalog
            while not stop.wait(0.01):
                peak.append(rss_mb())

        sampler = threading.Thread(target=sample)
        sampler.start()
        for run in range(runs):
            timed(services, [pool[(run * 3 + k) % len(pool)] for k in range(3)], mode)
        stop.set()
        sampler.join()
        print(json.dumps({"peak_rss_mb": max(peak)}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--memory", choices=["parallel", "sequential"])
    parser.add_argument("--photos", type=Path)
    args = parser.parse_args()
    if args.memory:
        memory_child(args.memory, args.runs, args.photos)
        return
    with tempfile.TemporaryDirectory() as tmp:
        services = open_services(tmp)
        pool = photos(10, seed=11)
        rows = [
            "| catalog latency | photos | parallel median s | parallel p95 s | sequential median s | "
            "sequential p95 s | paired ratio par/seq | parallel saves (paired) |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for latency in (0, 300):
            rows += compare(services, pool, latency, args.runs)
        services.close()
    print("\n".join(rows))
    with tempfile.TemporaryDirectory() as folder:
        for upload in pool:
            (Path(folder) / upload.name).write_bytes(upload.data)
        par, seq = peak_rss("parallel", 6, Path(folder)), peak_rss("sequential", 6, Path(folder))
    print(
        f"\npeak RSS while analysing (6 × 3 photos, warm service): "
        f"parallel {par:.0f} MB, sequential {seq:.0f} MB "
        f"(parallel/sequential = {par / seq:.3f})"
    )


if __name__ == "__main__":
    main()
