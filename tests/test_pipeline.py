"""Schedules, the A/B switch, timeouts and fallbacks, each moving the right metric."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from rxlens.catalog.bundled import Bundle
from rxlens.config import DatabaseSettings, PipelineSettings, Settings
from rxlens.errors import EngineError, EngineTimeout, StageFailed, StageTimeout
from rxlens.experiment import choose_mode
from rxlens.images.intake import Upload
from rxlens.ocr.base import OcrEngine
from rxlens.pipeline import analyze
from rxlens.result import AnalysisResult
from rxlens.services import Services
from tests.fakes import BrokenScheduler, BuggyOcr, CrashingOcr, SlowOcr
from tests.images import prescription

DEAD_DB = "postgresql+psycopg://nobody@127.0.0.1:1/none"


def metric(services: Services, name: str, labels: dict[str, str] | None = None) -> float:
    return services.metrics.registry.get_sample_value(name, labels or {}) or 0.0


def run(services: Services, photo: bytes, **kwargs: object) -> AnalysisResult:
    return asyncio.run(analyze([Upload("p.jpg", photo)], services, **kwargs))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def slip(bundle: Bundle) -> bytes:
    return prescription(bundle.products, 51, "slip")[1]


@pytest.mark.usefixtures("fonts")
def test_parallel_and_sequential_give_the_same_record(reader: Services, slip: bytes) -> None:
    parallel = run(reader, slip, mode="parallel")
    sequential = run(reader, slip, mode="sequential")
    strip = {"usage": True}
    assert parallel.model_dump(exclude=strip) == sequential.model_dump(exclude=strip)
    assert (parallel.usage.mode, sequential.usage.mode) == ("parallel", "sequential")
    assert metric(reader, "rxlens_requests_total", {"mode": "parallel", "arm": "-", "outcome": "ok"}) == 1
    assert metric(reader, "rxlens_stage_seconds_count", {"stage": "ocr", "mode": "sequential"}) == 1


def test_experiment_is_sticky_and_splits_near_the_share() -> None:
    settings = PipelineSettings(mode="experiment", parallel_share=0.5)
    arms = [choose_mode(settings, f"user-{i}")[1] for i in range(2000)]
    assert arms == [choose_mode(settings, f"user-{i}")[1] for i in range(2000)]
    assert 0.45 < arms.count("parallel") / len(arms) < 0.55
    assert choose_mode(PipelineSettings(mode="sequential"), "user-1") == ("sequential", None)


@pytest.mark.usefixtures("fonts")
def test_arm_is_recorded(reader: Services, slip: bytes) -> None:
    reader.settings.pipeline.mode = "experiment"
    record = run(reader, slip, user_id="family-42")
    assert record.usage.arm == choose_mode(reader.settings.pipeline, "family-42")[1] == record.usage.mode


def test_crashing_ocr_is_a_clear_error(settings: Settings, slip: bytes) -> None:
    services = Services.open(settings, ocr=CrashingOcr())
    with pytest.raises(EngineError, match="OCR model failed on photo 1"):
        run(services, slip, mode="parallel")
    assert metric(services, "rxlens_errors_total", {"kind": "EngineError"}) == 1
    assert metric(services, "rxlens_stage_failures_total", {"stage": "ocr", "kind": "EngineError"}) == 1


# The fake model answers after this long; a deadline that works answers long before.
HUNG = 10.0


def test_slow_ocr_times_out_within_its_deadline(settings: Settings, slip: bytes) -> None:
    settings.pipeline.ocr_timeout_seconds = 0.5
    services = Services.open(settings, ocr=SlowOcr(HUNG))
    start = time.perf_counter()
    with pytest.raises(EngineTimeout):
        run(services, slip, mode="parallel")
    assert time.perf_counter() - start < HUNG / 2  # answered, not waited out (a loaded CI machine is slow)
    assert metric(services, "rxlens_stage_failures_total", {"stage": "ocr", "kind": "EngineTimeout"}) == 1


def test_request_deadline_bounds_everything(settings: Settings, slip: bytes) -> None:
    settings.pipeline.request_timeout_seconds = 0.5
    services = Services.open(settings, ocr=SlowOcr(HUNG))
    start = time.perf_counter()
    with pytest.raises(StageTimeout, match="request deadline"):
        run(services, slip, mode="sequential")
    assert time.perf_counter() - start < HUNG / 2  # answered, not waited out (a loaded CI machine is slow)


@pytest.mark.usefixtures("fonts")
def test_dead_database_degrades_to_unmatched_drugs(
    tmp_path: Path, ocr_engine: OcrEngine, bundle: Bundle
) -> None:
    truth, photo = prescription(bundle.products, 52, "slip")
    settings = Settings(data_dir=tmp_path, database=DatabaseSettings(url=DEAD_DB))
    services = Services.open(settings, ocr=ocr_engine)
    record = run(services, photo, mode="parallel")
    assert any("drug catalog unavailable" in w for w in record.warnings)
    assert len(record.medications) == len(truth.medications)
    assert all(m.matched_drug_id is None and m.printed_name for m in record.medications)
    assert [m.frequency_count_code for m in record.medications] == [
        m.frequency_code for m in truth.medications
    ]
    assert metric(services, "rxlens_stage_failures_total", {"stage": "catalog", "kind": "CatalogError"}) == 1


def test_dead_database_and_crashing_ocr(tmp_path: Path, slip: bytes) -> None:
    services = Services.open(
        Settings(data_dir=tmp_path, database=DatabaseSettings(url=DEAD_DB)), ocr=CrashingOcr()
    )
    with pytest.raises(EngineError):
        run(services, slip, mode="parallel")
    assert metric(services, "rxlens_stage_failures_total", {"stage": "catalog", "kind": "CatalogError"}) == 1


@pytest.mark.usefixtures("fonts")
def test_broken_parallel_machinery_falls_back_to_sequential(reader: Services, slip: bytes) -> None:
    reader.schedulers["parallel"] = BrokenScheduler()
    record = run(reader, slip, mode="parallel")
    assert record.usage.mode == "parallel-fallback" and record.medications
    assert metric(reader, "rxlens_fallbacks_total") == 1


@pytest.mark.usefixtures("fonts")
def test_injected_catalog_latency_is_hidden_by_the_parallel_schedule(reader: Services, slip: bytes) -> None:
    reader.settings.catalog.injected_latency_ms = 300
    parallel = run(reader, slip, mode="parallel").usage
    sequential = run(reader, slip, mode="sequential").usage
    assert parallel.timings_ms["catalog"] >= 300 and sequential.timings_ms["catalog"] >= 300
    assert parallel.time_saved_ms > 200 and sequential.time_saved_ms <= 50


def test_a_stage_bug_is_not_a_scheduler_fallback(settings: Settings, slip: bytes) -> None:
    ocr = BuggyOcr()
    services = Services.open(settings, ocr=ocr)
    with pytest.raises(StageFailed, match="ValueError"):
        run(services, slip, mode="parallel")
    assert ocr.calls == 1 and metric(services, "rxlens_fallbacks_total") == 0
