"""A job queue of this test session's own on the real RabbitMQ and Redis, and `rxlens worker`
processes on it.

Each session gets its own RabbitMQ vhost (made with rabbitmqctl, deleted at the end) and its own
Redis key prefix, so two runs on the same servers never take each other's jobs. The servers are
the ones CI starts (scripts/services.sh); RXLENS_TEST_AMQP_URL / RXLENS_TEST_REDIS_URL point
elsewhere (then the vhost given there is used as is).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import redis

AMQP = os.environ.get("RXLENS_TEST_AMQP_URL")
REDIS = os.environ.get("RXLENS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
RABBITMQCTL = shutil.which("rabbitmqctl")


def _ctl(*args: str) -> None:
    subprocess.run([RABBITMQCTL or "rabbitmqctl", *args], check=True, capture_output=True, timeout=60)


@dataclass
class SessionQueue:
    prefix: str = field(default_factory=lambda: f"rxlens_t{os.getpid()}_{secrets.token_hex(3)}")
    vhost: str | None = None

    @property
    def broker_url(self) -> str:
        return AMQP or f"amqp://guest:guest@127.0.0.1:5672/{self.vhost}"

    def env(self, secret: str) -> dict[str, str]:
        return {
            "RXLENS_QUEUE__BROKER_URL": self.broker_url,
            "RXLENS_QUEUE__REDIS_URL": REDIS,
            "RXLENS_QUEUE__PREFIX": self.prefix,
            "RXLENS_QUEUE__SECRET_KEY": secret,
        }

    def redis_keys(self) -> list[str]:
        client = redis.Redis.from_url(REDIS)
        try:
            return [k.decode() for k in client.scan_iter(f"{self.prefix}:*")]
        finally:
            client.close()


@contextmanager
def session_queue() -> Iterator[SessionQueue]:
    queue = SessionQueue()
    if AMQP is None:
        queue.vhost = queue.prefix
        _ctl("add_vhost", queue.vhost)
        _ctl("set_permissions", "-p", queue.vhost, "guest", ".*", ".*", ".*")
    try:
        yield queue
    finally:
        if queue.vhost:
            _ctl("delete_vhost", queue.vhost)
        client = redis.Redis.from_url(REDIS)
        keys = list(client.scan_iter(f"{queue.prefix}:*"))
        if keys:
            client.delete(*keys)
        client.close()


@dataclass
class WorkerProcess:
    proc: subprocess.Popen[str]
    log: IO[str]

    @property
    def pid(self) -> int:
        return self.proc.pid

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def wait_ready(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"rxlens worker exited {self.proc.returncode}: {self.output()[-3000:]}")
            if " ready." in self.output():
                return
            time.sleep(0.2)
        raise AssertionError(f"rxlens worker not ready within {seconds} s: {self.output()[-2000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # warm shutdown: the job in hand finishes
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


@contextmanager
def workers(
    count: int, env: dict[str, str], metrics_ports: Sequence[int] = ()
) -> Iterator[list[WorkerProcess]]:
    """`count` real `rxlens worker` processes, each ready (model and index loaded) when yielded;
    worker i serves its metrics on metrics_ports[i] when given."""
    started = []
    try:
        for i in range(count):
            port = {"RXLENS_QUEUE__WORKER_METRICS_PORT": str(metrics_ports[i])} if metrics_ports else {}
            log = tempfile.TemporaryFile("w+")  # noqa: SIM115 (closed by WorkerProcess.stop)
            proc = subprocess.Popen(
                [sys.executable, "-m", "rxlens", "worker"], env=env | port, stdout=log, stderr=log, text=True
            )
            started.append(WorkerProcess(proc, log))
        for worker in started:
            worker.wait_ready()
        yield started
    finally:
        for worker in started:
            worker.stop()


def restart_rabbitmq() -> None:
    """The broker application stopped and started: every connection drops, queues stay."""
    _ctl("stop_app")
    _ctl("start_app")
    _ctl("await_startup")


def restart_redis() -> None:
    """SHUTDOWN SAVE, then started again by scripts/services.sh with its dump reloaded."""
    client = redis.Redis.from_url(REDIS)
    config = {**client.config_get("dir"), **client.config_get("dbfilename")}
    dump = Path(str(config["dir"])) / str(config["dbfilename"])
    with contextlib.suppress(redis.ConnectionError):  # the server closes the connection as it goes
        client.shutdown(save=True)
    subprocess.run(["bash", "scripts/services.sh"], check=True, capture_output=True, timeout=120)
    dump.unlink(missing_ok=True)  # loaded; later restarts in this machine's sessions start empty
