"""The catalog as the rest of rxlens sees it: a warm index kept in step with the database.

The index is built once and rebuilt only when the stored version changes; the version is asked
for at most every `version_check_seconds`, so a request never waits for a table load.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from rxlens.catalog.index import Candidate, MatchIndex
from rxlens.catalog.store import CatalogStore
from rxlens.config import CatalogSettings
from rxlens.errors import CatalogError


class Catalog:
    def __init__(
        self, store: CatalogStore, settings: CatalogSettings, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.store, self.settings, self._clock = store, settings, clock
        self._index: MatchIndex | None = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()  # one rebuild at a time; readers keep the old index meanwhile

    def index(self) -> MatchIndex:
        if self.settings.injected_latency_ms:
            time.sleep(self.settings.injected_latency_ms / 1000)
        current = self._index
        if current is not None and self._clock() - self._checked_at < self.settings.version_check_seconds:
            return current
        try:
            version = self.store.version()
        except CatalogError:
            if current is None:
                raise
            return current  # the database is down: keep serving the catalog we have
        self._checked_at = self._clock()
        if current is not None and current.version == version:
            return current
        with self._lock:
            if self._index is None or self._index.version != version:
                self._index = self._build()
            return self._index

    def _build(self) -> MatchIndex:
        snapshot = self.store.load()
        return MatchIndex(
            snapshot.products, snapshot.synonyms, snapshot.version, self.settings.match_threshold
        )

    def match(self, text: str, limit: int | None = None) -> list[Candidate]:
        return self.index().match(text, limit or self.settings.match_limit)
