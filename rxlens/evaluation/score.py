"""Field-level accuracy of records against ground truth, per layout family (`rxlens eval run`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rxlens.evaluation.truth import Truth, TruthMedication
from rxlens.result import AnalysisResult, FrequencyOut, Medication

MED_FIELDS = [
    "drug",
    "strength",
    "dose",
    "frequency",
    "frequency_canonical",
    "timing",
    "total",
    "days",
    "all_fields",
]
HEADER_FIELDS = ["visit_date", "clinic", "doctor", "days_supply"]
SUMMARY = ["clean", "damaged", "all"]
Check = tuple[bool, str, str]


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


def _pair(truth: Truth, record: AnalysisResult) -> list[tuple[TruthMedication, Medication | None]]:
    left = list(record.medications)
    pairs: list[tuple[TruthMedication, Medication | None]] = []
    for tm in truth.medications:
        med = next((m for m in left if m.matched_drug_id in tm.acceptable_ids), None)
        if med is not None:
            left.remove(med)
        pairs.append((tm, med))
    return pairs


def _meaning(per_day: float | None, weekdays: list[int], prn: bool) -> str:
    count = "None" if per_day is None else f"{per_day:.4g}"
    return f"per_day={count} weekdays={sorted(weekdays)} prn={prn}"


def canonical(tm: TruthMedication, f: FrequencyOut | None) -> Check:
    """Does the record mean the same schedule: doses a day (1e-6), weekdays and PRN."""
    expected = _meaning(tm.per_day, tm.weekdays, tm.prn)
    if f is None:
        return False, expected, "None"
    same_count = (tm.per_day is None) == (f.per_day is None) and (
        tm.per_day is None or f.per_day is None or abs(tm.per_day - f.per_day) < 1e-6
    )
    ok = same_count and sorted(f.weekdays) == sorted(tm.weekdays) and f.prn == tm.prn
    return ok, expected, _meaning(f.per_day, f.weekdays, f.prn)


def _checks(tm: TruthMedication, med: Medication, strengths: set[float] | None) -> dict[str, Check]:
    checks: dict[str, Check] = {
        "drug": (True, tm.product_id, str(med.matched_drug_id)),
        "dose": (med.dose_quantity == tm.dose, f"{tm.dose:g}", str(med.dose_quantity)),
        "frequency": (
            med.frequency_count_code == tm.frequency_code,
            tm.frequency_code,
            str(med.frequency_count_code),
        ),
        "frequency_canonical": canonical(tm, med.frequency),
        "timing": (
            med.frequency_timing_code == tm.timing_code,
            str(tm.timing_code),
            str(med.frequency_timing_code),
        ),
        "total": (med.total_quantity == tm.total, f"{tm.total:g}", str(med.total_quantity)),
        "days": (med.days == tm.days, str(tm.days), str(med.days)),
    }
    if tm.strength_mg is not None and strengths is not None:
        checks["strength"] = (tm.strength_mg in strengths, f"{tm.strength_mg:g} mg", str(med.strength))
    return checks


# Header fields scored, and the attribute each is under (both truth schemas name them alike).
HEADER_ATTRS = {
    "visit_date": "visit_date",
    "clinic": "clinic_name",
    "doctor": "doctor_name",
    "days_supply": "days_supply",
}


def header_pairs(truth: object, record: AnalysisResult) -> dict[str, tuple[object, object]]:
    """(expected, read) for each header field."""
    return {name: (getattr(truth, attr), getattr(record, attr)) for name, attr in HEADER_ATTRS.items()}


class Scorer:
    """Tallies per group: the layout family, clean or damaged, and all."""

    def __init__(self, strengths_of: dict[str, set[float]] | None = None) -> None:
        self.strengths_of = strengths_of  # product id → its mg strengths (the strength field)
        self.tallies: dict[str, Tally] = defaultdict(Tally)
        self.failures: list[Failure] = []

    def _add(self, groups: list[str], name: str, check: Check, image: str) -> None:
        ok, expected, got = check
        for g in groups:
            self.tallies[g].add(name, ok)
        if not ok:
            self.failures.append(Failure(image, f"{groups[-1]}:{name}", expected, got))

    def score(self, image: str, truth: Truth, record: AnalysisResult) -> None:
        groups = ["all", "damaged" if truth.damaged else "clean", truth.layout]
        for name, (expected, got) in header_pairs(truth, record).items():
            self._add(groups, name, (got == expected, str(expected), str(got)), image)
        for tm, med in _pair(truth, record):
            if med is None:
                found = (
                    ", ".join(m.printed_name or m.drug_name_en or "?" for m in record.medications)
                    or "nothing"
                )
                self._add(
                    groups, "drug", (False, f"{tm.name_en or tm.name_zh} ({tm.product_id})", found), image
                )
                continue
            strengths = self.strengths_of.get(med.matched_drug_id or "", set()) if self.strengths_of else None
            checks = _checks(tm, med, strengths)
            for name, check in checks.items():
                self._add(groups, name, check, image)
            every = all(ok for n, (ok, _, _) in checks.items() if n != "strength")
            self._add(groups, "all_fields", (every, "", ""), image)

    def columns(self) -> list[str]:
        families = sorted(k for k in self.tallies if k not in SUMMARY)
        return families + [c for c in SUMMARY if c in self.tallies]

    def table(self) -> str:
        cols = self.columns()
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
        """Failure modes, most frequent first, by family and field (a missed drug counts once)."""
        by_field: dict[str, list[Failure]] = defaultdict(list)
        for f in self.failures:
            if not f.field.endswith(":all_fields"):
                by_field[f.field].append(f)
        ranked = sorted(by_field.items(), key=lambda kv: -len(kv[1]))[:top]
        return [(name, len(items), items[:3]) for name, items in ranked]
