"""The catalog shipped inside the package (built by scripts/build_catalog.py)."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from importlib import resources

from rxlens.catalog.records import Product, Synonym

BUNDLED_SOURCE = "bundled"


@dataclass(frozen=True, slots=True)
class Bundle:
    version: str
    products: list[Product]
    synonyms: list[Synonym]


def read_bundle() -> Bundle:
    raw = resources.files("rxlens.data").joinpath("catalog.json.gz").read_bytes()
    data = json.loads(gzip.decompress(raw))
    products = [Product.model_validate({**p, "source": BUNDLED_SOURCE}) for p in data["products"]]
    synonyms = [Synonym(text=t, ingredient=i, source=BUNDLED_SOURCE) for t, i in data["synonyms"]]
    return Bundle(data["version"], products, synonyms)
