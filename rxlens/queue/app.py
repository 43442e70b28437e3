"""The Celery application, the same for the API (which only sends) and the workers (which run).

Why these options: a job is acknowledged only after it ran (`acks_late`), and a worker that dies
mid-job hands it back (`reject_on_worker_lost`), so a photo is never lost; each worker takes one
job at a time (prefetch 1), so a slow slip never holds a second one hostage; the queue is
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
    ttl_ms = settings.job_ttl_seconds * 1000
    name = queue_name(settings)
    app.conf.update(
        task_queues=[
            Queue(  # type: ignore[no-untyped-call]
                name, routing_key=name, durable=True, queue_arguments={"x-message-ttl": ttl_ms}
            )
        ],
        task_default_queue=name,
        task_default_routing_key=name,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        # solo pool's default concurrency is the host's core count, and prefetch = concurrency ×
        # multiplier: 1 here, so a worker never holds a second job while it works on one
        worker_concurrency=1,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        broker_connection_timeout=settings.connect_timeout_seconds,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"confirm_publish": True},
        # Sending gives up after ~3 s (the API then answers 503) instead of waiting for ever.
        task_publish_retry_policy={"max_retries": 3, "interval_start": 0.2, "interval_step": 0.5},
        worker_hijack_root_logger=False,
        worker_redirect_stdouts=False,
    )
    return app
