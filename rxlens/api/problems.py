"""The one place where errors become HTTP responses: RFC 9457 problem details."""

from __future__ import annotations

import math
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from rxlens.errors import RxlensError, TryLater

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
    }


def response(error: RxlensError) -> JSONResponse:
    headers = {}
    if isinstance(error, TryLater):
        headers["Retry-After"] = str(max(1, math.ceil(error.retry_after)))
    return JSONResponse(problem(error), status_code=error.status, headers=headers, media_type=MEDIA_TYPE)


def install(app: FastAPI) -> None:
    @app.exception_handler(RxlensError)
    async def domain(_: Request, error: RxlensError) -> JSONResponse:
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

    @app.exception_handler(Exception)
    async def unexpected(_: Request, error: Exception) -> JSONResponse:
        return response(RxlensError(f"Unexpected {type(error).__name__}."))
