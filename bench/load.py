"""Load on a real `rxlens serve`: 1, 4 and 16 concurrent clients, each for a fixed time.

    .venv/bin/python -m bench.load [--seconds 60]

Clients post one generated photo at a time and, like a polite app, wait Retry-After on 429/503.
Prints throughput, latency of accepted requests, status counts and the server's memory over the run.
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
from pathlib import Path

import httpx

from bench.recognition import photos
from rxlens.evaluation.runner import p95
from tests.http import free_port


def server_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start_server(tmp: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "RXLENS_DATA_DIR": tmp,
        "RXLENS_SERVICE__RATE_PER_MINUTE": "100000",
        "RXLENS_SERVICE__RATE_BURST": "100000",
    }
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


def client(url: str, pool: list[bytes], until: float, latencies: list[float], codes: Counter[str]) -> None:
    with httpx.Client(timeout=120) as http:
        n = 0
        while time.monotonic() < until:
            body = pool[n % len(pool)]
            n += 1
            start = time.perf_counter()
            try:
                r = http.post(f"{url}/v1/analyses", files=[("photos", ("p.jpg", body, "image/jpeg"))])
            except httpx.HTTPError as exc:
                codes[type(exc).__name__] += 1
                continue
            codes[str(r.status_code)] += 1
            if r.status_code == 200:
                latencies.append(time.perf_counter() - start)
            elif r.status_code in (429, 503):
                time.sleep(min(float(r.headers.get("Retry-After", 1)), 2.0))


def run(url: str, pid: int, pool: list[bytes], clients: int, seconds: float) -> str:
    latencies: list[float] = []
    codes: Counter[str] = Counter()
    rss = [server_rss_mb(pid)]
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=client, args=(url, pool, until, latencies, codes)) for _ in range(clients)
    ]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        time.sleep(1)
        rss.append(server_rss_mb(pid))
    accepted = sum(v for k, v in codes.items() if k not in ("429", "503"))
    ok = codes["200"]
    other_5xx = sum(v for k, v in codes.items() if k.startswith("5") and k != "503")
    p50 = statistics.median(latencies) if latencies else float("nan")
    return (
        f"| {clients} | {sum(codes.values())} | {ok / seconds:.2f} | {p50:.2f} | "
        f"{p95(latencies) if latencies else float('nan'):.2f} | {ok} | {codes['429']} | {codes['503']} | "
        f"{other_5xx} | {ok / max(accepted, 1):.1%} | {rss[0]:.0f} → {rss[-1]:.0f} (max {max(rss):.0f}) |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    pool = [u.data for u in photos(8, seed=5)]
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        proc = start_server(tmp, port)
        try:
            url = f"http://127.0.0.1:{port}"
            rows = [
                "| clients | requests | ok/s | p50 s | p95 s | 200 | 429 | 503 | other 5xx | ok of accepted "
                "| server RSS MB start → end |",
                "|---|---|---|---|---|---|---|---|---|---|---|",
            ]
            for clients in (1, 4, 16):
                rows.append(run(url, proc.pid, pool, clients, args.seconds))
        finally:
            proc.terminate()
            proc.wait(timeout=60)
    print("\n".join(rows))


if __name__ == "__main__":
    main()
