"""Readiness and metrics."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST

from rxlens.api.deps import ServicesDep
from rxlens.errors import RxlensError

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="Database reachable and model loaded")
async def healthz(services: ServicesDep) -> JSONResponse:
    body: dict[str, object] = {"model": "ready" if services.ocr_ready else "loading"}
    try:
        body["catalog_version"] = await services.blocking.run(services.store.version)
        body["database"] = "ok"
    except RxlensError as error:
        body["database"] = error.message
    ok = body["database"] == "ok" and services.ocr_ready
    body["status"] = "ok" if ok else "unavailable"
    return JSONResponse(body, status_code=200 if ok else 503)


@router.get("/metrics", summary="Prometheus metrics")
async def metrics(services: ServicesDep) -> Response:
    return Response(services.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
