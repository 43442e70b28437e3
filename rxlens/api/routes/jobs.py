"""Jobs: POST /v1/jobs (202 + Location), GET /v1/jobs/{id} (state, then the record),
GET /v1/jobs/{id}/events (progress as server-sent events), DELETE /v1/jobs/{id}.

With a broker configured the jobs run on `rxlens worker` processes; without one, in this process.
Who may see a job is settled by the edge (rxlens/api/edge.py): only the client that sent it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel

from rxlens.api.deps import ServicesDep
from rxlens.api.problems import problem
from rxlens.api.routes.analyses import FORM_BODY, read_analysis_form, sse
from rxlens.errors import RxlensError
from rxlens.queue.jobs import Jobs
from rxlens.result import AnalysisResult

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])
PING_SECONDS = 15.0  # a comment line on a silent stream, so proxies do not cut it


class JobState(BaseModel):
    id: str
    status: str  # queued, running, done, failed
    events: str  # where its progress streams
    record: AnalysisResult | None = None
    error: dict[str, Any] | None = None


def _jobs(request: Request) -> Jobs:
    jobs: Jobs = request.app.state.jobs
    return jobs


def _client(request: Request) -> str:
    return str(request.scope.get("state", {}).get("client", "anonymous"))


@router.post(
    "", status_code=202, response_model=JobState, summary="Queue 1–5 photos", openapi_extra=FORM_BODY
)
async def create_job(request: Request, services: ServicesDep) -> JSONResponse:
    form = await read_analysis_form(request, services)
    job_id = await _jobs(request).submit(form.uploads, form.engine, _client(request))
    body = JobState(id=job_id, status="queued", events=f"/v1/jobs/{job_id}/events")
    return JSONResponse(
        body.model_dump(mode="json"), status_code=202, headers={"Location": f"/v1/jobs/{job_id}"}
    )


@router.get("/{job_id}", response_model=JobState, summary="A job's state, and its record when done")
async def read_job(job_id: str, request: Request) -> JobState:
    status, events = await _jobs(request).status(job_id, _client(request))
    state = JobState(id=job_id, status=status, events=f"/v1/jobs/{job_id}/events")
    for event in events:
        if event.name == "result" and state.record is None:
            state.record = AnalysisResult.model_validate(event.data)
        elif event.name == "error" and state.error is None:
            state.error = event.data
    return state


@router.get(
    "/{job_id}/events", summary="The job's progress as server-sent events, ending with result or error"
)
async def job_events(job_id: str, request: Request, services: ServicesDep) -> StreamingResponse:
    jobs, client = _jobs(request), _client(request)
    deadline = services.settings.pipeline.request_timeout_seconds + services.settings.queue.job_ttl_seconds
    events = jobs.events(job_id, client, deadline, ping=PING_SECONDS)
    first = await anext(events)  # 404 here, before the stream starts, for a job that is not theirs

    async def stream() -> AsyncIterator[bytes]:
        yield sse(first.name, first.data)
        if first.final:
            return
        try:
            async for event in events:
                yield b": ping\n\n" if event.name == "ping" else sse(event.name, event.data)
        except RxlensError as error:  # Redis gone, or no answer in time: the stream still ends
            yield sse("error", problem(error))

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})


@router.delete("/{job_id}", status_code=204, summary="Forget a job, its photos and its record now")
async def delete_job(job_id: str, request: Request) -> Response:
    await _jobs(request).delete(job_id, _client(request))
    return Response(status_code=204)
