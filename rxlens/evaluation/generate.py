"""Write N generated photos with ground truth JSON beside each (`rxlens eval generate`)."""

from __future__ import annotations

import io
import random
from pathlib import Path

from rxlens.catalog.records import Product
from rxlens.evaluation.damage import photograph
from rxlens.evaluation.layouts import FAMILIES, render
from rxlens.evaluation.marks import mark
from rxlens.evaluation.scenario import ScenarioMaker
from rxlens.evaluation.truth import Truth


def one(maker: ScenarioMaker, family: str, seed: int, damaged_share: float) -> tuple[Truth, bytes]:
    """One photo from its own seed, so any image can be regenerated alone."""

    rng = random.Random(seed)
    truth = maker.prescription(rng, FAMILIES[family].SPEC)
    truth.seed = seed
    image, truth.damage = mark(render(truth, rng), rng)
    if rng.random() < damaged_share:
        image, phone = photograph(image, rng)
        truth.damage += phone
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return truth, out.getvalue()


def generate(
    products: list[Product], out: Path, count: int, seed: int, damaged_share: float = 0.5
) -> list[Path]:
    """Families in turn (each gets count/8), about `damaged_share` of each photographed badly."""
    out.mkdir(parents=True, exist_ok=True)
    maker = ScenarioMaker(products)
    names = list(FAMILIES)
    written = []
    for i in range(count):
        family = names[i % len(names)]
        truth, data = one(maker, family, seed * 1_000_003 + i, damaged_share)
        path = out / f"{i:04d}-{family}.jpg"
        path.write_bytes(data)
        path.with_suffix(".json").write_text(truth.model_dump_json(indent=1), encoding="utf-8")
        written.append(path)
    return written
