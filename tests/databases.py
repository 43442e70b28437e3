"""Test databases on SQLite, PostgreSQL and MariaDB, one set per test session.

Each session names its server databases after itself (`rxlens_t<pid>_<random>_…`) and drops them at
its end, so two runs on the same servers never see each other's rows. The bundled catalog is
imported once per backend into a seed database; each test gets a copy of it (PostgreSQL: a
template copy; MariaDB: the tables copied; SQLite: the file copied).
"""

from __future__ import annotations

import itertools
import os
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from rxlens.config import DatabaseSettings, Settings
from rxlens.services import Services, init_catalog

BACKENDS = ("sqlite", "postgresql", "mariadb")
# The servers CI starts (scripts/services.sh); RXLENS_TEST_*_URL points the suite elsewhere.
SERVERS = {
    "postgresql": os.environ.get(
        "RXLENS_TEST_POSTGRESQL_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    ),
    "mariadb": os.environ.get("RXLENS_TEST_MARIADB_URL", "mariadb+pymysql://root@127.0.0.1:3306/test"),
}


@dataclass
class Databases:
    backend: str
    folder: Path  # SQLite files live here
    prefix: str = field(default_factory=lambda: f"rxlens_t{os.getpid()}_{secrets.token_hex(3)}")
    _seed: str | None = None
    index_dir: Path = field(default=Path())  # where the seed's saved match index lies (the folder)
    _names: itertools.count[int] = field(default_factory=itertools.count)

    def __post_init__(self) -> None:
        if self.index_dir == Path():
            self.index_dir = self.folder

    @property
    def admin(self) -> Engine:
        return create_engine(SERVERS[self.backend], isolation_level="AUTOCOMMIT", poolclass=NullPool)

    def url(self, name: str) -> str:
        if self.backend == "sqlite":
            return f"sqlite:///{self.folder / name / 'rxlens.db'}"
        return make_url(SERVERS[self.backend]).set(database=name).render_as_string(hide_password=False)

    def reason_unavailable(self) -> str | None:
        if self.backend == "sqlite":
            return None
        where = make_url(SERVERS[self.backend]).render_as_string(hide_password=True)
        try:
            engine = create_engine(
                SERVERS[self.backend], poolclass=NullPool, connect_args={"connect_timeout": 3}
            )
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except (SQLAlchemyError, ImportError) as exc:
            reason = type(exc).__name__
            return f"{self.backend} at {where} does not answer ({reason}); start it: scripts/services.sh"
        return None

    def empty(self) -> str:
        """A new database with nothing in it."""
        name = f"{self.prefix}_{next(self._names)}"
        if self.backend == "sqlite":
            (self.folder / name).mkdir()
        else:
            self._sql(f"CREATE DATABASE {name}")
        return self.url(name)

    def seeded(self) -> str:
        """A new database holding the bundled catalog."""
        seed = self._seed or self._make_seed()
        target = self.empty()
        name = make_url(target).database or ""
        if self.backend == "sqlite":
            shutil.copy(seed, name)
        elif self.backend == "postgresql":
            self._sql(f"DROP DATABASE {name}")
            self._sql(f"CREATE DATABASE {name} TEMPLATE {seed}")
        else:
            self._copy_tables(seed, name)
        return target

    def drop(self, url: str) -> None:
        name = make_url(url).database or ""
        if self.backend == "sqlite":
            shutil.rmtree(Path(name).parent, ignore_errors=True)
        elif self.backend == "postgresql":
            self._sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        else:
            self._sql(f"DROP DATABASE IF EXISTS {name}")

    def drop_all(self) -> None:
        if self.backend == "sqlite":
            return
        for name in self._own_databases():
            self.drop(self.url(name))

    def writing(self, url: str) -> bool:
        """Whether an uncommitted import is writing rows into this database right now."""
        name = make_url(url).database or ""
        if self.backend == "sqlite":
            wal = Path(f"{name}-wal")
            return wal.exists() and wal.stat().st_size > 2_000_000
        if self.backend == "postgresql":
            query = (
                "SELECT count(*) FROM pg_stat_activity WHERE datname = :db AND backend_xid IS NOT NULL"
                " AND query LIKE 'INSERT INTO products%'"
            )
        else:
            query = (
                "SELECT count(*) FROM information_schema.innodb_trx t JOIN information_schema.processlist p"
                " ON p.id = t.trx_mysql_thread_id WHERE p.db = :db AND t.trx_rows_modified > 1000"
            )
        with self.admin.connect() as conn:
            return bool(conn.scalar(text(query), {"db": name}))

    def _make_seed(self) -> str:
        url = self.empty()
        services = Services.open(Settings(data_dir=self.folder, database=DatabaseSettings(url=url)))
        init_catalog(services)
        services.catalog.index()  # saved in the folder: every copy of the seed has its version
        services.close()  # disposes the pool: PostgreSQL copies a template nobody is connected to
        self._seed = make_url(url).database or ""
        return self._seed

    def _copy_tables(self, source: str, target: str) -> None:
        with self.admin.connect() as conn:
            tables = conn.scalars(
                text("SELECT table_name FROM information_schema.tables WHERE table_schema = :db"),
                {"db": source},
            ).all()
            for table in tables:
                conn.execute(text(f"CREATE TABLE {target}.{table} LIKE {source}.{table}"))
                conn.execute(text(f"INSERT INTO {target}.{table} SELECT * FROM {source}.{table}"))

    def _own_databases(self) -> list[str]:
        query = (
            "SELECT datname FROM pg_database WHERE datname LIKE :p"
            if self.backend == "postgresql"
            else "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE :p"
        )
        with self.admin.connect() as conn:
            return list(conn.scalars(text(query), {"p": f"{self.prefix}%"}))

    def _sql(self, statement: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(statement))


def copy_saved_index(source: Path, target: Path) -> None:
    """The seed's saved match index (building one costs ~6 s a test; loading it ~0.5 s)."""
    for path in source.glob("index-*.npz"):
        shutil.copy(path, target / path.name)


def open_databases(backend: str, folder: Path, sqlite_seed: Path) -> Databases:
    databases = Databases(backend, folder, _seed=str(sqlite_seed) if backend == "sqlite" else None)
    if backend == "sqlite":
        databases.index_dir = sqlite_seed.parent
    reason = databases.reason_unavailable()
    if reason:
        pytest.skip(reason)
    return databases
