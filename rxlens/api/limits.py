"""Admission control: a token bucket per client (rxlens.ratelimit), and analyses admitted to match
OCR capacity.

Both run on the event loop only (no locks needed) and are checked before the request body is
read, so a client turned away costs the server a few hundred bytes of headers.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Protocol

from rxlens.errors import Overloaded
from rxlens.ratelimit import RateLimiter

__all__ = ["Admission", "RateLimiter", "Slots"]


class Slots(Protocol):
    """Admission as the edge uses it: in this process (Admission) or shared (SharedAdmission)."""

    async def enter(self) -> str | None: ...
    async def release(self, token: str | None) -> None: ...
    async def close(self) -> None: ...


class Admission:
    """`capacity` analyses run; up to `queue` more wait (first come, first served) at most
    `deadline` seconds for a slot; anyone beyond gets 503 at once. Waiting happens before the
    request's own deadline starts, so a request that is admitted has its whole time to finish."""

    def __init__(self, capacity: int, queue: int, deadline: float) -> None:
        self.capacity, self.queue, self.deadline = capacity, queue, deadline
        self.active = 0
        self.waiting: deque[asyncio.Future[None]] = deque()

    def busy(self, retry_after: float) -> Overloaded:
        return Overloaded(
            f"{self.active} analyses are running and {len(self.waiting)} are waiting.", retry_after
        )

    async def enter(self) -> None:
        if self.active < self.capacity and not self.waiting:
            self.active += 1
            return
        if len(self.waiting) >= self.queue:
            raise self.busy(self.deadline)
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting.append(turn)
        try:
            async with asyncio.timeout(self.deadline):
                await turn
        except TimeoutError:
            if _granted(turn):  # the slot arrived just as time ran out: take it
                return
            self._forget(turn)
            raise self.busy(self.deadline) from None
        except asyncio.CancelledError:  # the client went away while waiting
            if _granted(turn):
                self.leave()
            self._forget(turn)
            raise

    async def release(self, _token: str | None = None) -> None:
        self.leave()

    async def close(self) -> None:
        return None

    def _forget(self, turn: asyncio.Future[None]) -> None:
        if turn in self.waiting:
            self.waiting.remove(turn)

    def leave(self) -> None:
        while self.waiting:
            turn = self.waiting.popleft()
            if not turn.done():
                turn.set_result(None)  # the slot passes on: `active` stays the same
                return
        self.active -= 1


def _granted(turn: asyncio.Future[None]) -> bool:
    return turn.done() and not turn.cancelled()
