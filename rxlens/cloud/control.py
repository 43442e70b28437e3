"""Rate control for a paid API: requests per minute, calls at once, retries, a circuit breaker."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from rxlens.config import GeminiSettings
from rxlens.errors import EngineError

T = TypeVar("T")


class CloudUnavailable(EngineError):
    title = "Cloud engine unavailable"
    hint = "The answer falls back to the local engine; check the Gemini key, quota and network."


class Retryable(Exception):
    """A failure worth another try (429, 5xx, timeout), with the server's Retry-After if any."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class RateGate:
    """Spaces calls to `per_minute` and caps calls in flight. Lives on the cloud loop only, so
    reading and moving `_next` (with no await between) needs no lock."""

    def __init__(
        self, per_minute: float, concurrent: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.interval, self.clock = 60.0 / per_minute, clock
        self.slots = asyncio.Semaphore(concurrent)
        self._next = 0.0

    async def wait_turn(self) -> None:
        now = self.clock()
        start = max(now, self._next)
        self._next = start + self.interval
        await asyncio.sleep(max(0.0, start - now))


class Breaker:
    """Opens after `failures` failed requests in a row; lets one request try after `cooldown`."""

    def __init__(self, failures: int, cooldown: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.failures, self.cooldown, self.clock = failures, cooldown, clock
        self.streak, self.opened_at = 0, float("-inf")
        self._lock = threading.Lock()

    @property
    def open(self) -> bool:
        with self._lock:
            return self.streak >= self.failures and self.clock() - self.opened_at < self.cooldown

    def record(self, ok: bool) -> None:
        with self._lock:
            self.streak = 0 if ok else self.streak + 1
            if self.streak >= self.failures:
                self.opened_at = self.clock()


async def with_retries(
    call: Callable[[], Awaitable[T]],
    settings: GeminiSettings,
    gate: RateGate,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> tuple[T, int]:
    """(result, attempts). Exponential backoff, or the server's Retry-After when it gives one.
    Every wait is awaited, so a cancelled caller stops here: no attempt after the cancel."""
    for attempt in range(settings.retries + 1):
        await gate.wait_turn()
        try:
            async with gate.slots:
                return await call(), attempt + 1
        except Retryable as exc:
            if attempt == settings.retries:
                raise CloudUnavailable(f"Gemini kept failing ({exc}).") from exc
            backoff = settings.backoff_seconds * 2**attempt
            await sleep(
                min(exc.retry_after if exc.retry_after is not None else backoff, settings.max_backoff_seconds)
            )
    raise AssertionError("unreachable")
