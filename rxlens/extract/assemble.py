"""A Draft (name rows, table cells, usage rows) → a Medication with confidence and evidence."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from rxlens.catalog.index import Candidate
from rxlens.extract import usage
from rxlens.extract.drafts import Draft
from rxlens.layout.rows import Row
from rxlens.ocr.base import TextLine
from rxlens.result import CandidateOut, Evidence, FieldInfo, Medication

Sizes = dict[int, tuple[int, int]]
T = TypeVar("T")


@dataclass
class Reading:
    """Where a value was read: the text lines it came from."""

    lines: list[TextLine]

    def info(self, sizes: Sizes, boost: float = 1.0) -> FieldInfo:
        evidence = [
            Evidence(
                text=ln.text,
                photo=ln.photo,
                box=list(ln.box_on_photo(*sizes.get(ln.photo, (0, 0)))),
                confidence=round(ln.confidence, 3),
            )
            for ln in self.lines
        ]
        confidence = min((ln.confidence for ln in self.lines), default=0.0) * boost
        return FieldInfo(confidence=round(confidence, 3), evidence=evidence)


def _row_reading(rows: list[Row], test: Callable[[str], T | None]) -> tuple[T, Reading] | None:
    for row in rows:
        value = test(row.text)
        if value:
            return value, Reading(row.cells)
    return None


def _cell(draft: Draft, column: str) -> tuple[str, Reading] | None:
    cells = draft.cells.get(column) or []
    return (" ".join(c.text for c in cells), Reading(cells)) if cells else None


def _candidate_out(c: Candidate) -> CandidateOut:
    return CandidateOut(id=c.product.id, name_zh=c.product.name_zh, name_en=c.product.name_en, score=c.score)


class Assembler:
    def __init__(self, sizes: Sizes) -> None:
        self.sizes = sizes

    def medication(self, draft: Draft) -> Medication:
        med = Medication(source_image=draft.photo, printed_name=" / ".join(n for n, _ in draft.names))
        self._match(med, draft)
        rows = [row for _, row in draft.names] + draft.rows
        self._frequency(med, draft, rows)
        self._dose_and_total(med, draft, rows)
        self._days(med, draft, rows)
        return med

    def _match(self, med: Medication, draft: Draft) -> None:
        cand = draft.best()
        name_lines = [c for _, row in draft.names for c in row.cells]
        if cand is None:
            return
        score = cand.score
        p = cand.product
        med.matched_drug_id, med.drug_name_zh, med.drug_name_en = p.id, p.name_zh, p.name_en
        med.ingredients = [i.label() for i in p.ingredients]
        med.main_use, med.side_effects, med.match_score = p.main_use, p.side_effects, round(score, 1)
        strengths = sorted({i.label() for i in p.ingredients if i.strength})
        med.strength = ", ".join(strengths) or None
        seen: dict[str, Candidate] = {}
        for found in [draft.joint, *draft.candidates]:
            for c in found:
                seen.setdefault(c.product.id, c)
        med.candidates = [_candidate_out(c) for c in list(seen.values())[:3]]
        med.fields["drug"] = Reading(name_lines).info(self.sizes, boost=min(score, 100) / 100)

    def _frequency(self, med: Medication, draft: Draft, rows: list[Row]) -> None:
        cell = _cell(draft, "usage")
        in_cell = usage.frequency(cell[0]) if cell else None
        found = (in_cell, cell[1]) if in_cell and cell else _row_reading(rows, usage.frequency)
        if found is None:
            return
        freq, reading = found
        med.frequency_text, med.frequency_count_code = freq.text, freq.count_code
        med.frequency_timing_code, med.prn = freq.timing_code, freq.count_code == "PRN"
        med.fields["frequency"] = reading.info(self.sizes)

    def _dose_and_total(self, med: Medication, draft: Draft, rows: list[Row]) -> None:
        cell = _cell(draft, "dose")
        if cell and draft.combined and cell[0].count("/") == 1:
            dose_text, total_text = cell[0].split("/")  # "1.00/21": dose per time / total
            med.dose_quantity, med.total_quantity = (
                usage.cell_number(dose_text),
                usage.cell_number(total_text),
            )
            med.fields["dose"] = med.fields["total"] = cell[1].info(self.sizes)
        elif cell and (value := usage.cell_number(cell[0])) is not None:
            med.dose_quantity = value
            med.fields["dose"] = cell[1].info(self.sizes)
        elif hit := _row_reading(rows, usage.dose):
            (amount, unit), reading = hit
            med.dose_quantity, med.dose_unit = amount, unit
            med.fields["dose"] = reading.info(self.sizes)
        total = _cell(draft, "total")
        if total and (value := usage.cell_number(total[0])) is not None:
            med.total_quantity = value
            med.fields["total"] = total[1].info(self.sizes)
        elif med.total_quantity is None and (counted := _row_reading(rows, usage.total)):
            med.total_quantity, reading = counted
            med.fields["total"] = reading.info(self.sizes)

    def _days(self, med: Medication, draft: Draft, rows: list[Row]) -> None:
        cell = _cell(draft, "days")
        if cell and (value := usage.cell_number(cell[0])) is not None and 0 < value <= 365:
            med.days = int(value)
            med.fields["days"] = cell[1].info(self.sizes)
        elif hit := _row_reading(rows, usage.days):
            med.days, reading = hit
            med.fields["days"] = reading.info(self.sizes)
