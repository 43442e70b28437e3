"""Random but realistic prescriptions built from catalog products, for one layout family."""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field, replace

from rxlens.catalog.records import Product
from rxlens.evaluation import identity, naming, phrasebook
from rxlens.evaluation.codes import Usage, doses
from rxlens.evaluation.truth import Truth, TruthMedication

# Licence forms (dataset 37) and NHI grouping forms alike.
EYE_FORMS = {
    "眼用液劑",
    "眼耳鼻用軟膏",
    "外用軟膏劑",
    "外用液劑",
    "點眼液劑",
    "眼藥水",
    "眼用軟膏劑",
    "軟膏劑",
    "乳膏劑",
}
EYE_WORDS = re.compile(r"\b(EYE|OPHTHALMIC|OINTMENT|CREAM|GEL)\b|眼藥|點眼|眼用|軟膏|乳膏")
ORAL_FORMS = {"一般錠劑膠囊劑", "緩釋錠劑膠囊劑", "腸溶製劑", ""}
# Licence forms of tablets and capsules swallowed whole (not vaginal, buccal or effervescent).
_ORAL_FORM_RE = re.compile(r"^(?!.*(?:陰道|口含|發泡|注射|舌下)).*(?:錠|膠囊)")
DAYS = [(28, 8), (30, 3), (7, 6), (14, 4), (3, 3), (5, 2), (56, 1), (84, 1)]
SHORT_DAYS = [3, 5, 7, 14]
DOSES = [(1.0, 12), (0.5, 3), (2.0, 3), (1.5, 0.4), (0.25, 0.2)]


@dataclass(frozen=True)
class Spec:
    """What one layout family prints, so the scenario chooses products and wording that fit it."""

    name: str
    meds: tuple[int, int]
    names: str  # en | zh | both: which names the page prints
    style: str  # a phrasebook style
    kind: str  # hospital | clinic | eye | pharmacy
    units: tuple[str, ...] = ("TAB",)
    eye: bool = False
    varied_days: float = 0.2  # chance that a slip's drugs differ in days
    header_days: float = 0.0  # chance that the header prints the days supply (layouts that have one)
    code_share: float = 0.0  # chance that the page prints the 10-digit institution code
    en_styles: tuple[str, ...] = ("catalog",)
    extra: dict[str, float] = field(default_factory=dict)


def _is_eye(p: Product) -> bool:
    """Eye drops, eye ointments and skin ointments or creams (by form; by name when no form)."""
    if p.dosage_form:
        return p.dosage_form in EYE_FORMS
    solid = any(w in p.name_zh for w in ("錠", "膠囊")) or re.search(r"\b(TAB|CAP)", p.name_en.upper())
    return not solid and bool(EYE_WORDS.search(f"{p.name_zh} {p.name_en.upper()}"))


def _for_eyes(p: Product) -> bool:
    return (
        "眼" in p.name_zh
        or "眼" in p.dosage_form
        or any(w in p.name_en.upper() for w in ("EYE", "OPHTHALMIC", "OPHTH"))
    )


def _is_oral(p: Product) -> bool:
    text = f"{p.name_zh} {p.name_en.upper()} {p.dosage_form}"
    solid = any(w in text for w in ("錠", "膠囊", "TAB", "CAP"))
    oral_form = p.dosage_form in ORAL_FORMS or bool(_ORAL_FORM_RE.match(p.dosage_form))
    return solid and oral_form and "注射" not in text and "INJ" not in text


class ScenarioMaker:
    """Chooses products a family can print (weighted toward commonly prescribed ones)."""

    def __init__(self, products: list[Product]) -> None:
        usable = [p for p in products if not p.cancelled and p.name_en and len(p.name_en) <= 70]
        self.pools: dict[tuple[bool, bool], list[Product]] = {}
        for eye in (False, True):
            for zh in (False, True):
                pool = [p for p in usable if (_is_eye(p) if eye else _is_oral(p))]
                self.pools[eye, zh] = [p for p in pool if p.name_zh and len(p.name_zh) <= 30] if zh else pool
        # Eye clinics dominate the eye family on real slips, while the licence list holds far more
        # skin solutions than eye drops: eye products weigh more so both kinds appear.
        self.weights = {
            k: [math.log10(10 + p.volume) ** 2 * (6 if k[0] and _for_eyes(p) else 1) for p in v]
            for k, v in self.pools.items()
        }
        self.names = naming.NameIndex(usable)

    def _product(self, rng: random.Random, spec: Spec) -> Product:
        key = (spec.eye, spec.names != "en")
        pool = self.pools[key] or self.pools[False, key[1]]
        return rng.choices(pool, weights=self.weights[key] if self.pools[key] else None)[0]

    def medication(self, rng: random.Random, spec: Spec, days: int, unit: str) -> TruthMedication:
        p = self._product(rng, spec)
        style = "topical" if spec.eye and not _for_eyes(p) else spec.style
        u = phrasebook.STYLES[style](rng)
        dose = 1.0 if spec.eye else rng.choices([d for d, _ in DOSES], weights=[w for _, w in DOSES])[0]
        unit = _unit_for(p, unit)
        u = replace(u, printed=u.printed.replace("{dose}", f"{dose:g}{unit}"))
        en = naming.english(p, rng.choice(spec.en_styles), rng) if spec.names != "zh" else ""
        zh = naming.chinese(p, rng) if spec.names != "en" else ""
        return TruthMedication(
            product_id=p.id,
            acceptable_ids=self.names.acceptable(p, en, zh),
            name_zh=zh,
            name_en=en,
            strength_mg=naming.single_mg(p),
            nhi_code=p.nhi_codes[0] if p.nhi_codes else None,
            dose=dose,
            dose_unit=unit,
            frequency_printed=u.printed,
            frequency_code=u.code,
            timing_code=u.timing,
            per_day=u.per_day,
            weekdays=list(u.weekdays),
            prn=u.prn,
            known=u.known,
            total=_total(u, dose, days, spec.eye, rng),
            days=days,
        )

    def prescription(self, rng: random.Random, spec: Spec | str) -> Truth:
        if isinstance(spec, str):  # a family name (old callers pass "bag" / "slip")
            from rxlens.evaluation.layouts import spec_of

            spec = spec_of(spec)
        days = rng.choices([d for d, _ in DAYS], weights=[w for _, w in DAYS])[0]
        unit = rng.choice(spec.units)
        meds: list[TruthMedication] = []
        wanted = rng.randint(*spec.meds)
        for _ in range(200):
            if len(meds) >= wanted:
                break
            own = rng.choice(SHORT_DAYS) if meds and rng.random() < spec.varied_days else days
            med = self.medication(rng, spec, own, unit)
            if all(m.product_id not in med.acceptable_ids for m in meds):
                meds.append(med)
        place = identity.institution(rng, spec.kind)
        doctor, visit = identity.person(rng), identity.visit_date(rng).isoformat()
        header = max(m.days or 0 for m in meds) if rng.random() < spec.header_days else None
        shared = {m.days for m in meds}
        return Truth(
            layout=spec.name,
            clinic_name=place.name,
            doctor_name=doctor,
            visit_date=visit,
            header_days=header,
            days_supply=header or (shared.pop() if len(shared) == 1 else None),
            institution_code=place.code if rng.random() < spec.code_share else None,
            medications=meds,
        )


CAPSULE_UNIT = {"TAB": "CAP", "Tab": "Cap", "tab": "cap", "錠": "粒"}


def _unit_for(p: Product, unit: str) -> str:
    capsule = "膠囊" in p.name_zh or "CAP" in p.name_en.upper()
    return CAPSULE_UNIT.get(unit, unit) if capsule else unit


def _total(u: Usage, dose: float, days: int, eye: bool, rng: random.Random) -> float:
    if eye:
        return float(rng.choice([1, 1, 1, 2]))
    count = doses(u, days)
    if count is None:  # PRN, STAT, as directed: the prescriber gives a count
        return float(rng.choice([1, 3, 6, 10, 14, 20, 30])) * dose
    return math.ceil(count * dose * 2) / 2
