"""Load on a real `rxlens serve`: 1, 4 and 16 concurrent clients, each for a fixed time; then
16 clients rotating `user_id` and `X-Forwarded-For` against the default rate limit (they must be
limited exactly as one client), and 7 clients each sending 5 photos at once (every admitted
request must be 200; the rest 503 with Retry-After).

    .venv/bin/python -m bench.load [--seconds 60]
    .venv/bin/python -m bench.load --queue [--seconds 60]   (the job queue: bench/queue_load.py)

Clients post generated photos and, like a polite app, wait Retry-After on 429/503.
Prints throughput, latency of accepted requests, status counts and the server's memory every 10 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.recognition import photos
from rxlens.config import Settings
from rxlens.evaluation.runner import p95
from tests.http import free_port


def server_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start_server(tmp: str, port: int, limited: bool = False) -> subprocess.Popen[bytes]:
    env = {**os.environ, "RXLENS_DATA_DIR": tmp}
    if not limited:
        env |= {"RXLENS_SERVICE__RATE_PER_MINUTE": "100000", "RXLENS_SERVICE__RATE_BURST": "100000"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "rxlens", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    proc.kill()
    raise SystemExit("the server did not become healthy")


@dataclass
class Scenario:
    name: str
    clients: int
    photos: int = 1
    rotate: bool = False  # a new user_id and X-Forwarded-For on every request


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    codes: Counter[str] = field(default_factory=Counter)


def client(url: str, pool: list[bytes], until: float, how: Scenario, me: int, tally: Tally) -> None:
    with httpx.Client(timeout=120) as http:
        n = 0
        while time.monotonic() < until:
            n += 1
            files = [
                ("photos", (f"p{i}.jpg", pool[(n + i) % len(pool)], "image/jpeg")) for i in range(how.photos)
            ]
            extra = {
                "data": {"user_id": f"u{me}-{n}"},
                "headers": {"X-Forwarded-For": f"10.{me}.{n % 250}.1"},
            }
            start = time.perf_counter()
            try:
                r = http.post(f"{url}/v1/analyses", files=files, **(extra if how.rotate else {}))  # type: ignore[arg-type]
            except httpx.HTTPError as exc:
                tally.codes[type(exc).__name__] += 1
                continue
            tally.codes[str(r.status_code)] += 1
            if r.status_code == 200:
                tally.latencies.append(time.perf_counter() - start)
            elif r.status_code in (429, 503):
                time.sleep(min(float(r.headers.get("Retry-After", 1)), 2.0))


def run(url: str, pid: int, pool: list[bytes], how: Scenario, seconds: float) -> str:
    tally = Tally()
    rss = [server_rss_mb(pid)]
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=client, args=(url, pool, until, how, me, tally)) for me in range(how.clients)
    ]
    for t in threads:
        t.start()
    started = time.monotonic()
    while any(t.is_alive() for t in threads):
        time.sleep(0.5)
        if time.monotonic() - started >= 10 * len(rss):
            rss.append(server_rss_mb(pid))
    rss.append(server_rss_mb(pid))
    codes, lat = tally.codes, tally.latencies
    other = {k: v for k, v in codes.items() if k not in ("200", "429", "503")}
    p50 = statistics.median(lat) if lat else float("nan")
    return (
        f"| {how.name} | {sum(codes.values())} | {codes['200'] / seconds:.2f} | {p50:.2f} | "
        f"{p95(lat) if lat else float('nan'):.2f} | {codes['200']} | {codes['429']} | {codes['503']} | "
        f"{other or '-'} | {' → '.join(f'{m:.0f}' for m in rss)} |"
    )


HEADER = [
    "| scenario | requests | ok/s | p50 s | p95 s | 200 | 429 | 503 | other | server RSS MB every 10 s |",
    "|---|---|---|---|---|---|---|---|---|---|",
]


def scenarios(url: str, pid: int, pool: list[bytes], seconds: float, limited: bool) -> list[str]:
    if limited:  # the default rate limit: rotating labels and headers must not buy more requests
        s = Settings().service
        allowed = s.rate_burst + s.rate_per_minute * seconds / 60
        name = f"16 rotating user_id + X-Forwarded-For (one client may have ≤ {allowed:.0f})"
        return [run(url, pid, pool, Scenario(name, 16, rotate=True), seconds)]
    rows = [run(url, pid, pool, Scenario(f"{n} clients", n), seconds) for n in (1, 4, 16)]
    rows.append(run(url, pid, pool, Scenario("7 clients × 5 photos", 7, photos=5), seconds))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--queue", action="store_true", help="through RabbitMQ + Redis and 1 vs 2 workers")
    args = parser.parse_args()
    pool = [u.data for u in photos(8, seed=5)]
    if args.queue:
        from bench.queue_load import main as through_the_queue

        through_the_queue(args.seconds, pool)
        return
    rows = list(HEADER)
    for limited in (False, True):
        port = free_port()
        with tempfile.TemporaryDirectory() as tmp:
            proc = start_server(tmp, port, limited)
            try:
                rows += scenarios(f"http://127.0.0.1:{port}", proc.pid, pool, args.seconds, limited)
            finally:
                proc.terminate()
                proc.wait(timeout=60)
    print("\n".join(rows))


if __name__ == "__main__":
    main()
