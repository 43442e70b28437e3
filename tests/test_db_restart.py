"""PostgreSQL restarted under a running `rxlens serve`: requests keep being answered, then recover.

A real server process on a copy of the catalog in PostgreSQL; the cluster is restarted with
Debian's pg_ctlcluster (this is the one test allowed to do that). No API restart in between.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.databases import Databases, open_databases
from tests.served import environment, serving


def _restart_postgresql() -> None:
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True, timeout=120
    )


@pytest.fixture
def postgres_url(tmp_path_factory: pytest.TempPathFactory, seeded_db: Path) -> Iterator[str]:
    if not Path("/etc/postgresql").is_dir():
        pytest.skip("no local PostgreSQL cluster to restart (Debian's pg_ctlcluster)")
    databases: Databases = open_databases("postgresql", tmp_path_factory.mktemp("pg"), seeded_db)
    url = databases.seeded()
    yield url
    databases.drop_all()


def _hammer(url: str, stop: threading.Event, answers: list[str]) -> None:
    with httpx.Client(base_url=url, timeout=30) as client:
        while not stop.is_set():
            try:
                response = client.get("/healthz")
                answers.append(f"{response.status_code} {response.json()['database'] == 'ok'}")
            except httpx.HTTPError as exc:
                answers.append(type(exc).__name__)


def test_postgresql_restart_under_load_recovers(postgres_url: str, tmp_path: Path) -> None:
    env = environment(
        RXLENS_DATA_DIR=str(tmp_path), RXLENS_DATABASE__URL=postgres_url, RXLENS_DATABASE__POOL_SIZE="4"
    )
    with serving([sys.executable, "-m", "rxlens"], env) as url:
        stop = threading.Event()
        answers: list[list[str]] = [[] for _ in range(4)]
        clients = [threading.Thread(target=_hammer, args=(url, stop, a)) for a in answers]
        for client in clients:
            client.start()
        time.sleep(1)
        _restart_postgresql()
        time.sleep(2)
        stop.set()
        for client in clients:
            client.join(timeout=60)
        seen = [a for per_client in answers for a in per_client]
        # every request got an HTTP answer (200 ok or degraded), none a 5xx or a dropped connection
        assert seen and set(seen) <= {"200 True", "200 False"}, sorted(set(seen))
        assert all(per_client[-1] == "200 True" for per_client in answers)  # recovered
        # a quiet restart: the pooled connections are dead, yet the first request finds a live one
        _restart_postgresql()
        response = httpx.get(f"{url}/healthz", timeout=30)
        assert response.status_code == 200 and response.json()["database"] == "ok", response.text
