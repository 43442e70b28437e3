"""The long-lived parts (database engine, catalog index) opened once and shared."""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from rxlens.catalog.bundled import BUNDLED_SOURCE, bundle_bytes, parse_bundle
from rxlens.catalog.service import Catalog
from rxlens.catalog.store import CatalogStore, ImportReport
from rxlens.concurrency import Blocking
from rxlens.config import Settings
from rxlens.db.engine import make_engine, migrate
from rxlens.metrics import Metrics
from rxlens.ocr.base import OcrEngine

if TYPE_CHECKING:
    from rxlens.cloud.gemini import GeminiClient
from rxlens.scheduling import Parallel, Scheduler, Sequential


def build_ocr(settings: Settings) -> OcrEngine:
    from rxlens.ocr.local import LocalOcr  # loads ONNX Runtime: only when an engine is needed

    return LocalOcr(settings.ocr)


@dataclass
class Services:
    settings: Settings
    engine: Engine
    store: CatalogStore
    catalog: Catalog
    blocking: Blocking
    metrics: Metrics = field(default_factory=Metrics)
    schedulers: dict[str, Scheduler] = field(
        default_factory=lambda: {"parallel": Parallel(), "sequential": Sequential()}
    )
    _ocr: OcrEngine | None = None
    _cloud: GeminiClient | None = None
    _build_lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def open(cls, settings: Settings, ocr: OcrEngine | None = None) -> Services:
        engine = make_engine(settings)
        store = CatalogStore(engine)
        slots = max(1, (os.cpu_count() or 2) // settings.ocr.intra_op_threads)
        blocking = Blocking(settings.pipeline.workers, slots)
        index_dir = settings.data_dir if settings.catalog.index_cache else None
        catalog = Catalog(store, settings.catalog, index_dir=index_dir)
        return cls(settings, engine, store, catalog, blocking, _ocr=ocr)

    @property
    def cloud(self) -> GeminiClient:
        """The Gemini client, built on first use: no network client exists unless configured."""
        with self._build_lock:
            if self._cloud is None:
                from rxlens.cloud.gemini import GeminiClient

                self._cloud = GeminiClient(self.settings.gemini)
            return self._cloud

    @property
    def ocr_ready(self) -> bool:
        return self._ocr is not None

    @property
    def ocr(self) -> OcrEngine:
        """Built on first use (catalog commands never load the model); warmed once."""
        with self._build_lock:
            if self._ocr is None:
                engine = build_ocr(self.settings)
                engine.warm_up()
                self._ocr = engine
            return self._ocr

    def close(self) -> None:
        if self._cloud is not None:
            self._cloud.close()
        self.blocking.close()
        self.engine.dispose()


def init_catalog(services: Services) -> ImportReport | None:
    """Create or upgrade the schema and load the bundled catalog unless this version is in."""
    migrate(services.engine)
    raw = bundle_bytes(services.settings.catalog.bundle_path)
    # The file's digest answers "already in?" in milliseconds; parsing it takes most of a second.
    digest = hashlib.sha256(raw).hexdigest()
    meta = services.store.meta()
    if meta.get("bundled_digest") == digest:
        return None
    bundle = parse_bundle(raw, services.settings.catalog.bundle_path)
    if meta.get("bundled_version") == bundle.version:  # loaded before digests were noted
        services.store.apply([], [], BUNDLED_SOURCE, meta={"bundled_digest": digest})
        return None
    # A new bundle replaces the old one whole: products a newer build no longer has (renamed
    # or joined ids) must not linger beside their successors. Imported sources are kept.
    return services.store.apply(
        bundle.products,
        bundle.synonyms,
        BUNDLED_SOURCE,
        replace=True,
        meta={"bundled_version": bundle.version, "bundled_digest": digest},
    )
