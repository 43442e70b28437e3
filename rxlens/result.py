"""The medication record returned by every entry point (CLI, HTTP, library), as JSON.

Keeps every field the replaced system returned (clinic_name … user_message) and adds
confidence, evidence, warnings and a `usage` block.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from rxlens import __version__

Completeness = Literal["complete_prescription", "partial_prescription", "drug_photo_only", "empty"]
CheckStatus = Literal["verified", "mismatch", "not_applicable"]


class Evidence(BaseModel):
    text: str
    photo: int  # index of the photo (0-based, in the order sent)
    box: list[tuple[float, float]]  # four corners in the photo's working-size pixels
    confidence: float


class FieldInfo(BaseModel):
    confidence: float
    evidence: list[Evidence] = Field(default_factory=list)
    engine: str = "local"


class CandidateOut(BaseModel):
    id: str
    name_zh: str
    name_en: str
    score: float


class FrequencyOut(BaseModel):
    """A frequency in canonical form: what the printed code or wording means."""

    code: str  # canonical code: QD, BID, QOD, Q3D, QW, QW(1,3,5), Q8H, PRN, ASORDER …
    per_day: float | None = None  # doses a day; a fraction for weekly codes; None: no fixed count
    weekdays: list[int] = Field(default_factory=list)  # 1 = Monday … 7 = Sunday
    timing: str | None = None  # AC | PC | HS | CC, or None
    timing_minutes: int | None = None  # AC30M → 30
    prn: bool = False
    known: bool = True  # False: printed code we cannot confirm (QIO, HSO), kept as printed


class Visit(BaseModel):
    """Where and when one photo's drugs were prescribed, when photos disagree."""

    clinic_name: str | None = None
    visit_date: str | None = None


class RefillWindow(BaseModel):
    fill: int  # 2 = 第二次領藥 …
    start: str | None = None  # ISO
    end: str | None = None


class Refill(BaseModel):
    """連續處方箋: how many fills and when each may be collected, as printed."""

    fills_allowed: int | None = None  # 可調劑 N 次
    this_fill: int | None = None  # 第 N 次調劑
    windows: list[RefillWindow] = Field(default_factory=list)


class ArithmeticCheck(BaseModel):
    status: CheckStatus
    per_day_read: float | None = None  # from the frequency code
    per_day_computed: float | None = None  # total ÷ dose ÷ days
    suggested_frequency: str | None = None
    note: str = ""


class Medication(BaseModel):
    engine: str = "local"  # which engine read this medication (hybrid records mix them)
    matched_drug_id: str | None = None
    # A printed name the catalog has no product for: kept as printed, never matched to another drug.
    not_in_catalog: bool = False
    # Products with the same ingredient and strength, offered when not_in_catalog (never the match).
    alternatives: list[CandidateOut] = Field(default_factory=list)
    nhi_code: str | None = None  # as printed on the slip (10 characters), when one was read
    drug_name_zh: str = ""
    drug_name_en: str = ""
    ingredients: list[str] = Field(default_factory=list)
    main_use: str = ""
    side_effects: str = ""
    printed_name: str = ""
    strength: str | None = None
    dose_quantity: float | None = None
    dose_unit: str | None = None
    frequency_text: str | None = None  # the printed code or wording, verbatim
    frequency_count_code: str | None = None  # the frequency part as printed (TIDPC -> TID; QD&HS stays)
    frequency_timing_code: str | None = None  # AC | PC | HS | CC …
    prn: bool = False
    frequency: FrequencyOut | None = None  # the canonical form (rxlens.vocab.frequency)
    total_quantity: float | None = None
    days: int | None = None
    source_image: int = 0
    visit: Visit | None = None  # set when the photos of one record show different visits
    match_score: float = 0.0
    candidates: list[CandidateOut] = Field(default_factory=list)
    arithmetic: ArithmeticCheck = ArithmeticCheck(status="not_applicable")
    confidence: float = 0.0
    fields: dict[str, FieldInfo] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)
    # Fields a person changed when reviewing the record (dose, frequency, days …); empty as read.
    corrected: list[str] = Field(default_factory=list)


class FrequencyStats(BaseModel):
    verified: int = 0
    mismatch: int = 0
    not_applicable: int = 0


class CloudCall(BaseModel):
    name: str
    tokens_in: int = 0
    tokens_out: int = 0
    latency_ms: float = 0.0
    attempts: int = 1


class Usage(BaseModel):
    engine: str = "local"
    mode: str = "sequential"
    arm: str | None = None
    photos: int = 0
    # Working size of each photo: evidence boxes are in these pixels.
    photo_sizes: list[tuple[int, int]] = Field(default_factory=list)
    timings_ms: dict[str, float] = Field(default_factory=dict)
    total_ms: float = 0.0
    stage_sum_ms: float = 0.0
    time_saved_ms: float = 0.0
    detector: str | None = None
    cloud_calls: list[CloudCall] = Field(default_factory=list)
    candidates_sent: int = 0
    catalog_size: int = 0
    photos_sent_to_cloud: list[int] = Field(default_factory=list)
    # Which build read the record, so a stored record can be traced to its code and models.
    rxlens_version: str = Field(default_factory=lambda: __version__)


class AnalysisResult(BaseModel):
    clinic_name: str | None = None
    doctor_name: str | None = None
    visit_date: str | None = None  # ISO 8601
    days_supply: int | None = None
    institution_code: str | None = None  # 10-digit 醫事機構代碼, as printed
    refill: Refill | None = None
    medications: list[Medication] = Field(default_factory=list)
    successful_match_count: int = 0
    frequency_stats: FrequencyStats = FrequencyStats()
    completeness_type: Completeness = "empty"
    is_successful: bool = False
    user_message: str = ""
    fields: dict[str, FieldInfo] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)
    corrected: list[str] = Field(default_factory=list)  # header fields a person changed
    usage: Usage = Usage()
