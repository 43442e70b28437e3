"""Regenerate the example photos in examples/ (what `make run` reads).

Two drug bags from one visit, and one multi-drug slip with phone-photo damage, all generated
from real catalog names by the evaluation renderer (no real patient data).
"""

from __future__ import annotations

import random
from pathlib import Path

from rxlens.catalog.bundled import read_bundle
from rxlens.evaluation.damage import photograph
from rxlens.evaluation.render import render_bag, render_slip
from rxlens.evaluation.scenario import ScenarioMaker

OUT = Path(__file__).resolve().parents[1] / "examples"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    rng = random.Random(2024)
    maker = ScenarioMaker(read_bundle().products)
    visit = maker.prescription(rng, "slip")
    for i, med in enumerate(visit.medications[:2], start=1):
        bag = render_bag(visit.model_copy(update={"medications": [med]}), rng)
        bag.save(OUT / f"bag-{i}.jpg", quality=88)
    slip, _ = photograph(render_slip(maker.prescription(rng, "slip"), rng), rng)
    slip.save(OUT / "slip-photo.jpg", quality=88)
    print(f"wrote {sorted(p.name for p in OUT.glob('*.jpg'))}")


if __name__ == "__main__":
    main()
