"""The rate and admission limits shared by every API process through Redis.

Rate (the `limits` package):
Each client may send `rate_burst` analyses in any window of burst ÷ rate minutes (a moving
window: 10 in any 20 s for 30/min with a burst of 10), the same average and burst as the
in-process token bucket.

Admission: a counting semaphore in one sorted set (member: a slot's token, score: when its lease
ends), taken and released by one Lua script each, so two processes can never both take the last
slot. A lease outlives the longest request; a process that dies holding slots loses them when
their leases end, not never.

If Redis does not answer, this process falls back to its own bucket and slots (so the API keeps
serving), `/healthz` says `limits: per-process` and `rxlens_shared_limits_up` is 0 until Redis
answers again (asked at most every few seconds).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid

from redis.exceptions import RedisError

from rxlens.api.limits import Admission, RateLimiter
from rxlens.config import QueueSettings, ServiceSettings
from rxlens.errors import RateLimited
from rxlens.metrics import Metrics

log = logging.getLogger("rxlens.api")
RedisErrors = (RedisError, OSError)
_RETRY_REDIS_SECONDS = 5.0  # after a failure, Redis is asked again this much later
_WAIT_STEP = 0.05  # how often a waiting request asks for a slot again


class SharedRateLimiter:
    def __init__(self, service: ServiceSettings, queue: QueueSettings, metrics: Metrics) -> None:
        from limits import RateLimitItemPerSecond
        from limits.aio.storage import RedisStorage
        from limits.aio.strategies import MovingWindowRateLimiter

        window = max(1, round(service.rate_burst / service.rate_per_minute * 60))
        self.item = RateLimitItemPerSecond(service.rate_burst, window)
        uri = (queue.redis_url or "").replace("redis://", "async+redis://", 1)
        self.storage = RedisStorage(
            uri,
            implementation="redispy",  # the Redis client the queue uses already
            key_prefix=f"{queue.prefix}:rate",
            socket_connect_timeout=queue.connect_timeout_seconds,
            socket_timeout=queue.connect_timeout_seconds,
        )
        self.limiter = MovingWindowRateLimiter(self.storage)
        self.local = RateLimiter(service)
        self.metrics, self.down_until, self.probing = metrics, 0.0, False
        metrics.shared_limits_up.set(1)

    @property
    def shared(self) -> bool:
        """Redis is believed to answer. After a failure, one request at a time asks it again
        (every _RETRY_REDIS_SECONDS); the others stay per-process meanwhile, not all at once."""
        return self.down_until == 0.0

    def may_ask(self) -> bool:
        if self.shared:
            return True
        if self.probing or time.monotonic() < self.down_until:
            return False
        self.probing = True
        return True

    def came_back(self) -> None:
        if not self.shared:
            log.warning("shared limits available again")
        self.down_until, self.probing = 0.0, False
        self.metrics.shared_limits_up.set(1)

    async def take(self, client: str) -> None:
        if not self.may_ask():
            self.local.take_now(client)
            return
        try:
            allowed = await self.limiter.hit(self.item, client)
            if not allowed:
                stats = await self.limiter.get_window_stats(self.item, client)
                wait = max(1.0, stats.reset_time - time.time())
        except Exception as error:  # any storage failure: serve on, per process
            self.went_down(error)
            self.local.take_now(client)
            return
        self.came_back()
        if not allowed:
            raise RateLimited(f"Too many requests from this client; try again in {wait:.0f} s.", wait)

    async def close(self) -> None:
        with contextlib.suppress(Exception):  # closing a client whose server is gone
            await self.storage.bridge.get_connection().aclose()  # type: ignore[attr-defined]

    def went_down(self, error: Exception) -> None:
        if self.shared:
            log.warning("shared limits unavailable (%s): per-process for now", type(error).__name__)
        self.down_until, self.probing = time.monotonic() + _RETRY_REDIS_SECONDS, False
        self.metrics.shared_limits_up.set(0)


# The server's clock, not the callers': API hosts whose clocks differ cannot expire each other's
# leases early. ARGV: lease seconds, capacity, token.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[3])
  redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[1])) + 60)
  return 1
end
return 0
"""


class SharedAdmission:
    """`capacity` analyses at once across the API processes sharing `scope` (a machine's
    processes when the analyses run on its own cores; the whole fleet when they run on queue
    workers); up to `queue` more wait in each process, at most `queue_seconds`."""

    def __init__(
        self,
        capacity: int,
        service: ServiceSettings,
        queue: QueueSettings,
        lease: float,
        rate: SharedRateLimiter,
        scope: str,
    ) -> None:
        import redis.asyncio as aioredis

        self.capacity, self.lease, self.rate = capacity, lease, rate
        self.local = Admission(capacity, service.queue_size, service.queue_seconds)
        self.key, self.waiting = f"{queue.prefix}:admitted:{scope}", 0
        timeout = queue.connect_timeout_seconds
        self.redis = aioredis.Redis.from_url(
            queue.redis_url or "", socket_connect_timeout=timeout, socket_timeout=timeout
        )
        self.script = self.redis.register_script(_TAKE)

    async def _try(self, token: str) -> bool:
        return bool(await self.script(keys=[self.key], args=[self.lease, self.capacity, token]))

    async def enter(self) -> str | None:
        if not self.rate.may_ask():
            await self.local.enter()
            return None
        token = uuid.uuid4().hex
        try:
            if not await self._try(token):
                await self._wait(token)
        except RedisErrors as error:
            self.rate.went_down(error)
            await self.local.enter()
            return None
        self.rate.came_back()
        return token

    async def _wait(self, token: str) -> None:
        if self.waiting >= self.local.queue:
            raise self.local.busy(self.local.deadline)
        self.waiting += 1
        try:
            async with asyncio.timeout(self.local.deadline):
                while not await self._try(token):
                    await asyncio.sleep(_WAIT_STEP)
        except TimeoutError:
            await self.release(token)  # in case the slot came with the timeout
            raise self.local.busy(self.local.deadline) from None
        finally:
            self.waiting -= 1

    async def release(self, token: str | None) -> None:
        if token is None:
            self.local.leave()
            return
        with contextlib.suppress(Exception):  # a lost release ends with its lease
            await self.redis.zrem(self.key, token)

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.redis.aclose()
