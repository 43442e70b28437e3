"""One request while its stages run: what was asked, what each stage returned and how long it took."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from rxlens.cloud.control import CloudUnavailable
from rxlens.errors import EngineTimeout, RxlensError, StageFailed, StageTimeout
from rxlens.images.intake import Upload
from rxlens.scheduling import Degraded, Results, Stage
from rxlens.services import Services

log = logging.getLogger("rxlens.pipeline")
Progress = Callable[[str, dict[str, object]], Awaitable[None]]


async def quiet(_event: str, _data: dict[str, object]) -> None:
    return None


@dataclass(eq=False)
class Request:
    services: Services
    uploads: list[Upload]
    mode: str
    engine: str
    arm: str | None = None
    progress: Progress = quiet
    stages: list[Stage] = field(default_factory=list)  # the ones scheduled last
    timings: dict[str, float] = field(default_factory=dict)
    done: Results = field(default_factory=dict)  # finished stages, reused when the request is run again
    warnings: list[str] = field(default_factory=list)
    catalog_stale: bool = False  # matched from the warm index while the database is down

    def __post_init__(self) -> None:
        # Requests are counted under the mode chosen for them; `mode` becomes "<mode>-fallback"
        # (in the usage block and stage timings) if the schedule itself broke.
        self.chosen = self.mode

    async def call(self, stage: Stage, needs: Results) -> object:
        """Run one stage under its timeout, timed; degrade or raise on failure."""
        if stage.name in self.done:
            return self.done[stage.name]
        metrics = self.services.metrics
        start = time.perf_counter()
        try:
            async with asyncio.timeout(stage.timeout):
                self.done[stage.name] = await stage.work(needs)
                return self.done[stage.name]
        except Exception as exc:  # noqa: BLE001 - a stage's own bug is its failure, not the schedule's
            error = stage_error(stage.name, exc)
            metrics.stage_failures.labels(stage.name, type(error).__name__).inc()
            if not stage.degradable:
                raise error from exc
            self.done[stage.name] = Degraded(error)
            return self.done[stage.name]
        finally:
            self.timings[stage.name] = round((time.perf_counter() - start) * 1000, 1)
            metrics.stage_seconds.labels(stage.name, self.mode).observe(self.timings[stage.name] / 1000)


def stage_error(stage: str, exc: Exception) -> RxlensError:
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
