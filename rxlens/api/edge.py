"""The guard in front of POST /v1/analyses, a pure ASGI middleware: who the client is, its rate,
the body's type and size, and a place among the running analyses are all settled from the
headers, before a byte of the body is read. While the body streams its bytes are counted and the
request stops at the limit; the rest is never read (uvicorn drops it with the connection).
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rxlens.api.limits import RateLimiter, Slots
from rxlens.api.problems import response
from rxlens.config import Settings
from rxlens.errors import NotJson, NotMultipart, RequestTooLarge, RxlensError
from rxlens.metrics import Metrics

ANALYSES, JOBS, PLANS = ("POST", "/v1/analyses"), ("POST", "/v1/jobs"), ("POST", "/v1/plans")
PLAN_BYTES = 4_000_000  # twenty records with their evidence boxes fit many times over
JOB_PATHS = "/v1/jobs/"  # reading or deleting a job: only whose it is (the client) is settled here
_FORM_OVERHEAD = 1_000_000  # part headers, boundaries and the small fields


def request_cap(settings: Settings) -> int:
    s = settings.service
    return s.max_request_bytes or settings.intake.max_photos * settings.intake.max_bytes + _FORM_OVERHEAD


def _too_large(limit: int) -> RequestTooLarge:
    return RequestTooLarge(f"The request body is larger than {limit / 1e6:.0f} MB.")


def check_body(headers: Headers, limit: int, wanted: str = "multipart/form-data") -> None:
    """415 for any other body type; 413 when the declared length is over the limit."""
    declared = headers.get("content-length")
    has_body = headers.get("transfer-encoding") is not None or (declared or "0") != "0"
    kind = headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != wanted and (kind or has_body):
        refusal = NotJson if wanted == "application/json" else NotMultipart
        raise refusal(f"The body is {kind or 'of no declared type'}, not {wanted}.")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)


def counted(receive: Receive, limit: int) -> Receive:
    """`receive`, raising RequestTooLarge as soon as the body passes `limit` bytes."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _too_large(limit)
        return message

    return wrapped


class Edge:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app, self.limit = app, request_cap(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = (scope["method"], scope["path"].rstrip("/")) if scope["type"] == "http" else None
        if route not in (ANALYSES, JOBS, PLANS) and not (route and route[1].startswith(JOB_PATHS)):
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        metrics: Metrics = state.services.metrics
        admission: Slots | None = state.admission if route == ANALYSES else None
        slot = None
        try:
            client = state.identity.of(scope)  # 401 for a wrong key
            scope.setdefault("state", {})["client"] = client
            if route in (ANALYSES, JOBS, PLANS):
                await self._admit_body(scope, client, state.rate_limiter, route == PLANS)
            if admission:
                slot = await admission.enter()
        except RxlensError as error:
            metrics.rejected.labels(error.code).inc()
            await response(error)(scope, receive, send)
            return
        try:
            await self.app(scope, counted(receive, PLAN_BYTES if route == PLANS else self.limit), send)
        finally:
            if admission:
                await admission.release(slot)

    async def _admit_body(self, scope: Scope, client: str, rate: RateLimiter, plan: bool) -> None:
        await rate.take(client)  # 429
        if plan:
            check_body(Headers(scope=scope), PLAN_BYTES, "application/json")  # 415, 413
        else:
            check_body(Headers(scope=scope), self.limit)
