"""The LINE channel's HTTP side: POST /line/webhook (signature first, then 200 at once, the work
after), and the record behind a 修改 link: GET and PUT /line/records/{token}."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter, Request, Response

from rxlens.api.deps import ServicesDep
from rxlens.errors import BadSignature, LineOff, RequestTooLarge
from rxlens.result import AnalysisResult

if TYPE_CHECKING:
    from rxlens.line.open import Line

router = APIRouter(prefix="/line", tags=["line"])
MAX_WEBHOOK_BYTES = 1_000_000  # LINE batches events; a megabyte is far more than it sends


def _line(request: Request) -> Line:
    line: Line | None = getattr(request.app.state, "line", None)
    if line is None:
        raise LineOff("The LINE channel is not configured on this service.")
    return line


async def _body(request: Request) -> bytes:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_WEBHOOK_BYTES:
            raise RequestTooLarge(f"A webhook body over {MAX_WEBHOOK_BYTES // 1000} kB is not from LINE.")
    return body


@router.post("/webhook", summary="LINE Messaging API webhook", include_in_schema=False)
async def webhook(request: Request, services: ServicesDep) -> Response:
    line = _line(request)
    from linebot.v3.exceptions import InvalidSignatureError

    signature = request.headers.get("x-line-signature", "")
    body = await _body(request)
    try:
        events = line.parser.parse(body.decode("utf-8", "replace"), signature)
    except InvalidSignatureError:
        services.metrics.line_webhooks.labels("bad_signature").inc()
        raise BadSignature("The X-Line-Signature does not match the body.") from None
    except ValueError:  # signed by LINE but not JSON we can read: nothing to do, and no retry
        services.metrics.line_webhooks.labels("unreadable").inc()
        return Response(status_code=200)
    services.metrics.line_webhooks.labels("ok").inc()
    line.spawn(line.channel.handle(events))
    return Response(status_code=200)


@router.get("/records/{token}", response_model=AnalysisResult, summary="The record a 修改 link opens")
async def read_record(token: str, request: Request, services: ServicesDep) -> AnalysisResult:
    line = _line(request)
    return await services.blocking.run(line.channel.linked_record, token)


@router.put("/records/{token}", status_code=204, summary="Save the record corrected on the page")
async def save_record(
    token: str, record: AnalysisResult, request: Request, services: ServicesDep
) -> Response:
    line = _line(request)
    await services.blocking.run(line.channel.save_linked, token, record)
    return Response(status_code=204)
