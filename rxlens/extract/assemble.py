"""A Draft (name rows, code, usage tokens) → a Medication with confidence and evidence."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rxlens.catalog.index import Candidate
from rxlens.extract import fields
from rxlens.extract.drafts import Draft
from rxlens.ocr.base import TextLine
from rxlens.result import CandidateOut, Evidence, FieldInfo, Medication
from rxlens.vocab import frequency as grammar

Sizes = dict[int, tuple[int, int]]
Alternatives = Callable[[str], list[Candidate]]


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


def _candidate_out(c: Candidate) -> CandidateOut:
    return CandidateOut(id=c.product.id, name_zh=c.product.name_zh, name_en=c.product.name_en, score=c.score)


class Assembler:
    def __init__(self, sizes: Sizes, alternatives: Alternatives | None = None) -> None:
        self.sizes, self.alternatives = sizes, alternatives

    def medication(self, draft: Draft) -> Medication:
        printed = " / ".join(n for n, _ in draft.names if n)
        med = Medication(source_image=draft.photo, printed_name=printed, nhi_code=draft.code_text)
        self._match(med, draft)
        usage = fields.read(draft.tokens, draft.columns)
        self._frequency(med, usage)
        for name in ("dose", "total", "days"):
            self._value(med, name, getattr(usage, name))
        return med

    def _name_lines(self, draft: Draft) -> list[TextLine]:
        return [c for _, row in draft.names for c in row.cells]

    def _match(self, med: Medication, draft: Draft) -> None:
        cand = draft.best()
        if cand is None:
            self._not_in_catalog(med, draft)
            return
        p = cand.product
        med.matched_drug_id, med.drug_name_zh, med.drug_name_en = p.id, p.name_zh, p.name_en
        med.ingredients = [i.label() for i in p.ingredients]
        med.main_use, med.side_effects, med.match_score = p.main_use, p.side_effects, round(cand.score, 1)
        strengths = sorted({i.label() for i in p.ingredients if i.strength})
        med.strength = ", ".join(strengths) or None
        seen: dict[str, Candidate] = {}
        for found in [[cand], draft.joint, *draft.candidates]:
            for c in found:
                seen.setdefault(c.product.id, c)
        med.candidates = [_candidate_out(c) for c in list(seen.values())[:3]]
        reading = Reading(self._name_lines(draft))
        med.fields["drug"] = reading.info(self.sizes, boost=min(cand.score, 100) / 100)

    def _not_in_catalog(self, med: Medication, draft: Draft) -> None:
        """A printed name no product carries: kept as printed, never swapped for another drug."""
        med.not_in_catalog = True
        med.warnings.append("not in the drug catalog: shown as printed")
        if self.alternatives is not None and med.printed_name:
            med.alternatives = [_candidate_out(c) for c in self.alternatives(med.printed_name)]
        med.fields["drug"] = Reading(self._name_lines(draft)).info(self.sizes, boost=0.5)

    def _frequency(self, med: Medication, usage: fields.Usage) -> None:
        freq = usage.frequency
        if freq is None:
            return
        med.frequency_text, med.frequency_count_code = freq.printed, freq.count
        med.frequency_timing_code, med.prn = freq.timing, freq.prn
        med.frequency = grammar.to_out(freq)
        if not freq.known:
            med.warnings.append(f"frequency {freq.printed!r} is not a code we can confirm: kept as printed")
        med.fields["frequency"] = Reading(usage.frequency_lines).info(self.sizes)

    def _value(self, med: Medication, name: str, value: fields.Value | None) -> None:
        if value is None:
            return
        if name == "dose":
            med.dose_quantity, med.dose_unit = value.value, value.unit
        elif name == "total":
            med.total_quantity = value.value
        else:
            med.days = int(value.value)
        med.fields[name] = Reading(value.lines).info(self.sizes)
