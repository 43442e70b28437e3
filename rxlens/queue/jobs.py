"""Jobs as the API sees them: taken, followed event by event, answered, deleted.

Where the events live and who runs the job differ: with a broker, a Redis list (sealed) and a
Celery worker (rxlens/queue/remote.py); without one (the embedded default), a list in this
process and an asyncio task here. Everything above that — ownership, waiting, the state — is this.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Protocol

from rxlens.errors import JobFailed, JobNotFound, StageTimeout
from rxlens.images.intake import Upload
from rxlens.queue.events import Event

POLL_SECONDS = 0.05  # how often a waiting request looks at its job's events
_CHECK_EVERY = 20  # idle polls (~1 s) between checks that the job still exists
_GONE = (
    "The job is gone before its answer: deleted, expired, or lost with a Redis that restarted "
    "without persistence."
)
_SLOW_HINT = "Every worker is busy or none is running; the job may still finish: ask GET /v1/jobs/{id}."


class JobLog(Protocol):
    async def create(self, job_id: str, owner: str, first: Event) -> None: ...
    async def read(self, job_id: str, start: int) -> list[Event]: ...
    async def owner(self, job_id: str) -> str | None: ...
    async def delete(self, job_id: str) -> None: ...
    async def ping(self) -> bool: ...


class Runner(Protocol):
    async def start(self, job_id: str, uploads: list[Upload], engine: str | None, owner: str) -> None: ...
    async def cancel(self, job_id: str) -> None: ...
    async def ping(self) -> bool: ...


class Jobs:
    def __init__(
        self, log: JobLog, runner: Runner, close: Callable[[], Awaitable[None]], queued: bool
    ) -> None:
        self.log, self.runner, self.close = log, runner, close
        self.queued = queued  # True: workers elsewhere run the jobs (then /v1/analyses uses them too)

    async def submit(self, uploads: list[Upload], engine: str | None, owner: str) -> str:
        job_id = uuid.uuid4().hex
        await self.log.create(job_id, owner, Event("queued", {"photos": len(uploads)}))
        try:
            await self.runner.start(job_id, uploads, engine, owner)
        except BaseException:
            await self.log.delete(job_id)  # never a job that nobody will run
            raise
        return job_id

    async def _owned(self, job_id: str, owner: str) -> None:
        if await self.log.owner(job_id) != owner:
            raise JobNotFound("No such job (it may have expired, been deleted, or belong to another client).")

    async def events(
        self, job_id: str, owner: str, deadline: float, ping: float | None = None
    ) -> AsyncIterator[Event]:
        """Every event from the first, as they come, until the job's answer or the deadline (held
        by the clock, however slow Redis is); with `ping`, an Event("ping") after that many idle
        seconds, so a stream through a proxy is not cut for silence."""
        await self._owned(job_id, owner)
        seen, idle, quiet_since = 0, 0, time.monotonic()
        try:
            async with asyncio.timeout(deadline):
                while True:
                    fresh = await self.log.read(job_id, seen)
                    for event in fresh:
                        yield event
                        if event.final:
                            return
                    seen, idle = seen + len(fresh), 0 if fresh else idle + 1
                    if fresh:
                        quiet_since = time.monotonic()
                    elif ping and time.monotonic() - quiet_since >= ping:
                        quiet_since = time.monotonic()
                        yield Event("ping", {})
                    if idle and idle % _CHECK_EVERY == 0 and await self.log.owner(job_id) is None:
                        raise JobNotFound(_GONE, hint="Send the photos again.")
                    if idle:
                        await asyncio.sleep(POLL_SECONDS)
        except TimeoutError:
            raise StageTimeout(f"The job had no answer within {deadline:.0f} s.", hint=_SLOW_HINT) from None

    async def answer(self, job_id: str, owner: str, deadline: float) -> dict[str, Any]:
        """The record, or the worker's error raised here (same status, code and hint)."""
        async for event in self.events(job_id, owner, deadline):
            if event.name == "result":
                return event.data
            if event.name == "error":
                raise JobFailed(event.data)
        raise StageTimeout("The job ended without an answer.", hint=_SLOW_HINT)

    async def status(self, job_id: str, owner: str) -> tuple[str, list[Event]]:
        await self._owned(job_id, owner)
        events = await self.log.read(job_id, 0)
        return state_of(events), events

    async def delete(self, job_id: str, owner: str) -> None:
        await self._owned(job_id, owner)
        await self.log.delete(job_id)
        await self.runner.cancel(job_id)


def state_of(events: list[Event]) -> str:
    names = [e.name for e in events]
    if "result" in names:
        return "done"
    if "error" in names:
        return "failed"
    return "running" if "started" in names else "queued"
