"""Readiness and metrics."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST

from rxlens import __version__
from rxlens.api.deps import ServicesDep
from rxlens.errors import RxlensError

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="Database reachable and model loaded")
async def healthz(services: ServicesDep) -> JSONResponse:
    """ok: all ready. degraded (still 200): the database does not answer but the catalog loaded
    before keeps matching. unavailable (503): no model yet, or no catalog to match against."""
    catalog = services.catalog
    body: dict[str, object] = {"version": __version__, "model": "ready" if services.ocr_ready else "loading"}
    try:
        body["catalog_version"] = await services.blocking.run(catalog.check)
        body["database"] = "ok"
    except RxlensError as error:
        body["database"] = error.message
        body["catalog_version"] = catalog.loaded_version
    if not services.ocr_ready or body["catalog_version"] is None:
        status = "unavailable"
    else:
        status = "ok" if body["database"] == "ok" else "degraded"
    body["status"] = status
    return JSONResponse(body, status_code=503 if status == "unavailable" else 200)


@router.get("/metrics", summary="Prometheus metrics")
async def metrics(services: ServicesDep) -> Response:
    return Response(services.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
