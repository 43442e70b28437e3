"""The medication plan as JSON: what to take when, until which day, and what to watch for."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field, field_validator

Meal = Literal["breakfast", "lunch", "dinner", "bedtime"]
Schedule = Literal["scheduled", "as_needed", "unscheduled"]
LastDaySource = Literal["days", "total", "days_supply"]
StartSource = Literal["visit_date", "given", "today"]
DrugStart = Literal["visit_date", "given"]  # given: no readable visit date, the given start stands in
WindowSource = Literal["printed", "computed"]


class Times(BaseModel):
    """The person's day. Meal times are when the meal starts; AC and PC doses sit around them."""

    breakfast: dt.time = dt.time(8, 0)
    lunch: dt.time = dt.time(12, 0)
    dinner: dt.time = dt.time(18, 0)
    bedtime: dt.time = dt.time(22, 0)
    before_meal_minutes: int = Field(default=30, ge=0, le=120)  # 飯前: about half an hour before
    after_meal_minutes: int = Field(default=30, ge=0, le=120)  # 飯後: once the meal is eaten
    remind_minutes_before: int = Field(default=0, ge=0, le=120)  # the calendar alarm, before each slot
    time_zone: str = "Asia/Taipei"
    # Which meals a daily code is placed on; any code of the grammar (QD, BID, QD&HS …) may be set.
    # At least one: a code on no meal would be scheduled and never shown.
    meals: dict[str, Annotated[list[Meal], Field(min_length=1)]] = Field(default_factory=dict)

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, zone: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError) as e:
            raise ValueError(f"unknown time zone {zone!r}") from e
        return zone


class DayRule(BaseModel):
    """On which days a drug is taken: every `period` days on the given offsets from the start,
    or on weekdays (1 = Monday … 7 = Sunday), or once."""

    kind: Literal["daily", "period", "weekdays", "once"]
    period: int = 1
    offsets: list[int] = Field(default_factory=lambda: [0])
    weekdays: list[int] = Field(default_factory=list)


class Dose(BaseModel):
    drug: str  # PlanDrug.key
    amount: str  # `1 錠`, `0.5 顆`; empty when the dose was not read


class Slot(BaseModel):
    id: str  # breakfast_before … bedtime, or clock_0800 for clock-based codes
    label: str  # 早餐前 (07:30)
    time: dt.time
    doses: list[Dose] = Field(default_factory=list)


class PlanDrug(BaseModel):
    key: str  # r{record}m{medication}, both 1-based
    record: int
    medication: int
    name: str
    name_en: str = ""
    matched_drug_id: str | None = None
    ingredients: list[str] = Field(default_factory=list)
    amount: str = ""
    frequency_printed: str | None = None
    frequency_code: str | None = None
    frequency_words: str = ""
    schedule: Schedule
    reason: str = ""  # why a drug is not scheduled, in words
    slots: list[str] = Field(default_factory=list)
    rule: DayRule | None = None
    start: dt.date
    start_source: DrugStart = "visit_date"
    last_day: dt.date | None = None
    last_day_source: LastDaySource | None = None
    run_out: dt.date | None = None  # the last day the printed total covers, when it is earlier
    clinic_name: str | None = None
    corrected: list[str] = Field(default_factory=list)  # fields a person changed


class RefillOut(BaseModel):
    record: int
    fill: int
    start: dt.date
    end: dt.date
    source: WindowSource
    remind_on: dt.date


class Duplicate(BaseModel):
    ingredients: list[str]  # the shared ingredients, as the catalog keys them
    drugs: list[str]  # PlanDrug keys, two or more


class PlanWarning(BaseModel):
    kind: Literal["duplicate", "run_out", "refill_gap", "no_end", "unscheduled", "no_start"]
    text: str  # Traditional Chinese, for the person
    drugs: list[str] = Field(default_factory=list)


class PlanDay(BaseModel):
    date: dt.date
    slots: list[Slot]


class Plan(BaseModel):
    start: dt.date
    start_source: StartSource
    end: dt.date | None = None
    times: Times
    slots: list[Slot]  # the daily template: every slot any drug uses, in time order
    drugs: list[PlanDrug]
    refills: list[RefillOut] = Field(default_factory=list)
    duplicates: list[Duplicate] = Field(default_factory=list)
    warnings: list[PlanWarning] = Field(default_factory=list)
    # Day by day from start to end; at most 120, then the last 120 or from today when that is earlier.
    days: list[PlanDay] = Field(default_factory=list)
