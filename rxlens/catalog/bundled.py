"""The catalog shipped inside the package (built by scripts/build_catalog.py)."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rxlens.catalog.records import Product, Synonym
from rxlens.errors import CatalogError

BUNDLED_SOURCE = "bundled"
REINSTALL = (
    "Reinstall rxlens (pip install --force-reinstall rxlens, or pipx reinstall rxlens); "
    "if RXLENS_CATALOG__BUNDLE_PATH is set, point it at a good bundle or unset it."
)


@dataclass(frozen=True, slots=True)
class Bundle:
    version: str
    products: list[Product]
    synonyms: list[Synonym]


def read_bundle(path: Path | None = None) -> Bundle:
    """The bundle at `path`, else the one in the package; a damaged file is a CatalogError."""
    return parse_bundle(bundle_bytes(path), path)


def bundle_bytes(path: Path | None = None) -> bytes:
    """The bundle file as stored (its digest tells whether it changed, without parsing it)."""
    try:
        if path:
            return path.read_bytes()
        return resources.files("rxlens.data").joinpath("catalog.json.gz").read_bytes()
    except OSError as exc:
        raise _damaged(path, exc) from None


def parse_bundle(raw: bytes, path: Path | None = None) -> Bundle:
    try:
        data = json.loads(gzip.decompress(raw))
        products = [Product.model_validate({**p, "source": BUNDLED_SOURCE}) for p in data["products"]]
        synonyms = [Synonym(text=t, ingredient=i, source=BUNDLED_SOURCE) for t, i in data["synonyms"]]
        return Bundle(data["version"], products, synonyms)
    # gzip raises OSError/EOFError, json and pydantic ValueError, a wrong shape KeyError/TypeError.
    except (OSError, EOFError, ValueError, KeyError, TypeError) as exc:
        raise _damaged(path, exc) from None


def _damaged(path: Path | None, exc: Exception) -> CatalogError:
    where = str(path) if path else "rxlens/data/catalog.json.gz"
    reason = getattr(exc, "strerror", None) or type(exc).__name__
    return CatalogError(f"The bundled catalog {where} cannot be read ({reason}).", hint=REINSTALL)
