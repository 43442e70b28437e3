"""`rxlens worker`: run queued analyses (RXLENS_QUEUE__BROKER_URL and __REDIS_URL set).

The catalog, its index and the OCR model load before the worker takes its first job; SIGTERM
lets the job in hand finish; SIGKILL (or a crash) hands it back to RabbitMQ for another worker.
"""

from __future__ import annotations

from rxlens import logs
from rxlens.config import get_settings
from rxlens.errors import ConfigError


def worker() -> None:
    """Take analyses from the job queue, one at a time (run one per 2 cores)."""
    settings = get_settings()
    if not settings.queue.jobs:
        raise ConfigError(
            "A worker needs a job queue: set both RXLENS_QUEUE__BROKER_URL and RXLENS_QUEUE__REDIS_URL.",
            hint="Set them (and RXLENS_QUEUE__SECRET_KEY) the same as for the API; see docs/scaling.md.",
        )
    logs.configure(settings.log_format, settings.log_level)
    from rxlens.queue.worker import run_worker

    run_worker(settings, settings.log_level)
