"""Load through the job queue: one `rxlens serve` with RabbitMQ + Redis configured, and 1 or 2
`rxlens worker` processes on this machine; 16 clients posting to /v1/analyses (which runs on
the workers) for a fixed time each. Side by side in one run, so the ratio is measured, not
assumed.

    .venv/bin/python -m bench.load --queue [--seconds 60]

The servers are the local ones the tests use (scripts/services.sh); a vhost and key prefix of
this run's own are made and removed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

from bench.load import HEADER, Scenario, run, start_server
from rxlens.queue.sealing import new_secret
from tests.http import free_port
from tests.queues import SessionQueue, session_queue, workers

CLIENTS = 16
# (label, workers, ONNX threads per worker): 2 cores, so two workers of 2 threads oversubscribe
SETUPS = [("1 API + 1 worker", 1, 2), ("1 API + 2 workers", 2, 2), ("1 API + 2 workers × 1 thread", 2, 1)]


@contextmanager
def api(queue: SessionQueue, env: dict[str, str], data: str) -> Iterator[tuple[str, int]]:
    port = free_port()
    os.environ.update(env)  # start_server passes os.environ on
    proc = start_server(data, port)
    try:
        yield f"http://127.0.0.1:{port}", proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def main(seconds: float, pool: list[bytes]) -> None:
    rows = [HEADER[0].replace("| scenario |", "| setup |"), HEADER[1]]
    rates: list[float] = []
    with session_queue() as queue, tempfile.TemporaryDirectory() as data:
        env = queue.env(new_secret()) | {"RXLENS_DATA_DIR": data}
        subprocess.run([sys.executable, "-m", "rxlens", "catalog", "init"], env=os.environ | env, check=True)
        with api(queue, env, data) as (url, pid):
            for label, count, threads in SETUPS:
                worker_env = os.environ | env | {"RXLENS_OCR__INTRA_OP_THREADS": str(threads)}
                with workers(count, worker_env):
                    row = run(url, pid, pool, Scenario(f"{label}, {CLIENTS} clients", CLIENTS), seconds)
                rows.append(row)
                rates.append(float(row.split("|")[3]))
                time.sleep(1)
    print("\n".join(rows))
    base = rates[0] or float("nan")
    print(
        "\nthroughput ratio vs 1 worker: "
        + ", ".join(f"{s[0]}: {r / base:.2f}×" for s, r in zip(SETUPS, rates, strict=True))
    )
