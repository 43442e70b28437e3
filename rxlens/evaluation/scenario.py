"""Random but realistic prescriptions built from real catalog products."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import date, timedelta

from rxlens.catalog.normalize import normalize
from rxlens.catalog.records import Product
from rxlens.evaluation.names import name_keys
from rxlens.evaluation.truth import Truth, TruthMedication

# (frequency code, timing code, weight): common Taiwanese outpatient patterns.
PATTERNS = [
    ("QD", "PC", 8),
    ("BID", "PC", 7),
    ("TID", "PC", 9),
    ("QID", "PC", 2),
    ("QD", "AC", 3),
    ("TID", "AC", 3),
    ("BID", "AC", 2),
    ("HS", "HS", 4),
    ("PRN", None, 2),
    ("Q8H", None, 1),
    ("Q12H", None, 1),
    ("QD", None, 2),
    ("BID", None, 1),
]
PER_DAY = {"QD": 1, "BID": 2, "TID": 3, "QID": 4, "HS": 1, "Q8H": 3, "Q12H": 2, "Q6H": 4}
DOSES = [(1.0, 10), (2.0, 2), (0.5, 2)]
DAYS = [(3, 4), (5, 3), (7, 6), (14, 3), (28, 5), (30, 2)]
_SURNAMES = "王李張陳林黃吳劉蔡楊許鄭謝郭洪曾邱廖賴周"
_GIVEN = "志明美玲淑芬建宏俊傑雅婷怡君家豪宗翰冠宇佩君文華國強秀英"
_PLACES = [
    "仁愛",
    "康寧",
    "安心",
    "博愛",
    "信義",
    "中山",
    "永和",
    "大安",
    "健康",
    "幸福",
    "長青",
    "和平",
    "慈恩",
]
_KINDS = ["診所", "內科診所", "家庭醫學科診所", "耳鼻喉科診所", "醫院", "聯合診所", "小兒科診所"]


def _weighted(rng: random.Random, items: Sequence[tuple[float, int]]) -> float:
    return rng.choices([i for i, _ in items], weights=[w for _, w in items])[0]


def person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.sample(_GIVEN, 2))


class ScenarioMaker:
    def __init__(self, products: list[Product]) -> None:
        self._by_key, self._strengths = name_keys(products, generic_names=False)
        self.products = [p for p in products if self._printable(p)]
        self.weights = [math.log10(10 + p.volume) for p in self.products]

    @staticmethod
    def _printable(p: Product) -> bool:
        oral = any(w in p.name_zh for w in ("錠", "膠囊")) and "注射" not in p.name_zh
        return bool(oral and p.name_en and not p.cancelled and len(p.name_en) <= 48 and len(p.name_zh) <= 22)

    def acceptable(self, p: Product) -> list[str]:
        """Products a reader cannot tell apart from `p`: same Chinese and English name keys and,
        when the names print a strength, that strength."""
        zh, en = normalize(p.name_zh, ocr=False), normalize(p.name_en, ocr=False)
        same = self._by_key.get(zh.key, set()) & self._by_key.get(en.key, set())
        printed = {round(s.value, 4) for s in zh.strengths + en.strengths if s.unit == "MG"}
        return sorted(i for i in same | {p.id} if printed <= self._strengths[i])

    def medication(self, rng: random.Random, days: int) -> TruthMedication:
        p = rng.choices(self.products, weights=self.weights)[0]
        code, timing, _ = rng.choices(PATTERNS, weights=[w for *_, w in PATTERNS])[0]
        dose = _weighted(rng, DOSES)
        per_day = PER_DAY.get(str(code))
        total = dose * per_day * days if per_day else float(rng.choice([6, 10, 12]))
        strengths = sorted(self._strengths[p.id])
        return TruthMedication(
            product_id=p.id,
            acceptable_ids=self.acceptable(p),
            name_zh=p.name_zh,
            name_en=p.name_en,
            strength_mg=strengths[0] if len(strengths) == 1 else None,
            dose=dose,
            frequency_code=str(code),
            timing_code=timing,
            total=total,
            days=days,
        )

    def prescription(self, rng: random.Random, layout: str) -> Truth:
        days = int(_weighted(rng, DAYS))
        count = 1 if layout == "bag" else rng.randint(2, 5)
        meds: list[TruthMedication] = []
        while len(meds) < count:
            med = self.medication(rng, days)
            if all(m.product_id not in med.acceptable_ids for m in meds):
                meds.append(med)
        visit = date(2023, 1, 1) + timedelta(days=rng.randint(0, 1000))
        clinic = rng.choice(_PLACES) + rng.choice(_KINDS)
        return Truth(
            layout=layout,
            clinic_name=clinic,
            doctor_name=person(rng),
            visit_date=visit.isoformat(),
            days_supply=days,
            medications=meds,
        )
