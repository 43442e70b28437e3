"""Build the pooled engine and bring the schema to the newest migration."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from rxlens.config import Settings
from rxlens.errors import CatalogError, ConfigError, MissingExtra

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
# Database servers are extras; SQLite (the default) is in the standard library.
# backend -> (extra, the URL scheme whose driver that extra installs)
EXTRAS = {
    "postgresql": ("postgres", "postgresql+psycopg"),
    "mysql": ("mysql", "mysql+pymysql"),
    "mariadb": ("mysql", "mariadb+pymysql"),
}


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets readers keep the old catalog while an import writes the new one.
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _make_data_dir(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"Cannot create the data directory {folder}: {exc.strerror or type(exc).__name__}.",
            hint="Set RXLENS_DATA_DIR (or RXLENS_DATABASE__URL) to a directory this user can write.",
        ) from None


def make_engine(settings: Settings) -> Engine:
    url = make_url(settings.database.url)
    db = settings.database
    if url.get_backend_name() == "sqlite":
        if url.database:
            _make_data_dir(Path(url.database).parent)
        engine = create_engine(
            url, pool_size=db.pool_size, max_overflow=db.max_overflow, pool_timeout=db.pool_timeout_seconds
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:  # SQLAlchemy imports the driver here
        return create_engine(
            _server_url(url),
            pool_size=db.pool_size,
            max_overflow=db.max_overflow,
            pool_timeout=db.pool_timeout_seconds,
            pool_recycle=db.pool_recycle_seconds,
            pool_pre_ping=db.pool_pre_ping,
            connect_args={"connect_timeout": db.connect_timeout_seconds},
        )
    except ImportError as exc:
        raise _missing_driver(url.get_backend_name(), url.drivername) from exc


def _server_url(url: URL) -> URL:
    # MySQL's "utf8" is three bytes a character: some CJK names (and every emoji) need utf8mb4.
    if url.get_backend_name() in ("mysql", "mariadb") and "charset" not in url.query:
        return url.update_query_dict({"charset": "utf8mb4"})
    return url


def _missing_driver(backend: str, scheme: str) -> ConfigError:
    extra, supported = EXTRAS.get(backend, ("", ""))
    if scheme != supported:
        known = "Use sqlite, postgresql+psycopg or mysql+pymysql."
        hint = f"Use a {supported}:// URL." if supported else known
        return ConfigError(f"rxlens has no driver for {scheme}:// database URLs.", hint=hint)
    return MissingExtra(extra, f"A {backend} database ({scheme}://)")


def migrate(engine: Engine) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except SQLAlchemyError as exc:
        cause = getattr(exc, "orig", None) or exc
        where = engine.url.render_as_string(hide_password=True)
        reason = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
        raise CatalogError(f"Could not prepare the database {where}: {reason}.") from exc
