"""The validate stage: a record from either engine (local extract, cloud analysis) → its days
reconciled, confidences, the arithmetic check per drug, completeness and the user's message.

It knows records, never how they were read, so both engines feed it the same way.
"""

from __future__ import annotations

from rxlens.result import AnalysisResult
from rxlens.validate.arithmetic import check, completeness, stats
from rxlens.validate.derive import derive_dose


def days_from_drugs(record: AnalysisResult) -> None:
    """No header days: the days every drug row prints (`28 days` on each) are the supply."""
    days = {m.days for m in record.medications}
    if record.days_supply is None and len(days) == 1 and None not in days:
        record.days_supply = days.pop()
        first = record.medications[0].fields.get("days")
        if first is not None:
            record.fields["days_supply"] = first


def validate(record: AnalysisResult, text_found: bool) -> AnalysisResult:
    """Adds the checks in place and returns the record; running it twice changes nothing more."""
    days_from_drugs(record)
    for med in record.medications:
        if med.days is None and record.days_supply is not None:
            med.days = record.days_supply
            if "days_supply" in record.fields:
                med.fields["days"] = record.fields["days_supply"]
        derive_dose(med)
        med.arithmetic = check(med)
        if med.arithmetic.status == "mismatch" and med.arithmetic.note not in med.warnings:
            med.warnings.append(med.arithmetic.note)
        med.confidence = round(min((f.confidence for f in med.fields.values()), default=0.0), 3)
    record.frequency_stats = stats(record.medications)
    record.successful_match_count = sum(1 for m in record.medications if m.matched_drug_id)
    record.completeness_type = completeness(record)
    record.is_successful = record.successful_match_count > 0
    record.user_message = message(record, text_found)
    return record


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
