"""A feature whose extra is not installed answers with MissingExtra (exit 78 / HTTP 501) naming the
extra, never an ImportError; the offline core never imports the cloud SDK or a database driver.

The extras are installed in the dev venv, so a sitecustomize on PYTHONPATH hides them from a real
`rxlens` process, as on a core-only install (tests/test_wheel.py checks a truly core-only one).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from rxlens.config import Settings
from tests.served import environment, serving

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
BLOCK = "import sys\nfor name in ('google.genai', 'psycopg', 'pymysql'):\n    sys.modules[name] = None\n"
CORE = "import rxlens.pipeline, rxlens.services, rxlens.api.app, rxlens.cli.main, rxlens.run.cloud"


def _env(tmp_path: Path, settings: Settings, **extra: str) -> dict[str, str]:
    blocker = tmp_path / "block"
    blocker.mkdir(exist_ok=True)
    (blocker / "sitecustomize.py").write_text(BLOCK)
    path = os.pathsep.join(p for p in (str(blocker), os.environ.get("PYTHONPATH", "")) if p)
    return environment(PYTHONPATH=path, RXLENS_DATA_DIR=str(settings.data_dir), COLUMNS="160", **extra)


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=180)


def test_core_imports_without_extras(tmp_path: Path, settings: Settings) -> None:
    result = _run(_env(tmp_path, settings), "-c", f"{CORE}; import rxlens.cloud.gemini")
    # the core modules import; the Gemini client itself names its extra
    assert "rxlens/cloud/gemini.py" in result.stderr and "MissingExtra" in result.stderr, result.stderr
    assert "rxlens[cloud]" in result.stderr
    assert _run(_env(tmp_path, settings), "-c", CORE).returncode == 0


@pytest.mark.parametrize(
    ("url", "extra"),
    [
        pytest.param("postgresql+psycopg://x@127.0.0.1:1/none", "postgres", id="postgresql-needs-postgres"),
        pytest.param("mysql+pymysql://x@127.0.0.1:1/none", "mysql", id="mysql-needs-mysql"),
    ],
)
def test_database_without_its_driver_is_exit_78(
    tmp_path: Path, settings: Settings, url: str, extra: str
) -> None:
    env = _env(tmp_path, settings, RXLENS_DATABASE__URL=url)
    for args in (("catalog", "info"), ("serve", "--port", "1")):
        result = _run(env, "-m", "rxlens", *args)
        assert result.returncode == 78, result.stderr
        assert f"rxlens[{extra}]" in result.stderr and "Traceback" not in result.stderr


def test_unsupported_database_driver_names_the_supported_url(tmp_path: Path, settings: Settings) -> None:
    env = _env(tmp_path, settings, RXLENS_DATABASE__URL="postgresql://x@127.0.0.1:1/none")
    result = _run(env, "-m", "rxlens", "catalog", "info")
    assert result.returncode == 78 and "postgresql+psycopg://" in result.stderr, result.stderr


def test_cloud_engine_without_sdk_cli_is_exit_78(tmp_path: Path, settings: Settings) -> None:
    env = _env(tmp_path, settings, RXLENS_ENGINE="gemini", RXLENS_GEMINI__API_KEY="test-key")
    result = _run(env, "-m", "rxlens", "analyze", str(EXAMPLES / "bag-1.jpg"))
    assert result.returncode == 78, result.stderr
    assert "rxlens[cloud]" in result.stderr and "Traceback" not in result.stderr


def test_cloud_engine_without_sdk_http_is_501(tmp_path: Path, settings: Settings) -> None:
    env = _env(tmp_path, settings, RXLENS_ENGINE="gemini", RXLENS_GEMINI__API_KEY="test-key")
    with serving([sys.executable, "-m", "rxlens"], env) as url:
        photo = (EXAMPLES / "bag-1.jpg").read_bytes()
        answer = httpx.post(
            f"{url}/v1/analyses", files={"photos": ("bag.jpg", photo, "image/jpeg")}, timeout=60
        )
    assert answer.status_code == 501, answer.text
    problem = answer.json()
    assert problem["code"] == "MissingExtra" and "rxlens[cloud]" in problem["hint"]
