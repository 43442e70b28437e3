"""POST /v1/analyses: photos in, one medication record out (JSON, or a progress stream)."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Header, Request, UploadFile
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from rxlens.api.deps import ConcurrencyDep, RateLimiterDep, ServicesDep
from rxlens.api.limits import ConcurrencyLimiter
from rxlens.api.problems import log_server_error, problem, unexpected
from rxlens.errors import ImageTooLarge, InputError, RxlensError
from rxlens.images.intake import Upload, check_count
from rxlens.pipeline import analyze
from rxlens.result import AnalysisResult
from rxlens.services import Services

log = logging.getLogger("rxlens.api")
router = APIRouter(prefix="/v1", tags=["analyses"])


async def _read(files: list[UploadFile], services: Services) -> list[Upload]:
    limits = services.settings.intake
    check_count(len(files), limits)  # before reading any bytes
    uploads: list[Upload] = []
    for f in files:
        data = await f.read(limits.max_bytes + 1)
        if len(data) > limits.max_bytes:
            raise ImageTooLarge(f"{f.filename} is larger than {limits.max_bytes / 1e6:.0f} MB.")
        uploads.append(Upload(f.filename or f"photo-{len(uploads) + 1}", data))
    return uploads


def _sse(event: str, data: object) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


class _Slot:
    """One admitted analysis; released once, by whichever of stream end or response end comes first."""

    def __init__(self, concurrency: ConcurrencyLimiter) -> None:
        concurrency.enter()
        self.concurrency, self.held = concurrency, True

    async def release(self) -> None:
        if self.held:
            self.held = False
            self.concurrency.leave()


async def _stream(
    uploads: list[Upload], services: Services, user: str | None, slot: _Slot, engine: str | None
) -> AsyncIterator[bytes]:
    queue: asyncio.Queue[bytes | None] = asyncio.Queue()

    async def progress(event: str, data: dict[str, object]) -> None:
        if event != "result":
            await queue.put(_sse(event, data))

    async def work() -> None:
        try:
            record = await analyze(uploads, services, progress, user_id=user, engine=engine)
            await queue.put(_sse("result", record.model_dump(mode="json")))
        except RxlensError as error:
            log_server_error(error)
            await queue.put(_sse("error", problem(error)))
        except Exception as error:  # a bug: the stream still ends with an error event
            log.error("unhandled %s in stream", type(error).__name__, exc_info=error)
            await queue.put(_sse("error", problem(unexpected(error))))
        finally:
            await queue.put(None)

    task = asyncio.create_task(work())
    try:
        while (chunk := await queue.get()) is not None:
            yield chunk
    finally:
        if not task.done():  # the client went away: stop the analysis
            task.cancel()
        await slot.release()


@router.post(
    "/analyses",
    response_model=AnalysisResult,
    summary="Read 1–5 photos into one record",
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def create_analysis(
    request: Request,
    services: ServicesDep,
    rate: RateLimiterDep,
    concurrency: ConcurrencyDep,
    photos: Annotated[list[UploadFile] | None, File(description="1–5 photos (JPEG, PNG, WebP, HEIC)")] = None,
    user_id: Annotated[str | None, Form(max_length=128)] = None,
    engine: Annotated[Literal["local", "gemini", "hybrid"] | None, Form()] = None,
    accept: Annotated[str, Header()] = "application/json",
) -> AnalysisResult | StreamingResponse:
    """With `Accept: text/event-stream` the answer streams progress events (received, photo_read,
    catalog_ready, matched) and then `result` (or `error`, a problem document)."""
    if engine and not services.settings.service.allow_engine_override:
        raise InputError(
            "This server does not let a request choose its engine.",
            hint="Leave out `engine`; the server's RXLENS_ENGINE setting applies.",
        )
    rate.take(user_id or (request.client.host if request.client else "anonymous"))
    uploads = await _read(photos or [], services)
    slot = _Slot(concurrency)
    if "text/event-stream" in accept:
        return StreamingResponse(
            _stream(uploads, services, user_id, slot, engine),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store"},
            background=BackgroundTask(slot.release),
        )
    try:
        return await analyze(uploads, services, user_id=user_id, engine=engine)
    finally:
        await slot.release()
