"""The HTTP edge over a real socket: limits settled from the headers before the body is read,
a rate limit keyed on the connection (or API key), errors that say what went wrong, and metrics
read from a real /metrics scrape."""

from __future__ import annotations

import io
import re
import socket
import threading
from collections.abc import Iterable, Iterator

import httpx
import pytest
from PIL import Image

from rxlens.api.app import create_app
from rxlens.api.identity import new_key
from rxlens.catalog.bundled import Bundle
from rxlens.config import Settings
from rxlens.experiment import choose_mode
from rxlens.services import Services
from tests.fakes import BuggyOcr, SlowOcr
from tests.http import running
from tests.images import jpeg, prescription

BOUNDARY = "edgeboundary"
PHOTO = jpeg(Image.new("RGB", (64, 48), "white"))


def part(name: str, data: bytes, filename: str | None = "p.jpg") -> bytes:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename is not None else "")
    return f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + data + b"\r\n"


OPENING = part("photos", b"")[: -len(b"\r\n")]  # a file part whose data never ends


def head(url: str, length: int | None, extra: str = "") -> bytes:
    framing = f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked"
    return (
        f"POST /v1/analyses HTTP/1.1\r\nHost: {url.split('//')[1]}\r\n{framing}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n{extra}\r\n"
    ).encode()


def chunked(pieces: Iterable[bytes]) -> Iterator[bytes]:
    for piece in pieces:
        yield f"{len(piece):x}\r\n".encode() + piece + b"\r\n"  # never the last chunk: the body stays open


def answer(url: str, start: bytes, body: Iterable[bytes]) -> tuple[int, str]:
    """Send headers and as much of `body` as the server takes, in a thread; return the status line
    and the response head. The body is never finished, so an answer proves it came without it."""
    port = int(url.rsplit(":", 1)[1])
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)

    def push() -> None:
        try:
            sock.sendall(start)
            for piece in body:
                sock.sendall(piece)
        except OSError:
            pass  # the server answered and closed: the rest was never read

    sender = threading.Thread(target=push, daemon=True)
    sender.start()
    received = b""
    while b"\r\n\r\n" not in received:
        data = sock.recv(65536)
        if not data:
            break
        received += data
    sock.close()
    text = received.decode("latin-1")
    return int(text.split(" ", 2)[1]), text


def scrape(url: str, name: str, labels: str = "") -> float:
    text = httpx.get(f"{url}/metrics").text
    match = re.search(rf"^{name}{{?{re.escape(labels)}}}? ([0-9.e+]+)$", text, re.M) if labels else None
    if not labels:
        match = re.search(rf"^{name} ([0-9.e+]+)$", text, re.M)
    return float(match.group(1)) if match else 0.0


@pytest.fixture
def fake(settings: Settings) -> Services:
    """Real service and catalog; an OCR stand-in, since these tests are about the edge."""
    return Services.open(settings, ocr=SlowOcr(0))


def post(url: str, **kwargs: object) -> httpx.Response:
    return httpx.post(f"{url}/v1/analyses", timeout=60, **kwargs)  # type: ignore[arg-type]


def test_rate_limited_client_gets_429_before_its_50_mb_body(settings: Settings, fake: Services) -> None:
    settings.service.rate_burst = 1
    with running(create_app(settings, fake)) as url:
        assert post(url, files=[("photos", ("p.jpg", PHOTO, "image/jpeg"))]).status_code == 200
        big = 50_000_000
        status, text = answer(url, head(url, big), [part("photos", b"\0" * 65536)])
        assert status == 429 and "retry-after" in text.lower()
        assert scrape(url, "rxlens_rejected_requests_total", 'reason="RateLimited"') == 1


def test_declared_length_over_the_cap_is_413_from_the_headers(settings: Settings, fake: Services) -> None:
    with running(create_app(settings, fake)) as url:
        status, _ = answer(url, head(url, 400_000_000), [])
        assert status == 413
        assert scrape(url, "rxlens_rejected_requests_total", 'reason="RequestTooLarge"') == 1


def test_streamed_body_stops_at_the_request_cap(settings: Settings, fake: Services) -> None:
    settings.service.max_request_bytes = 2_000_000
    with running(create_app(settings, fake)) as url:
        status, _ = answer(url, head(url, None), chunked([OPENING, *[b"x" * 100_000] * 40]))
        assert status == 413


def test_streamed_photo_stops_at_the_photo_cap(settings: Settings, fake: Services) -> None:
    settings.intake.max_bytes = 1_000_000
    with running(create_app(settings, fake)) as url:
        status, _ = answer(url, head(url, None), chunked([OPENING, *[b"y" * 100_000] * 30]))
        assert status == 413
        assert scrape(url, "rxlens_rejected_requests_total", 'reason="ImageTooLarge"') == 1


def test_too_many_files_refused_while_parsing(settings: Settings, fake: Services) -> None:
    parts = [part("photos", b"z" * 200_000, f"p{i}.jpg") for i in range(900)]
    with running(create_app(settings, fake)) as url:
        status, _ = answer(url, head(url, 90_000_000), parts[:7])  # 7 sent of 900 declared
        assert status == 400
        r = post(url, files=[("photos", (f"p{i}.jpg", PHOTO, "image/jpeg")) for i in range(9)])
        assert r.json()["code"] == "TooManyPhotos"


def test_rotating_user_id_and_forwarded_for_are_one_client(settings: Settings, fake: Services) -> None:
    settings.service.rate_burst, settings.service.rate_per_minute = 2, 1
    with running(create_app(settings, fake)) as url:
        codes = [
            post(
                url,
                files=[("photos", ("p.jpg", PHOTO, "image/jpeg"))],
                data={"user_id": f"user-{i}"},
                headers={"X-Forwarded-For": f"10.0.0.{i}"},
            ).status_code
            for i in range(5)
        ]
    assert codes == [200, 200, 429, 429, 429]


def test_forwarded_for_is_believed_from_a_trusted_proxy(settings: Settings, fake: Services) -> None:
    settings.service.rate_burst, settings.service.rate_per_minute = 1, 1
    settings.service.trusted_proxies = ["127.0.0.0/8"]
    with running(create_app(settings, fake)) as url:
        codes = [
            post(
                url, files=[("photos", ("p.jpg", PHOTO, "image/jpeg"))], headers={"X-Forwarded-For": ip}
            ).status_code
            for ip in ("203.0.113.1", "203.0.113.2", "203.0.113.1")
        ]
    assert codes == [200, 200, 429]


def test_api_key_is_the_rate_and_ab_key(settings: Settings, fake: Services) -> None:
    key, hashed = new_key()
    settings.service.api_key_hashes = [hashed]
    settings.service.rate_burst, settings.service.rate_per_minute = 2, 1
    auth = {"Authorization": f"Bearer {key}"}
    photo = [("photos", ("p.jpg", PHOTO, "image/jpeg"))]
    with running(create_app(settings, fake)) as url:
        arms = [
            post(url, files=photo, data={"user_id": u}, headers=auth).json()["usage"]["arm"] for u in "ab"
        ]
        limited = post(url, files=photo, headers=auth)
        anonymous = post(url, files=photo)  # the address has its own bucket
        wrong = post(url, files=photo, headers={"Authorization": "Bearer rxl_not-a-key"})
    assert arms == [choose_mode(settings.pipeline, f"key:{hashed}")[1]] * 2
    assert limited.status_code == 429 and anonymous.status_code == 200
    assert wrong.status_code == 401 and wrong.json()["code"] == "Unauthorized"


def test_misleading_bodies_get_their_own_errors(settings: Settings, fake: Services) -> None:
    with running(create_app(settings, fake)) as url:
        raw = post(url, content=PHOTO, headers={"Content-Type": "image/jpeg"})
        unclosed = post(
            url,
            content=part("photos", PHOTO),
            headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
        )
        long_user = post(url, files=[("photos", ("p.jpg", PHOTO, "image/jpeg"))], data={"user_id": "u" * 500})
        long_name = post(url, files=[("photos", ("n" * 900 + ".jpg", b"not an image", "image/jpeg"))])
        huge_name = post(url, files=[("photos", ("n" * 5000 + ".jpg", b"not an image", "image/jpeg"))])
        missing = httpx.get(f"{url}/v1/nothing")
    assert raw.status_code == 415 and raw.json()["code"] == "NotMultipart"
    assert "multipart/form-data" in raw.json()["hint"] and "photos" in raw.json()["hint"]
    assert unclosed.status_code == 400 and unclosed.json()["code"] == "MalformedMultipart"
    assert long_user.status_code == 400 and "user_id" in long_user.json()["hint"]
    assert long_name.status_code == 415 and "n" * 100 not in long_name.json()["detail"]
    assert huge_name.status_code == 400 and huge_name.json()["code"] == "MalformedMultipart"
    assert "n" * 100 not in huge_name.text
    assert missing.status_code == 404 and missing.json()["code"] == "NotFound"


def test_metrics_tell_client_errors_from_server_errors(settings: Settings) -> None:
    settings.pipeline.mode = "parallel"
    buggy = Services.open(settings, ocr=BuggyOcr())
    with running(create_app(settings, buggy)) as url:
        bad = post(url, files=[("photos", ("p.jpg", b"not an image", "image/jpeg"))])
        bug = post(url, files=[("photos", ("p.jpg", PHOTO, "image/jpeg"))])
        outcome = 'arm="-",mode="parallel",outcome="{}"'
        client_errors = scrape(url, "rxlens_requests_total", outcome.format("client_error"))
        server_errors = scrape(url, "rxlens_requests_total", outcome.format("server_error"))
        fallbacks = scrape(url, "rxlens_fallbacks_total")
        intake_runs = scrape(url, "rxlens_stage_seconds_count", 'mode="parallel",stage="intake"')
    assert bad.status_code == 415 and bug.status_code == 500 and bug.json()["code"] == "StageFailed"
    assert (client_errors, server_errors) == (1, 1)
    assert fallbacks == 0 and intake_runs == 2  # one run each: the bug was not run a second time


@pytest.mark.usefixtures("fonts")
def test_seven_five_photo_requests_each_finish_or_are_turned_away(
    settings: Settings, reader: Services, bundle: Bundle
) -> None:
    """Admitted requests run to the end (no 504 from waiting in our own queue); the rest get 503."""
    image = Image.open(io.BytesIO(prescription(bundle.products, 61, "bag")[1]))
    image.thumbnail((700, 700))
    photos = [("photos", (f"p{i}.jpg", jpeg(image), "image/jpeg")) for i in range(5)]
    results: list[httpx.Response] = []
    with running(create_app(settings, reader)) as url:
        threads = [threading.Thread(target=lambda: results.append(post(url, files=photos))) for _ in range(7)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(results) == 7 and any(r.status_code == 200 for r in results)
    for r in results:
        assert r.status_code == 200 or (r.status_code == 503 and int(r.headers["Retry-After"]) >= 1), r.text
