"""The outermost layer of every request: its id, the security headers, one log line, and the
last catch for bugs (logged with their traceback here, answered as a problem document).

Plain ASGI rather than BaseHTTPMiddleware, so streamed responses pass through untouched and the
request id set here is the one every handler, task and log line of the request sees.
"""

from __future__ import annotations

import logging
import time

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rxlens import logs
from rxlens.api import problems

log = logging.getLogger("rxlens.api")

# The page loads only its own script and stylesheet; photos are shown from blob: URLs.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' blob: data:; script-src 'self'; style-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


class RequestContext:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = logs.new_request_id(Headers(scope=scope).get("x-request-id"))
        logs.request_id.set(rid)  # each request runs in its own task: nothing to reset
        status, started = 0, time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                headers["X-Request-ID"] = rid
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as error:
            log.error("unhandled %s", type(error).__name__, exc_info=error)
            if not status:  # else the response has begun: the client sees it cut short
                await problems.response(problems.unexpected(error))(scope, _no_body, send_with_headers)
        finally:
            ms = (time.perf_counter() - started) * 1000
            log.info("%s %s %d %.0f ms", scope["method"], scope["path"], status, ms)


async def _no_body() -> Message:
    return {"type": "http.disconnect"}
