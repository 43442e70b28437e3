"""POST /v1/analyses: photos in, one medication record out (JSON, or a progress stream).

Identity, rate, body type and size, and admission are settled before this runs (rxlens/api/edge.py);
the form is read here, with its own limits, so that nothing is parsed beyond them."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import StreamingResponse

from rxlens.api.deps import ServicesDep
from rxlens.api.form import MAX_USER_ID, AnalysisForm, read_form
from rxlens.api.problems import log_server_error, problem, unexpected
from rxlens.errors import InputError, RxlensError
from rxlens.images.intake import Upload, check_count
from rxlens.pipeline import analyze
from rxlens.queue.jobs import Jobs
from rxlens.result import AnalysisResult
from rxlens.services import Services

log = logging.getLogger("rxlens.api")
router = APIRouter(prefix="/v1", tags=["analyses"])

# The form is parsed by read_form (FastAPI would parse File/Form parameters with no limits before
# any code of ours runs), so its shape is declared here for /docs and for schema-driven clients.
_FORM = {
    "type": "object",
    "required": ["photos"],
    "properties": {
        "photos": {
            "type": "array",
            "items": {"type": "string", "format": "binary"},
            "description": "1–5 photos (JPEG, PNG, WebP, HEIC)",
        },
        "user_id": {"type": "string", "maxLength": MAX_USER_ID, "description": "A label; not a limit key"},
        "engine": {"type": "string", "enum": ["local", "gemini", "hybrid"]},
    },
}
FORM_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": _FORM}}}}


def sse(event: str, data: object) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


async def _stream(
    uploads: list[Upload], services: Services, client: str, engine: str | None
) -> AsyncIterator[bytes]:
    queue: asyncio.Queue[bytes | None] = asyncio.Queue()

    async def progress(event: str, data: dict[str, object]) -> None:
        if event != "result":
            await queue.put(sse(event, data))

    async def work() -> None:
        try:
            record = await analyze(uploads, services, progress, engine=engine, ab_key=client)
            await queue.put(sse("result", record.model_dump(mode="json")))
        except RxlensError as error:
            log_server_error(error)
            await queue.put(sse("error", problem(error)))
        except Exception as error:  # a bug: the stream still ends with an error event
            log.error("unhandled %s in stream", type(error).__name__, exc_info=error)
            await queue.put(sse("error", problem(unexpected(error))))
        finally:
            await queue.put(None)

    task = asyncio.create_task(work())
    try:
        while (chunk := await queue.get()) is not None:
            yield chunk
    finally:
        if not task.done():  # the client went away: stop the analysis
            task.cancel()


async def read_analysis_form(request: Request, services: Services) -> AnalysisForm:
    """The form, or a counted rejection (size, count, malformed body, bad fields)."""
    try:
        form = await read_form(request, services.settings.intake)
        check_count(len(form.uploads), services.settings.intake)
        if form.engine and not services.settings.service.allow_engine_override:
            raise InputError(
                "This server does not let a request choose its engine.",
                hint="Leave out `engine`; the server's RXLENS_ENGINE setting applies.",
            )
    except InputError as error:
        services.metrics.rejected.labels(error.code).inc()
        raise
    return form


@router.post(
    "/analyses",
    response_model=AnalysisResult,
    summary="Read 1–5 photos into one record",
    responses={200: {"content": {"text/event-stream": {}}}},
    openapi_extra=FORM_BODY,
)
async def create_analysis(
    request: Request,
    services: ServicesDep,
    accept: Annotated[str, Header()] = "application/json",
) -> AnalysisResult | StreamingResponse:
    """With `Accept: text/event-stream` the answer streams progress events (received, photo_read,
    catalog_ready, matched) and then `result` (or `error`, a problem document)."""
    form = await read_analysis_form(request, services)
    client: str = request.scope.get("state", {}).get("client", "anonymous")
    jobs: Jobs = request.app.state.jobs
    if jobs.queued:  # a broker is configured: the analysis runs on a worker like any job
        return await _queued(jobs, form, client, "text/event-stream" in accept, services)
    if "text/event-stream" in accept:
        return StreamingResponse(
            _stream(form.uploads, services, client, form.engine),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store"},
        )
    return await analyze(form.uploads, services, engine=form.engine, ab_key=client)


async def _queued(
    jobs: Jobs, form: AnalysisForm, client: str, stream: bool, services: Services
) -> AnalysisResult | StreamingResponse:
    job_id = await jobs.submit(form.uploads, form.engine, client)
    deadline = services.settings.pipeline.request_timeout_seconds
    if stream:
        return StreamingResponse(
            _relay(jobs, job_id, client, deadline),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store"},
        )
    try:
        return AnalysisResult.model_validate(await jobs.answer(job_id, client, deadline))
    finally:
        # Answered, failed or timed out: nobody asks for it again, so its record leaves Redis now
        # (and a worker that has not begun it skips it).
        with contextlib.suppress(RxlensError):
            await jobs.delete(job_id, client)


async def _relay(jobs: Jobs, job_id: str, client: str, deadline: float) -> AsyncIterator[bytes]:
    """The worker's events as the in-process stream sends them (its own `queued` and `started` too)."""
    try:
        async for event in jobs.events(job_id, client, deadline):
            yield sse(event.name, event.data)
    except RxlensError as error:
        yield sse("error", problem(error))
    finally:
        with contextlib.suppress(RxlensError):
            await jobs.delete(job_id, client)
