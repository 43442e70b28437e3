"""Imports: one transaction, idempotent, merging, and a killed import leaves the old catalog."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from rxlens.catalog.importers import SourceKind, read_source
from rxlens.catalog.records import Product
from rxlens.catalog.store import CatalogStore
from rxlens.config import Settings
from rxlens.errors import CatalogEmpty, CatalogError
from rxlens.services import Services, init_catalog
from tests.conftest import FIXTURES


def test_init_is_idempotent(services: Services) -> None:
    before = (services.store.version(), services.store.counts())
    assert init_catalog(services) is None
    report = services.store.apply(services.store.load().products[:50], [], "bundled")
    assert (report.inserted, report.updated) == (0, 0)
    assert (services.store.version(), services.store.counts()) == before


def test_formulary_import_adds_side_effects_and_becomes_searchable(services: Services) -> None:
    services.catalog.match("warm up the index")
    report = services.store.apply(
        read_source(FIXTURES / "formulary.csv", SourceKind.FORMULARY), [], "formulary"
    )
    assert report.inserted == 3
    services.catalog._checked_at = float("-inf")  # next call asks the database for the version
    top = services.catalog.match("瓦斯康錠", 1)[0]
    assert top.product.id == "CLINIC-0001" and top.accepted
    assert top.product.side_effects == "偶有腹瀉"


def test_nhi_items_merge_into_their_licence(services: Services) -> None:
    services.store.apply(read_source(FIXTURES / "nhi_items.csv", SourceKind.NHI), [], "nhi")
    products = {p.id: p for p in services.store.load().products}
    # B020634100 encodes 衛署藥輸字第020634號, already in the bundled catalog
    assert "B020634100" not in products
    assert "B020634100" in products["衛署藥輸字第020634號"].nhi_codes


def test_merge_never_blanks_known_fields(services: Services) -> None:
    lic = "衛署藥輸字第021571號"
    before = next(p for p in services.store.load().products if p.id == lic)
    services.store.apply([Product(id=lic, name_en="NORVASC 5MG")], [], "tfda")
    after = next(p for p in services.store.load().products if p.id == lic)
    assert after.name_en == "NORVASC 5MG"
    assert (after.name_zh, after.main_use, after.appearance) == (
        before.name_zh,
        before.main_use,
        before.appearance,
    )


def test_empty_database_says_what_to_do(tmp_path: Path) -> None:
    services = Services.open(Settings(data_dir=tmp_path))
    from rxlens.db.engine import migrate

    migrate(services.engine)
    with pytest.raises(CatalogEmpty, match="not been imported"):
        services.catalog.match("普拿疼")


def test_unreachable_database_is_a_catalog_error() -> None:
    store = CatalogStore(
        create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 2})
    )
    with pytest.raises(CatalogError, match="Could not read the catalog version"):
        store.version()


def _big_formulary(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name_zh", "name_en", "ingredients", "strength", "main_use"])
        for i in range(rows):
            writer.writerow(
                [f"F{i:07d}", f"測試藥{i}錠", f"TESTDRUG{i} TABLETS", "ACETAMINOPHEN", "500mg", "退燒、止痛"]
            )


def test_killed_import_leaves_previous_catalog_intact(settings: Settings, tmp_path: Path) -> None:
    store = CatalogStore(Services.open(settings).engine)
    before = (store.version(), store.counts())
    source = tmp_path / "big.csv"
    _big_formulary(source, 60_000)
    env = {**os.environ, "RXLENS_DATA_DIR": str(settings.data_dir)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "rxlens", "catalog", "import", str(source), "--kind", "formulary"],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    wal = settings.data_dir / "rxlens.db-wal"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > 2_000_000:  # rows are being written
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the import finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert (store.version(), store.counts()) == before
    assert store.load().products[0].id  # readable, not locked
