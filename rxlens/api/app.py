"""The FastAPI app: lifespan builds the services once; routes are thin; errors convert in one place."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from rxlens import __version__, logs
from rxlens.api import problems
from rxlens.api.edge import Edge
from rxlens.api.identity import Identity
from rxlens.api.limits import Admission, RateLimiter
from rxlens.api.middleware import RequestContext
from rxlens.api.routes import analyses, health, jobs, line, plans
from rxlens.config import Settings, get_settings
from rxlens.errors import CatalogError, MissingExtra
from rxlens.queue.jobs import Jobs
from rxlens.queue.open import open_jobs
from rxlens.services import Services, init_catalog

if TYPE_CHECKING:
    from rxlens.line.open import Line

log = logging.getLogger("rxlens")
# Analyses the whole fleet's API processes wait on at once when queue workers run them (each is
# only a coroutine): enough for ~40 photos/s answered in ~5 s; RXLENS_SERVICE__MAX_CONCURRENT sets it.
QUEUED_CAPACITY = 256


async def _start(services: Services) -> None:
    """Model, schema, catalog and index are ready before the first request is accepted.

    A dead database does not stop the service: with no catalog loaded /healthz says 503 and
    analyses come back with drugs as read (unmatched); once loaded, the warm catalog keeps
    matching, /healthz says degraded and each record carries a warning (rxlens.catalog.service).
    With a job queue the workers read and match: this process loads neither model nor index."""
    queued = services.settings.queue.jobs
    if not queued:
        await services.blocking.run(lambda: services.ocr)
    try:
        await services.blocking.run(init_catalog, services)
        if not queued:
            await services.blocking.run(services.catalog.index)
    except CatalogError as error:
        log.warning("catalog not ready at startup: %s", error.message)


def _limits(app: FastAPI, settings: Settings, services: Services) -> None:
    s = settings.service
    app.state.identity = Identity(s)
    # In-process, analyses wait for the machine's OCR slots (with Redis: shared by the processes of
    # `serve --workers N`, which share the cores); on a queue they wait for workers, and the API
    # holds only a coroutine per request, so the bound is about memory, not cores.
    capacity = s.max_concurrent or (QUEUED_CAPACITY if settings.queue.jobs else services.blocking.ocr_slots)
    if settings.queue.redis_url:
        from rxlens.api.shared_limits import SharedAdmission, SharedRateLimiter

        rate = SharedRateLimiter(s, settings.queue, services.metrics)
        # A slot is leased for the longest a request can hold it: upload, wait, analysis; a
        # process that dies holding slots loses them when their leases end.
        lease = settings.pipeline.request_timeout_seconds + s.queue_seconds + 60
        scope = "fleet" if settings.queue.jobs else socket.gethostname()
        app.state.rate_limiter = rate
        app.state.admission = SharedAdmission(capacity, s, settings.queue, lease, rate, scope)
    else:
        app.state.rate_limiter = RateLimiter(s)
        app.state.admission = Admission(capacity, s.queue_size, s.queue_seconds)


def _open_line(services: Services, jobs: Jobs) -> Line | None:
    """The LINE channel when configured (its SDK is the `line` extra), with its reminder loop."""
    if not services.settings.line.enabled:
        return None
    try:
        from rxlens.line.open import open_line
    except ImportError:
        raise MissingExtra("line", "The LINE channel") from None
    line = open_line(services, jobs)
    line.spawn(line.reminders.run_forever())
    return line


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = services or Services.open(settings)
        app.state.services = opened
        _limits(app, settings, opened)
        app.state.jobs = open_jobs(opened)
        app.state.line = _open_line(opened, app.state.jobs)
        await _start(opened)
        yield
        if app.state.line is not None:
            await app.state.line.close()
        await app.state.jobs.close()
        await app.state.rate_limiter.close()
        await app.state.admission.close()
        opened.close()
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # its live gauges stop counting
            from prometheus_client import multiprocess

            multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]

    app = FastAPI(
        title="rxlens",
        version=__version__,
        lifespan=lifespan,
        # The docs pages fetch their scripts from public CDNs: off unless RXLENS_SERVICE__DOCS.
        docs_url="/docs" if settings.service.docs else None,
        redoc_url="/redoc" if settings.service.docs else None,
        description="Read Taiwanese drug bags and prescription slips into one medication record.",
    )
    problems.install(app)
    app.add_middleware(Edge, settings=settings)
    # Added last, so outermost: edge refusals carry the request id and security headers too.
    app.add_middleware(RequestContext)
    app.include_router(analyses.router)
    app.include_router(jobs.router)
    app.include_router(plans.router)
    app.include_router(line.router)
    app.include_router(health.router)
    web = resources.files("rxlens") / "web"
    app.mount("/", StaticFiles(directory=str(web), html=True), name="web")
    return app


def serve_app() -> FastAPI:
    """The factory `rxlens serve` runs: each worker process sets up its own logging first."""
    settings = get_settings()
    logs.configure(settings.log_format, settings.log_level)
    return create_app(settings)
