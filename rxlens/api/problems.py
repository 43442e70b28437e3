"""The one place where errors become HTTP responses: RFC 9457 problem details.

Each problem carries the request id, so a user's report can be found in the server log, where
5xx errors are logged with their traceback.
"""

from __future__ import annotations

import logging
import math
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from rxlens import logs
from rxlens.errors import RxlensError, TryLater

log = logging.getLogger("rxlens.api")
MEDIA_TYPE = "application/problem+json"


def problem(error: RxlensError) -> dict[str, object]:
    slug = re.sub(r"(?<!^)(?=[A-Z])", "-", error.code).lower()
    return {
        "type": f"/problems/{slug}",
        "title": error.title,
        "status": error.status,
        "detail": error.message,
        "hint": error.hint,
        "code": error.code,
        "request_id": logs.request_id.get(),
    }


def unexpected(error: BaseException) -> RxlensError:
    """A bug: the client learns only its class name and the request id; the log has the rest."""
    return RxlensError(f"Unexpected {type(error).__name__}.")


def log_server_error(error: RxlensError) -> None:
    """5xx answers are logged with their traceback; being turned away (TryLater) is not a fault."""
    if isinstance(error, TryLater):
        log.info("turned away: %s", error.code)
    elif error.status >= 500:
        log.error("%s %d: %s", error.code, error.status, error.message, exc_info=error)


def response(error: RxlensError) -> JSONResponse:
    headers = {}
    if isinstance(error, TryLater):
        headers["Retry-After"] = str(max(1, math.ceil(error.retry_after)))
    return JSONResponse(problem(error), status_code=error.status, headers=headers, media_type=MEDIA_TYPE)


def install(app: FastAPI) -> None:
    @app.exception_handler(RxlensError)
    async def domain(_: Request, error: RxlensError) -> JSONResponse:
        log_server_error(error)
        return response(error)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        bad = RxlensError(f"Invalid request: {where}: {first.get('msg', 'invalid')}.")
        bad.status, bad.title, bad.hint = (
            422,
            "Invalid request",
            "Send photos as multipart/form-data field `photos`.",
        )
        return response(bad)

    @app.exception_handler(HTTPException)
    async def http(_: Request, error: HTTPException) -> JSONResponse:
        plain = RxlensError(str(error.detail))
        plain.status, plain.title, plain.hint = error.status_code, str(error.detail), "See /docs for the API."
        return response(plain)
    # Exceptions that are not ours reach rxlens.api.middleware, which logs and answers them.
