"""The long-lived parts (database engine, catalog index) opened once and shared."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from rxlens.catalog.bundled import BUNDLED_SOURCE, read_bundle
from rxlens.catalog.service import Catalog
from rxlens.catalog.store import CatalogStore, ImportReport
from rxlens.config import Settings
from rxlens.db.engine import make_engine, migrate


@dataclass
class Services:
    settings: Settings
    engine: Engine
    store: CatalogStore
    catalog: Catalog

    @classmethod
    def open(cls, settings: Settings) -> Services:
        engine = make_engine(settings)
        store = CatalogStore(engine)
        return cls(settings, engine, store, Catalog(store, settings.catalog))

    def close(self) -> None:
        self.engine.dispose()


def init_catalog(services: Services) -> ImportReport | None:
    """Create or upgrade the schema and load the bundled catalog unless this version is in."""
    migrate(services.engine)
    bundle = read_bundle()
    if services.store.meta().get("bundled_version") == bundle.version:
        return None
    return services.store.apply(
        bundle.products, bundle.synonyms, BUNDLED_SOURCE, meta={"bundled_version": bundle.version}
    )
