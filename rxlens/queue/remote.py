"""Jobs on the queue: events in Redis (sealed, with a time-to-live), runs on Celery workers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from rxlens.concurrency import Blocking
from rxlens.config import QueueSettings
from rxlens.errors import QueueUnavailable, RequestTooLarge
from rxlens.images.intake import Upload
from rxlens.queue.app import TASK, make_celery
from rxlens.queue.events import Event, Keys, open_event, redis_options, seal_event
from rxlens.queue.message import JobMessage, sealed_size
from rxlens.queue.sealing import Sealer

_KEYS_DIFFER = "Every API process and worker needs the same RXLENS_QUEUE__SECRET_KEY (rxlens keys queue)."


@asynccontextmanager
async def _redis_errors(doing: str) -> AsyncIterator[None]:
    from redis.exceptions import RedisError

    try:
        yield
    except RedisError:
        raise QueueUnavailable(f"Redis did not answer when asked to {doing}.") from None


class RedisLog:
    def __init__(self, settings: QueueSettings, sealer: Sealer) -> None:
        import redis.asyncio as aioredis
        from redis.asyncio.retry import Retry

        self.keys, self.sealer, self.ttl = Keys(settings), sealer, settings.job_ttl_seconds
        # A longer outage than the retries ride out becomes a 503 (QueueUnavailable).
        self.redis = aioredis.Redis.from_url(settings.redis_url or "", **redis_options(settings, Retry))

    async def create(self, job_id: str, owner: str, first: Event) -> None:
        job, events = self.keys.job(job_id), self.keys.events(job_id)
        async with _redis_errors("record the job"), self.redis.pipeline(transaction=True) as pipe:
            pipe.set(job, self.sealer.seal_json({"owner": owner}), ex=self.ttl)
            pipe.rpush(events, seal_event(self.sealer, first))
            pipe.expire(events, self.ttl)
            await pipe.execute()

    async def read(self, job_id: str, start: int) -> list[Event]:
        async with _redis_errors("read the job's progress"):
            tokens = await self.redis.lrange(self.keys.events(job_id), start, -1)
        try:
            return [open_event(self.sealer, t) for t in tokens]
        except ValueError:
            raise QueueUnavailable("The job's progress could not be unsealed.", hint=_KEYS_DIFFER) from None

    async def owner(self, job_id: str) -> str | None:
        """None for no such job, and for one sealed with a key we do not have (not ours)."""
        async with _redis_errors("read the job"):
            token = await self.redis.get(self.keys.job(job_id))
        try:
            value = self.sealer.open_json(token) if token is not None else None
        except ValueError:
            return None
        return str(value.get("owner")) if isinstance(value, dict) else None

    async def delete(self, job_id: str) -> None:
        async with _redis_errors("delete the job"):
            await self.redis.delete(*self.keys.all(job_id))

    async def ping(self) -> bool:
        try:
            return bool(await self.redis.ping())
        except Exception:  # any failure means "not answering" to /healthz
            return False

    async def close(self) -> None:
        await self.redis.aclose()


class CeleryRunner:
    """Sends the job (photos, engine and client sealed as one token) to RabbitMQ."""

    def __init__(self, settings: QueueSettings, sealer: Sealer, blocking: Blocking) -> None:
        self.settings, self.sealer, self.blocking = settings, sealer, blocking
        self.celery = make_celery(settings)

    async def start(self, job_id: str, uploads: list[Upload], engine: str | None, owner: str) -> None:
        limit = self.settings.max_message_bytes
        if sealed_size(uploads) > limit:
            raise RequestTooLarge(
                f"These photos are too large to queue together (over {limit / 1e6:.0f} MB)."
            )
        sealed = JobMessage(uploads, engine, owner).seal(self.sealer)
        # Bounded: a broker that blocks publishers (memory alarm) or a half-open connection must
        # not hold the request (or a thread of the pool) for ever.
        patience = 4 * self.settings.connect_timeout_seconds
        try:
            async with asyncio.timeout(patience):
                await self.blocking.run(self._send, job_id, sealed)
        except Exception as error:  # kombu/amqp raise many kinds; all mean "not queued"
            raise QueueUnavailable(f"RabbitMQ did not take the job ({type(error).__name__}).") from None

    def _send(self, job_id: str, sealed: str) -> Any:
        timeout = self.settings.connect_timeout_seconds
        return self.celery.send_task(
            TASK,
            args=[job_id, sealed],
            argsrepr="[job]",  # what Celery puts in the message headers and shows in tools
            kwargsrepr="{}",
            task_id=job_id,
            expires=self.settings.job_ttl_seconds,
            retry=True,
            timeout=timeout,
            confirm_timeout=timeout,
        )

    async def ping(self) -> bool:
        """Whether RabbitMQ takes a connection now (for /healthz; a pooled one when it can)."""
        try:
            async with asyncio.timeout(self.settings.connect_timeout_seconds):
                return await self.blocking.run(self._ping)
        except Exception:  # any failure means "not answering"
            return False

    def _ping(self) -> bool:
        with self.celery.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=self.settings.connect_timeout_seconds)
            return bool(conn.connected)

    async def cancel(self, job_id: str) -> None:
        """Nothing to reach: a worker that has not begun skips a deleted job, and one that has
        finishes it with nowhere to write the answer (the job's keys are gone)."""

    def close(self) -> None:
        self.celery.close()
