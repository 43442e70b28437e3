"""Header fields per photo, and what to do when the photos of one record show different visits.

Two bags from two clinics, or a slip and last month's bag, may be sent together. Their header
is not one header: each medication keeps the visit of its own photo and the record says so.
"""

from __future__ import annotations

from collections.abc import Callable

from rxlens.extract import header
from rxlens.extract.assemble import Reading, Sizes
from rxlens.extract.header import Found
from rxlens.layout.rows import Row
from rxlens.result import AnalysisResult, Medication, Visit

Finder = Callable[[list[Row]], Found | None]
FIELDS: dict[str, Finder] = {
    "clinic_name": header.clinic,
    "doctor_name": header.doctor,
    "visit_date": header.visit_date,
    "days_supply": header.days_supply,
    "institution_code": header.institution_code,
}
_VISIT = ("clinic_name", "visit_date")

PhotoHeaders = dict[int, dict[str, Found]]


def read(rows_by_photo: dict[int, list[Row]]) -> PhotoHeaders:
    return {
        photo: {name: found for name, find in FIELDS.items() if (found := find(rows))}
        for photo, rows in rows_by_photo.items()
    }


def _differ(headers: PhotoHeaders, name: str) -> bool:
    return len({h[name].value for h in headers.values() if name in h}) > 1


def _refill(record: AnalysisResult, rows_by_photo: dict[int, list[Row]], sizes: Sizes) -> None:
    for _, rows in sorted(rows_by_photo.items()):
        if found := header.refill(rows):
            record.refill, evidence = found
            record.fields["refill"] = Reading([c for r in evidence for c in r.cells]).info(sizes)
            return


def apply(
    record: AnalysisResult, rows_by_photo: dict[int, list[Row]], headers: PhotoHeaders, sizes: Sizes
) -> None:
    """Each header field from the first photo that has it; per-medication visits when they differ."""
    for name in FIELDS:
        found = next((h[name] for _, h in sorted(headers.items()) if name in h), None)
        if found is not None:
            setattr(record, name, found.value)
            record.fields[name] = Reading(found.row.cells).info(sizes)
    differing = [name for name in _VISIT if _differ(headers, name)]
    _refill(record, rows_by_photo, sizes)
    if differing:
        record.warnings.append(
            "the photos show different visits (" + ", ".join(differing) + "): each medication keeps "
            "the clinic and date of its own photo; the header shows the first photo's"
        )
        for med in record.medications:
            _visit(med, headers.get(med.source_image, {}))


def _visit(med: Medication, found: dict[str, Found]) -> None:
    clinic, date = found.get("clinic_name"), found.get("visit_date")
    med.visit = Visit(
        clinic_name=str(clinic.value) if clinic else None,
        visit_date=str(date.value) if date else None,
    )
