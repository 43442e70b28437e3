"""A request's outcome in the metrics."""

from __future__ import annotations

from rxlens.errors import RxlensError
from rxlens.result import AnalysisResult
from rxlens.run.request import Request
from rxlens.scheduling import critical_path


def failed(request: Request, error: RxlensError) -> None:
    """The client's bad input is its own outcome, apart from the server's failures."""
    outcome = "client_error" if error.status < 500 else "server_error"
    request.services.metrics.errors.labels(type(error).__name__).inc()
    request.services.metrics.requests.labels(request.chosen, request.arm or "-", outcome).inc()


def succeeded(request: Request, record: AnalysisResult) -> None:
    metrics, usage, mode = request.services.metrics, record.usage, request.mode
    metrics.request_seconds.labels(mode, str(usage.photos)).observe(usage.total_ms / 1000)
    metrics.images.observe(usage.photos)
    metrics.time_saved.labels(mode).observe(max(usage.time_saved_ms, 0) / 1000)
    path = critical_path(request.stages, request.timings) if mode == "parallel" else usage.stage_sum_ms
    metrics.overhead.labels(mode).observe(max(usage.total_ms - path, 0) / 1000)
    metrics.requests.labels(request.chosen, request.arm or "-", "ok").inc()
