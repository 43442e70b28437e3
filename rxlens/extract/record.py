"""OCR lines of all photos → one AnalysisResult (header, medications); the validate stage checks it."""

from __future__ import annotations

from typing import Protocol

from rxlens.catalog.index import Candidate
from rxlens.catalog.normalize import normalize
from rxlens.extract import visits
from rxlens.extract.assemble import Assembler, Sizes
from rxlens.extract.drafts import draft_photo
from rxlens.ocr.base import TextLine
from rxlens.result import AnalysisResult, Medication


def _merge(into: Medication, other: Medication) -> None:
    """The same drug seen on two photos is one medication; the first photo's reading wins."""
    for name in (
        "dose_quantity",
        "dose_unit",
        "frequency_text",
        "frequency_count_code",
        "frequency_timing_code",
        "frequency",
        "nhi_code",
        "total_quantity",
        "days",
    ):
        if getattr(into, name) is None and getattr(other, name) is not None:
            setattr(into, name, getattr(other, name))
    into.prn = into.prn or other.prn
    for key, info in other.fields.items():
        into.fields.setdefault(key, info)


def _deduplicate(meds: list[Medication]) -> list[Medication]:
    kept: dict[str, Medication] = {}
    for med in meds:
        # A drug the catalog lacks is the same drug when it prints the same name.
        key = med.matched_drug_id or f"printed:{normalize(med.printed_name).key or len(kept)}"
        if key in kept:
            _merge(kept[key], med)
        else:
            kept[key] = med
    return list(kept.values())


class Lookup(Protocol):
    """What extraction asks of the catalog (the warm MatchIndex)."""

    def match(self, text: str, limit: int = 5) -> list[Candidate]: ...

    def by_code(self, text: str) -> Candidate | None: ...

    def alternatives(self, text: str, limit: int = 3) -> list[Candidate]: ...


def build_record(lines: dict[int, list[TextLine]], catalog: Lookup | None, sizes: Sizes) -> AnalysisResult:
    """`catalog=None` when it is unavailable: drugs are found by layout alone, unmatched."""
    record = AnalysisResult()
    assembler = Assembler(sizes, catalog.alternatives if catalog else None)
    rows_by_photo, meds = {}, []
    for photo in sorted(lines):
        match, by_code = (catalog.match, catalog.by_code) if catalog else (None, None)
        rows, drafts = draft_photo(lines[photo], match, by_code)
        rows_by_photo[photo] = rows
        meds += [assembler.medication(d) for d in drafts]
    if not any(lines.values()):
        record.warnings.append("no text found on the photos")
    record.medications = _deduplicate(meds)
    visits.apply(record, rows_by_photo, visits.read(rows_by_photo), sizes)
    return record
