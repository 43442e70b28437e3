"""A brand missing from the catalog must not be accepted as another drug (seed not used for tuning)."""

from __future__ import annotations

import pytest

from bench.leave_brand_out import run, sample_brands, table
from rxlens.catalog.bundled import Bundle
from rxlens.catalog.index import MatchIndex

SEED = 4242  # the bench's tuning used seeds 2026, 1, 7 and 11


def test_missing_brands_are_not_accepted_as_another_drug(bundle: Bundle, bundled_index: MatchIndex) -> None:
    out = run(bundled_index, sample_brands(bundle.products, 120, SEED), SEED)
    answers = sum(out.counts.values())
    wrong = len(out.wrong)
    print("\n" + table(out))
    assert answers >= 230
    assert wrong / answers <= 0.01, "\n".join(out.wrong)


def test_excluded_products_are_never_returned(bundle: Bundle, bundled_index: MatchIndex) -> None:
    crestor = frozenset(p.id for p in bundle.products if p.name_en.upper().startswith("CRESTOR"))
    assert crestor
    for text in ("CRESTOR 10MG FILM-COATED TABLETS", "冠脂妥膜衣錠10毫克", "Rosuvastatin 10mg"):
        found = bundled_index.match(text, 20, exclude=crestor)
        assert not {c.product.id for c in found} & crestor
        assert not {c.product.id for c in bundled_index.alternatives(text, 20, exclude=crestor)} & crestor


@pytest.mark.parametrize(
    ("text", "brand"),
    [
        pytest.param("FLUCON CAPSULES 150MG (FLUCONAZOLE)", "FLUCON", id="flucon-is-not-fluorometholone"),
        pytest.param("Tanza F.C. Tablets 50mg", "TANZA", id="tanza-is-not-amiloride"),
        pytest.param("NORCOL TABLETS 20MG (BENPROPERINE)", "NORCOL", id="norcol-is-not-norethindrone"),
        pytest.param("GASCON 40MG", "GASCON", id="gascon-is-not-neotigason"),
        pytest.param('CONAMIN TABLETS "GENTLE"', "CONAMIN", id="conamin-is-not-conapin"),
        pytest.param('Riston F.C. Tablets 2mg "CHI SHENG"', "RISTON", id="riston-is-not-raston"),
    ],
)
def test_brand_left_out_is_not_replaced(
    bundle: Bundle, bundled_index: MatchIndex, text: str, brand: str
) -> None:
    gone = frozenset(p.id for p in bundle.products if p.name_en.upper().startswith(brand))
    top = bundled_index.match(text, 1, exclude=gone)
    assert not (top and top[0].accepted), top[0].evidence
