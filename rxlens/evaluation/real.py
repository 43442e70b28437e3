"""Accuracy on real documents: folders of images with ground truth transcribed by eye.

Layout: `FOLDER/images/NAME.{jpg,png}` and `FOLDER/truth/NAME.json` in the realdev schema
(`clinic_name`, `doctor_name`, `visit_date`, `days_supply`, `medications[] {name_zh, name_en,
dose_per_time, frequency_code, timing, total_quantity}`; `null` = not legible, not scored).
A drug counts as found when its brand word, its printed generic or its Chinese name appears in
a medication the reader returns (the README's rule); `matched` also asks that the catalog
product the reader chose carries that name, so a drug kept as printed is found but not matched;
`no_wrong_drug` fails when a found drug was matched to a product that does not carry its name.
"""

from __future__ import annotations

import asyncio
import re
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from rxlens.evaluation.score import Tally, header_pairs
from rxlens.images.intake import Upload
from rxlens.pipeline import analyze
from rxlens.result import AnalysisResult, Medication
from rxlens.services import Services
from rxlens.vocab import frequency as grammar

FIELDS = [
    "drug_found",
    "drug_matched",
    "no_wrong_drug",
    "dose",
    "frequency",
    "frequency_canonical",
    "timing",
    "total",
    "days",
]
HEADER = ["visit_date", "clinic", "doctor", "days_supply"]
_FORM_WORDS = {"TABLETS", "TABLET", "TAB", "TABS", "FC", "F", "C", "FILM", "COATED", "CAPSULES", "CAP"}


class RealMedication(BaseModel):
    name_zh: str | None = None
    name_en: str | None = None
    dose_per_time: str | None = None
    frequency_code: str | None = None
    timing: str | None = None
    total_quantity: float | None = None


class RealTruth(BaseModel):
    clinic_name: str | None = None
    doctor_name: str | None = None
    visit_date: str | None = None
    days_supply: int | None = None
    medications: list[RealMedication] = []


@dataclass
class Miss:
    image: str
    field: str
    expected: str
    got: str


@dataclass
class RealReport:
    tally: Tally = field(default_factory=Tally)
    misses: list[Miss] = field(default_factory=list)
    latencies_ms: dict[str, float] = field(default_factory=dict)

    def add(self, image: str, name: str, ok: bool, expected: object, got: object) -> None:
        self.tally.add(name, ok)
        if not ok:
            self.misses.append(Miss(image, name, str(expected), str(got)))


def name_words(med: RealMedication) -> list[str]:
    """The words that identify a printed drug: brand word, generic in brackets, Chinese name."""
    words = []
    if med.name_en:
        brand = [w for w in re.findall(r"[A-Za-z]{3,}", med.name_en) if w.upper() not in _FORM_WORDS]
        words += brand[:1]
        words += re.findall(r"\(([A-Za-z]{4,})", med.name_en)
    if med.name_zh:
        words.append(med.name_zh[:2])
    return [w.upper() for w in words]


def _said(med: Medication, matched_only: bool) -> str:
    names = [med.drug_name_en, med.drug_name_zh, *med.ingredients]
    return " ".join(names if matched_only else [*names, med.printed_name]).upper()


def _pair(truth: RealMedication, meds: list[Medication], matched_only: bool) -> Medication | None:
    words = name_words(truth)
    return next((m for m in meds if any(w in _said(m, matched_only) for w in words)), None)


def _number(text: str | None) -> float | None:
    m = re.search(r"\d+(?:\.\d+)?", text or "")
    return float(m.group(0)) if m else None


def _canonical(code: str | None, timing: str | None) -> tuple[object, ...] | None:
    parsed = grammar.parse(f"{code}{timing or ''}") or grammar.parse(code or "")
    return (parsed.per_day, tuple(parsed.weekdays), parsed.prn, parsed.known) if parsed else None


def _read_canonical(med: Medication) -> tuple[object, ...] | None:
    f = med.frequency
    return (f.per_day, tuple(f.weekdays), f.prn, f.known) if f else None


def score_medication(report: RealReport, image: str, truth: RealMedication, med: Medication) -> None:
    checks: dict[str, tuple[object, object]] = {
        "dose": (_number(truth.dose_per_time), med.dose_quantity),
        "frequency": (truth.frequency_code, med.frequency_count_code),
        "frequency_canonical": (_canonical(truth.frequency_code, truth.timing), _read_canonical(med)),
        "timing": (truth.timing, med.frequency_timing_code),
        "total": (truth.total_quantity, med.total_quantity),
    }
    label = truth.name_en or truth.name_zh
    for name, (expected, got) in checks.items():
        if expected is not None or name == "timing":
            report.add(image, name, expected == got, f"{label}: {expected}", got)


def score(report: RealReport, image: str, truth: RealTruth, record: AnalysisResult) -> None:
    for name, (expected, got) in header_pairs(truth, record).items():
        if expected is not None:
            report.add(image, name, expected == got, expected, got)
    left = list(record.medications)
    for tm in truth.medications:
        label = tm.name_en or tm.name_zh
        med = _pair(tm, left, matched_only=False)
        got = ", ".join(m.drug_name_en or m.printed_name for m in record.medications) or "nothing"
        report.add(image, "drug_found", med is not None, label, got)
        report.add(image, "drug_matched", _pair(tm, left, matched_only=True) is not None, label, got)
        if med is None:
            continue
        # Found by its printed name but matched to a product that does not carry it: a wrong drug.
        wrong = med.matched_drug_id is not None and _pair(tm, [med], matched_only=True) is None
        report.add(image, "no_wrong_drug", not wrong, label, f"{med.matched_drug_id} {med.drug_name_en}")
        left.remove(med)
        score_medication(report, image, tm, med)
        if truth.days_supply is not None:
            days = truth.days_supply
            report.add(image, "days", med.days == days, f"{label}: {days}", med.days)


def cases(folder: Path) -> Iterator[tuple[Path, RealTruth]]:
    for truth_file in sorted((folder / "truth").glob("*.json")):
        images = [p for p in (folder / "images").glob(truth_file.stem + ".*")]
        if images:
            yield images[0], RealTruth.model_validate_json(truth_file.read_text(encoding="utf-8"))


async def evaluate(folder: Path, services: Services) -> RealReport:
    report = RealReport()
    for image, truth in cases(folder):
        start = time.perf_counter()
        record = await analyze([Upload(image.name, image.read_bytes())], services, mode="sequential")
        report.latencies_ms[image.stem] = (time.perf_counter() - start) * 1000
        score(report, image.stem, truth, record)
    return report


def run(folder: Path, services: Services) -> RealReport:
    return asyncio.run(evaluate(folder, services))


def table(report: RealReport) -> str:
    t = report.tally
    lines = ["| field | right | total | rate |", "|---|---|---|---|"]
    for name in FIELDS + HEADER:
        rate = t.rate(name)
        shown = f"{rate:.1%}" if rate is not None else "-"
        lines.append(f"| {name} | {t.right[name]} | {t.total[name]} | {shown} |")
    if report.latencies_ms:
        values = list(report.latencies_ms.values())
        median = statistics.median(values)
        lines.append(f"\nlatency per slip: median {median:.0f} ms, max {max(values):.0f} ms")
    return "\n".join(lines)
