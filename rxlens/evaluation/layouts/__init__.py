"""The layout families: each module has a SPEC (what it prints) and render(truth, rng)."""

from __future__ import annotations

import random
from types import ModuleType

from PIL import Image

from rxlens.evaluation.layouts import (
    clinic_bag,
    eye_and_topical,
    hospital_bag,
    name_usage_lines,
    nhi_code_table,
    nhi_standard_form,
    pharmacy_receipt,
    zh_en_grid,
)
from rxlens.evaluation.scenario import Spec
from rxlens.evaluation.truth import Truth

FAMILIES: dict[str, ModuleType] = {
    m.SPEC.name: m
    for m in (
        nhi_code_table, name_usage_lines, nhi_standard_form, zh_en_grid,
        clinic_bag, hospital_bag, pharmacy_receipt, eye_and_topical,
    )
}  # fmt: skip
# Older callers (tests, benches) ask for a "bag" or a "slip".
ALIASES = {"bag": "clinic_bag", "slip": "nhi_standard_form"}


def family(name: str) -> ModuleType:
    return FAMILIES[ALIASES.get(name, name)]


def spec_of(name: str) -> Spec:
    spec: Spec = family(name).SPEC
    return spec


def render(truth: Truth, rng: random.Random) -> Image.Image:
    image: Image.Image = family(truth.layout).render(truth, rng)
    return image
