"""Readiness and metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST

from rxlens import __version__
from rxlens.api.deps import ServicesDep
from rxlens.errors import RxlensError
from rxlens.queue.jobs import Jobs

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="Database reachable and model loaded")
async def healthz(services: ServicesDep, request: Request) -> JSONResponse:
    """ok: all ready. degraded (still 200): the database does not answer but the catalog loaded
    before keeps matching. unavailable (503): no model yet, or no catalog to match against."""
    catalog = services.catalog
    queued = services.settings.queue.jobs
    model = "on workers" if queued else "ready" if services.ocr_ready else "loading"
    body: dict[str, object] = {"version": __version__, "model": model}
    try:
        body["catalog_version"] = await services.blocking.run(catalog.check)
        body["database"] = "ok"
    except RxlensError as error:
        body["database"] = error.message
        body["catalog_version"] = catalog.loaded_version
    body |= await _queue_and_limits(request)
    if (
        (not queued and not services.ocr_ready)
        or body["catalog_version"] is None
        or body.get("queue") == "down"
    ):
        status = "unavailable"
    else:
        status = "ok" if body["database"] == "ok" else "degraded"
    body["status"] = status
    return JSONResponse(body, status_code=503 if status == "unavailable" else 200)


async def _queue_and_limits(request: Request) -> dict[str, object]:
    """`queue` (with a broker): whether Redis answers, without which no job can be taken or read;
    `limits`: shared (through Redis) or per-process (no Redis configured, or it went away)."""
    state = request.app.state
    body: dict[str, object] = {}
    jobs: Jobs = state.jobs
    if jobs.queued:  # both must answer for a job to be taken and read
        redis_ok, broker_ok = await jobs.log.ping(), await jobs.runner.ping()
        body["queue"] = "ok" if redis_ok and broker_ok else "down"
        body["redis"], body["broker"] = _word(redis_ok), _word(broker_ok)
    body["limits"] = "shared" if getattr(state.rate_limiter, "shared", False) else "per-process"
    return body


def _word(ok: bool) -> str:
    return "ok" if ok else "not answering"


@router.get("/metrics", summary="Prometheus metrics")
async def metrics(services: ServicesDep) -> Response:
    return Response(services.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
