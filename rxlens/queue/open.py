"""Which jobs this process has: on the queue when a broker is configured, else in-process."""

from __future__ import annotations

from rxlens.queue.jobs import Jobs
from rxlens.services import Services


def open_jobs(services: Services) -> Jobs:
    return _queued(services) if services.settings.queue.jobs else _in_process(services)


def _queued(services: Services) -> Jobs:
    from rxlens.queue.remote import CeleryRunner, RedisLog
    from rxlens.queue.sealing import Sealer

    q = services.settings.queue
    sealer = Sealer(q)
    log, runner = RedisLog(q, sealer), CeleryRunner(q, sealer, services.blocking)

    async def close() -> None:
        runner.close()
        await log.close()

    return Jobs(log, runner, close, queued=True)


def _in_process(services: Services) -> Jobs:
    from rxlens.queue.local import InProcessRunner, MemoryLog

    memory = MemoryLog(services.settings.queue.job_ttl_seconds)
    runner = InProcessRunner(services, memory, slots=services.blocking.ocr_slots)
    return Jobs(memory, runner, runner.close, queued=False)
