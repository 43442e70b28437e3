"""The rate and admission limits shared by API processes through the real Redis, and what happens
when Redis does not answer. Two limiter objects (or two apps) stand for two API processes: they
share nothing but the Redis server, as processes do."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from rxlens.api.app import create_app
from rxlens.api.shared_limits import SharedAdmission, SharedRateLimiter
from rxlens.config import QueueSettings, ServiceSettings, Settings
from rxlens.errors import Overloaded, RateLimited
from rxlens.metrics import Metrics
from rxlens.services import Services
from tests.http import free_port, running
from tests.queues import REDIS, SessionQueue


def _queue(redis_url: str = REDIS) -> QueueSettings:
    return QueueSettings(redis_url=redis_url, prefix=SessionQueue().prefix)


def _service(**changes: object) -> ServiceSettings:
    values: dict[str, object] = {"rate_per_minute": 6, "rate_burst": 3, "queue_size": 2, "queue_seconds": 0.3}
    return ServiceSettings.model_validate(values | changes)


def test_the_rate_limit_holds_across_processes() -> None:
    async def run() -> None:
        queue, service = _queue(), _service()
        first, second = (SharedRateLimiter(service, queue, Metrics()) for _ in range(2))
        for limiter in (first, second, first):
            await limiter.take("ip:10.0.0.1")
        with pytest.raises(RateLimited) as refused:
            await second.take("ip:10.0.0.1")  # the burst of 3 is spent, whichever process took it
        assert 0 < refused.value.retry_after <= 30
        await second.take("ip:10.0.0.2")  # another client has its own
        assert first.shared and second.shared
        await first.close()
        await second.close()

    asyncio.run(run())


def test_admission_holds_across_processes() -> None:
    async def run() -> None:
        queue, service = _queue(), _service()
        rates = [SharedRateLimiter(service, queue, Metrics()) for _ in range(2)]
        a, b = (SharedAdmission(2, service, queue, 60, rate, "host-a") for rate in rates)
        one, two = await a.enter(), await b.enter()
        assert one and two  # shared slots, not local ones
        started = time.monotonic()
        with pytest.raises(Overloaded):
            await a.enter()  # both slots are taken, one in each process
        assert 0.25 < time.monotonic() - started < 5  # it waited its queue time, then said so
        await b.release(two)
        assert await a.enter()  # the slot another process freed
        for closing in (a, b):
            await closing.close()
        for rate in rates:
            await rate.close()

    asyncio.run(run())


def test_without_redis_each_process_limits_itself_and_says_so() -> None:
    async def run() -> None:
        metrics = Metrics()
        queue, service = _queue(f"redis://127.0.0.1:{free_port()}/0"), _service()
        limiter = SharedRateLimiter(service, queue, metrics)
        for _ in range(3):
            await limiter.take("ip:10.0.0.1")  # served, per process
        assert not limiter.shared
        assert b"rxlens_shared_limits_up 0.0" in metrics.exposition()
        with pytest.raises(RateLimited):
            await limiter.take("ip:10.0.0.1")  # the per-process bucket still limits
        admission = SharedAdmission(1, service, queue, 60, limiter, "host-a")
        assert await admission.enter() is None  # a local slot
        with pytest.raises(Overloaded):
            await admission.enter()
        await admission.release(None)
        await limiter.close()
        await admission.close()

    asyncio.run(run())


def test_two_api_processes_share_one_burst_and_healthz_tells(settings: Settings, reader: Services) -> None:
    """Two apps on real sockets, one Redis: the third request is refused by the second app."""
    shared = Settings(
        data_dir=settings.data_dir, queue=_queue(), service=_service(rate_burst=2, rate_per_minute=2)
    )
    with running(create_app(shared, reader)) as one, running(create_app(shared, reader)) as two:
        assert httpx.get(f"{one}/healthz", timeout=30).json()["limits"] == "shared"

        def post(url: str) -> httpx.Response:
            return httpx.post(f"{url}/v1/analyses", content=b"x", headers={"Content-Type": "text/plain"})

        assert post(one).status_code == 415  # counted, then refused for its body
        assert post(two).status_code == 415
        third = post(one)
        assert third.status_code == 429 and int(third.headers["retry-after"]) > 0
