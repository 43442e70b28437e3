"""`rxlens doctor` and `rxlens --version` as a user runs them: a real process, the real model,
a real SQLite catalog; each broken case breaks one real thing and must name its remedy."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rxlens import __version__
from rxlens.catalog.bundled import read_bundle
from rxlens.config import Settings
from rxlens.errors import CatalogError, ConfigError
from rxlens.health import servers
from rxlens.health.report import Status

REQUIRED = {"python", "settings", "ocr", "fonts", "catalog", "database", "disk"}


def rxlens(settings: Settings, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("RXLENS_")}
    full = {**inherited, "RXLENS_DATA_DIR": str(settings.data_dir), "COLUMNS": "200", **env}
    return subprocess.run(
        [sys.executable, "-m", "rxlens", *args], env=full, capture_output=True, text=True, timeout=300
    )


def statuses(result: subprocess.CompletedProcess[str]) -> dict[str, dict[str, Any]]:
    body = json.loads(result.stdout)
    assert body["version"] == __version__ and body["exit_code"] == result.returncode
    return {check["name"]: check for check in body["checks"]}


@pytest.mark.usefixtures("fonts")
def test_healthy_install_exits_0(settings: Settings) -> None:
    result = rxlens(settings, "doctor", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    checks = statuses(result)
    assert {name for name, c in checks.items() if c["status"] == "ok"} == REQUIRED
    assert {checks[name]["status"] for name in ("redis", "rabbitmq", "cloud-key")} == {"skipped"}
    assert "RXLENS OK 2468" in checks["ocr"]["detail"]


def _corrupt_bundle(tmp: Path) -> dict[str, str]:
    (tmp / "catalog.json.gz").write_bytes(b"\x1f\x8b not really gzip")
    return {"RXLENS_CATALOG__BUNDLE_PATH": str(tmp / "catalog.json.gz")}


def _no_fonts(tmp: Path) -> dict[str, str]:
    (tmp / "nofonts").mkdir()
    return {"RXLENS_FONT_DIR": str(tmp / "nofonts")}


def _dead_database(_tmp: Path) -> dict[str, str]:
    # Port 1 on loopback: nothing listens, the connect is refused at once.
    return {"RXLENS_DATABASE__URL": "postgresql://rxlens:secret@127.0.0.1:1/rxlens"}


@pytest.mark.usefixtures("fonts")
@pytest.mark.parametrize(
    ("breakage", "broken", "remedy"),
    [
        pytest.param(_no_fonts, "fonts", "apt-get install fonts-noto-cjk", id="no-fonts"),
        pytest.param(_dead_database, "database", "Start the database server", id="database-does-not-answer"),
        pytest.param(_corrupt_bundle, "catalog", "Reinstall rxlens", id="corrupt-catalog-file"),
    ],
)
def test_one_broken_part_fails_with_its_remedy(
    settings: Settings, tmp_path: Path, breakage: Any, broken: str, remedy: str
) -> None:
    result = rxlens(settings, "doctor", "--json", **breakage(tmp_path))
    assert result.returncode == ConfigError.exit_code, result.stdout + result.stderr
    checks = statuses(result)
    assert checks[broken]["status"] == "fail" and remedy in checks[broken]["remedy"]
    assert {name for name, c in checks.items() if c["status"] == "fail"} == {broken}
    assert "secret" not in result.stdout


def test_text_output_names_the_remedy(settings: Settings, tmp_path: Path) -> None:
    result = rxlens(settings, "doctor", **_corrupt_bundle(tmp_path))
    assert result.returncode == ConfigError.exit_code
    assert "fail     catalog" in result.stdout and "remedy: Reinstall rxlens" in result.stdout
    assert f"exit {ConfigError.exit_code}" in result.stdout


def test_cloud_engine_without_a_key_fails_before_anything_runs(settings: Settings) -> None:
    result = rxlens(settings, "doctor", "--json", RXLENS_ENGINE="gemini")
    checks = statuses(result)
    assert result.returncode == ConfigError.exit_code
    assert checks["settings"]["status"] == "fail" and "RXLENS_GEMINI__API_KEY" in checks["settings"]["detail"]
    assert checks["ocr"]["status"] == checks["cloud-key"]["status"] == "skipped"


def test_cloud_engine_with_an_empty_key_fails_the_key_check(settings: Settings) -> None:
    result = rxlens(settings, "doctor", "--json", RXLENS_ENGINE="hybrid", RXLENS_GEMINI__API_KEY=" ")
    key = statuses(result)["cloud-key"]
    assert result.returncode == ConfigError.exit_code
    assert key["status"] == "fail" and "RXLENS_GEMINI__API_KEY" in key["remedy"]


def test_version_flag(settings: Settings) -> None:
    result = rxlens(settings, "--version")
    assert (result.returncode, result.stdout.strip()) == (0, __version__)


def test_catalog_init_with_a_corrupt_bundle_says_reinstall(settings: Settings, tmp_path: Path) -> None:
    result = rxlens(settings, "catalog", "init", **_corrupt_bundle(tmp_path))
    assert result.returncode == CatalogError.exit_code, result.stderr
    assert "Reinstall rxlens" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"\x1f\x8b\x08\x00truncated", id="truncated-gzip"),
        pytest.param(None, id="gzip-of-wrong-json"),
    ],
)
def test_damaged_bundles_are_catalog_errors(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "bundle.json.gz"
    wrong = gzip.compress(b'{"version": "x", "products": [{"id": 1}]}')
    path.write_bytes(wrong if content is None else content)
    with pytest.raises(CatalogError) as caught:
        read_bundle(path)
    assert str(path) in caught.value.message and "Reinstall rxlens" in caught.value.hint


def test_unconfigured_servers_are_skipped_and_closed_ports_fail() -> None:
    assert servers.redis(None).status is Status.SKIPPED
    assert servers.rabbitmq(None).status is Status.SKIPPED
    refused = servers.redis("redis://:pw@127.0.0.1:1/0")
    assert refused.status is Status.FAIL and "RXLENS_QUEUE__REDIS_URL" in refused.remedy
    assert "pw" not in refused.detail
    assert servers.rabbitmq("amqp://127.0.0.1:1/").status is Status.FAIL


def test_the_line_channel_is_checked_without_calling_line(settings: Settings) -> None:
    assert statuses(rxlens(settings, "doctor", "--json"))["line"]["status"] == "skipped"
    channel = {"RXLENS_LINE__CHANNEL_SECRET": "s", "RXLENS_LINE__CHANNEL_ACCESS_TOKEN": "t"}
    bad = statuses(rxlens(settings, "doctor", "--json", **channel, RXLENS_LINE__DATA_KEY="not-a-key"))["line"]
    assert bad["status"] == "fail" and "rxlens keys line" in bad["remedy"]
    from cryptography.fernet import Fernet

    good = statuses(
        rxlens(settings, "doctor", "--json", **channel, RXLENS_LINE__DATA_KEY=Fernet.generate_key().decode())
    )
    assert good["line"]["status"] == "ok" and "/line/webhook" in good["line"]["detail"]
