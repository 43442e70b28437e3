"""Parse NHI grouping names (`MOSAPRIDE ， 一般錠劑膠囊劑 ， 5.00 MG`) into ingredients and a form."""

from __future__ import annotations

import re
import unicodedata

from rxlens.catalog.records import Ingredient

_N = r"\d+(?:\.\d+)?"
_AMOUNT_RE = re.compile(rf"^(.*?)\s*({_N})(?:\s*-\s*({_N}))?\s*(MG/ML|MG/G|MCG|MG|GM|G|ML|IU|%)\s*$")
_UNIT_TO_MG = {"MCG": 0.001, "MG": 1.0, "G": 1000.0, "GM": 1000.0}


def _ingredient(text: str) -> Ingredient | None:
    text = text.strip(" ,，")
    if not text:
        return None
    match = _AMOUNT_RE.match(text)
    if not match:
        return Ingredient(name=text)
    name, number, upper, unit = match.groups()
    if upper is not None:
        # NHI groups cover a range: "0-12.5MG" marks an optional part of the group, any other
        # range says the strength differs between the group's products.
        return None if float(number) == 0 else Ingredient(name=name.strip())
    factor = _UNIT_TO_MG.get(unit)
    value = float(number) * (factor or 1.0)
    return Ingredient(name=name.strip(), strength=value, unit="MG" if factor else unit)


def parse_grouping(text: str) -> tuple[list[Ingredient], str]:
    parts = [p.strip() for p in unicodedata.normalize("NFKC", text).split(",")]
    parts += [""] * (3 - len(parts))
    names, form, strength = parts[0], parts[1], parts[2]
    items = [i for i in (_ingredient(n) for n in re.split(r"\s*\+\s*", names)) if i is not None]
    if len(items) == 1 and items[0].strength is None and strength:
        single = _ingredient(f"{items[0].name} {strength}")
        items = [single] if single else items
    return items, form
