"""A token bucket per client, in this process: the API's per-client limit and the LINE channel's
per-user one. Runs on the event loop only (no locks needed)."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from rxlens.config import ServiceSettings
from rxlens.errors import RateLimited

_MAX_CLIENTS = 10_000  # buckets kept; the least recently seen are forgotten first


class RateLimiter:
    def __init__(self, settings: ServiceSettings, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = settings.rate_per_minute / 60.0
        self.burst = float(settings.rate_burst)
        self.clock = clock
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    async def take(self, client: str) -> None:
        self.take_now(client)

    async def close(self) -> None:
        return None

    def take_now(self, client: str) -> None:
        now = self.clock()
        tokens, seen = self.buckets.pop(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - seen) * self.rate)
        if tokens < 1:
            self.buckets[client] = (tokens, now)
            wait = (1 - tokens) / self.rate
            raise RateLimited(f"Too many requests from this client; try again in {wait:.0f} s.", wait)
        self.buckets[client] = (tokens - 1, now)
        while len(self.buckets) > _MAX_CLIENTS:
            self.buckets.popitem(last=False)
