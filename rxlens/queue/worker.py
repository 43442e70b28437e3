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
from rxlens.errors import QueueUnavailable, RxlensError
from rxlens.images.intake import Upload
from rxlens.queue.app import TASK, make_celery
from rxlens.queue.events import WorkerEvents
from rxlens.queue.local import problem_of, unexpected
from rxlens.queue.message import JobMessage
from rxlens.queue.sealing import Sealer
from rxlens.services import Services, init_catalog

if TYPE_CHECKING:
    from celery import Celery

log = logging.getLogger("rxlens.worker")
REDIS_RETRIES, REDIS_RETRY_SECONDS = 10, 3  # Redis gone for longer than ~30 s fails the job


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
        name = f"{socket.gethostname()}:{os.getpid()}"
        return cls(services, sealer, WorkerEvents(settings.queue, sealer), name)

    def run(self, job_id: str, sealed: str) -> None:
        """Redis errors propagate (Celery retries the job later); any other failure ends the job
        with an error event, so a client never waits for an answer that will not come."""
        if not self.events.waiting(job_id):
            log.info("job %s skipped: deleted, expired or already answered", job_id)
            return
        try:
            job = JobMessage.unseal(self.sealer, sealed)
        except ValueError:
            error = QueueUnavailable("The job could not be unsealed: the API and workers differ in secret.")
            self.events.finish(job_id, "error", problem_of(error))
            return
        self.events.add(job_id, "started", {"worker": self.name})
        name, data = self._outcome(job_id, job)
        if not self.events.finish(job_id, name, data):
            log.info("job %s: answered by another run already", job_id)

    def _outcome(self, job_id: str, job: JobMessage) -> tuple[str, dict[str, Any]]:
        try:
            return "result", asyncio.run(self._analyze(job_id, job.uploads, job.engine, job.owner))
        except RxlensError as error:
            return "error", problem_of(error)
        except _redis_errors():
            raise
        except Exception as error:  # a bug: the job is answered; the log has the class only
            log.error("job %s failed: unexpected %s", job_id, type(error).__name__)
            return "error", problem_of(unexpected(error))

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


def _redis_errors() -> tuple[type[Exception], ...]:
    from redis.exceptions import RedisError

    return (RedisError,)


def celery_for(worker: Worker) -> Celery:
    app = make_celery(worker.services.settings.queue)

    @app.task(name=TASK, bind=True, max_retries=REDIS_RETRIES)  # type: ignore[untyped-decorator]
    def analyze_job(task: Any, job_id: str, sealed: str) -> None:
        try:
            worker.run(job_id, sealed)
        except _redis_errors() as error:  # the job goes back on the queue, photos and all
            log.warning("job %s: Redis did not answer (%s); retrying", job_id, type(error).__name__)
            raise task.retry(countdown=REDIS_RETRY_SECONDS, exc=error) from None

    return app


def serve_metrics(worker: Worker) -> None:
    port = worker.services.settings.queue.worker_metrics_port
    if port:
        from prometheus_client import start_http_server

        start_http_server(port, addr="127.0.0.1", registry=worker.services.metrics.registry)


def quiet_broker_logs() -> None:
    """Celery, kombu and amqp log message bodies (sealed, but with sizes and ids) at DEBUG."""
    for name in ("celery", "kombu", "amqp"):
        logger = logging.getLogger(name)
        logger.setLevel(max(logger.getEffectiveLevel(), logging.INFO))


def run_worker(settings: Settings, loglevel: str = "INFO") -> None:
    worker = Worker.open(settings)
    serve_metrics(worker)
    quiet_broker_logs()
    app = celery_for(worker)
    # solo: the job runs in this process, where the model already is; more workers = more processes
    level = "INFO" if loglevel == "DEBUG" else loglevel  # never DEBUG: see quiet_broker_logs
    arguments = ["worker", "--pool=solo", f"--loglevel={level}"]
    arguments += [
        f"--hostname=rxlens-{worker.name}",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    try:
        app.worker_main(arguments)
    finally:
        worker.close()
