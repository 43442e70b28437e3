"""`rxlens serve` as a real process on a free port, as a user starts it (for installs and extras)."""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO

import httpx

from tests.http import free_port


@contextmanager
def serving(command: Sequence[str], env: dict[str, str], ready_within: float = 120) -> Iterator[str]:
    """Start `<command> serve` and yield its URL once /healthz answers 200 (ok or degraded)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    # the log is a file, not a pipe: a chatty server never blocks on it
    with tempfile.TemporaryFile("w+") as log:
        proc = subprocess.Popen(
            [*command, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
            text=True,
        )
        try:
            _wait(proc, url, ready_within, log)
            yield url
        finally:
            _stop(proc)


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGINT)  # as Ctrl+C: in-flight requests finish
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _wait(proc: subprocess.Popen[str], url: str, seconds: float, log: IO[str]) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise AssertionError(f"rxlens serve exited {proc.returncode}: {log.read()[-3000:]}")
        try:
            if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"rxlens serve did not become healthy within {seconds} s")


def environment(**extra: str) -> dict[str, str]:
    """The caller's environment minus RXLENS_ settings, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RXLENS_")}
    return {**env, **extra}
