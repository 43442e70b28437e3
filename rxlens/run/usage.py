"""The `usage` block of a result: which path a request took and what each stage cost."""

from __future__ import annotations

from rxlens.result import Usage
from rxlens.run.cloud import CloudStages
from rxlens.run.request import Request


def usage(request: Request, cloud: CloudStages, seconds: float) -> Usage:
    services = request.services
    total = round(seconds * 1000, 1)
    stage_sum = round(sum(request.timings.values()), 1)
    sizes = [p.image.size for p in request.done.get("intake", [])]
    block = Usage(
        engine=services.ocr.name if request.engine == "local" else request.engine,
        mode=request.mode,
        arm=request.arm,
        photos=len(request.uploads),
        photo_sizes=sizes,
        timings_ms=dict(request.timings),
        total_ms=total,
        stage_sum_ms=stage_sum,
        time_saved_ms=round(stage_sum - total, 1),
        detector=getattr(services.ocr, "detector", None) if request.engine != "gemini" else None,
    )
    cloud.usage(block)
    return block
