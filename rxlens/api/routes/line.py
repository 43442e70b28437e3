"""The LINE channel's HTTP side: POST /line/webhook (signature first, then 200 at once, the work
after), and the record behind a 修改 link: GET and PUT /line/record (the link's token in X-Line-Link)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Header, Request, Response
from pydantic import ValidationError

from rxlens.api.deps import ServicesDep
from rxlens.api.routes.plans import MAX_MEDICATIONS
from rxlens.errors import BadRecord, BadSignature, LineOff, RequestTooLarge
from rxlens.result import AnalysisResult

if TYPE_CHECKING:
    from rxlens.line.open import Line

router = APIRouter(prefix="/line", tags=["line"])
MAX_WEBHOOK_BYTES = 1_000_000  # LINE batches events; a megabyte is far more than it sends
MAX_RECORD_BYTES = 4_000_000  # as `rxlens plan` reads a record file: the evidence boxes fit many times


def _line(request: Request) -> Line:
    line: Line | None = getattr(request.app.state, "line", None)
    if line is None:
        raise LineOff("The LINE channel is not configured on this service.")
    return line


async def _body(request: Request, limit: int, refusal: str) -> bytes:
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise RequestTooLarge(refusal)
    return bytes(body)


def _record(body: bytes) -> AnalysisResult:
    """Read from the raw bytes: pydantic's own JSON reader refuses lone surrogates (which no
    UTF-8 answer could carry); the count of drugs is capped as in a plan."""
    try:
        record = AnalysisResult.model_validate_json(body)
    except ValidationError as e:
        raise BadRecord(f"Not a medication record: {e.errors()[0]['msg']}.") from None
    if len(record.medications) > MAX_MEDICATIONS:
        raise BadRecord(f"More than {MAX_MEDICATIONS} medications in one record.")
    return record


@router.post("/webhook", summary="LINE Messaging API webhook", include_in_schema=False)
async def webhook(request: Request, services: ServicesDep) -> Response:
    line = _line(request)
    from linebot.v3.exceptions import InvalidSignatureError

    signature = request.headers.get("x-line-signature", "")
    body = await _body(request, MAX_WEBHOOK_BYTES, "A webhook body over 1 MB is not from LINE.")
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


# The link's token travels in a header, never in the path: request lines are logged, headers not.
LinkHeader = Annotated[str, Header(alias="X-Line-Link", description="The token of a 修改 link")]


@router.get("/record", response_model=AnalysisResult, summary="The record a 修改 link opens")
async def read_record(token: LinkHeader, request: Request, services: ServicesDep) -> AnalysisResult:
    line = _line(request)
    return await services.blocking.run(line.channel.linked_record, token)


_RECORD_BODY = {  # read by hand (below), so described here for the API docs
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AnalysisResult"}}},
    }
}


@router.put(
    "/record",
    status_code=204,
    summary="Save the record corrected on the page",
    openapi_extra=_RECORD_BODY,
)
async def save_record(token: LinkHeader, request: Request, services: ServicesDep) -> Response:
    """The link is checked before a byte of the body is read: without one, nothing is parsed."""
    line = _line(request)
    line.channel.check_link(token)
    record = _record(await _body(request, MAX_RECORD_BYTES, "A record over 4 MB is not a record."))
    await services.blocking.run(line.channel.save_linked, token, record)
    return Response(status_code=204)
