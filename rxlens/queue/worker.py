"""`rxlens worker`: one process, one job at a time, the OCR model and catalog index loaded once.

Run one worker per core pair (each ONNX session uses RXLENS_OCR__INTRA_OP_THREADS threads) and as
many machines as the load needs; they share nothing but RabbitMQ, Redis and the catalog database.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rxlens.config import Settings
from rxlens.errors import RxlensError
from rxlens.images.intake import Upload
from rxlens.queue.app import TASK, make_celery
from rxlens.queue.events import WorkerEvents
from rxlens.queue.local import problem_of, unexpected
from rxlens.queue.sealing import Sealer
from rxlens.services import Services, init_catalog

if TYPE_CHECKING:
    from celery import Celery

log = logging.getLogger("rxlens.worker")


@dataclass
class Worker:
    services: Services
    sealer: Sealer
    events: WorkerEvents
    name: str

    @classmethod
    def open(cls, settings: Settings) -> Worker:
        """Everything a job needs, before the first job is taken: schema, catalog, index, model."""
        sealer = Sealer(settings.queue)
        services = Services.open(settings)
        init_catalog(services)
        services.catalog.index()
        services.ocr  # noqa: B018 (loads and warms the model)
        return cls(
            services, sealer, WorkerEvents(settings.queue, sealer), f"{socket.gethostname()}:{os.getpid()}"
        )

    def run(self, job_id: str, photos: list[list[str]], engine: str | None, ab_key: str) -> None:
        if not self.events.exists(job_id) or self.events.finished(job_id):
            log.info("job %s skipped: deleted, expired or already answered", job_id)
            return
        self.events.add(job_id, "started", {"worker": self.name})
        uploads = [Upload(name, self.sealer.open(token)) for name, token in photos]
        try:
            record = asyncio.run(self._analyze(job_id, uploads, engine, ab_key))
        except RxlensError as error:
            self.events.add(job_id, "error", problem_of(error))
            return
        except Exception as error:  # a bug: answer the job, then let Celery log the traceback
            self.events.add(job_id, "error", problem_of(unexpected(error)))
            raise
        self.events.add(job_id, "result", record)

    async def _analyze(self, job_id: str, uploads: list[Upload], engine: str | None, ab_key: str) -> Any:
        from rxlens.pipeline import analyze

        async def progress(event: str, data: dict[str, object]) -> None:
            if event != "result":
                await asyncio.to_thread(self.events.add, job_id, event, data)

        record = await analyze(uploads, self.services, progress, engine=engine, ab_key=ab_key)
        return record.model_dump(mode="json")

    def close(self) -> None:
        self.events.close()
        self.services.close()


def celery_for(worker: Worker) -> Celery:
    app = make_celery(worker.services.settings.queue)

    @app.task(name=TASK)  # type: ignore[untyped-decorator]
    def analyze_job(job_id: str, photos: list[list[str]], engine: str | None, ab_key: str) -> None:
        worker.run(job_id, photos, engine, ab_key)

    return app


def serve_metrics(worker: Worker) -> None:
    port = worker.services.settings.queue.worker_metrics_port
    if port:
        from prometheus_client import start_http_server

        start_http_server(port, addr="127.0.0.1", registry=worker.services.metrics.registry)


def run_worker(settings: Settings, loglevel: str = "INFO") -> None:
    worker = Worker.open(settings)
    serve_metrics(worker)
    app = celery_for(worker)
    try:
        # solo: the job runs in this process, where the model already is; more workers = more processes
        app.worker_main(
            [
                "worker",
                "--pool=solo",
                f"--loglevel={loglevel}",
                f"--hostname=rxlens-{worker.name}",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ]
        )
    finally:
        worker.close()
