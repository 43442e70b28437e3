"""`rxlens serve --workers 2`: two API processes, one /metrics that counts for both
(Prometheus multiprocess mode), whichever process answers the scrape."""

from __future__ import annotations

import sys

import httpx

from rxlens.config import Settings
from tests.served import environment, serving

SENT = 12


def _rejected(text: str) -> float:
    rows = [line for line in text.splitlines() if line.startswith("rxlens_rejected_requests_total{")]
    return sum(float(line.rsplit(" ", 1)[1]) for line in rows)


def test_two_api_processes_are_counted_together(settings: Settings) -> None:
    # Each process keeps its own rate limit (burst 10): should the kernel hand one process 11 of
    # the 12 connections, the 11th would be a 429, not the 415 this test counts.
    env = environment(
        RXLENS_DATA_DIR=str(settings.data_dir), RXLENS_SERVICE__WORKERS="2", RXLENS_SERVICE__RATE_BURST="100"
    )
    with serving([sys.executable, "-m", "rxlens"], env) as url:
        for _ in range(SENT):  # a new connection each: uvicorn's processes share the socket
            with httpx.Client() as client:
                answer = client.post(
                    f"{url}/v1/analyses", content=b"x", headers={"Content-Type": "text/plain"}
                )
            assert answer.status_code == 415
        scrapes = []
        for _ in range(6):
            with httpx.Client() as client:
                scrapes.append(_rejected(client.get(f"{url}/metrics").text))
        assert scrapes == [SENT] * len(scrapes)  # every scrape, from either process, counts all
        # both processes counted some (each writes its own file, named by its pid)
        assert len(list((settings.data_dir / "metrics").glob("counter_*.db"))) >= 2
