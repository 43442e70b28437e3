"""Ground truth written beside each generated photo: what the page prints and what it means."""

from __future__ import annotations

from pydantic import BaseModel, Field


class TruthMedication(BaseModel):
    product_id: str
    acceptable_ids: list[str]  # products that print the same name and strength
    name_zh: str = ""  # as printed ("" when the page prints no Chinese name)
    name_en: str = ""  # as printed
    strength_mg: float | None = None
    nhi_code: str | None = None  # as printed
    dose: float
    dose_unit: str = ""  # as printed (TAB, 顆, gtt …); "" when none is printed
    frequency_printed: str = ""  # the frequency (and timing) text, verbatim
    frequency_code: str  # the frequency part: TIDPC → TID; QD&HS, QW135, QIO stay; 一日三次 → TID
    timing_code: str | None = None  # AC | PC | HS | CC
    per_day: float | None = None  # doses a day; a fraction for weekly codes; None for PRN/unknown
    weekdays: list[int] = Field(default_factory=list)  # 1 = Monday … 7 = Sunday
    prn: bool = False
    known: bool = True  # False: a local code whose meaning is not confirmed (QIO, HSO)
    total: float
    days: int | None = None  # this drug's days


class Truth(BaseModel):
    layout: str  # the layout family
    clinic_name: str  # as printed (臺 stays 臺)
    doctor_name: str
    visit_date: str  # ISO
    # What the record should say: the header's days when the page prints them, else the days
    # every drug row shares (rxlens/validate/record.py), else None (the drugs differ).
    days_supply: int | None = None
    header_days: int | None = None  # the days the header prints, if it does
    institution_code: str | None = None  # 10 digits, when printed
    medications: list[TruthMedication]
    damage: list[str] = Field(default_factory=list)  # paper marks and phone damage, in order
    seed: int = 0

    @property
    def damaged(self) -> bool:
        """Phone damage only: paper marks (stamps, ticks) are part of every real document."""
        return any(not d.startswith("paper:") for d in self.damage)
