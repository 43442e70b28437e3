"""Which products print the same name: shared by the variant maker and the photo generator."""

from __future__ import annotations

from collections import defaultdict

from rxlens.catalog.keys import product_keys
from rxlens.catalog.records import Product


def name_keys(
    products: list[Product], generic_names: bool
) -> tuple[dict[str, set[str]], dict[str, frozenset[float]]]:
    """Name key → product ids, and each product's strengths. With `generic_names`, a
    single-ingredient product is also known by its ingredient (a generic name fits it)."""
    by_key: dict[str, set[str]] = defaultdict(set)
    strengths: dict[str, frozenset[float]] = {}
    for p in products:
        keys, strengths[p.id] = product_keys(p)
        for key, kind in keys:
            if kind.startswith("name") or (generic_names and len(p.ingredients) <= 1):
                by_key[key].add(p.id)
    return by_key, strengths
