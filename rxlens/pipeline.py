"""The analysis pipeline on one screen: named stages, what each needs, and a schedule.

    intake ──► ocr ──┐
                     ├──► extract (layout, catalog match, rules, checks) ──► record
    catalog ─────────┘

With RXLENS_ENGINE=gemini, `analysis` (two cloud calls) takes the place of ocr + extract; with
hybrid, `escalate` sends the photos read with low confidence to the cloud after `extract`.

`catalog` needs nothing, so the parallel schedule runs it beside intake and OCR; the sequential
schedule (the rollback switch) runs the same stages in order. A catalog failure degrades the
record (drugs as read, unmatched, with a warning); any other stage failure fails the request.
If the parallel machinery itself breaks (not a stage), the request is run once more sequentially;
if the cloud fails, the local ocr + extract read it. Either way stages already done are reused.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from rxlens.catalog.service import STALE_WARNING
from rxlens.cloud.control import CloudUnavailable
from rxlens.cloud.stages import CloudStages
from rxlens.config import PipelineSettings
from rxlens.errors import EngineTimeout, RxlensError, StageFailed, StageTimeout
from rxlens.experiment import choose_mode
from rxlens.extract.record import build_record
from rxlens.images.intake import Photo, Upload, load_photos
from rxlens.ocr.base import TextLine
from rxlens.result import AnalysisResult, Usage
from rxlens.scheduling import Degraded, Results, Scheduler, Stage, critical_path
from rxlens.services import Services

log = logging.getLogger("rxlens.pipeline")
Progress = Callable[[str, dict[str, object]], Awaitable[None]]


async def _quiet(_event: str, _data: dict[str, object]) -> None:
    return None


class Run:
    """One request: its stages, their timings, progress events and metrics."""

    def __init__(
        self,
        services: Services,
        uploads: list[Upload],
        progress: Progress | None,
        mode: str,
        engine: str = "local",
    ) -> None:
        self.services, self.uploads, self.mode, self.engine = services, uploads, mode, engine
        self.progress = progress or _quiet
        self.timings: dict[str, float] = {}
        self.photos: list[Photo] = []
        self.catalog_stale = False  # matched from the warm index while the database is down
        self.done: Results = {}  # finished stages, reused when the request is run again
        self.warnings: list[str] = []
        self.cloud = CloudStages(services)
        self.stages = self._stages(services.settings.pipeline)

    def _stages(self, p: PipelineSettings) -> list[Stage]:
        first = [
            Stage("intake", (), self.intake, p.intake_timeout_seconds),
            Stage("catalog", (), self.catalog, p.catalog_timeout_seconds, degradable=True),
        ]
        local = [
            Stage("ocr", ("intake",), self.ocr, p.ocr_timeout_seconds),
            Stage("extract", ("intake", "ocr", "catalog"), self.extract, p.extract_timeout_seconds),
        ]
        cloud_timeout = p.cloud_timeout_seconds
        match self.engine:
            case "gemini":
                keywords = Stage("keywords", ("intake",), self.cloud.keywords, cloud_timeout)
                analysis = Stage(
                    "analysis", ("intake", "keywords", "catalog"), self.cloud.analysis, p.ocr_timeout_seconds
                )
                return [*first, keywords, analysis]
            case "hybrid":
                needs = ("intake", "ocr", "catalog", "extract")
                return [*first, *local, Stage("escalate", needs, self.cloud.escalate, cloud_timeout + 5)]
            case _:
                return [*first, *local]

    async def intake(self, _: Results) -> list[Photo]:
        photos = await self.services.blocking.run(load_photos, self.uploads, self.services.settings.intake)
        await self.progress("received", {"photos": len(photos)})
        return photos

    async def catalog(self, _: Results) -> object:
        index = await self.services.blocking.run(self.services.catalog.index)
        self.catalog_stale = self.services.catalog.stale
        await self.progress("catalog_ready", {"version": index.version})
        return index

    async def ocr(self, needs: Results) -> dict[int, list[TextLine]]:
        async def read(photo: Photo) -> tuple[int, list[TextLine]]:
            lines = await self.services.blocking.run_ocr(self.services.ocr.read, photo)
            await self.progress("photo_read", {"photo": photo.index, "lines": len(lines)})
            return photo.index, lines

        return dict(await asyncio.gather(*(read(p) for p in needs["intake"])))

    async def extract(self, needs: Results) -> AnalysisResult:
        index = needs["catalog"]
        catalog = None if isinstance(index, Degraded) else index
        sizes = {p.index: p.image.size for p in needs["intake"]}
        record = await self.services.blocking.run(build_record, needs["ocr"], catalog, sizes)
        if isinstance(index, Degraded):
            record.warnings.append(f"drug catalog unavailable ({index.error.message}); drugs shown as read")
        await self.progress("matched", {"medications": len(record.medications)})
        return record

    def fall_back(self, error: CloudUnavailable) -> None:
        """The cloud failed this request: local ocr + extract read it; intake and catalog are reused."""
        self.services.metrics.fallbacks.inc()
        self.warnings.append(f"cloud engine unavailable ({error.message}); read with the local engine")
        self.engine = "local"
        self.stages = self._stages(self.services.settings.pipeline)

    async def call(self, stage: Stage, needs: Results) -> object:
        """Run one stage under its timeout, timed; degrade or raise on failure."""
        if stage.name in self.done:
            return self.done[stage.name]
        start = time.perf_counter()
        try:
            async with asyncio.timeout(stage.timeout):
                self.done[stage.name] = await stage.work(needs)
                return self.done[stage.name]
        except Exception as exc:  # noqa: BLE001 - a stage's own bug is its failure, not the schedule's
            error = _stage_error(stage.name, exc)
            self.services.metrics.stage_failures.labels(stage.name, type(error).__name__).inc()
            if not stage.degradable:
                raise error from exc
            self.done[stage.name] = Degraded(error)
            return self.done[stage.name]
        finally:
            self.timings[stage.name] = round((time.perf_counter() - start) * 1000, 1)
            self.services.metrics.stage_seconds.labels(stage.name, self.mode).observe(
                self.timings[stage.name] / 1000
            )


def _stage_error(stage: str, exc: Exception) -> RxlensError:
    if isinstance(exc, RxlensError):
        return exc
    if isinstance(exc, TimeoutError):
        return _timeout(stage)
    # A bug: its own traceback is logged here, where it is still whole (the scheduler re-raises
    # our error from its task group, which replaces the cause).
    log.error("bug in the %s stage", stage, exc_info=exc)
    return StageFailed(f"The {stage} stage failed unexpectedly ({type(exc).__name__}).")


def _timeout(stage: str) -> RxlensError:
    if stage == "ocr":
        return EngineTimeout("The OCR engine did not finish in time.")
    if stage in ("keywords", "analysis"):
        return CloudUnavailable(f"the {stage} call did not finish in time")
    return StageTimeout(f"The {stage} stage did not finish in time.")


async def _schedule(run: Run, scheduler: Scheduler, fallback: Scheduler) -> Results:
    try:
        return await scheduler.run(run.stages, run.call)
    except RxlensError:
        raise
    except Exception:
        run.services.metrics.fallbacks.inc()  # the schedule broke: the stable path gets one more go
        run.mode = f"{run.mode}-fallback"
        return await fallback.run(run.stages, run.call)


async def _read(run: Run) -> Results:
    schedulers = run.services.schedulers
    chosen, stable = schedulers[run.mode], schedulers["sequential"]
    try:
        return await _schedule(run, chosen, stable)
    except CloudUnavailable as error:
        run.fall_back(error)
        return await _schedule(run, chosen, stable)


def _engine(services: Services, asked: str | None) -> tuple[str, str | None]:
    """The engine for this request, and a warning when the cloud is paused by its breaker."""
    engine = asked or services.settings.engine
    if engine != "local" and services.cloud.breaker.open:
        return "local", "cloud engine paused after repeated failures; read with the local engine"
    return engine, None


async def analyze(
    uploads: list[Upload],
    services: Services,
    progress: Progress | None = None,
    user_id: str | None = None,
    mode: str | None = None,
    engine: str | None = None,
    ab_key: str | None = None,
) -> AnalysisResult:
    """`ab_key` (the service passes the client's identity) picks the A/B arm; library callers
    without one are split by `user_id`."""
    key = ab_key if ab_key is not None else user_id
    chosen, arm = (mode, None) if mode else choose_mode(services.settings.pipeline, key)
    engine, warning = _engine(services, engine)
    run = Run(services, uploads, progress, chosen, engine)
    run.warnings += [warning] if warning else []
    return await _analyze(run, arm)


async def _analyze(run: Run, arm: str | None) -> AnalysisResult:
    services, chosen, metrics = run.services, run.mode, run.services.metrics
    started = time.perf_counter()
    with metrics.in_flight():
        try:
            async with asyncio.timeout(services.settings.pipeline.request_timeout_seconds):
                results = await _read(run)
        except TimeoutError:
            error: RxlensError = StageTimeout("The analysis did not finish within the request deadline.")
            _failed(run, chosen, arm, error)
            raise error from None
        except RxlensError as error:
            _failed(run, chosen, arm, error)
            raise
    record: AnalysisResult = results[run.stages[-1].name]
    if run.catalog_stale:
        record.warnings.append(STALE_WARNING)
    record.warnings += run.warnings
    record.usage = _usage(run, services, arm, time.perf_counter() - started)
    run.cloud.usage(record.usage)
    _observe(run, record)
    metrics.requests.labels(chosen, arm or "-", "ok").inc()
    await run.progress("result", {"medications": len(record.medications)})
    return record


def _failed(run: Run, mode: str, arm: str | None, error: RxlensError) -> None:
    """The client's bad input is its own outcome, apart from the server's failures."""
    outcome = "client_error" if error.status < 500 else "server_error"
    run.services.metrics.errors.labels(type(error).__name__).inc()
    run.services.metrics.requests.labels(mode, arm or "-", outcome).inc()


def _usage(run: Run, services: Services, arm: str | None, seconds: float) -> Usage:
    total = round(seconds * 1000, 1)
    stage_sum = round(sum(run.timings.values()), 1)
    sizes = [p.image.size for p in run.done.get("intake", [])]
    return Usage(
        engine=services.ocr.name if run.engine == "local" else run.engine,
        mode=run.mode,
        arm=arm,
        photos=len(run.uploads),
        photo_sizes=sizes,
        timings_ms=dict(run.timings),
        total_ms=total,
        stage_sum_ms=stage_sum,
        time_saved_ms=round(stage_sum - total, 1),
        detector=getattr(services.ocr, "detector", None) if run.engine != "gemini" else None,
    )


def _observe(run: Run, record: AnalysisResult) -> None:
    metrics, usage = run.services.metrics, record.usage
    metrics.request_seconds.labels(run.mode, str(usage.photos)).observe(usage.total_ms / 1000)
    metrics.images.observe(usage.photos)
    metrics.time_saved.labels(run.mode).observe(max(usage.time_saved_ms, 0) / 1000)
    path = critical_path(run.stages, run.timings) if run.mode == "parallel" else usage.stage_sum_ms
    metrics.overhead.labels(run.mode).observe(max(usage.total_ms - path, 0) / 1000)
