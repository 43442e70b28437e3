"""The one way blocking work (ONNX, Pillow, SQL) leaves the event loop."""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class Blocking:
    """A bounded thread pool for catalog, database and image work, and a pool of `ocr_slots`
    threads for inference, so that slots × ONNX intra-op threads stays within the cores while the
    other workers stay free.

    Why a pool and not a semaphore or anyio's `CapacityLimiter` over one pool: the cap is about
    the machine's cores, so it must hold for the whole process, and one `Services` serves event
    loops that come and go (`asyncio.run` per CLI analysis, test or bench run) and may serve
    several at once (a library caller running `asyncio.run` in a few threads). A semaphore
    belongs to one loop (that is why this used to keep one per loop, which capped each loop, not
    the process, and kept every dead loop alive); anyio's limiter wakes its waiters with an
    `asyncio.Event` of the waiter's loop and is not thread-safe: shared by loops in two threads,
    waiters stall (tried: four threads of `asyncio.run` on one limiter all hung until their
    timeouts). An executor is thread-safe, belongs to no loop, and queues what exceeds its size.
    """

    def __init__(self, workers: int, ocr_slots: int) -> None:
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="rxlens")
        self.ocr_pool = ThreadPoolExecutor(max_workers=ocr_slots, thread_name_prefix="rxlens-ocr")
        self._ocr_slots = ocr_slots

    @property
    def ocr_slots(self) -> int:
        return self._ocr_slots

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        return await _in(self.pool, fn, *args, **kwargs)

    async def run_ocr(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        return await _in(self.ocr_pool, fn, *args, **kwargs)

    def close(self) -> None:
        self.ocr_pool.shutdown(wait=True, cancel_futures=True)
        self.pool.shutdown(wait=True, cancel_futures=True)


async def _in(pool: ThreadPoolExecutor, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    # The thread sees the caller's context (the request id on its log lines).
    call = functools.partial(contextvars.copy_context().run, fn, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(pool, call)
