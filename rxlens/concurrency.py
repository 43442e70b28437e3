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
    """A bounded thread pool; `ocr_slots` caps concurrent inferences so that
    slots × ONNX intra-op threads stays within the cores, while the other workers stay free for
    catalog and database work."""

    def __init__(self, workers: int, ocr_slots: int) -> None:
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="rxlens")
        self._ocr_limit = ocr_slots  # a semaphore belongs to one event loop: one per loop
        self._semaphores: dict[int, asyncio.Semaphore] = {}

    @property
    def ocr_slots(self) -> int:
        return self._ocr_limit

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        loop = asyncio.get_running_loop()
        # The thread sees the caller's context (the request id on its log lines).
        call = functools.partial(contextvars.copy_context().run, fn, *args, **kwargs)
        return await loop.run_in_executor(self.pool, call)

    async def run_ocr(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        loop_id = id(asyncio.get_running_loop())
        slots = self._semaphores.setdefault(loop_id, asyncio.Semaphore(self._ocr_limit))
        async with slots:
            return await self.run(fn, *args, **kwargs)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
