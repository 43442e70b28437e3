"""`rxlens serve`: the HTTP service and web page (uvicorn)."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from rxlens.config import get_settings


def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes (each loads the model).")] = None,
) -> None:
    """Start the HTTP API and the web page; in-flight analyses finish on shutdown."""
    s = get_settings().service
    host, port, workers = host or s.host, port or s.port, workers or s.workers
    typer.echo(f"rxlens is starting at http://{host}:{port}/ (API docs at /docs); Ctrl+C stops it.")
    uvicorn.run(
        "rxlens.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        timeout_graceful_shutdown=int(s.graceful_shutdown_seconds),
        # X-Forwarded-For is read by rxlens itself, from RXLENS_SERVICE__TRUSTED_PROXIES only;
        # uvicorn's own handling would trust any local process that sets the header.
        proxy_headers=False,
        log_level="warning",
        access_log=False,
    )  # access logs would not hold photos, but need not hold user ids either
