"""The event loop the cloud calls are awaited on.

A pooled async HTTP client belongs to the loop that opened its connections, while requests come
from loops that come and go (`asyncio.run` per CLI analysis, per test, per bench run). So the
client, its retries and its rate gate live on one loop of their own, in a thread that only ever
waits on sockets and timers: no worker thread sleeps through a backoff. Cancelling the awaiting
side (a stage timeout) cancels the call's task here, and with it the HTTP request in flight.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class CloudLoop:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="rxlens-cloud", daemon=True)
        self.thread.start()

    async def run(self, call: Coroutine[Any, Any, T]) -> T:
        """Await `call` on the cloud loop; cancelling this await cancels `call` there."""
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(call, self.loop))

    def close(self, last: Coroutine[Any, Any, None], timeout: float = 10.0) -> None:
        """Run `last` (closing the HTTP client) on the loop, then stop the loop and its thread."""
        asyncio.run_coroutine_threadsafe(_finish(last), self.loop).result(timeout)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout)
        self.loop.close()


async def _finish(last: Coroutine[Any, Any, None]) -> None:
    """Calls still running are cancelled before the client under them closes."""
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in others:
        task.cancel()
    await asyncio.gather(*others, return_exceptions=True)
    await last
