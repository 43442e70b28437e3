"""POST /v1/plans: one or more records (as read, or corrected) → the plan as JSON, or with
`Accept: text/calendar` as an .ics file. Nothing of it is stored."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from typing import Annotated

from fastapi import APIRouter, Header, Response
from pydantic import BaseModel, Field, model_validator

from rxlens.api.deps import ServicesDep
from rxlens.plan import Plan, Times, build_plan
from rxlens.plan.ics import to_ics
from rxlens.plan.supply import EARLIEST, LATEST
from rxlens.result import AnalysisResult

router = APIRouter(prefix="/v1/plans", tags=["plans"])
MAX_RECORDS = 20  # a household's bags; the edge caps the body's bytes as well
# Twenty bags of ten drugs. The plan's work grows with the drugs (the day-by-day list, the
# calendar's events, the pairs compared for duplicates); 4 MB holds 45,000 of them.
MAX_MEDICATIONS = 200
GZIP_FROM = 64_000


class PlanRequest(BaseModel):
    records: list[AnalysisResult] = Field(min_length=1, max_length=MAX_RECORDS)
    times: Times = Field(default_factory=Times)
    start: dt.date | None = Field(default=None, ge=EARLIEST, le=LATEST)  # for records without a visit date

    @model_validator(mode="before")
    @classmethod
    def _unicode(cls, body: object) -> object:
        """The JSON decoder lets a lone surrogate (\\ud800) through; no UTF-8 answer can carry it."""
        try:
            json.dumps(body, ensure_ascii=False).encode()
        except UnicodeEncodeError as e:
            raise ValueError("text with a lone surrogate is not Unicode text") from e
        return body

    @model_validator(mode="after")
    def _size(self) -> PlanRequest:
        if sum(len(r.medications) for r in self.records) > MAX_MEDICATIONS:
            raise ValueError(f"more than {MAX_MEDICATIONS} medications in one plan")
        return self


@router.post(
    "",
    response_model=Plan,
    summary="Daily plan, last days, refills and duplicate warnings for 1–20 records",
    responses={200: {"content": {"text/calendar": {}}}},
)
async def make_plan(
    body: PlanRequest,
    services: ServicesDep,
    accept: Annotated[str, Header()] = "application/json",
    accept_encoding: Annotated[str, Header()] = "",
) -> Response:
    index = await services.blocking.run(services.catalog.index_or_none)  # down: the records' own lists
    plan = await services.blocking.run(build_plan, body.records, body.times, body.start, index)
    if "text/calendar" in accept:
        data = await services.blocking.run(to_ics, plan)
        headers = {"Content-Disposition": 'attachment; filename="rxlens-plan.ics"'}
        return Response(data, media_type="text/calendar; charset=utf-8", headers=headers)
    return _json(plan.model_dump_json().encode(), "gzip" in accept_encoding)


def _json(data: bytes, gzip_ok: bool) -> Response:
    """The day-by-day list of a large plan runs to megabytes of repeated slots: compressed ~20:1."""
    if not gzip_ok or len(data) < GZIP_FROM:
        return Response(data, media_type="application/json")
    headers = {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
    return Response(gzip.compress(data, 6), media_type="application/json", headers=headers)
