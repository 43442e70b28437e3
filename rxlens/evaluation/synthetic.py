"""A synthetic national-size catalog: real products plus generated look-alikes (for benchmarks)."""

from __future__ import annotations

import random

from rxlens.catalog.records import Ingredient, Product

_ZH = "安康寧樂平泰克舒美得利達立普保欣通心脈優定壓素胃清斯朗腹益敏康復佳健順寶好易"
_EN = [
    "LO",
    "RA",
    "ZE",
    "PAM",
    "TEL",
    "MI",
    "SAR",
    "TAN",
    "NOR",
    "VASC",
    "GAS",
    "CON",
    "DI",
    "LA",
    "FEN",
    "TRI",
    "MOX",
    "CIL",
    "LIN",
    "PRI",
    "DOL",
    "XA",
    "VOR",
    "STA",
    "TIN",
    "ME",
    "FOR",
    "MIN",
]
_FORMS = ["錠", "膜衣錠", "膠囊", "持續性藥效錠"]


def synthetic_catalog(real: list[Product], size: int, seed: int = 0) -> list[Product]:
    rng = random.Random(seed)
    ingredients = sorted({i.name for p in real for i in p.ingredients})
    out = list(real)
    for n in range(size - len(real)):
        brand_zh = "".join(rng.choice(_ZH) for _ in range(rng.randint(2, 4)))
        brand_en = "".join(rng.choice(_EN) for _ in range(rng.randint(2, 4)))
        mg = rng.choice([1, 2.5, 5, 10, 20, 25, 40, 50, 100, 250, 500])
        out.append(
            Product(
                id=f"SYN{n:06d}",
                name_zh=f"{brand_zh}{rng.choice(_FORMS)}{mg:g}毫克",
                name_en=f"{brand_en} TABLETS {mg:g}MG",
                ingredients=[Ingredient(name=rng.choice(ingredients), strength=float(mg), unit="MG")],
                volume=rng.random() * 1e5,
                source="synthetic",
            )
        )
    return out
