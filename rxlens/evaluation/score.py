"""Field-level accuracy of records against ground truth (`rxlens eval run`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rxlens.catalog.normalize import normalize
from rxlens.evaluation.truth import Truth, TruthMedication
from rxlens.result import AnalysisResult, Medication

MED_FIELDS = [
    "drug",
    "printed_name",
    "strength",
    "dose",
    "frequency",
    "timing",
    "total",
    "days",
    "all_fields",
]
HEADER_FIELDS = ["visit_date", "days_supply", "clinic", "doctor"]


@dataclass
class Tally:
    right: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)

    def add(self, name: str, ok: bool) -> None:
        self.total[name] += 1
        self.right[name] += ok

    def rate(self, name: str) -> float | None:
        return self.right[name] / self.total[name] if self.total[name] else None


@dataclass
class Failure:
    image: str
    field: str
    expected: str
    got: str


def _printed(truth: TruthMedication, med: Medication) -> bool:
    read = normalize(med.printed_name).key
    keys = [normalize(truth.name_en, ocr=False).key, normalize(truth.name_zh, ocr=False).key]
    return any(k and k in read for k in keys)


def _pair(truth: Truth, record: AnalysisResult) -> list[tuple[TruthMedication, Medication | None]]:
    left = list(record.medications)
    pairs: list[tuple[TruthMedication, Medication | None]] = []
    for tm in truth.medications:
        med = next((m for m in left if m.matched_drug_id in tm.acceptable_ids), None)
        if med is not None:
            left.remove(med)
        pairs.append((tm, med))
    return pairs


def _checks(tm: TruthMedication, med: Medication, strengths: set[float]) -> dict[str, tuple[bool, str, str]]:
    checks = {
        "drug": (True, tm.product_id, str(med.matched_drug_id)),
        "printed_name": (_printed(tm, med), tm.name_en, med.printed_name),
        "dose": (med.dose_quantity == tm.dose, f"{tm.dose:g}", str(med.dose_quantity)),
        "frequency": (
            med.frequency_count_code == tm.frequency_code,
            tm.frequency_code,
            str(med.frequency_count_code),
        ),
        "timing": (
            med.frequency_timing_code == tm.timing_code,
            str(tm.timing_code),
            str(med.frequency_timing_code),
        ),
        "total": (med.total_quantity == tm.total, f"{tm.total:g}", str(med.total_quantity)),
        "days": (med.days == tm.days, str(tm.days), str(med.days)),
    }
    if tm.strength_mg is not None:
        checks["strength"] = (tm.strength_mg in strengths, f"{tm.strength_mg:g} mg", str(med.strength))
    return checks


class Scorer:
    def __init__(self, strengths_of: dict[str, set[float]]) -> None:
        self.strengths_of = strengths_of
        self.tallies: dict[str, Tally] = defaultdict(Tally)
        self.failures: list[Failure] = []

    def _add(self, groups: list[str], name: str, ok: bool, image: str, expected: str, got: str) -> None:
        for g in groups:
            self.tallies[g].add(name, ok)
        if not ok:
            self.failures.append(Failure(image, name, expected, got))

    def score(self, image: str, truth: Truth, record: AnalysisResult) -> None:
        groups = ["all", "damaged" if truth.damaged else "clean", truth.layout]
        header = {
            "visit_date": (record.visit_date, truth.visit_date),
            "days_supply": (record.days_supply, truth.days_supply),
            "clinic": (record.clinic_name, truth.clinic_name),
            "doctor": (record.doctor_name, truth.doctor_name),
        }
        for name, (got, expected) in header.items():
            self._add(groups, name, got == expected, image, str(expected), str(got))
        for tm, med in _pair(truth, record):
            if med is None:
                self._add(
                    groups,
                    "drug",
                    False,
                    image,
                    f"{tm.name_en} ({tm.product_id})",
                    ", ".join(m.drug_name_en or "?" for m in record.medications) or "nothing",
                )
                for name in MED_FIELDS[1:]:
                    if name != "strength" or tm.strength_mg is not None:
                        self._add(groups, name, False, image, "", "drug not found")
                continue
            checks = _checks(tm, med, self.strengths_of.get(med.matched_drug_id or "", set()))
            for name, (ok, expected, got) in checks.items():
                self._add(groups, name, ok, image, expected, got)
            every = all(ok for n, (ok, _, _) in checks.items() if n not in ("printed_name", "strength"))
            self._add(groups, "all_fields", every, image, "", "")

    def table(self) -> str:
        cols = [c for c in ("clean", "damaged", "bag", "slip", "all") if c in self.tallies]
        lines = ["| field | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
        for name in MED_FIELDS + HEADER_FIELDS:
            cells = []
            for c in cols:
                t = self.tallies[c]
                rate = t.rate(name)
                cells.append(f"{rate:.1%} ({t.right[name]}/{t.total[name]})" if rate is not None else "-")
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def worst(self, top: int = 8) -> list[tuple[str, int, list[Failure]]]:
        by_field: dict[str, list[Failure]] = defaultdict(list)
        for f in self.failures:  # a missed drug fails all its fields: count it once, under "drug"
            if f.field != "all_fields" and f.got != "drug not found":
                by_field[f.field].append(f)
        ranked = sorted(by_field.items(), key=lambda kv: -len(kv[1]))[:top]
        return [(name, len(items), items[:3]) for name, items in ranked]
