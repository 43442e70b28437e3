"""Accuracy on a freshly generated set, measured with the real model (a seed not used for tuning).

The full 300-photo measurement is `rxlens eval generate … && rxlens eval run …` (README);
this is the same code on 48 photos so that CI watches for regressions.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from rxlens.catalog.bundled import Bundle
from rxlens.evaluation.generate import generate
from rxlens.evaluation.runner import evaluate, latency_line
from rxlens.services import Services

pytestmark = pytest.mark.usefixtures("fonts")
SEED = 4242  # tuning used 101 and 202


def test_field_accuracy_on_generated_photos(reader: Services, bundle: Bundle, tmp_path: Path) -> None:
    generate(bundle.products, tmp_path, count=48, seed=SEED)
    scorer, latencies = asyncio.run(evaluate(tmp_path, reader))
    print("\n" + scorer.table() + "\n" + latency_line(latencies))
    clean, damaged, everything = (scorer.tallies[k] for k in ("clean", "damaged", "all"))
    assert clean.total["drug"] >= 30 and damaged.total["drug"] >= 30
    assert (clean.rate("drug") or 0) >= 0.95
    assert (damaged.rate("drug") or 0) >= 0.90
    assert (everything.rate("frequency") or 0) >= 0.97
    assert (everything.rate("visit_date") or 0) >= 0.97
    assert (everything.rate("days_supply") or 0) >= 0.95
