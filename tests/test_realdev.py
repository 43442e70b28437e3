"""Real prescription slips (../shared/realdev, not in the repo: no licence to copy them).

CI has the folder beside the checkout; elsewhere the tests skip and say why. The bars are the
issue's floors; the full table with every miss is `rxlens eval real ../shared/realdev`.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

import pytest

from rxlens.config import Settings
from rxlens.evaluation.real import RealReport, evaluate
from rxlens.ocr.base import OcrEngine
from rxlens.services import Services

REALDEV = Path(os.environ.get("RXLENS_REALDEV", Path(__file__).resolve().parents[2] / "shared" / "realdev"))


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, seeded_db: Path, ocr_engine: OcrEngine) -> RealReport:
    if not (REALDEV / "truth").is_dir():
        pytest.skip(f"no real slips at {REALDEV} (set RXLENS_REALDEV to a folder with images/ and truth/)")
    data = tmp_path_factory.mktemp("realdev")
    shutil.copy(seeded_db, data / "rxlens.db")
    services = Services.open(Settings(data_dir=data), ocr=ocr_engine)
    try:
        return asyncio.run(evaluate(REALDEV, services))
    finally:
        services.close()


def _misses(report: RealReport, field: str) -> list[str]:
    return [f"{m.image}: {m.expected} -> {m.got}" for m in report.misses if m.field == field]


def test_real_slips_drugs_found(report: RealReport) -> None:
    rate = report.tally.rate("drug_found")
    assert rate is not None and rate >= 0.90, _misses(report, "drug_found")


def test_real_slips_never_name_a_wrong_drug(report: RealReport) -> None:
    assert report.tally.total["no_wrong_drug"] > 0
    assert report.tally.rate("no_wrong_drug") == 1.0, _misses(report, "no_wrong_drug")


def test_real_slips_visit_dates(report: RealReport) -> None:
    assert report.tally.rate("visit_date") == 1.0, _misses(report, "visit_date")
