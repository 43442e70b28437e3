"""Duplicate-ingredient warnings on generated multi-bag cases built from the catalog itself.

Which pairs share an ingredient is decided here from the raw ingredient names with a salt list of
this test's own (not the product's ingredient keys), so the check can disagree with the code.
"""

from __future__ import annotations

import random
import re
from itertools import combinations

import pytest

from rxlens.catalog.index import MatchIndex
from rxlens.catalog.records import Product
from rxlens.plan import build_plan
from rxlens.result import AnalysisResult, Medication
from rxlens.vocab.frequency import parse, to_out

_SALTS = {
    "HCL", "HYDROCHLORIDE", "SODIUM", "POTASSIUM", "CALCIUM", "MAGNESIUM", "MALEATE", "BESYLATE",
    "BESILATE", "MESYLATE", "MESILATE", "SULFATE", "SULPHATE", "TARTRATE", "CITRATE", "FUMARATE",
    "SUCCINATE", "ACETATE", "PHOSPHATE", "BROMIDE", "HBR", "HYDROBROMIDE", "DIHYDRATE", "MONOHYDRATE",
    "TRIHYDRATE", "HEMIHYDRATE", "ANHYDROUS", "HYCLATE", "DIPROPIONATE", "PROPIONATE", "VALERATE",
    "MICRONIZED", "MICRONISED", "(MICRONIZED)", "EQ", "TO", "AS", "DISODIUM", "TROMETHAMINE", "NITRATE",
    # how a herb is prepared does not make it another substance (GLYCYRRHIZA POWDER / EXTRACT)
    "EXTRACT", "POWDER", "DRIED", "DRY", "FLUID", "TINCTURE",
}  # fmt: skip


_ANIONS = {
    "CHLORIDE", "CARBONATE", "BICARBONATE", "OXIDE", "HYDROXIDE", "SULFATE", "CITRATE", "PHOSPHATE",
    "GLUCONATE", "LACTATE", "ACETATE", "SILICATE", "TRISILICATE", "BROMIDE", "IODIDE", "FLUORIDE",
}  # fmt: skip


def substance(name: str) -> str:
    """`AMLODIPINE BESYLATE (EQ TO AMLODIPINE 5MG)` → AMLODIPINE: words before brackets, salts and
    strengths dropped; `SODIUM CHLORIDE` stays whole (the metal is the substance there)."""
    words = [
        w
        for w in re.sub(r"\(.*", "", name.upper()).replace("-", " ").split()
        if not re.search(r"\d", w) or len(w) <= 3
    ]
    kept = [w for w in words if w not in _SALTS]
    if all(w in _ANIONS or w.endswith("HYDRATE") for w in kept):
        return " ".join(words)
    return " ".join(kept)


def substances(p: Product) -> set[str]:
    return {s for i in p.ingredients if (s := substance(i.name))}


def related(a: str, b: str) -> bool:
    """Same substance, or one a word-prefix of the other (ROSUVASTATIN / ROSUVASTATIN CALCIUM)."""
    short, long_ = sorted((a.split(), b.split()), key=len)
    return long_[: len(short)] == short


def medication(p: Product) -> Medication:
    return Medication(
        matched_drug_id=p.id, drug_name_zh=p.name_zh, drug_name_en=p.name_en,
        ingredients=[i.label() for i in p.ingredients],
    )  # fmt: skip


def _pool(index: MatchIndex) -> list[Product]:
    # Oral and topical products with 1–3 named ingredients: the drugs that come home in bags.
    return [p for p in index.products if 1 <= len(substances(p)) <= 3 and not p.cancelled]


def _pairs(
    pool: list[Product], rng: random.Random
) -> tuple[list[tuple[Product, Product]], list[tuple[Product, Product]]]:
    by_first: dict[str, list[Product]] = {}
    for p in pool:
        for s in substances(p):
            by_first.setdefault(s.split()[0], []).append(p)
    same: list[tuple[Product, Product]] = []
    different: list[tuple[Product, Product]] = []
    while len(same) < 120 or len(different) < 250:
        a = rng.choice(pool)
        # half the time a near neighbour (same first word: VITAMIN B1 / VITAMIN B12, SODIUM …)
        b = (
            rng.choice(by_first[next(iter(substances(a))).split()[0]])
            if rng.random() < 0.5
            else rng.choice(pool)
        )
        if a.id == b.id:
            continue
        shared = any(related(x, y) for x in substances(a) for y in substances(b))
        bucket = same if shared else different
        if len(bucket) < (120 if shared else 250):
            bucket.append((a, b))
    return same, different


def test_every_duplicate_warned_and_no_false_warning(bundled_index: MatchIndex) -> None:
    rng = random.Random(20261128)
    pool = _pool(bundled_index)
    same, different = _pairs(pool, rng)
    missed: list[tuple[list[str], list[str]]] = []
    false: list[tuple[list[str], list[str]]] = []
    for a, b in same + different:
        # two bags from two clinics: each with the drug of the pair
        bags = [AnalysisResult(clinic_name="甲診所", medications=[medication(a)]),
                AnalysisResult(clinic_name="乙醫院", medications=[medication(b)])]  # fmt: skip
        warned = bool(build_plan(bags, index=bundled_index).duplicates)
        expected = (a, b) in same
        if warned != expected:
            (missed if expected else false).append((sorted(substances(a)), sorted(substances(b))))
    assert len(same) >= 100 and len(different) >= 200
    assert not missed, f"{len(missed)} of {len(same)} duplicates not warned, e.g. {missed[:5]}"
    assert not false, f"{len(false)} of {len(different)} different pairs warned, e.g. {false[:5]}"


def test_a_multi_bag_case_names_the_two_drugs_and_the_ingredient(bundled_index: MatchIndex) -> None:
    pool = _pool(bundled_index)
    rng = random.Random(7)
    for _ in range(30):
        bags_of = rng.sample(pool, 6)
        if any(
            any(related(x, y) for x in substances(a) for y in substances(b))
            for a, b in combinations(bags_of, 2)
        ):
            continue  # want six unrelated drugs, then one planted twin
        twin = next(p for p in pool if p.id != bags_of[0].id and substances(p) == substances(bags_of[0]))
        first = AnalysisResult(medications=[medication(p) for p in bags_of[:3]])
        second = AnalysisResult(medications=[medication(p) for p in bags_of[3:]] + [medication(twin)])
        plan = build_plan([first, second], index=bundled_index)
        assert [d.drugs for d in plan.duplicates] == [["r1m1", "r2m4"]]
        assert [w.kind for w in plan.warnings if w.kind == "duplicate"] == ["duplicate"]
        return
    raise AssertionError("no case of six unrelated drugs drawn")


def _acetaminophen(visit: str, days: int | None, code: str = "QID") -> AnalysisResult:
    f = parse(code)
    assert f is not None
    drug = Medication(
        matched_drug_id="A000000100", drug_name_zh="普拿疼", ingredients=["ACETAMINOPHEN 500MG"],
        frequency=to_out(f), dose_quantity=1, days=days,
    )  # fmt: skip
    return AnalysisResult(visit_date=visit, medications=[drug])


@pytest.mark.parametrize(
    ("first", "second", "warned"),
    [
        pytest.param(("2026-01-05", 28), ("2026-11-30", 28), False, id="last-january-and-this-week"),
        pytest.param(("2026-11-20", 28), ("2026-11-30", 28), True, id="overlapping-ten-days"),
        pytest.param(("2026-11-02", 28), ("2026-11-30", 28), False, id="the-day-after-it-ends"),
        pytest.param(("2026-11-03", 28), ("2026-11-30", 28), True, id="on-its-last-day"),
        pytest.param(("2026-01-05", None), ("2026-11-30", 28), True, id="no-known-end"),
    ],
)
def test_only_drugs_taken_on_a_common_day_are_duplicates(
    first: tuple[str, int | None], second: tuple[str, int | None], warned: bool
) -> None:
    """The page's list keeps each month's bag: last month's box of the same drug, finished, is
    not a second product taken with this one."""
    plan = build_plan([_acetaminophen(*first), _acetaminophen(*second)])
    assert bool(plan.duplicates) is warned


def test_an_as_needed_drug_bought_after_the_other_ended_is_not_a_duplicate() -> None:
    plan = build_plan([_acetaminophen("2026-01-05", 28), _acetaminophen("2026-11-30", None, "PRN")])
    assert not plan.duplicates
    plan = build_plan([_acetaminophen("2026-11-20", 28), _acetaminophen("2026-11-30", None, "PRN")])
    assert plan.duplicates
