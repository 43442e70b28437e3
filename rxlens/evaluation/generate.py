"""Write N generated photos with ground truth JSON beside each (`rxlens eval generate`)."""

from __future__ import annotations

import io
import random
from pathlib import Path

from rxlens.catalog.records import Product
from rxlens.evaluation.damage import photograph
from rxlens.evaluation.render import render
from rxlens.evaluation.scenario import ScenarioMaker


def generate(
    products: list[Product], out: Path, count: int, seed: int, damaged_share: float = 0.5
) -> list[Path]:
    """Half bags, half slips; each layout split clean / damaged by `damaged_share`."""
    out.mkdir(parents=True, exist_ok=True)
    maker = ScenarioMaker(products)
    rng = random.Random(seed)
    written = []
    for i in range(count):
        layout = "bag" if i % 2 == 0 else "slip"
        truth = maker.prescription(rng, layout)
        truth.seed = seed
        image = render(truth, rng)
        if rng.random() < damaged_share:
            image, truth.damage = photograph(image, rng)
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=92)
        path = out / f"{i:04d}-{layout}.jpg"
        path.write_bytes(buffer.getvalue())
        path.with_suffix(".json").write_text(truth.model_dump_json(indent=1), encoding="utf-8")
        written.append(path)
    return written
