"""A job's record in Redis: who asked (the job key) and what happened (a list of sealed events).

One list per job, appended to by the worker and read from any offset by any API process, so an
event stream can start late, reconnect, or be served by another process than the one that took
the job. Both keys expire `job_ttl_seconds` after the job was taken; DELETE removes them at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rxlens.config import QueueSettings
from rxlens.queue.sealing import Sealer

# The events that end a job; the first one in the list is the job's answer.
FINAL = ("result", "error")


@dataclass(frozen=True)
class Event:
    name: str
    data: dict[str, Any]

    @property
    def final(self) -> bool:
        return self.name in FINAL


class Keys:
    def __init__(self, settings: QueueSettings) -> None:
        self.prefix, self.ttl = settings.prefix, settings.job_ttl_seconds

    def job(self, job_id: str) -> str:
        return f"{self.prefix}:job:{job_id}"

    def events(self, job_id: str) -> str:
        return f"{self.prefix}:events:{job_id}"


class WorkerEvents:
    """The worker's side (blocking redis client): append events to a job's list."""

    def __init__(self, settings: QueueSettings, sealer: Sealer) -> None:
        import redis

        self.keys, self.sealer = Keys(settings), sealer
        timeout = settings.connect_timeout_seconds
        from redis.backoff import ExponentialBackoff
        from redis.retry import Retry

        # A Redis restart mid-job (a second or two) is ridden out, not turned into a failed job.
        self.redis = redis.Redis.from_url(
            settings.redis_url or "",
            socket_connect_timeout=timeout,
            socket_timeout=timeout,
            retry=Retry(ExponentialBackoff(cap=1.0, base=0.1), retries=8),
        )

    def add(self, job_id: str, name: str, data: dict[str, Any]) -> None:
        # RPUSHX: a job deleted (or expired) meanwhile is not brought back by its own progress
        self.redis.rpushx(self.keys.events(job_id), seal_event(self.sealer, Event(name, data)))

    def finished(self, job_id: str) -> bool:
        """Whether the job already has its answer (a redelivered message is then not run again)."""
        tokens = self.redis.lrange(self.keys.events(job_id), 0, -1)
        return any(open_event(self.sealer, t).final for t in tokens)

    def exists(self, job_id: str) -> bool:
        """A job deleted (or expired) before a worker took it is not run."""
        return bool(self.redis.exists(self.keys.job(job_id)))

    def close(self) -> None:
        self.redis.close()


def seal_event(sealer: Sealer, event: Event) -> str:
    return sealer.seal_json({"event": event.name, "data": event.data})


def open_event(sealer: Sealer, token: bytes | str) -> Event:
    value = sealer.open_json(token)
    if not isinstance(value, dict):
        raise ValueError("not an event")
    return Event(str(value["event"]), dict(value.get("data") or {}))
