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

    def done(self, job_id: str) -> str:
        return f"{self.prefix}:done:{job_id}"

    def all(self, job_id: str) -> list[str]:
        return [self.job(job_id), self.events(job_id), self.done(job_id)]


# The answer is written once: the first worker to finish sets the job's `done` flag and appends
# its final event; a second run of the same job (redelivered after a connection drop while the
# first still ran) finds the flag and appends nothing. A deleted job (no events list) gets none.
_FINISH = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[2]) then
  redis.call('RPUSH', KEYS[1], ARGV[1])
  return 1
end
return 0
"""


def redis_options(settings: QueueSettings, retry: type[Any]) -> dict[str, Any]:
    """The one Redis set-up of the worker (blocking client) and the API (asyncio client, whose
    `Retry` class differs): a restart of a second or two is ridden out, a longer outage fails."""
    from redis.backoff import ExponentialBackoff

    timeout = settings.connect_timeout_seconds
    backoff = ExponentialBackoff(cap=1.0, base=0.1)
    return {"socket_connect_timeout": timeout, "socket_timeout": timeout, "retry": retry(backoff, retries=8)}


class WorkerEvents:
    """The worker's side (blocking redis client): a job's progress and its one answer."""

    def __init__(self, settings: QueueSettings, sealer: Sealer) -> None:
        import redis
        from redis.retry import Retry

        self.keys, self.sealer = Keys(settings), sealer
        self.redis = redis.Redis.from_url(settings.redis_url or "", **redis_options(settings, Retry))
        self._finish = self.redis.register_script(_FINISH)

    def add(self, job_id: str, name: str, data: dict[str, Any]) -> None:
        # RPUSHX: a job deleted (or expired) meanwhile is not brought back by its own progress
        self.redis.rpushx(self.keys.events(job_id), seal_event(self.sealer, Event(name, data)))

    def finish(self, job_id: str, name: str, data: dict[str, Any]) -> bool:
        """Append the job's answer unless it has one (or is gone); True when this one counts."""
        token = seal_event(self.sealer, Event(name, data))
        keys = [self.keys.events(job_id), self.keys.done(job_id)]
        return bool(self._finish(keys=keys, args=[token, self.keys.ttl]))

    def waiting(self, job_id: str) -> bool:
        """The job exists and has no answer yet (a deleted, expired or answered job is not run)."""
        return bool(self.redis.exists(self.keys.job(job_id))) and not self.redis.exists(
            self.keys.done(job_id)
        )

    def close(self) -> None:
        self.redis.close()


def seal_event(sealer: Sealer, event: Event) -> str:
    return sealer.seal_json({"event": event.name, "data": event.data})


def open_event(sealer: Sealer, token: bytes | str) -> Event:
    """Raises ValueError for anything that is not an event sealed with our secret."""
    value = sealer.open_json(token)
    if not isinstance(value, dict) or not isinstance(value.get("event"), str):
        raise ValueError("not an event")
    return Event(value["event"], dict(value.get("data") or {}))
