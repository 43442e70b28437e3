"""Shared fixtures: real settings in a temporary data dir, a real SQLite catalog built once."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from rxlens.catalog.bundled import Bundle, read_bundle
from rxlens.catalog.index import MatchIndex
from rxlens.config import DatabaseSettings, Settings
from rxlens.evaluation.render import fonts_available
from rxlens.ocr.base import OcrEngine
from rxlens.ocr.local import LocalOcr
from rxlens.services import Services, init_catalog
from tests.databases import BACKENDS, Databases, copy_saved_index, open_databases

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# No network of its own: the page's requests are the only ones a test sees.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if TYPE_CHECKING:
    from playwright.sync_api import Browser

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def bundle() -> Bundle:
    return read_bundle()


@pytest.fixture(scope="session")
def bundled_index(bundle: Bundle) -> MatchIndex:
    return MatchIndex(bundle.products, bundle.synonyms, bundle.version, Settings().catalog.match_threshold)


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with the bundled catalog imported, made once and copied per test."""
    data_dir = tmp_path_factory.mktemp("seed")
    services = Services.open(Settings(data_dir=data_dir))
    init_catalog(services)
    services.catalog.index()  # saved beside the file: copied with it, each test loads it in ~0.5 s
    services.close()
    return data_dir / "rxlens.db"


@pytest.fixture
def settings(tmp_path: Path, seeded_db: Path) -> Settings:
    shutil.copy(seeded_db, tmp_path / "rxlens.db")
    copy_saved_index(seeded_db.parent, tmp_path)
    return Settings(data_dir=tmp_path)


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    opened = Services.open(settings)
    yield opened
    opened.close()


@pytest.fixture(scope="session", params=BACKENDS)
def databases(
    request: pytest.FixtureRequest, seeded_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Databases]:
    """One backend's test databases for this session (skipped when its server does not answer)."""
    opened = open_databases(request.param, tmp_path_factory.mktemp(f"db-{request.param}"), seeded_db)
    yield opened
    opened.drop_all()


@pytest.fixture
def db_settings(databases: Databases, tmp_path: Path) -> Iterator[Settings]:
    """Settings on a copy of the seeded catalog in each backend (ids sqlite, postgresql, mariadb)."""
    url = databases.seeded()
    copy_saved_index(databases.index_dir, tmp_path)
    yield Settings(data_dir=tmp_path, database=DatabaseSettings(url=url))
    databases.drop(url)


@pytest.fixture
def db_services(db_settings: Settings) -> Iterator[Services]:
    opened = Services.open(db_settings)
    yield opened
    opened.close()


@pytest.fixture
def empty_db_settings(databases: Databases, tmp_path: Path) -> Iterator[Settings]:
    """Settings on a new, empty database in each backend."""
    url = databases.empty()
    yield Settings(data_dir=tmp_path, database=DatabaseSettings(url=url))
    databases.drop(url)


@pytest.fixture(scope="session")
def ocr_engine() -> OcrEngine:
    """The real local model, loaded and warmed once for the whole session."""
    engine = LocalOcr(Settings().ocr)
    engine.warm_up()
    return engine


@pytest.fixture
def reader(settings: Settings, ocr_engine: OcrEngine) -> Iterator[Services]:
    """Services with the real OCR model and a real SQLite catalog."""
    opened = Services.open(settings, ocr=ocr_engine)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def fonts() -> None:
    if not fonts_available():
        pytest.fail("Noto CJK fonts are missing: run `make system-deps` (apt-get install fonts-noto-cjk)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """A real headless Chromium (Debian's), one per test module of the page."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run `make system-deps` (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield b
        b.close()
