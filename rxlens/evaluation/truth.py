"""Ground truth written beside each generated photo."""

from __future__ import annotations

from pydantic import BaseModel, Field


class TruthMedication(BaseModel):
    product_id: str
    acceptable_ids: list[str]  # products that print the same name and strength
    name_zh: str
    name_en: str
    strength_mg: float | None
    dose: float
    frequency_code: str
    timing_code: str | None
    total: float
    days: int


class Truth(BaseModel):
    layout: str  # bag | slip
    clinic_name: str
    doctor_name: str
    visit_date: str  # ISO
    days_supply: int
    medications: list[TruthMedication]
    damage: list[str] = Field(default_factory=list)
    seed: int = 0

    @property
    def damaged(self) -> bool:
        return bool(self.damage)
