"""What is asked of the model, as Pydantic models: the same models define the response schema
sent to Gemini and validate what comes back."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Keywords(BaseModel):
    """Call 1: drug-name text seen on the photos, nothing else."""

    model_config = ConfigDict(extra="forbid")
    keywords: list[str] = Field(max_length=60)


class CloudMedication(BaseModel):
    model_config = ConfigDict(extra="forbid")
    printed_name: str = Field(max_length=200)
    matched_drug_id: str | None = Field(default=None, max_length=64)
    dose_quantity: float | None = Field(default=None, ge=0, le=100)
    frequency_count_code: str | None = Field(default=None, max_length=16)
    frequency_timing_code: str | None = Field(default=None, max_length=4)
    total_quantity: float | None = Field(default=None, ge=0, le=10000)
    days: int | None = Field(default=None, ge=0, le=365)
    source_image: int = Field(default=0, ge=0, le=20)


class CloudRecord(BaseModel):
    """Call 2: the record, with drug ids chosen only among the candidates offered."""

    model_config = ConfigDict(extra="forbid")
    clinic_name: str | None = Field(default=None, max_length=100)
    doctor_name: str | None = Field(default=None, max_length=50)
    visit_date: str | None = Field(default=None, max_length=10, description="ISO 8601, Western year")
    days_supply: int | None = Field(default=None, ge=0, le=365)
    medications: list[CloudMedication] = Field(default_factory=list, max_length=30)
