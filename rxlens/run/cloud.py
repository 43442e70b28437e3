"""Pipeline stages for the cloud engines: `keywords` and `analysis` (gemini), `escalate` (hybrid).

They sit above `cloud/` (the client and the reading) because they use the request's services."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from rxlens.catalog.index import MatchIndex
from rxlens.cloud.control import CloudUnavailable
from rxlens.cloud.recognize import candidates, read_keywords, read_record, to_record
from rxlens.images.intake import Photo
from rxlens.ocr.base import TextLine
from rxlens.result import AnalysisResult, Usage
from rxlens.result import CloudCall as CallUsage
from rxlens.scheduling import Results
from rxlens.services import Services
from rxlens.validate.record import validate

T = TypeVar("T")


class CloudStages:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.calls: list[CallUsage] = []
        self.sent: list[int] = []
        self.offered = 0
        self.catalog_size = 0

    async def keywords(self, needs: Results) -> tuple[list[bytes], list[str]]:
        """Call 1 needs only the photos, so it runs beside the catalog stage."""
        photos: list[Photo] = needs["intake"]
        jpegs = [
            await self.services.blocking.run(
                p.cloud_jpeg,
                self.services.settings.intake.cloud_long_side,
                self.services.settings.intake.cloud_jpeg_quality,
            )
            for p in photos
        ]
        found, usage = await self._call(read_keywords, jpegs)
        self.calls.append(usage)
        return jpegs, found

    async def analysis(self, needs: Results) -> AnalysisResult:
        """Call 2: the photos with the catalog's candidates for the keywords."""
        (jpegs, keywords), index = needs["keywords"], needs["catalog"]
        cap = self.services.settings.gemini.max_candidates
        offered = candidates(keywords, index, cap) if isinstance(index, MatchIndex) else []
        cloud, usage = await self._call(read_record, jpegs, offered)
        self.calls.append(usage)
        self.services.cloud.breaker.record(True)
        photos = [p.index for p in needs["intake"]]
        self.sent, self.offered = photos, len(offered)
        self.catalog_size = len(index.products) if isinstance(index, MatchIndex) else 0
        return to_record(cloud, offered, photos)

    async def _call(self, fn: Callable[..., Awaitable[T]], *args: Any) -> T:
        try:
            return await fn(self.services.cloud, *args)
        except CloudUnavailable:
            self.services.cloud.breaker.record(False)
            raise

    async def _read(self, photos: list[Photo], catalog: object) -> AnalysisResult:
        """Both calls for some photos, one after the other (hybrid escalation)."""
        read = {"intake": photos, "catalog": catalog}
        return await self.analysis({**read, "keywords": await self.keywords(read)})

    async def escalate(self, needs: Results) -> AnalysisResult:
        """Hybrid: only the photos the local engine read poorly (by the validated confidences) go
        to the cloud."""
        record: AnalysisResult = needs["validate"]
        weak = weak_photos(record, needs["ocr"], self.services.settings.gemini.hybrid_threshold)
        if not weak:
            return record
        photos = [p for p in needs["intake"] if p.index in weak]
        try:
            async with asyncio.timeout(self.services.settings.pipeline.cloud_timeout_seconds):
                cloud = await self._read(photos, needs["catalog"])
        except (CloudUnavailable, TimeoutError) as error:
            reason = error.message if isinstance(error, CloudUnavailable) else "timed out"
            record.warnings.append(f"cloud engine unavailable ({reason}); local reading kept")
            return record
        # Checked on its own first, as the gemini engine's record is: its drugs take its own days.
        return merge(record, validate(cloud, text_found=True), weak)

    def usage(self, usage: Usage) -> None:
        usage.cloud_calls = list(self.calls)
        usage.candidates_sent, usage.catalog_size = self.offered, self.catalog_size
        usage.photos_sent_to_cloud = self.sent


def weak_photos(record: AnalysisResult, lines: dict[int, list[TextLine]], threshold: float) -> list[int]:
    weak = set()
    for photo, read in lines.items():
        meds = [m for m in record.medications if m.source_image == photo]
        if read and not meds or any(m.confidence < threshold or not m.matched_drug_id for m in meds):
            weak.add(photo)
    return sorted(weak)


def merge(local: AnalysisResult, cloud: AnalysisResult, weak: list[int]) -> AnalysisResult:
    """Local medications of strong photos, cloud ones for weak photos; header gaps from the cloud."""
    local.medications = [m for m in local.medications if m.source_image not in weak] + cloud.medications
    for name in ("clinic_name", "doctor_name", "visit_date", "days_supply"):
        if getattr(local, name) is None and getattr(cloud, name) is not None:
            setattr(local, name, getattr(cloud, name))
            local.fields[name] = cloud.fields[name]
    local.warnings += cloud.warnings
    return validate(local, text_found=True)  # the merged record is checked again, as a whole
