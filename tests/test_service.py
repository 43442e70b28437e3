"""The HTTP service over a real socket: results, progress stream, limits, problem details, metrics."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from rxlens import __version__
from rxlens.api.app import create_app
from rxlens.catalog.bundled import Bundle
from rxlens.config import DatabaseSettings, Settings
from rxlens.ocr.base import OcrEngine
from rxlens.services import Services
from tests.fakes import SlowOcr
from tests.http import running
from tests.images import prescription

pytestmark = pytest.mark.usefixtures("fonts")


@pytest.fixture
def base(settings: Settings, reader: Services) -> Iterator[str]:
    with running(create_app(settings, reader)) as url:
        yield url


@pytest.fixture(scope="module")
def bag(bundle: Bundle) -> bytes:
    return prescription(bundle.products, 61, "bag")[1]


def files(*photos: bytes) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("photos", (f"p{i}.jpg", p, "image/jpeg")) for i, p in enumerate(photos)]


def test_analysis_json(base: str, bag: bytes) -> None:
    r = httpx.post(f"{base}/v1/analyses", files=files(bag), data={"user_id": "u1"}, timeout=60)
    assert r.status_code == 200, r.text
    record = r.json()
    assert record["medications"] and record["usage"]["photos"] == 1
    assert record["usage"]["rxlens_version"] == __version__
    assert record["usage"]["arm"] in ("parallel", "sequential")


def test_progress_stream(base: str, bag: bytes) -> None:
    events = []
    with httpx.stream(
        "POST",
        f"{base}/v1/analyses",
        files=files(bag, bag),
        headers={"Accept": "text/event-stream"},
        timeout=60,
    ) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        for line in r.iter_lines():
            if line.startswith("event: "):
                events.append(line[7:])
            elif line.startswith("data: ") and events[-1] == "result":
                assert json.loads(line[6:])["usage"]["photos"] == 2
    assert events[-1] == "result" and events.index("received") < events.index("photo_read")
    assert events.count("photo_read") == 2 and {"catalog_ready", "matched"} <= set(events)


@pytest.mark.parametrize(
    ("photos", "status", "code"),
    [
        pytest.param([], 400, "NoPhotos", id="no-photos"),
        pytest.param([b"not an image"], 415, "UnsupportedImage", id="not-an-image"),
        pytest.param([b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"], 422, "TruncatedImage", id="truncated"),
    ],
)
def test_bad_requests_are_problem_details(base: str, photos: list[bytes], status: int, code: str) -> None:
    r = httpx.post(f"{base}/v1/analyses", files=files(*photos) or {"x": ("", b"")}, timeout=30)
    assert r.status_code == status and r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["code"] == code and body["status"] == status and body["detail"] and body["hint"]


def test_too_many_photos(base: str, bag: bytes) -> None:
    r = httpx.post(f"{base}/v1/analyses", files=files(*[bag] * 6), timeout=30)
    assert r.status_code == 400 and r.json()["code"] == "TooManyPhotos"


def test_rate_limit_answers_429_with_retry_after(settings: Settings, reader: Services, bag: bytes) -> None:
    settings.service.rate_burst, settings.service.rate_per_minute = 2, 6
    with running(create_app(settings, reader)) as url:
        codes = [
            httpx.post(f"{url}/v1/analyses", files=files(b"x"), timeout=30).status_code for _ in range(3)
        ]
        last = httpx.post(f"{url}/v1/analyses", files=files(b"x"), timeout=30)
    assert codes[:2] == [415, 415] and codes[2] == 429
    assert last.status_code == 429 and int(last.headers["Retry-After"]) >= 1


def test_concurrency_cap_answers_503(settings: Settings, bag: bytes) -> None:
    settings.service.max_concurrent, settings.service.queue_size = 1, 0
    slow = Services.open(settings, ocr=SlowOcr(2))
    with running(create_app(settings, slow)) as url, httpx.Client(timeout=30) as client:
        first = threading.Thread(
            target=client.post, args=(f"{url}/v1/analyses",), kwargs={"files": files(bag)}
        )
        first.start()
        time.sleep(0.5)
        busy = client.post(f"{url}/v1/analyses", files=files(bag))
        first.join()
        again = client.post(f"{url}/healthz")
    assert busy.status_code == 503 and busy.json()["code"] == "Overloaded"
    assert int(busy.headers["Retry-After"]) >= 1
    assert again.status_code == 405


def test_health_and_metrics(base: str, bag: bytes) -> None:
    health = httpx.get(f"{base}/healthz").json()
    assert health["status"] == "ok" and health["database"] == "ok" and health["model"] == "ready"
    assert health["version"] == __version__
    httpx.post(f"{base}/v1/analyses", files=files(bag), timeout=60)
    text = httpx.get(f"{base}/metrics").text
    for name in (
        "rxlens_requests_total",
        "rxlens_request_seconds_bucket",
        "rxlens_stage_seconds_bucket",
        "rxlens_fallbacks_total",
        "rxlens_time_saved_seconds",
        "rxlens_parallel_overhead_seconds",
        "rxlens_inflight_requests",
        "rxlens_images_per_request",
        "rxlens_errors_total",
    ):
        assert name in text
    assert 'rxlens_stage_seconds_count{mode="' in text


def test_web_page_and_docs_are_served(base: str) -> None:
    page = httpx.get(f"{base}/")
    assert page.status_code == 200 and "藥袋" in page.text
    assert httpx.get(f"{base}/docs").status_code == 404  # off by default: it loads CDN scripts
    assert "/v1/analyses" in httpx.get(f"{base}/openapi.json").json()["paths"]


def test_dead_database_health_503_and_unmatched_analyses(
    tmp_path: Path, ocr_engine: OcrEngine, bag: bytes
) -> None:
    settings = Settings(
        data_dir=tmp_path, database=DatabaseSettings(url="postgresql+psycopg://x@127.0.0.1:1/none")
    )
    with running(create_app(settings, Services.open(settings, ocr=ocr_engine))) as url:
        health = httpx.get(f"{url}/healthz")
        record = httpx.post(f"{url}/v1/analyses", files=files(bag), timeout=60)
    assert health.status_code == 503 and "Could not read the catalog version" in health.json()["database"]
    assert record.status_code == 200
    assert any("drug catalog unavailable" in w for w in record.json()["warnings"])


def test_jobs_without_a_broker_run_in_this_process(base: str, bag: bytes) -> None:
    """The embedded default: the same /v1/jobs API, the work done here."""
    created = httpx.post(f"{base}/v1/jobs", files=files(bag), timeout=60)
    assert created.status_code == 202 and created.headers["location"].startswith("/v1/jobs/")
    job = created.headers["location"]
    with httpx.stream("GET", f"{base}{job}/events", timeout=120) as stream:
        text = stream.read().decode()
    names = [line.removeprefix("event: ") for line in text.splitlines() if line.startswith("event: ")]
    assert names[0] == "queued" and names[-1] == "result" and "photo_read" in names
    state = httpx.get(f"{base}{job}", timeout=30).json()
    assert state["status"] == "done" and state["record"]["medications"]
    assert httpx.delete(f"{base}{job}", timeout=30).status_code == 204
    assert httpx.get(f"{base}{job}", timeout=30).status_code == 404
    assert (
        httpx.post(f"{base}/v1/jobs", content=b"x", headers={"Content-Type": "text/plain"}).status_code == 415
    )
