"""Two drugs in one plan that share an ingredient (two acetaminophen products from two clinics).

Ingredients come from the catalog (dataset 37/42 ingredient lists, salts and spellings folded by
the catalog's own keys); a drug the catalog does not know has no ingredients here, so it is never
part of a warning. No clinical rule beyond "the same ingredient twice" is applied: there is no
open interaction dataset behind one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import combinations

from rxlens.catalog.evidence import shared_ingredients
from rxlens.catalog.index import MatchIndex
from rxlens.catalog.keys import canonical
from rxlens.plan.model import Duplicate, PlanDrug

_STRENGTH = re.compile(r"\s+[\d.]+\s*[A-Za-zµμ%/]*$")


def ingredient_keys(drug: PlanDrug, index: MatchIndex | None) -> frozenset[str]:
    """The catalog's ingredients of the drug's product; without a catalog, the record's own."""
    if index is not None and drug.matched_drug_id:
        found = index.product(drug.matched_drug_id)
        return found[1] if found else frozenset()
    if not drug.matched_drug_id:
        return frozenset()
    return frozenset(c for label in drug.ingredients if (c := canonical(_STRENGTH.sub("", label))))


def duplicates(drugs: list[PlanDrug], index: MatchIndex | None) -> list[Duplicate]:
    held = {d.key: ingredient_keys(d, index) for d in drugs}
    by_ingredient: dict[str, set[str]] = defaultdict(set)
    for a, b in combinations(drugs, 2):
        for ingredient in shared_ingredients(held[a.key], held[b.key]):
            by_ingredient[ingredient] |= {a.key, b.key}
    order = {d.key: n for n, d in enumerate(drugs)}
    return [
        Duplicate(ingredient=name, drugs=sorted(keys, key=order.__getitem__))
        for name, keys in sorted(by_ingredient.items())
    ]
