"""Which jobs this process has: on the queue when a broker is configured, else in-process."""

from __future__ import annotations

from rxlens.queue.jobs import Jobs
from rxlens.services import Services


def open_jobs(services: Services) -> Jobs:
    q = services.settings.queue
    if q.jobs:
        from rxlens.queue.remote import CeleryRunner, RedisLog
        from rxlens.queue.sealing import Sealer

        sealer = Sealer(q)
        log = RedisLog(q, sealer)
        return Jobs(log, CeleryRunner(q, sealer, services.blocking), log.close, queued=True)
    from rxlens.queue.local import InProcessRunner, MemoryLog

    memory = MemoryLog(q.job_ttl_seconds)
    runner = InProcessRunner(services, memory)
    return Jobs(memory, runner, runner.close, queued=False)
