"""Analyses as jobs on the real RabbitMQ and Redis, run by real `rxlens worker` processes.

The API runs in this process on a real socket; workers are separate processes (a SIGKILL must
kill one without touching the others). Each session has its own vhost and Redis key prefix
(tests/queues.py).
"""

from __future__ import annotations

import json
import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from rxlens.api.app import create_app
from rxlens.api.identity import new_key
from rxlens.catalog.bundled import Bundle
from rxlens.config import QueueSettings, Settings
from rxlens.queue.message import JobMessage
from rxlens.queue.sealing import new_secret
from tests.databases import copy_saved_index
from tests.http import free_port, running
from tests.images import prescription
from tests.queues import (
    REDIS,
    SessionQueue,
    WorkerProcess,
    restart_rabbitmq,
    restart_redis,
    session_queue,
    workers,
)
from tests.served import environment

pytestmark = pytest.mark.usefixtures("fonts")
SECRET = SecretStr(new_secret())
KEY, KEY_HASH = new_key()  # a second client beside the anonymous one


@pytest.fixture(scope="module")
def queue() -> Iterator[SessionQueue]:
    with session_queue() as opened:
        yield opened


@pytest.fixture(scope="module")
def worker_env(
    queue: SessionQueue, seeded_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    data = tmp_path_factory.mktemp("worker-data")
    shutil.copy(seeded_db, data / "rxlens.db")
    copy_saved_index(seeded_db.parent, data)
    return environment(RXLENS_DATA_DIR=str(data), **queue.env(SECRET.get_secret_value()))


def queue_settings(queue: SessionQueue, data_dir: Path, broker_url: str | None = None) -> Settings:
    q = QueueSettings(
        broker_url=broker_url or queue.broker_url, redis_url=REDIS, prefix=queue.prefix, secret_key=SECRET
    )
    settings = Settings(data_dir=data_dir, queue=q)
    settings.service.api_key_hashes = [KEY_HASH]
    # the rate limit is shared through Redis by every app of the session: not what is tested here
    settings.service.rate_per_minute, settings.service.rate_burst = 100_000, 100_000
    return settings


METRICS_PORTS = (free_port(), free_port())


@pytest.fixture(scope="module")
def pool(worker_env: dict[str, str]) -> Iterator[list[WorkerProcess]]:
    """Two workers for the module (starting one takes ~10 s); the last test kills one."""
    with workers(2, worker_env, METRICS_PORTS) as started:
        yield started


@pytest.fixture
def api(queue: SessionQueue, settings: Settings) -> Iterator[str]:
    with running(create_app(queue_settings(queue, settings.data_dir))) as url:
        yield url


@pytest.fixture(scope="module")
def photos(bundle: Bundle) -> list[bytes]:
    return [prescription(bundle.products, seed, "bag")[1] for seed in (71, 72, 73)]


def files(*photos: bytes) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("photos", (f"p{i}.jpg", p, "image/jpeg")) for i, p in enumerate(photos)]


def events(url: str, timeout: float = 120) -> list[tuple[str, dict[str, object]]]:
    """The whole server-sent event stream of a job, parsed."""
    out = []
    with httpx.stream("GET", url, timeout=timeout) as response:
        assert response.status_code == 200, response.read()
        for block in response.read().decode().split("\n\n"):
            if block.strip():
                name, data = block.split("\n", 1)
                out.append((name.removeprefix("event: "), json.loads(data.removeprefix("data: "))))
    return out


def submit(api: str, *photos: bytes) -> str:
    response = httpx.post(f"{api}/v1/jobs", files=files(*photos), timeout=30)
    assert response.status_code == 202, response.text
    assert response.headers["location"] == f"/v1/jobs/{response.json()['id']}"
    return str(response.json()["id"])


def wait_started(api: str, job: str, seconds: float = 60) -> str:
    """The worker that started the job, as soon as it has."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = httpx.get(f"{api}/v1/jobs/{job}", timeout=10).json()
        if state["status"] != "queued":
            return str(state["status"])
        time.sleep(0.05)
    raise AssertionError("no worker started the job")


def test_a_job_streams_progress_then_its_record_and_is_deleted(
    api: str, pool: list[WorkerProcess], photos: list[bytes], queue: SessionQueue
) -> None:
    health = httpx.get(f"{api}/healthz", timeout=10).json()
    assert health["queue"] == "ok" and health["limits"] == "shared" and health["model"] == "on workers"
    assert health["broker"] == health["redis"] == "ok"
    job = submit(api, photos[0])
    stream = events(f"{api}/v1/jobs/{job}/events")
    names = [name for name, _ in stream]
    assert names[:2] == ["queued", "started"] and names[-1] == "result"
    assert {"received", "photo_read", "matched"} <= set(names)
    state = httpx.get(f"{api}/v1/jobs/{job}", timeout=10).json()
    assert state["status"] == "done" and state["record"] == stream[-1][1]
    assert state["record"]["medications"], "a generated bag has at least one drug"
    # at rest in Redis: sealed (no drug name in clear) and with a time-to-live
    raw = _raw_values(queue)
    drug = str(state["record"]["medications"][0]["printed_name"])
    assert raw and all(drug.encode() not in value for value, _ in raw)
    assert all(0 < ttl <= QueueSettings().job_ttl_seconds for _, ttl in raw)
    assert httpx.delete(f"{api}/v1/jobs/{job}", timeout=10).status_code == 204
    gone = httpx.get(f"{api}/v1/jobs/{job}", timeout=10)
    assert gone.status_code == 404 and gone.json()["code"] == "JobNotFound"
    assert not [k for k in queue.redis_keys() if job in k]


def _raw_values(queue: SessionQueue) -> list[tuple[bytes, int]]:
    import redis

    client = redis.Redis.from_url(REDIS)
    out: list[tuple[bytes, int]] = []
    for key in client.scan_iter(f"{queue.prefix}:*"):
        if b":rate" in key:
            continue
        parts = [client.get(key)] if client.type(key) == b"string" else client.lrange(key, 0, -1)
        out.append((b"".join(p if isinstance(p, bytes) else b"" for p in parts), int(client.ttl(key))))
    client.close()
    return out


def test_the_synchronous_api_runs_on_a_worker_and_leaves_nothing_behind(
    api: str, pool: list[WorkerProcess], photos: list[bytes], queue: SessionQueue
) -> None:
    answer = httpx.post(f"{api}/v1/analyses", files=files(photos[1]), timeout=120)
    assert answer.status_code == 200, answer.text
    assert answer.json()["medications"]
    assert any("rxlens.analyze" in w.output() for w in pool)  # a worker ran it, not this process
    counted = sum(_requests_counted(port) for port in METRICS_PORTS)  # each worker's own /metrics
    assert counted >= 1
    streamed = httpx.post(
        f"{api}/v1/analyses", files=files(photos[1]), headers={"Accept": "text/event-stream"}, timeout=120
    )
    assert "event: started" in streamed.text and "event: result" in streamed.text
    left = [k for k in queue.redis_keys() if ":rate" not in k]
    assert not [k for k in left if ":job:" in k], "an answered synchronous job is deleted at once"


def _requests_counted(port: int) -> float:
    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
    rows = [line for line in text.splitlines() if line.startswith("rxlens_requests_total{")]
    return sum(float(line.rsplit(" ", 1)[1]) for line in rows)


def test_another_client_cannot_read_a_job(api: str, photos: list[bytes], queue: SessionQueue) -> None:
    """No worker needed: the job waits in the queue (and is deleted at the end)."""
    job = submit(api, photos[0])
    assert httpx.get(f"{api}/v1/jobs/{job}", timeout=10).status_code == 200
    keyed = {"Authorization": f"Bearer {KEY}"}
    for method in ("GET", "DELETE"):
        other = httpx.request(method, f"{api}/v1/jobs/{job}", headers=keyed, timeout=10)
        assert other.status_code == 404, other.text  # not "forbidden": its existence is not told
    wrong_key = httpx.get(f"{api}/v1/jobs/{job}", headers={"Authorization": "Bearer rxl_x"}, timeout=10)
    assert wrong_key.status_code == 401
    assert httpx.get(f"{api}/v1/jobs/0123456789abcdef", timeout=10).status_code == 404
    assert httpx.delete(f"{api}/v1/jobs/{job}", timeout=10).status_code == 204


def _ends(api: str, job: str) -> str:
    """How the job's stream ends (bounded: a stream that never ends fails the read timeout)."""
    stream = events(f"{api}/v1/jobs/{job}/events", timeout=90)
    name, data = stream[-1]
    assert name in ("result", "error"), stream
    if name == "error":  # allowed, if it says what happened
        assert data["code"] in ("QueueUnavailable", "JobNotFound") and data["hint"], data
    return name


def _done_within(api: str, job: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = httpx.get(f"{api}/v1/jobs/{job}", timeout=10)
        if state.status_code == 200 and state.json()["status"] == "done":
            return
        time.sleep(0.5)
    raise AssertionError(f"job not done within {seconds} s: {state.text[:300]}")


def test_rabbitmq_restarted_during_a_job(api: str, pool: list[WorkerProcess], photos: list[bytes]) -> None:
    job = submit(api, *photos)
    wait_started(api, job)
    restart_rabbitmq()
    _ends(api, job)
    _done_within(api, job)  # the photos were not lost: the job has its record
    again = submit(api, photos[0])  # and the API and workers found the broker again
    assert _ends(api, again) == "result"


def test_redis_restarted_during_a_job(api: str, pool: list[WorkerProcess], photos: list[bytes]) -> None:
    job = submit(api, *photos)
    wait_started(api, job)
    restart_redis()  # saved and reloaded, as a Redis with persistence restarts
    _ends(api, job)
    _done_within(api, job)
    again = submit(api, photos[0])
    assert _ends(api, again) == "result"


def test_a_broker_that_does_not_answer_is_a_clear_503(
    queue: SessionQueue, settings: Settings, photos: list[bytes]
) -> None:
    dead = f"amqp://guest:guest@127.0.0.1:{free_port()}//"
    before = set(queue.redis_keys())
    with running(create_app(queue_settings(queue, settings.data_dir, broker_url=dead))) as api:
        health = httpx.get(f"{api}/healthz", timeout=30)
        assert health.status_code == 503 and health.json()["broker"] == "not answering", health.text
        started = time.monotonic()
        answer = httpx.post(f"{api}/v1/jobs", files=files(photos[0]), timeout=60)
        assert answer.status_code == 503 and answer.json()["code"] == "QueueUnavailable", answer.text
        assert time.monotonic() - started < 30  # said, not hung
        sync = httpx.post(f"{api}/v1/analyses", files=files(photos[0]), timeout=60)
        assert sync.status_code == 503 and "RabbitMQ" in sync.json()["detail"]
    assert not [k for k in set(queue.redis_keys()) - before if ":job:" in k], "a job not queued is not kept"


def _started_by(queue: SessionQueue, job: str) -> list[str]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        names = [d["worker"] for n, d in _events_so_far(queue, job) if n == "started"]
        if names:
            return [str(n) for n in names]
        time.sleep(0.05)
    raise AssertionError("no started event")


def _events_so_far(queue: SessionQueue, job: str) -> list[tuple[str, dict[str, object]]]:
    """What the job said so far, read from Redis as an API process would."""
    import redis

    from rxlens.queue.events import Keys, open_event
    from rxlens.queue.sealing import Sealer

    settings = QueueSettings(prefix=queue.prefix, secret_key=SECRET)
    client = redis.Redis.from_url(REDIS)
    tokens = client.lrange(Keys(settings).events(job), 0, -1)
    client.close()
    sealer = Sealer(settings)
    return [(e.name, e.data) for e in (open_event(sealer, t) for t in tokens)]


def test_a_job_is_answered_once_and_a_foreign_message_is_refused(queue: SessionQueue) -> None:
    """The worker's side on the real Redis: the first answer counts, a second run's is dropped;
    a message sealed with another secret ends the job with an error, not a crash."""
    from rxlens.queue.events import Keys, WorkerEvents
    from rxlens.queue.sealing import Sealer

    settings = QueueSettings(redis_url=REDIS, prefix=queue.prefix, secret_key=SECRET)
    events, keys = WorkerEvents(settings, Sealer(settings)), Keys(settings)
    events.redis.set(keys.job("j1"), "x", ex=60)
    events.redis.rpush(keys.events("j1"), "queued")
    assert events.waiting("j1")
    assert events.finish("j1", "result", {"n": 1}) and not events.waiting("j1")
    assert not events.finish("j1", "result", {"n": 2})  # a redelivered run: nothing appended
    assert events.redis.llen(keys.events("j1")) == 2
    assert not events.finish("gone", "result", {})  # a deleted job gets no answer
    other = Sealer(QueueSettings(secret_key=SecretStr(new_secret())))
    with pytest.raises(ValueError):
        JobMessage.unseal(Sealer(settings), JobMessage([], None, "ip:x").seal(other))
    events.redis.delete(*keys.all("j1"))
    events.close()


def test_photos_too_large_to_queue_are_a_413(
    queue: SessionQueue, settings: Settings, photos: list[bytes]
) -> None:
    small = queue_settings(queue, settings.data_dir)
    small.queue.max_message_bytes = 1000
    with running(create_app(small)) as api:
        answer = httpx.post(f"{api}/v1/jobs", files=files(photos[0]), timeout=60)
        assert answer.status_code == 413 and answer.json()["code"] == "RequestTooLarge", answer.text


def test_a_worker_killed_mid_job_hands_it_to_another(
    api: str, pool: list[WorkerProcess], photos: list[bytes], queue: SessionQueue
) -> None:
    """Last in the module: it leaves one worker of the pool dead."""
    job = submit(api, *photos)  # three photos: a few seconds of work to be killed in
    wait_started(api, job)
    state = httpx.get(f"{api}/v1/jobs/{job}", timeout=10).json()
    assert state["status"] == "running"
    first = _started_by(queue, job)[0]
    victim = next(w for w in pool if first.endswith(f":{w.pid}"))
    victim.proc.send_signal(signal.SIGKILL)
    stream = events(f"{api}/v1/jobs/{job}/events")
    starts = [data["worker"] for name, data in stream if name == "started"]
    assert len(starts) == 2 and starts[0] != starts[1], starts  # redelivered to the other worker
    assert [name for name, _ in stream].count("result") == 1
    assert httpx.get(f"{api}/v1/jobs/{job}", timeout=10).json()["status"] == "done"
