"""Download an official export to a temporary file, then import it like a local file."""

from __future__ import annotations

import tempfile
from pathlib import Path

import httpx

from rxlens.catalog.importers import SourceKind, read_source
from rxlens.catalog.store import CatalogStore, ImportReport
from rxlens.config import CatalogSettings
from rxlens.errors import CatalogDownloadError


def download(
    url: str, dest: Path, settings: CatalogSettings, transport: httpx.BaseTransport | None = None
) -> int:
    size = 0
    try:
        with (
            httpx.Client(
                timeout=settings.download_timeout_seconds, transport=transport, follow_redirects=True
            ) as client,
            client.stream("GET", url) as response,
        ):
            response.raise_for_status()
            with dest.open("wb") as fh:
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > settings.download_max_bytes:
                        raise CatalogDownloadError(
                            f"{url} is larger than {settings.download_max_bytes} bytes."
                        )
                    fh.write(chunk)
    except httpx.HTTPStatusError as exc:
        raise CatalogDownloadError(f"{url} answered HTTP {exc.response.status_code}.") from exc
    except httpx.HTTPError as exc:
        raise CatalogDownloadError(f"Could not download {url}: {type(exc).__name__}.") from exc
    return size


def update(
    store: CatalogStore,
    kind: SourceKind,
    url: str,
    settings: CatalogSettings,
    transport: httpx.BaseTransport | None = None,
) -> ImportReport:
    with tempfile.TemporaryDirectory(prefix="rxlens-") as tmp:
        path = Path(tmp) / "export"
        download(url, path, settings, transport)
        return store.apply(read_source(path, kind), [], source=kind.value)
