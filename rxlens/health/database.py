"""The database answers within a few seconds, its schema is the newest, and a catalog is in it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import URL, Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from rxlens.catalog.store import CatalogStore
from rxlens.config import Settings
from rxlens.db.engine import MIGRATIONS
from rxlens.health.report import Check, Status

CONNECT_TIMEOUT_SECONDS = 5
INIT = "Run `rxlens catalog init` (it creates the schema and loads the bundled catalog)."
UNREACHABLE = (
    "Start the database server, or fix RXLENS_DATABASE__URL "
    "(unset it to use the SQLite file in RXLENS_DATA_DIR)."
)
EXTRAS = {"postgresql": "postgres", "mysql": "mysql", "mariadb": "mysql"}


def database(settings: Settings) -> Check:
    url = make_url(settings.database.url)
    where = url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        return _no_sqlite_file(Path(url.database))
    try:
        engine = _engine(url)
    except (NoSuchModuleError, ImportError):
        extra = EXTRAS.get(url.get_backend_name(), "...")
        return Check("database", Status.FAIL, f"No driver for {where}.", f"pip install 'rxlens[{extra}]'")
    try:
        return _inspect(engine, where)
    except SQLAlchemyError as exc:
        return Check("database", Status.FAIL, f"{where} does not answer: {_reason(exc)}.", UNREACHABLE)
    finally:
        engine.dispose()


def _engine(url: URL) -> Engine:
    # No pool: doctor connects once. Each driver spells its connect timeout differently.
    args: dict[str, Any] = {
        "postgresql": {"connect_timeout": CONNECT_TIMEOUT_SECONDS},
        "mysql": {"connect_timeout": CONNECT_TIMEOUT_SECONDS},
        "mariadb": {"connect_timeout": CONNECT_TIMEOUT_SECONDS},
        "sqlite": {"timeout": CONNECT_TIMEOUT_SECONDS},
    }.get(url.get_backend_name(), {})
    return create_engine(url, poolclass=NullPool, connect_args=args)


def _inspect(engine: Engine, where: str) -> Check:
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    head = _head()
    if current != head:
        detail = f"{where} answers; schema at {current or 'nothing'}, newest is {head}."
        return Check("database", Status.WARN, detail, INIT)
    store = CatalogStore(engine)
    version = store.meta().get("version")
    if not version:
        return Check("database", Status.WARN, f"{where} answers; no catalog imported yet.", INIT)
    products = store.counts()["products"]
    detail = f"{where} answers; schema {head} (newest); catalog {version}, {products} products"
    return Check("database", Status.OK, detail)


def _head() -> str | None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def _no_sqlite_file(path: Path) -> Check:
    """Doctor creates nothing: a missing file is fine if the first run can create it."""
    folder = next((p for p in path.parents if p.exists()), Path("/"))
    if os.access(folder, os.W_OK | os.X_OK):
        return Check("database", Status.WARN, f"No database yet at {path}.", INIT)
    return Check(
        "database",
        Status.FAIL,
        f"{path} does not exist and {folder} is not writable.",
        "Set RXLENS_DATA_DIR (or RXLENS_DATABASE__URL) to a directory this user can write.",
    )


def _reason(exc: SQLAlchemyError) -> str:
    cause = getattr(exc, "orig", None) or exc
    text = str(cause).strip()
    return text.splitlines()[0] if text else type(cause).__name__
