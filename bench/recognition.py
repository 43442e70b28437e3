"""End-to-end recognition time on this machine: 1, 3 and 5 photos, OCR share shown apart,
and each real dev slip (../shared/realdev) read as before this round (BEFORE) and with the
defaults (after), side by side in one run.

    .venv/bin/python -m bench.recognition [--runs N] [--realdev DIR]

Photos are generated (half drug bags, half slips, half with phone damage). The model's cold start
(load + warm-up) and the first catalog index build are measured once, apart from the runs.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import random
import statistics
import tempfile
import time
from pathlib import Path

from rxlens.catalog.bundled import read_bundle
from rxlens.config import Settings
from rxlens.evaluation.damage import photograph
from rxlens.evaluation.render import render
from rxlens.evaluation.runner import p95
from rxlens.evaluation.scenario import ScenarioMaker
from rxlens.images.intake import Upload
from rxlens.ocr.local import LocalOcr
from rxlens.pipeline import analyze
from rxlens.services import Services, init_catalog


def photos(count: int, seed: int) -> list[Upload]:
    rng, maker = random.Random(seed), ScenarioMaker(read_bundle().products)
    out = []
    for i in range(count):
        image = render(maker.prescription(rng, "bag" if i % 2 == 0 else "slip"), rng)
        if i % 4 >= 2:
            image, _ = photograph(image, rng)
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=90)
        out.append(Upload(f"{i}.jpg", buffer.getvalue()))
    return out


REALDEV = Path(__file__).resolve().parents[2] / "shared" / "realdev"


# The reading before this round's changes, beside the defaults (after): each pixel's lightest
# channel (stamps fade but stay; now coloured light marks become paper) and ONNX Runtime without
# its memory arena (rapidocr's default; now on).
BEFORE = {"ink": "lightest", "memory_arena": False}


def real_slips(folder: Path, runs: int, settings: Settings) -> list[str]:
    """Per real slip: median and p95 end to end, OCR share, before and after side by side."""
    slips = sorted(p for p in (folder / "images").glob("*") if p.suffix in (".jpg", ".png"))
    rows = ["| slip | reading | median s | p95 s | OCR share |", "|---|---|---|---|---|"]
    engines = {}
    for name, update in (("before", BEFORE), ("after", {})):
        engine = LocalOcr(settings.ocr.model_copy(update=update))
        engine.warm_up()
        engines[name] = Services.open(settings, ocr=engine)
    for slip in slips:
        upload = Upload(slip.name, slip.read_bytes())
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in engines}
        for _ in range(runs):  # alternate the two readings so machine noise hits both alike
            for name, services in engines.items():
                usage = asyncio.run(analyze([upload], services, mode="sequential")).usage
                times[name].append((usage.total_ms / 1000, usage.timings_ms["ocr"] / usage.total_ms))
        for name, got in times.items():
            totals = [t for t, _ in got]
            median, tail, share = statistics.median(totals), p95(totals), statistics.median(s for _, s in got)
            rows.append(f"| {slip.stem} | {name} | {median:.2f} | {tail:.2f} | {share:.0%} |")
    for services in engines.values():
        services.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--realdev", type=Path, default=REALDEV)
    parser.add_argument("--only-real", action="store_true", help="skip the generated photos")
    args = parser.parse_args()
    if args.only_real:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(data_dir=Path(tmp))
            services = Services.open(settings, ocr=LocalOcr(settings.ocr))
            init_catalog(services)
            services.close()
            print("\n".join(real_slips(args.realdev, args.runs, settings)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        start = time.perf_counter()
        engine = LocalOcr(settings.ocr)
        engine.warm_up()
        cold_model = time.perf_counter() - start
        services = Services.open(settings, ocr=engine)
        init_catalog(services)
        start = time.perf_counter()
        services.catalog.index()
        cold_index = time.perf_counter() - start
        pool = photos(20, seed=7)
        rows = ["| photos | median s | p95 s | OCR share (median) | runs |", "|---|---|---|---|---|"]
        for n in (1, 3, 5):
            totals, shares = [], []
            for run in range(args.runs):
                batch = [pool[(run * n + k) % len(pool)] for k in range(n)]
                record = asyncio.run(analyze(batch, services))
                totals.append(record.usage.total_ms / 1000)
                shares.append(record.usage.timings_ms["ocr"] / record.usage.total_ms)
            rows.append(
                f"| {n} | {statistics.median(totals):.2f} | {p95(totals):.2f} | "
                f"{statistics.median(shares):.0%} | {args.runs} |"
            )
        services.close()
        real = real_slips(args.realdev, args.runs, settings) if (args.realdev / "images").is_dir() else []
    print(
        f"cold start: model load + warm-up {cold_model:.2f} s ({engine.detector} detector), "
        f"first catalog index {cold_index:.2f} s"
    )
    print("\n".join(rows))
    print("\n".join(real) if real else f"no real slips at {args.realdev}")


if __name__ == "__main__":
    main()
