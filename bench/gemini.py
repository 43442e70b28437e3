"""The Gemini path against a local server with the delays the old system saw, then hybrid vs local.

    .venv/bin/python -m bench.gemini [--runs N] [--hybrid-photos N]

Part 1 reproduces the old timing structure — the drug table loaded per request (1.5 s), full-size
photos (modelled as 3 MB each in the server's delay), keyword call then analysis call — in its
sequential and parallel forms, then runs our pipeline: warm catalog, photos compressed to
1536 px JPEG. Server delay = base + per photo + per MB: keywords 6.5 + 0.5 + 0.3, analysis
4.5 + 0.5 + 0.3 (inside the old 8–12 s and 6–10 s ranges).
Part 2 reads deliberately damaged photos with `local` and with `hybrid` (the server answers from
ground truth) and prints the share of photos sent to the cloud and the accuracy of each.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import random
import statistics
import tempfile
from pathlib import Path

from PIL import Image, ImageFilter
from pydantic import SecretStr

from rxlens.catalog.bundled import read_bundle
from rxlens.config import GeminiSettings, Settings
from rxlens.evaluation.damage import photograph
from rxlens.evaluation.render import render
from rxlens.evaluation.scenario import ScenarioMaker
from rxlens.evaluation.score import Scorer
from rxlens.evaluation.truth import Truth
from rxlens.images.intake import Upload, load_photo
from rxlens.pipeline import analyze
from rxlens.services import Services, init_catalog
from tests.gemini_server import KEY, Behaviour, gemini_server

DELAYS = {"keywords": (6.5, 0.5, 0.3), "analysis": (4.5, 0.5, 0.3)}


def generated(count: int, seed: int, heavy: bool = False) -> list[tuple[Truth, bytes]]:
    rng, maker = random.Random(seed), ScenarioMaker(read_bundle().products)
    out = []
    for i in range(count):
        truth = maker.prescription(rng, "bag" if i % 2 == 0 else "slip")
        image = render(truth, rng)
        if heavy:
            image, truth.damage = photograph(image, rng)
            if i % 3 == 0:  # a third beyond what the local model reads well
                small = image.resize((image.width // 3, image.height // 3), Image.Resampling.BILINEAR)
                image = small.resize(image.size).filter(ImageFilter.GaussianBlur(1.8))
                truth.damage.append("very_low_resolution")
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=85)
        out.append((truth, buffer.getvalue()))
    return out


def register(behaviour: Behaviour, settings: Settings, items: list[tuple[Truth, bytes]]) -> None:
    intake = settings.intake
    for truth, data in items:
        photo = load_photo(0, Upload("p.jpg", data), intake)
        behaviour.register(photo.cloud_jpeg(intake.cloud_long_side, intake.cloud_jpeg_quality), truth)


def timings(
    services: Services, behaviour: Behaviour, items: list[tuple[Truth, bytes]], runs: int
) -> list[str]:
    rows = []
    cases = [
        ("old: table per request, full-size photos", "sequential", 1500, 3.0),
        ("old: table per request, full-size photos", "parallel", 1500, 3.0),
        ("rxlens: warm catalog, 1536 px JPEG", "parallel", 0, None),
    ]
    for label, mode, latency, assume_mb in cases:
        services.settings.catalog.injected_latency_ms, behaviour.assume_mb = latency, assume_mb
        for n in (1, 3):
            seconds, tokens = [], []
            for run in range(runs):
                batch = [Upload(f"{k}.jpg", items[(run + k) % len(items)][1]) for k in range(n)]
                record = asyncio.run(analyze(batch, services, mode=mode, engine="gemini"))
                seconds.append(record.usage.total_ms / 1000)
                tokens.append(sum(c.tokens_in for c in record.usage.cloud_calls))
            calls = len(record.usage.cloud_calls)
            ratio = record.usage.candidates_sent / max(record.usage.catalog_size, 1)
            rows.append(
                f"| {label} | {mode} | {n} | {statistics.median(seconds):.1f} | {max(seconds):.1f} | "
                f"{calls} | {statistics.median(tokens):.0f} | {record.usage.candidates_sent} "
                f"({ratio:.2%} of catalog) |"
            )
    return rows


def accuracy(services: Services, items: list[tuple[Truth, bytes]], engine: str) -> tuple[Scorer, float]:
    from rxlens.catalog.keys import product_keys

    scorer = Scorer({p.id: set(product_keys(p)[1]) for p in services.catalog.index().products})
    sent = 0
    for i, (truth, data) in enumerate(items):
        record = asyncio.run(analyze([Upload("p.jpg", data)], services, mode="parallel", engine=engine))
        sent += bool(record.usage.photos_sent_to_cloud)
        scorer.score(f"{i}", truth, record)
    return scorer, sent / len(items)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--hybrid-photos", type=int, default=30)
    args = parser.parse_args()
    behaviour = Behaviour(delays=DELAYS)
    with tempfile.TemporaryDirectory() as tmp, gemini_server(behaviour) as url:
        settings = Settings(
            data_dir=Path(tmp),
            engine="hybrid",
            gemini=GeminiSettings(api_key=SecretStr(KEY), base_url=url, call_timeout_seconds=60),
        )
        services = Services.open(settings)
        init_catalog(services)
        services.catalog.index()
        items = generated(4, seed=3)
        register(behaviour, settings, items)
        print("| path | schedule | photos | median s | max s | calls | tokens in | candidates sent |")
        print("|---|---|---|---|---|---|---|---|")
        print("\n".join(timings(services, behaviour, items, args.runs)))
        behaviour.delays, behaviour.assume_mb = {}, None
        services.settings.catalog.injected_latency_ms = 0
        hard = generated(args.hybrid_photos, seed=404, heavy=True)
        register(behaviour, settings, hard)
        local, _ = accuracy(services, hard, "local")
        hybrid, share = accuracy(services, hard, "hybrid")
        print(f"\nhybrid on {len(hard)} damaged photos: {share:.0%} of photos sent to Gemini")
        print("| field | local | hybrid |\n|---|---|---|")
        for name in ("drug", "dose", "frequency", "total", "days", "all_fields", "visit_date"):
            a, b = local.tallies["all"], hybrid.tallies["all"]
            print(f"| {name} | {a.rate(name) or 0:.1%} | {b.rate(name) or 0:.1%} |")
        services.close()


if __name__ == "__main__":
    main()
