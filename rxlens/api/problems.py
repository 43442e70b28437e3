"""The one place where errors become HTTP responses: RFC 9457 problem details.

Each problem carries the request id, so a user's report can be found in the server log, where
5xx errors are logged with their traceback.
"""

from __future__ import annotations

import logging
import math
import re
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from rxlens import logs
from rxlens.errors import InputError, RxlensError, TryLater

log = logging.getLogger("rxlens.api")
MEDIA_TYPE = "application/problem+json"
_DETAIL_CHARS = 300  # a message never echoes a client's long input (file names, fields) whole
# /docs is off by default; the API description is always served here.
_API_HINT = "See /openapi.json for the API."


def _clip(text: str) -> str:
    return text if len(text) <= _DETAIL_CHARS else text[: _DETAIL_CHARS - 1] + "…"


def document(status: int, title: str, detail: str, hint: str, code: str) -> dict[str, object]:
    slug = re.sub(r"(?<!^)(?=[A-Z])", "-", code).lower()
    return {
        "type": f"/problems/{slug}",
        "title": title,
        "status": status,
        "detail": _clip(detail),
        "hint": hint,
        "code": code,
        "request_id": logs.request_id.get(),
    }


def problem(error: RxlensError) -> dict[str, object]:
    return document(error.status, error.title, error.message, error.hint, error.code)


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


def _invalid(error: RequestValidationError) -> JSONResponse:
    first = error.errors()[0] if error.errors() else {}
    where = ".".join(str(p) for p in first.get("loc", ()))
    field = str(first.get("loc", ("", "request"))[-1])
    bad = InputError(
        f"Invalid request: {where}: {first.get('msg', 'invalid')}.",
        hint=f"Check `{field}` against the API description at /openapi.json.",
    )
    body = document(422, "Invalid request", bad.message, bad.hint, "InvalidRequest")
    return JSONResponse(body, status_code=422, media_type=MEDIA_TYPE)


def _http(error: HTTPException) -> JSONResponse:
    phrase = HTTPStatus(error.status_code).phrase
    code = phrase.title().replace(" ", "").replace("-", "")
    body = document(error.status_code, phrase, str(error.detail), _API_HINT, code)
    return JSONResponse(body, status_code=error.status_code, headers=error.headers, media_type=MEDIA_TYPE)


def install(app: FastAPI) -> None:
    @app.exception_handler(RxlensError)
    async def domain(_: Request, error: RxlensError) -> JSONResponse:
        log_server_error(error)
        return response(error)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        return _invalid(error)

    @app.exception_handler(HTTPException)
    async def http(_: Request, error: HTTPException) -> JSONResponse:
        return _http(error)

    # Exceptions that are not ours reach rxlens.api.middleware, which logs and answers them.
