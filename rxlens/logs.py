"""Logging: the standard `logging` module, plain text or JSON lines, a request id on every line.

Log lines say what happened to a request (route, status, timings, error class), never what it
carried: no photo bytes, OCR text, records or user ids — those are personal health data.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import IO

request_id: ContextVar[str | None] = ContextVar("rxlens_request_id", default=None)

# An incoming X-Request-ID is kept only if it is a short plain token, so a client cannot write
# arbitrary text (or a fake log line) into our logs through it.
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def new_request_id(incoming: str | None = None) -> str:
    if incoming and _SANE_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Stamps each record with the id of the request being served (or "-" outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def handler(log_format: str = "text", stream: IO[str] | None = None) -> logging.Handler:
    """A handler writing in the chosen format, with the request id filter attached."""
    out = logging.StreamHandler(stream or sys.stderr)
    out.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    out.addFilter(RequestIdFilter())
    return out


def configure(log_format: str = "text", level: str = "INFO") -> None:
    """Route every logger (ours, uvicorn's, libraries') through one handler on the root logger."""
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler(log_format))
    root.setLevel(level)
    # Below WARNING these libraries describe the bytes they parse (image chunks, form fields).
    for noisy in ("PIL", "python_multipart", "multipart"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
