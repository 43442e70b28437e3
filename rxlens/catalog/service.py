"""The catalog as the rest of rxlens sees it: a warm index kept in step with the database.

The index is built once and rebuilt only when the stored version changes; the version is asked
for at most every `version_check_seconds`, so a request never waits for a table load.

If the database stops answering once the index is warm, matching goes on from the index loaded
last: the catalog is `stale`, each record says so (STALE_WARNING) and /healthz says degraded.
With no index loaded yet there is nothing to match against: the catalog stage degrades instead.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from rxlens.catalog import index_file
from rxlens.catalog.index import Candidate, MatchIndex
from rxlens.catalog.store import CatalogStore
from rxlens.config import CatalogSettings
from rxlens.errors import CatalogError

log = logging.getLogger("rxlens.catalog")
STALE_WARNING = "藥品資料庫暫時無法連線，暫以先前載入的版本比對藥品"


class Catalog:
    def __init__(
        self,
        store: CatalogStore,
        settings: CatalogSettings,
        clock: Callable[[], float] = time.monotonic,
        index_dir: Path | None = None,  # where built indexes are saved and loaded; None: never
    ) -> None:
        self.store, self.settings, self._clock, self.index_dir = store, settings, clock, index_dir
        self._index: MatchIndex | None = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()  # one rebuild at a time; readers keep the old index meanwhile
        self.down: str | None = None  # why the database last failed, while it keeps failing

    @property
    def loaded_version(self) -> str | None:
        return self._index.version if self._index is not None else None

    @property
    def stale(self) -> bool:
        """Matching from a warm index while the database does not answer."""
        return self.down is not None and self._index is not None

    def index(self) -> MatchIndex:
        if self.settings.injected_latency_ms:
            time.sleep(self.settings.injected_latency_ms / 1000)
        current = self._index
        if current is not None and self._clock() - self._checked_at < self.settings.version_check_seconds:
            return current
        try:
            version = self.check()
        except CatalogError:
            if current is None:
                raise
            return current  # the database is down: keep serving the catalog we have
        if current is not None and current.version == version:
            return current
        with self._lock:
            if self._index is None or self._index.version != version:
                self._index = self._rebuild(self._index, version)
            return self._index

    def index_or_none(self) -> MatchIndex | None:
        """The index where a catalog only helps (ingredient lookups of a plan): None while none
        can be loaded, and the caller goes on without it."""
        try:
            return self.index()
        except CatalogError:
            return None

    def check(self) -> str:
        """Ask the database for the catalog version, noting whether it answered."""
        try:
            version = self.store.version()
        except CatalogError as error:
            self._went_down(error)
            raise
        finally:
            self._checked_at = self._clock()  # a dead database is asked again only when due
        if self.down is not None:
            log.warning("catalog database answers again")
            self.down = None
        return version

    def _went_down(self, error: CatalogError) -> None:
        if self.down is None:  # once per outage, not once per request
            log.warning("catalog database unavailable (%s): %s", error.code, error.message)
        self.down = error.message

    def _rebuild(self, current: MatchIndex | None, version: str) -> MatchIndex:
        try:
            return self._build(version)
        except CatalogError as error:  # died between the version and the load
            self._went_down(error)
            if current is None:
                raise
            return current

    def _build(self, version: str) -> MatchIndex:
        threshold = self.settings.match_threshold
        if self.index_dir is not None and (saved := index_file.load(self.index_dir, version, threshold)):
            return saved
        snapshot = self.store.load()
        index = MatchIndex(snapshot.products, snapshot.synonyms, snapshot.version, threshold)
        if self.index_dir is not None:
            index_file.save(index, self.index_dir)
        return index

    def match(self, text: str, limit: int | None = None) -> list[Candidate]:
        return self.index().match(text, limit or self.settings.match_limit)
