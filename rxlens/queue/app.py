"""The Celery application, the same for the API (which only sends) and the workers (which run).

Why these options: a job is acknowledged only after it ran (`acks_late`), and a worker that dies
mid-job hands it back (`reject_on_worker_lost`), so a photo is never lost; each worker runs one
job at a time and holds at most one more (prefetch 2, see below: prefetch 1 idled the worker); the queue is
durable and its messages expire with the job (`x-message-ttl`), so nothing of a photo outlives
its job in RabbitMQ. Results are not kept by Celery: the worker writes them to the job's sealed
event list (rxlens/queue/events.py), which every API process can read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rxlens.config import QueueSettings
from rxlens.errors import MissingExtra

if TYPE_CHECKING:
    from celery import Celery

TASK = "rxlens.analyze"


def queue_name(settings: QueueSettings) -> str:
    return f"{settings.prefix}.analyses"


def make_celery(settings: QueueSettings) -> Celery:
    try:
        from celery import Celery
        from kombu.entity import Queue
    except ImportError:
        raise MissingExtra("queue", "The job queue") from None
    app = Celery("rxlens", broker=settings.broker_url, set_as_current=False)
    name, ttl_ms = queue_name(settings), settings.job_ttl_seconds * 1000
    durable = Queue(name, routing_key=name, durable=True, queue_arguments={"x-message-ttl": ttl_ms})  # type: ignore[no-untyped-call]
    app.conf.update(task_queues=[durable], task_default_queue=name, task_default_routing_key=name)
    app.conf.update(_options(settings))
    return app


def _options(settings: QueueSettings) -> dict[str, object]:
    return {
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        # The solo pool runs one job at a time whatever this says; concurrency only sets how many
        # jobs the worker holds (prefetch = concurrency × multiplier). Its default is the host's
        # core count (a 32-core host would hold 32): 2 here, the job it runs and the next.
        # Measured with 16 clients and one worker (prefetch 1 first): concurrency 1 left the worker
        # idle for seconds between jobs with the next one unacknowledged in its buffer — 26 jobs in
        # 42 s; concurrency 1 × prefetch 2: 32 in 29 s; concurrency 2 × prefetch 1: 47 in 29 s.
        "worker_concurrency": 2,
        "worker_prefetch_multiplier": 1,
        "task_ignore_result": True,
        "task_serializer": "json",
        "accept_content": ["json"],
        "broker_connection_timeout": settings.connect_timeout_seconds,
        "broker_connection_retry_on_startup": True,
        "broker_transport_options": {"confirm_publish": True},
        # Sending gives up after a few tries (the API then answers 503) instead of waiting for ever.
        "task_publish_retry_policy": {"max_retries": 3, "interval_start": 0.2, "interval_step": 0.5},
        "worker_hijack_root_logger": False,
        "worker_redirect_stdouts": False,
    }
