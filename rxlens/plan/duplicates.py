"""Two drugs in one plan that share an ingredient (two acetaminophen products from two clinics).

Ingredients come from the catalog (dataset 37/42 ingredient lists, salts and spellings folded by
the catalog's own keys); a drug the catalog does not know has no ingredients here, so it is never
part of a warning. No clinical rule beyond "the same ingredient twice" is applied: there is no
open interaction dataset behind one. Twice means on a common day: the page's list keeps each
month's bag, and last month's box of the same drug, finished, is not a second product.
"""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import combinations

from rxlens.catalog.index import MatchIndex
from rxlens.catalog.keys import canonical
from rxlens.plan.model import Duplicate, PlanDrug

# Strengths printed inside an ingredient name (`POLYMYXIN 10000IU/GM`) or a record's label.
_STRENGTH = re.compile(r"\s+\d\S*")
# A key that is only the anion left after the catalog dropped a metal as a salt word: SODIUM
# CHLORIDE and POTASSIUM CHLORIDE are two substances, so such keys keep their full name.
_ANION = re.compile(
    r"(?:CHLORIDE|BROMIDE|IODIDE|FLUORIDE|OXIDE|HYDROXIDE|PEROXIDE|CARBONATE|BICARBONATE|SULFATE|"
    r"SULPHATE|PHOSPHATE|CITRATE|GLUCONATE|LACTATE|ACETATE|SILICATE|TRISILICATE|ASPARTATE)"
    r"(?:MONO|DI|TRI|HEXA|HEPTA|PENTA)?(?:HYDRATE)?"
)


def _key(name: str) -> str:
    plain = _STRENGTH.sub("", name.upper())
    key = canonical(plain)
    return re.sub(r"[^A-Z0-9]", "", plain) if _ANION.fullmatch(key) else key


def ingredient_keys(drug: PlanDrug, index: MatchIndex | None) -> frozenset[str]:
    """The catalog's ingredients of the drug's product; without a catalog, the record's own."""
    names: list[str] = []
    if index is not None and drug.matched_drug_id:
        found = index.product(drug.matched_drug_id)
        names = [i.name for i in found[0].ingredients] if found else []
    elif drug.matched_drug_id:
        names = drug.ingredients
    return frozenset(k for name in names if (k := _key(name)))


def same_substance(a: str, b: str) -> bool:
    """Equal keys, or a salt word the catalog does not list after the same name (KETOROLAC /
    KETOROLACTROMETHAMINE); never a number after it (VITAMINB1 is not VITAMINB12)."""
    short, long_ = sorted((a, b), key=len)
    rest = long_[len(short) :]
    return long_.startswith(short) and (not rest or (rest.isalpha() and (len(rest) >= 4 or len(short) >= 8)))


def shared_ingredients(a: frozenset[str], b: frozenset[str]) -> set[str]:
    return {min(x, y, key=len) for x in a for y in b if same_substance(x, y)}


def overlap(a: PlanDrug, b: PlanDrug) -> bool:
    """Both taken on some day; a drug with no known last day (as needed, unscheduled) may be taken
    on any day from its start."""
    return (a.last_day is None or b.start <= a.last_day) and (b.last_day is None or a.start <= b.last_day)


def duplicates(drugs: list[PlanDrug], index: MatchIndex | None) -> list[Duplicate]:
    """One warning per group of drugs: the ingredients they share (a combination product and its
    twin share several: one warning, not one per ingredient)."""
    held = {d.key: ingredient_keys(d, index) for d in drugs}
    by_ingredient: dict[str, set[str]] = defaultdict(set)
    for a, b in combinations(drugs, 2):
        for ingredient in shared_ingredients(held[a.key], held[b.key]) if overlap(a, b) else ():
            by_ingredient[ingredient] |= {a.key, b.key}
    order = {d.key: n for n, d in enumerate(drugs)}
    by_group: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for name, keys in sorted(by_ingredient.items()):
        by_group[tuple(sorted(keys, key=order.__getitem__))].append(name)
    return [Duplicate(ingredients=names, drugs=list(group)) for group, names in by_group.items()]
