"""Jobs without a broker (the embedded default): events in this process's memory, run here.

The same API as the queue, so a client written against /v1/jobs works on a laptop and on a fleet.
Jobs are forgotten `job_ttl_seconds` after they were taken, and when the process ends.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field

from rxlens.errors import RxlensError
from rxlens.images.intake import Upload
from rxlens.queue.events import Event
from rxlens.services import Services

log = logging.getLogger("rxlens.jobs")


@dataclass
class _Job:
    owner: str
    expires: float
    events: list[Event] = field(default_factory=list)


class MemoryLog:
    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self.jobs: dict[str, _Job] = {}

    def _live(self, job_id: str) -> _Job | None:
        now = time.monotonic()
        for gone in [k for k, j in self.jobs.items() if j.expires < now]:
            del self.jobs[gone]
        return self.jobs.get(job_id)

    async def create(self, job_id: str, owner: str, first: Event) -> None:
        self._live(job_id)
        self.jobs[job_id] = _Job(owner, time.monotonic() + self.ttl, [first])

    async def add(self, job_id: str, event: Event) -> None:
        if job := self._live(job_id):
            job.events.append(event)

    async def read(self, job_id: str, start: int) -> list[Event]:
        job = self._live(job_id)
        return job.events[start:] if job else []

    async def owner(self, job_id: str) -> str | None:
        job = self._live(job_id)
        return job.owner if job else None

    async def delete(self, job_id: str) -> None:
        self.jobs.pop(job_id, None)

    async def ping(self) -> bool:
        return True


class InProcessRunner:
    """Runs the job as a task on this event loop, `slots` at once (the OCR slots; the rest wait
    `queued`); its events go to the memory log. Deleting a job cancels it."""

    def __init__(self, services: Services, log: MemoryLog, slots: int) -> None:
        self.services, self.log = services, log
        self.tasks: dict[str, asyncio.Task[None]] = {}
        self.slots = slots
        self._gate: asyncio.Semaphore | None = None  # made on the serving loop, at first use

    async def start(self, job_id: str, uploads: list[Upload], engine: str | None, owner: str) -> None:
        self._gate = self._gate or asyncio.Semaphore(self.slots)
        task = asyncio.create_task(self._run(job_id, uploads, engine, owner))
        self.tasks[job_id] = task
        task.add_done_callback(lambda _: self.tasks.pop(job_id, None))

    async def ping(self) -> bool:
        return True

    async def cancel(self, job_id: str) -> None:
        if task := self.tasks.get(job_id):
            task.cancel()

    async def _run(self, job_id: str, uploads: list[Upload], engine: str | None, owner: str) -> None:
        assert self._gate is not None
        async with self._gate:
            await self._analyze(job_id, uploads, engine, owner)

    async def _analyze(self, job_id: str, uploads: list[Upload], engine: str | None, owner: str) -> None:
        from rxlens.pipeline import analyze

        async def progress(event: str, data: dict[str, object]) -> None:
            if event != "result":
                await self.log.add(job_id, Event(event, dict(data)))

        await self.log.add(job_id, Event("started", {"worker": "in-process"}))
        try:
            record = await analyze(uploads, self.services, progress, engine=engine, ab_key=owner)
        except RxlensError as error:
            await self.log.add(job_id, Event("error", problem_of(error)))
            return
        except Exception as error:  # a bug: the job still ends, with an error a client can read
            log.error("in-process job failed: unexpected %s", type(error).__name__)
            await self.log.add(job_id, Event("error", problem_of(unexpected(error))))
            return
        await self.log.add(job_id, Event("result", record.model_dump(mode="json")))

    async def close(self) -> None:
        running = list(self.tasks.values())
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)


def unexpected(error: BaseException) -> RxlensError:
    return RxlensError(f"Unexpected {type(error).__name__}.")


def problem_of(error: RxlensError) -> dict[str, object]:
    """What a job's error event carries: enough to answer with the same status, code and hint."""
    return {
        "status": error.status,
        "title": error.title,
        "detail": error.message,
        "hint": error.hint,
        "code": error.code,
    }
