"""The `rxlens catalog` commands as a user runs them: a real process, a real database on each backend."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rxlens.config import Settings
from tests.conftest import FIXTURES
from tests.servers import serve_directory


def rxlens(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "RXLENS_DATA_DIR": str(settings.data_dir),
        "RXLENS_DATABASE__URL": settings.database.url,
        "COLUMNS": "200",
    }
    return subprocess.run(
        [sys.executable, "-m", "rxlens", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_search_json(db_settings: Settings) -> None:
    result = rxlens(db_settings, "catalog", "search", "LORAZEPAMO.5MG", "--json", "--limit", "3")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert len(found) == 3
    assert {"id", "name_zh", "name_en", "ingredients", "strength_mg", "score", "evidence"} <= set(found[0])
    assert found[0]["accepted"] and 0.5 in found[0]["strength_mg"]


# Reading and writing run on the three databases (search_json, update); the CLI's own output
# does not depend on the database, so these run on SQLite only (CI time).
def test_search_table_and_no_match(settings: Settings) -> None:
    db_settings = settings
    table = rxlens(db_settings, "catalog", "search", "脈優")
    assert table.returncode == 0 and "NORVASC" in table.stdout
    nothing = rxlens(db_settings, "catalog", "search", "QZXWVKJ")
    assert nothing.returncode == 0 and "No catalog entry resembles" in nothing.stdout


def test_info_shows_attribution(settings: Settings) -> None:
    result = rxlens(settings, "catalog", "info")
    assert result.returncode == 0
    assert "政府資料開放授權條款" in result.stdout and "products: 26" in result.stdout


def test_update_downloads_official_format_from_a_server(db_settings: Settings) -> None:
    with serve_directory(FIXTURES) as base:
        url = f"{base}/tfda_37_csv.zip"
        result = rxlens(db_settings, "catalog", "update", "--kind", "tfda", "--url", url)
    assert result.returncode == 0, result.stderr
    assert "Imported tfda" in result.stdout
    search = rxlens(db_settings, "catalog", "search", "CANCELLEDTEST", "--json")
    assert json.loads(search.stdout)[0]["id"] == "衛署藥製字第099999號"


def test_update_failure_has_exit_code_and_hint(settings: Settings, tmp_path: Path) -> None:
    with serve_directory(tmp_path) as base:
        result = rxlens(settings, "catalog", "update", "--url", f"{base}/missing.json")
    assert result.returncode == 4
    assert "answered HTTP 404" in result.stderr and "hint:" in result.stderr
    assert "Traceback" not in result.stderr


def test_import_of_wrong_file_is_exit_2(settings: Settings, tmp_path: Path) -> None:
    db_settings = settings
    bad = tmp_path / "photo.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 not a table")
    result = rxlens(db_settings, "catalog", "import", str(bad), "--kind", "nhi")
    assert result.returncode == 2 and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("postgresql+psycopg://x@127.0.0.1:1/none", id="postgresql"),
        pytest.param("mariadb+pymysql://x@127.0.0.1:1/none", id="mariadb"),
    ],
)
def test_dead_database_is_exit_3(url: str) -> None:
    env = {**os.environ, "RXLENS_DATABASE__URL": url}
    result = subprocess.run(
        [sys.executable, "-m", "rxlens", "catalog", "search", "普拿疼"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 3
    assert "RXLENS_DATABASE__URL" in result.stderr and "Traceback" not in result.stderr


def test_search_before_init_uses_the_bundled_catalog(tmp_path: Path) -> None:
    result = rxlens(Settings(data_dir=tmp_path / "new"), "catalog", "search", "脈優", "--json")
    assert result.returncode == 0, result.stderr
    assert "NORVASC" in json.loads(result.stdout)[0]["name_en"]


def test_unusable_data_dir_is_exit_78(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    for args in (("catalog", "search", "脈優"), ("serve", "--port", "1")):
        result = rxlens(Settings(data_dir=blocker / "data"), *args)
        assert result.returncode == 78, result.stderr
        assert "Cannot create the data directory" in result.stderr and "RXLENS_DATA_DIR" in result.stderr
        assert "Traceback" not in result.stderr


def test_serve_on_a_busy_port_is_exit_78(settings: Settings) -> None:
    with serve_directory(settings.data_dir) as url:
        port = url.rsplit(":", 1)[1]
        result = rxlens(settings, "serve", "--port", port)
    assert result.returncode == 78 and f"127.0.0.1:{port}" in result.stderr
    assert "--port" in result.stderr and "Traceback" not in result.stderr
