"""The OCR cap holds for the whole process, whichever event loops ask (real threads, no model)."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from rxlens.concurrency import Blocking


def test_ocr_slots_hold_across_event_loops_in_threads() -> None:
    """Four threads each running `asyncio.run` with six inferences share one Blocking: never more
    than `ocr_slots` run at once (a semaphore per loop allowed one batch per loop), and none stalls
    (one limiter shared by loops of several threads did)."""
    blocking = Blocking(workers=8, ocr_slots=2)
    lock, running, peak = threading.Lock(), [0], [0]

    def infer() -> str:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.01)  # long enough for the callers to overlap
        with lock:
            running[0] -= 1
        return threading.current_thread().name

    async def burst() -> list[str]:
        return await asyncio.gather(*(blocking.run_ocr(infer) for _ in range(6)))

    try:
        with ThreadPoolExecutor(4) as callers:
            futures = [callers.submit(asyncio.run, burst()) for _ in range(4)]
            names = [name for f in futures for name in f.result(timeout=60)]  # a guard against a hang
    finally:
        blocking.close()
    assert peak[0] == 2
    assert len(names) == 24 and all(n.startswith("rxlens-ocr") for n in names)
