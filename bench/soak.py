"""Soak: 4 clients against a real `rxlens serve` for N minutes; the server's memory at the start,
every minute and at the end, and whether it stays within ±15 % of the first minute's reading.

    .venv/bin/python -m bench.soak [--minutes 10] [--clients 4]
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time

from bench.load import Scenario, Tally, client, server_rss_mb, start_server
from bench.recognition import photos
from tests.http import free_port


def sample(pid: int, threads: list[threading.Thread], every: float) -> list[float]:
    rss, started = [server_rss_mb(pid)], time.monotonic()
    while any(t.is_alive() for t in threads):
        time.sleep(0.5)
        if time.monotonic() - started >= every * len(rss):
            rss.append(server_rss_mb(pid))
    return [*rss, server_rss_mb(pid)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    pool = [u.data for u in photos(8, seed=5)]
    port, tally = free_port(), Tally()
    with tempfile.TemporaryDirectory() as tmp:
        proc = start_server(tmp, port)
        try:
            until = time.monotonic() + args.minutes * 60
            how = Scenario("soak", args.clients)
            url = f"http://127.0.0.1:{port}"
            threads = [
                threading.Thread(target=client, args=(url, pool, until, how, me, tally))
                for me in range(args.clients)
            ]
            for t in threads:
                t.start()
            rss = sample(proc.pid, threads, 60)
        finally:
            proc.terminate()
            proc.wait(timeout=60)
    base = rss[1] if len(rss) > 2 else rss[0]
    worst = max(abs(m - base) / base for m in rss[1:])
    print("| minute | " + " | ".join(["start", *map(str, range(1, len(rss) - 1)), "end"]) + " |")
    print("|---|" + "---|" * len(rss))
    print("| server RSS MB | " + " | ".join(f"{m:.0f}" for m in rss) + " |")
    print(f"\nstatuses {dict(tally.codes)}; largest change after the first minute {worst:.1%} (goal ≤ 15 %)")


if __name__ == "__main__":
    main()
