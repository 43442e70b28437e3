"""POST /v1/plans: one or more records (as read, or corrected) → the plan as JSON, or with
`Accept: text/calendar` as an .ics file. Nothing of it is stored."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Header, Response
from pydantic import BaseModel, Field

from rxlens.api.deps import ServicesDep
from rxlens.catalog.index import MatchIndex
from rxlens.errors import CatalogError
from rxlens.plan import Plan, Times, build_plan
from rxlens.plan.ics import to_ics
from rxlens.result import AnalysisResult
from rxlens.services import Services

router = APIRouter(prefix="/v1/plans", tags=["plans"])
MAX_RECORDS = 20  # a household's bags; the edge caps the body's bytes as well


class PlanRequest(BaseModel):
    records: list[AnalysisResult] = Field(min_length=1, max_length=MAX_RECORDS)
    times: Times = Field(default_factory=Times)
    start: dt.date | None = None  # for records without a visit date; default today


def _index(services: Services) -> MatchIndex | None:
    """The catalog for ingredient lookups; down, the records' own ingredient lists stand in."""
    try:
        return services.catalog.index()
    except CatalogError:
        return None


@router.post(
    "",
    response_model=Plan,
    summary="Daily plan, last days, refills and duplicate warnings for 1–20 records",
    responses={200: {"content": {"text/calendar": {}}}},
)
async def make_plan(
    body: PlanRequest, services: ServicesDep, accept: Annotated[str, Header()] = "application/json"
) -> Response:
    index = await services.blocking.run(_index, services)
    plan = await services.blocking.run(build_plan, body.records, body.times, body.start, index)
    if "text/calendar" in accept:
        data = await services.blocking.run(to_ics, plan)
        headers = {"Content-Disposition": 'attachment; filename="rxlens-plan.ics"'}
        return Response(data, media_type="text/calendar; charset=utf-8", headers=headers)
    return Response(plan.model_dump_json(), media_type="application/json")
