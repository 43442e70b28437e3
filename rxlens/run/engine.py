"""Which engine reads a request, and the local engine taking over when the cloud fails."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from rxlens.cloud.control import CloudUnavailable
from rxlens.run.request import Request
from rxlens.scheduling import Results
from rxlens.services import Services


def choose_engine(services: Services, asked: str | None) -> tuple[str, str | None]:
    """The engine for this request, and a warning when the cloud is paused by its breaker."""
    engine = asked or services.settings.engine
    if engine != "local" and services.cloud.breaker.open:
        return "local", "cloud engine paused after repeated failures; read with the local engine"
    return engine, None


async def with_fallback(request: Request, read: Callable[[], Awaitable[Results]]) -> Results:
    """`read` schedules the stages of `request.engine`; if the cloud fails this request, it is read
    once more by the local ocr + extract, reusing the stages already done (intake, catalog)."""
    try:
        return await read()
    except CloudUnavailable as error:
        request.services.metrics.fallbacks.inc()
        request.warnings.append(f"cloud engine unavailable ({error.message}); read with the local engine")
        request.engine = "local"
        return await read()
