"""A dose the page lost (under a stamp, in glare) from what it did print: total ÷ (doses a day ×
days). Only where the answer is a dose a person takes (a whole number of quarter tablets), from a
frequency with a fixed daily count; it is marked as derived, with the evidence it came from, and
the arithmetic check does not count it as verified (it would be checking itself)."""

from __future__ import annotations

from rxlens.extract.fields import MAX_DOSE_COUNT
from rxlens.result import FieldInfo, Medication
from rxlens.validate.arithmetic import DERIVED, frequency_of
from rxlens.vocab import frequency as grammar

_PARTS = 4  # doses come in quarters of a tablet at finest
_SOURCES = ("total", "frequency", "days")


def derive_dose(med: Medication) -> None:
    if med.dose_quantity is not None or not (med.total_quantity and med.days):
        return
    freq = frequency_of(med)
    if freq is None or not freq.known or freq.prn or med.prn or not freq.per_day or grammar.period(freq.code):
        return
    dose = med.total_quantity / (freq.per_day * med.days)
    parts = dose * _PARTS
    if abs(parts - round(parts)) > 1e-6 or not 0 < dose <= MAX_DOSE_COUNT:
        return
    med.dose_quantity = round(parts) / _PARTS
    read = [med.fields[name] for name in _SOURCES if name in med.fields]
    evidence = [e for info in read for e in info.evidence]
    confidence = 0.8 * min((info.confidence for info in read), default=0.5)
    med.fields["dose"] = FieldInfo(confidence=round(confidence, 3), evidence=evidence, engine=DERIVED)
    med.warnings.append(
        f"dose not read: total {med.total_quantity:g} ÷ ({freq.per_day:g} a day × {med.days} days)"
        f" = {med.dose_quantity:g}, please check it on the bag"
    )
