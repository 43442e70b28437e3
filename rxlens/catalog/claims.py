"""NHI claim-volume files (one per year): each NHI code's grouping and how much was dispensed.

A code keeps the grouping and volume of the most recent year it was claimed in, so a code that
stopped being claimed in 2024 still carries its 2022 or 2023 volume as a ranking prior.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rxlens.catalog.grouping import parse_grouping
from rxlens.catalog.keys import canonical
from rxlens.catalog.licences import nhi_licence_key
from rxlens.catalog.records import Ingredient, Product


@dataclass(frozen=True, slots=True)
class Claim:
    code: str
    grouping: str  # `MOSAPRIDE ， 一般錠劑膠囊劑 ， 5.00 MG`
    volume: float  # claimed quantity, bundled payments included
    year: int  # ROC year of the file the claim came from


def read_claims(paths: Iterable[Path]) -> dict[str, Claim]:
    """Codes from all files; a later year replaces an earlier one."""
    latest: dict[str, Claim] = {}
    for path in paths:
        with path.open(encoding="utf-8-sig") as fh:
            for row in csv.DictReader(fh):
                claim = Claim(
                    row["藥品代碼"].strip(),
                    row["藥品分類分組名稱"],
                    float(row["含包裹支付的醫令量_合計"] or 0),
                    int(row["費用年"]),
                )
                if claim.code not in latest or latest[claim.code].year <= claim.year:
                    latest[claim.code] = claim
    return latest


def by_licence(claims: dict[str, Claim]) -> tuple[dict[tuple[str, str], list[Claim]], list[Claim]]:
    """Claims grouped by the licence their code encodes, and the codes that encode none."""
    grouped: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    loose: list[Claim] = []
    for claim in claims.values():
        key = nhi_licence_key(claim.code)
        if key:
            grouped[key].append(claim)
        else:
            loose.append(claim)
    return grouped, loose


def with_strengths(listed: list[Ingredient], grouped: list[Ingredient]) -> list[Ingredient]:
    """The licence's ingredient list, each with the NHI grouping's strength where it names it.

    Licence data lists every ingredient without amounts; an NHI grouping carries amounts but may
    drop an optional part of a combination (`0-12.5MG`), so it only fills in, never replaces.
    """
    if not listed:
        return grouped
    if any(i.strength for i in listed):
        return listed
    amounts = {canonical(i.name): i for i in grouped if i.strength}
    return [amounts.get(canonical(i.name), i) for i in listed]


def apply_claims(product: Product, claims: list[Claim]) -> None:
    """Codes, volume, and ingredient strengths from the most claimed code's NHI grouping."""
    claims = sorted(claims, key=lambda c: (-c.volume, c.code))
    ingredients, form = parse_grouping(claims[0].grouping)
    product.ingredients = with_strengths(product.ingredients, ingredients)
    product.dosage_form = product.dosage_form or form
    product.nhi_codes = [c.code for c in claims]
    product.volume = sum(c.volume for c in claims)


def nhi_only_product(claims: list[Claim]) -> Product:
    # NHI publishes no product names: the record is known by its ingredients only.
    best = max(claims, key=lambda c: (c.volume, c.code))
    product = Product(id=best.code, source="nhi")
    apply_claims(product, claims)
    return product
