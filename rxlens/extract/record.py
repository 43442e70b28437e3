"""OCR lines of all photos → one AnalysisResult (header, medications, checks, message)."""

from __future__ import annotations

from typing import Protocol

from rxlens.catalog.index import Candidate
from rxlens.catalog.normalize import normalize
from rxlens.extract import visits
from rxlens.extract.assemble import Assembler, Sizes
from rxlens.extract.drafts import draft_photo
from rxlens.ocr.base import TextLine
from rxlens.result import AnalysisResult, Medication
from rxlens.validate.arithmetic import check, completeness, stats


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


def finish(record: AnalysisResult, text_found: bool) -> None:
    visits.days_from_drugs(record)
    for med in record.medications:
        if med.days is None and record.days_supply is not None:
            med.days = record.days_supply
            if "days_supply" in record.fields:
                med.fields["days"] = record.fields["days_supply"]
        med.arithmetic = check(med)
        if med.arithmetic.status == "mismatch" and med.arithmetic.note not in med.warnings:
            med.warnings.append(med.arithmetic.note)
        med.confidence = round(min((f.confidence for f in med.fields.values()), default=0.0), 3)
    record.frequency_stats = stats(record.medications)
    record.successful_match_count = sum(1 for m in record.medications if m.matched_drug_id)
    record.completeness_type = completeness(record)
    record.is_successful = record.successful_match_count > 0
    record.user_message = message(record, text_found)


def message(record: AnalysisResult, text_found: bool) -> str:
    n, matched = len(record.medications), record.successful_match_count
    if record.completeness_type == "empty":
        return (
            "照片中沒有辨識到藥品名稱。請確認照片清晰、光線充足，並拍到藥袋或藥單上的藥名。"
            if text_found
            else "照片中沒有讀到文字。請在光線充足處對準藥袋或藥單重新拍攝。"
        )
    text = f"辨識到 {n} 項藥品，{matched} 項已對應藥品資料。"
    if record.frequency_stats.mismatch:
        text += f"有 {record.frequency_stats.mismatch} 項用法與總量不符，請與藥師確認。"
    if record.completeness_type != "complete_prescription":
        text += "部分資料未能讀到，請參考原藥袋。"
    return text


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
    text_found = any(lines.values())
    if not text_found:
        record.warnings.append("no text found on the photos")
    record.medications = _deduplicate(meds)
    visits.apply(record, rows_by_photo, visits.read(rows_by_photo), sizes)
    finish(record, text_found)
    return record
