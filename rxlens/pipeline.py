"""The analysis pipeline on one screen: named stages, what each needs, and a schedule.

    intake ──► ocr ──┐
                     ├──► extract (layout, catalog match) ──► validate (days, arithmetic, completeness)
    catalog ─────────┘

With RXLENS_ENGINE=gemini, `keywords` and `analysis` (two cloud calls) take the place of ocr +
extract and feed `validate` the same way; with hybrid, `escalate` sends the photos read with low
confidence to the cloud after `validate`, and re-validates what it merges.

`ocr` reads each photo, and reads again the parts of a page where it lost a visit date or a
drug's name (extract/second_look.py: a stamp over them). `catalog` needs nothing, so the parallel
schedule runs it beside intake and OCR; the sequential schedule (the rollback switch) runs the
same stages in order. A catalog failure degrades the record (drugs as read, unmatched, with a
warning); any other stage failure fails the request.
If the parallel machinery itself breaks (not a stage), the request is run once more sequentially.
Around the stages (rxlens/run/): stage calls and their errors, the engine and its fallback, usage
and metrics.
"""

from __future__ import annotations

import asyncio
import time

from rxlens.catalog.service import STALE_WARNING
from rxlens.config import PipelineSettings
from rxlens.errors import RxlensError, StageTimeout
from rxlens.experiment import choose_mode
from rxlens.extract.record import build_record
from rxlens.extract.second_look import second_look
from rxlens.images.intake import Photo, Upload, load_photos
from rxlens.ocr.base import TextLine
from rxlens.result import AnalysisResult
from rxlens.run import observe
from rxlens.run.cloud import CloudStages
from rxlens.run.engine import choose_engine, with_fallback
from rxlens.run.request import Progress, Request, quiet
from rxlens.run.usage import usage
from rxlens.scheduling import Degraded, Results, Stage
from rxlens.services import Services
from rxlens.validate.record import validate


class Stages:
    """The stages of one request: each a function from the results it needs to its own."""

    def __init__(self, request: Request) -> None:
        self.request, self.services = request, request.services
        self.cloud = CloudStages(request.services)

    def listed(self, engine: str, p: PipelineSettings) -> list[Stage]:
        cloud, read, asked = self.cloud, ("intake", "ocr", "catalog"), ("intake", "keywords", "catalog")
        first = [
            Stage("intake", (), self.intake, p.intake_timeout_seconds),
            Stage("catalog", (), self.catalog, p.catalog_timeout_seconds, degradable=True),
        ]
        local = [
            Stage("ocr", ("intake",), self.ocr, p.ocr_timeout_seconds),
            Stage("extract", read, self.extract, p.extract_timeout_seconds),
            Stage("validate", ("ocr", "extract"), self.validate, p.extract_timeout_seconds),
        ]
        match engine:
            case "gemini":
                return [
                    *first,
                    Stage("keywords", ("intake",), cloud.keywords, p.cloud_timeout_seconds),
                    Stage("analysis", asked, cloud.analysis, p.ocr_timeout_seconds),
                    Stage("validate", ("analysis",), self.validate, p.extract_timeout_seconds),
                ]
            case "hybrid":
                escalate = Stage("escalate", (*read, "validate"), cloud.escalate, p.cloud_timeout_seconds + 5)
                return [*first, *local, escalate]
            case _:
                return [*first, *local]

    async def intake(self, _: Results) -> list[Photo]:
        settings = self.services.settings.intake
        photos = await self.services.blocking.run(load_photos, self.request.uploads, settings)
        await self.request.progress("received", {"photos": len(photos)})
        return photos

    async def catalog(self, _: Results) -> object:
        index = await self.services.blocking.run(self.services.catalog.index)
        self.request.catalog_stale = self.services.catalog.stale
        await self.request.progress("catalog_ready", {"version": index.version})
        return index

    async def ocr(self, needs: Results) -> dict[int, list[TextLine]]:
        async def read(photo: Photo) -> tuple[int, list[TextLine]]:
            lines = await self.services.blocking.run_ocr(self.services.ocr.read, photo)
            seconds = self.services.settings.ocr.second_look_seconds
            lines = await self.services.blocking.run_ocr(
                second_look, photo, lines, self.services.ocr, seconds
            )
            await self.request.progress("photo_read", {"photo": photo.index, "lines": len(lines)})
            return photo.index, lines

        return dict(await asyncio.gather(*(read(p) for p in needs["intake"])))

    async def extract(self, needs: Results) -> AnalysisResult:
        index = needs["catalog"]
        catalog = None if isinstance(index, Degraded) else index
        sizes = {p.index: p.image.size for p in needs["intake"]}
        record = await self.services.blocking.run(build_record, needs["ocr"], catalog, sizes)
        if isinstance(index, Degraded):
            record.warnings.append(f"drug catalog unavailable ({index.error.message}); drugs shown as read")
        await self.request.progress("matched", {"medications": len(record.medications)})
        return record

    async def validate(self, needs: Results) -> AnalysisResult:
        record: AnalysisResult = needs["extract"] if "extract" in needs else needs["analysis"]
        if "ocr" in needs:
            return validate(record, text_found=any(needs["ocr"].values()))
        # The cloud sends no text lines: it found text when it named a drug or a clinic.
        return validate(record, text_found=bool(record.medications or record.clinic_name))


async def _schedule(request: Request, stages: Stages) -> Results:
    schedulers = request.services.schedulers
    request.stages = stages.listed(request.engine, request.services.settings.pipeline)
    try:
        return await schedulers[request.mode].run(request.stages, request.call)
    except RxlensError:
        raise
    except Exception:
        request.services.metrics.fallbacks.inc()  # the schedule broke: the stable path gets one more go
        request.mode = f"{request.mode}-fallback"
        return await schedulers["sequential"].run(request.stages, request.call)


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
    read_by, warning = choose_engine(services, engine)
    request = Request(services, uploads, chosen, read_by, arm, progress or quiet)
    request.warnings += [warning] if warning else []
    return await _analyze(request, Stages(request))


async def _analyze(request: Request, stages: Stages) -> AnalysisResult:
    services = request.services
    started = time.perf_counter()
    with services.metrics.in_flight():
        try:
            async with asyncio.timeout(services.settings.pipeline.request_timeout_seconds):
                results = await with_fallback(request, lambda: _schedule(request, stages))
        except TimeoutError:
            error: RxlensError = StageTimeout("The analysis did not finish within the request deadline.")
            observe.failed(request, error)
            raise error from None
        except RxlensError as error:
            observe.failed(request, error)
            raise
    record: AnalysisResult = results[request.stages[-1].name]
    if request.catalog_stale:
        record.warnings.append(STALE_WARNING)
    record.warnings += request.warnings
    record.usage = usage(request, stages.cloud, time.perf_counter() - started)
    observe.succeeded(request, record)
    await request.progress("result", {"medications": len(record.medications)})
    return record
