"""The rate limit shared by every API process through Redis (the `limits` package).

Each client may send `rate_burst` analyses in any window of burst ÷ rate minutes (a moving
window: 10 in any 20 s for 30/min with a burst of 10), the same average and burst as the
in-process token bucket. If Redis does not answer, this process falls back to its own bucket
(so the API keeps serving), `/healthz` says `limits: per-process` and
`rxlens_shared_limits_up` is 0 until Redis answers again.
"""

from __future__ import annotations

import contextlib
import logging
import time

from rxlens.api.limits import RateLimiter
from rxlens.config import QueueSettings, ServiceSettings
from rxlens.errors import RateLimited
from rxlens.metrics import Metrics

log = logging.getLogger("rxlens.api")
_RETRY_REDIS_SECONDS = 5.0  # after a failure, Redis is asked again this much later


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
        self.metrics, self.down_until = metrics, 0.0
        metrics.shared_limits_up.set(1)

    @property
    def shared(self) -> bool:
        return self.down_until <= time.monotonic()

    async def take(self, client: str) -> None:
        if not self.shared:
            self.local.take_now(client)
            return
        try:
            allowed = await self.limiter.hit(self.item, client)
            if not allowed:
                stats = await self.limiter.get_window_stats(self.item, client)
                wait = max(1.0, stats.reset_time - time.time())
        except Exception as error:  # any storage failure: serve on, per process
            self._went_down(error)
            self.local.take_now(client)
            return
        self.metrics.shared_limits_up.set(1)
        if not allowed:
            raise RateLimited(f"Too many requests from this client; try again in {wait:.0f} s.", wait)

    async def close(self) -> None:
        with contextlib.suppress(Exception):  # closing a client whose server is gone
            await self.storage.bridge.get_connection().aclose()  # type: ignore[attr-defined]

    def _went_down(self, error: Exception) -> None:
        if self.shared:
            log.warning(
                "shared rate limit unavailable (%s): per-process limits for now", type(error).__name__
            )
        self.down_until = time.monotonic() + _RETRY_REDIS_SECONDS
        self.metrics.shared_limits_up.set(0)
