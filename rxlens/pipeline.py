"""The analysis pipeline on one screen: named stages, each with a timeout.

    intake ──► ocr ─────┐
                        ├──► extract (match, layout, rules, checks) ──► result
    catalog ────────────┘

`ocr` and `catalog` need nothing from each other: the parallel schedule runs them together,
the sequential schedule runs the same stages one after another.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from rxlens.catalog.index import MatchIndex
from rxlens.errors import EngineTimeout, RxlensError
from rxlens.extract.record import build_record
from rxlens.images.intake import Photo, Upload, load_photos
from rxlens.ocr.base import TextLine
from rxlens.result import AnalysisResult, Usage
from rxlens.services import Services

T = TypeVar("T")
Progress = Callable[[str, dict[str, object]], Awaitable[None]]


async def _quiet(_event: str, _data: dict[str, object]) -> None:
    return None


class Run:
    """One request: its stage timings and progress events."""

    def __init__(self, services: Services, progress: Progress | None) -> None:
        self.services, self.settings = services, services.settings
        self.progress = progress or _quiet
        self.timings: dict[str, float] = {}

    async def stage(self, name: str, work: Awaitable[T], timeout: float, on_timeout: RxlensError) -> T:
        start = time.perf_counter()
        try:
            async with asyncio.timeout(timeout):
                return await work
        except TimeoutError as exc:
            raise on_timeout from exc
        finally:
            self.timings[name] = round((time.perf_counter() - start) * 1000, 1)

    async def intake(self, uploads: list[Upload]) -> list[Photo]:
        blocking, limits = self.services.blocking, self.settings.intake
        return await self.stage(
            "intake",
            blocking.run(load_photos, uploads, limits),
            self.settings.pipeline.intake_timeout_seconds,
            RxlensError("Reading the photos took too long."),
        )

    async def ocr(self, photos: list[Photo]) -> dict[int, list[TextLine]]:
        async def read(photo: Photo) -> tuple[int, list[TextLine]]:
            lines = await self.services.blocking.run_ocr(self.services.ocr.read, photo)
            await self.progress("photo_read", {"photo": photo.index, "lines": len(lines)})
            return photo.index, lines

        work = asyncio.gather(*(read(p) for p in photos))
        done = await self.stage(
            "ocr",
            work,
            self.settings.pipeline.ocr_timeout_seconds,
            EngineTimeout("The OCR engine did not finish in time."),
        )
        return dict(done)

    async def catalog(self) -> MatchIndex:
        index = await self.stage(
            "catalog",
            self.services.blocking.run(self.services.catalog.index),
            self.settings.pipeline.catalog_timeout_seconds,
            RxlensError("Loading the drug catalog took too long."),
        )
        await self.progress("catalog_ready", {"version": index.version})
        return index

    async def extract(
        self, lines: dict[int, list[TextLine]], index: MatchIndex, photos: list[Photo]
    ) -> AnalysisResult:
        sizes = {p.index: p.image.size for p in photos}
        work = self.services.blocking.run(build_record, lines, index.match, sizes)
        return await self.stage(
            "extract",
            work,
            self.settings.pipeline.extract_timeout_seconds,
            RxlensError("Extracting the record took too long."),
        )


async def analyze(
    uploads: list[Upload], services: Services, progress: Progress | None = None, mode: str | None = None
) -> AnalysisResult:
    run = Run(services, progress)
    mode = mode or services.settings.pipeline.mode
    started = time.perf_counter()
    photos = await run.intake(uploads)
    await run.progress("received", {"photos": len(photos)})
    if mode == "parallel":
        lines, index = await asyncio.gather(run.ocr(photos), run.catalog())
    else:
        lines = await run.ocr(photos)
        index = await run.catalog()
    record = await run.extract(lines, index, photos)
    total = round((time.perf_counter() - started) * 1000, 1)
    stage_sum = round(sum(run.timings.values()), 1)
    record.usage = Usage(
        engine=services.ocr.name,
        mode=mode,
        photos=len(photos),
        timings_ms=run.timings,
        total_ms=total,
        stage_sum_ms=stage_sum,
        time_saved_ms=round(max(stage_sum - total, 0), 1),
        detector=getattr(services.ocr, "detector", None),
    )
    await run.progress("result", {"medications": len(record.medications)})
    return record
