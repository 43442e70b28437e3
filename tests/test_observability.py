"""What a running service tells its operator and its browser: request ids, logs with tracebacks
and no personal data, security headers, and a catalog whose database dies after warm-up."""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from rxlens import logs
from rxlens.api.app import create_app
from rxlens.catalog.bundled import Bundle
from rxlens.catalog.service import STALE_WARNING
from rxlens.config import DatabaseSettings, ServiceSettings, Settings
from rxlens.images.intake import Photo, Upload, load_photos
from rxlens.ocr.base import OcrEngine, TextLine
from rxlens.services import Services, init_catalog
from tests.http import running
from tests.images import prescription

pytestmark = pytest.mark.usefixtures("fonts")
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432"


class BuggyOcr:
    """An engine with a bug in it: raises something that is not an rxlens error."""

    name = "buggy"

    def warm_up(self) -> None:
        pass

    def read(self, photo: Photo) -> list[TextLine]:
        raise ValueError("a bug inside the engine")


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """Everything logged, at DEBUG, as JSON lines, through the handler `rxlens serve` uses."""
    stream = io.StringIO()
    out, root = logs.handler("json", stream), logging.getLogger()
    old_level = root.level
    root.addHandler(out)
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(out)
    root.setLevel(old_level)


def lines(stream: io.StringIO) -> list[dict[str, str]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def bag(bundle: Bundle) -> bytes:
    return prescription(bundle.products, 61, "bag")[1]


def files(photo: bytes) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("photos", ("p0.jpg", photo, "image/jpeg"))]


def test_headers_request_id_and_docs_off(settings: Settings, reader: Services) -> None:
    with running(create_app(settings, reader)) as url:
        page = httpx.get(f"{url}/")
        script = httpx.get(f"{url}/app.js")
        kept = httpx.post(f"{url}/v1/analyses", headers={"X-Request-ID": "abc-123"})
        forged = httpx.get(f"{url}/healthz", headers={"X-Request-ID": "a b; " + "y" * 100})
        docs, schema = httpx.get(f"{url}/docs"), httpx.get(f"{url}/openapi.json")
    for r in (page, script, kept, forged, docs):
        assert "default-src 'self'" in r.headers["content-security-policy"]
        assert "'unsafe-inline'" not in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY" and r.headers["referrer-policy"] == "no-referrer"
    assert '<script type="module" src="app.js"></script>' in page.text and "<script>" not in page.text
    assert kept.status_code == 400 and kept.headers["x-request-id"] == "abc-123"
    assert kept.json()["request_id"] == "abc-123"
    assert len(forged.headers["x-request-id"]) == 32 and "y" not in forged.headers["x-request-id"]
    assert docs.status_code == 404 and schema.status_code == 200


def test_docs_on_when_asked(tmp_path: Path, reader: Services) -> None:
    settings = Settings(data_dir=tmp_path, service=ServiceSettings(docs=True))
    with running(create_app(settings, reader)) as url:
        assert httpx.get(f"{url}/docs").status_code == 200


def test_a_bug_is_logged_with_its_traceback_and_answered(
    settings: Settings, bag: bytes, captured: io.StringIO
) -> None:
    services = Services.open(settings, ocr=BuggyOcr())
    with running(create_app(settings, services)) as url:
        plain = httpx.post(f"{url}/v1/analyses", files=files(bag), timeout=60)
        with httpx.stream(
            "POST",
            f"{url}/v1/analyses",
            files=files(bag),
            headers={"Accept": "text/event-stream"},
            timeout=60,
        ) as r:
            events = [line for line in r.iter_lines() if line.startswith(("event:", "data:"))]
    services.close()
    assert plain.status_code == 500 and plain.json()["code"] == "StageFailed"
    rid = plain.json()["request_id"]
    assert plain.headers["x-request-id"] == rid
    assert events[-2] == "event: error"
    streamed = json.loads(events[-1].removeprefix("data: "))
    assert "ValueError" in streamed["detail"] and streamed["request_id"]
    logged = lines(captured)
    for request in (rid, streamed["request_id"]):
        bugs = [x for x in logged if x["request_id"] == request and "exception" in x]
        assert bugs and "ValueError: a bug inside the engine" in bugs[0]["exception"]


def test_logs_hold_no_text_and_no_user_id(
    settings: Settings, reader: Services, ocr_engine: OcrEngine, bag: bytes, captured: io.StringIO
) -> None:
    user = f"patient-{uuid.uuid4().hex[:8]}"
    with running(create_app(settings, reader)) as url:
        r = httpx.post(f"{url}/v1/analyses", files=files(bag), data={"user_id": user}, timeout=60)
    assert r.status_code == 200 and r.json()["medications"]
    photo = load_photos([Upload("p0.jpg", bag)], settings.intake)[0]
    read = [line.text for line in ocr_engine.read(photo) if len(line.text.strip()) >= 2]
    text = captured.getvalue()
    assert read and "POST /v1/analyses 200" in text  # the request was logged …
    assert user not in text
    assert [t for t in read if t in text] == []  # … and none of what the photo says
    rid = r.headers["x-request-id"]
    assert any(x["request_id"] == rid for x in lines(captured))


@pytest.fixture
def postgres(tmp_path: Path) -> Iterator[Settings]:
    """A fresh PostgreSQL database for this test, dropped by the test itself or at the end."""
    name = f"rxlens_test_{uuid.uuid4().hex[:10]}"
    admin = POSTGRES.replace("+psycopg", "") + "/postgres"
    try:
        conn = psycopg.connect(admin, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        pytest.skip(f"no PostgreSQL at {POSTGRES} to stop under a running service")
    conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{POSTGRES}/{name}"
    yield Settings(data_dir=tmp_path, database=DatabaseSettings(url=url))
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def test_database_dies_after_warm_up(postgres: Settings, ocr_engine: OcrEngine, bag: bytes) -> None:
    """Matching goes on from the warm index; records and /healthz both say the database is down."""
    settings = postgres.model_copy(
        update={"catalog": postgres.catalog.model_copy(update={"version_check_seconds": 0})}
    )
    services = Services.open(settings, ocr=ocr_engine)
    init_catalog(services)
    with running(create_app(settings, services)) as url:
        before = httpx.get(f"{url}/healthz")
        admin = psycopg.connect(
            settings.database.url.rsplit("/", 1)[0].replace("+psycopg", "") + "/postgres", autocommit=True
        )
        admin.execute(f'DROP DATABASE "{settings.database.url.rsplit("/", 1)[1]}" WITH (FORCE)')
        admin.close()
        record = httpx.post(f"{url}/v1/analyses", files=files(bag), timeout=60).json()
        after = httpx.get(f"{url}/healthz")
    services.close()
    assert before.status_code == 200 and before.json()["status"] == "ok"
    assert STALE_WARNING in record["warnings"]
    assert record["successful_match_count"] > 0  # still matched, from the index loaded before
    assert after.status_code == 200 and after.json()["status"] == "degraded"
    assert after.json()["catalog_version"] == before.json()["catalog_version"]
