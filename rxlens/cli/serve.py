"""`rxlens serve`: the HTTP service and web page (uvicorn).

What can be checked before the server starts is checked here, so a bad data directory, database
or address ends with its message and exit code (rxlens.cli.main) instead of a server traceback.
"""

from __future__ import annotations

import errno
import os
import shutil
import socket
from typing import Annotated

import typer
import uvicorn

from rxlens import logs
from rxlens.config import Settings, get_settings
from rxlens.errors import ConfigError, RxlensError
from rxlens.services import Services, init_catalog


def _check_address(host: str, port: int) -> None:
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        busy = exc.errno == errno.EADDRINUSE
        raise ConfigError(
            f"Cannot listen on {host}:{port}: {exc.strerror or exc}.",
            hint="Stop the other server on that port or choose another with --port."
            if busy
            else "Give an address of this machine with --host (127.0.0.1 for this computer only).",
        ) from None


def _check_database(settings: Settings) -> None:
    """The schema and bundled catalog go in now; a database that is down is only a warning,
    because the service runs without it (analyses are returned unmatched)."""
    services = Services.open(settings)  # an unusable data directory raises ConfigError here
    try:
        init_catalog(services)
    except RxlensError as error:
        typer.echo(f"warning: {error.message} The service starts without its catalog.", err=True)
    finally:
        services.close()


def _metrics_across(settings: Settings) -> None:
    """Prometheus multiprocess mode: every API process writes its series into one folder (emptied
    at start, so a previous run's processes do not count), and /metrics from any process sums them."""
    folder = settings.data_dir / "metrics"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)  # before any worker imports prometheus_client


def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes (each loads the model).")] = None,
) -> None:
    """Start the HTTP API and the web page; in-flight analyses finish on shutdown."""
    settings = get_settings()
    s = settings.service
    host, port, workers = host or s.host, port or s.port, workers or s.workers
    _check_database(settings)
    _check_address(host, port)
    if workers > 1:
        _metrics_across(settings)
    logs.configure(settings.log_format, settings.log_level)
    typer.echo(f"rxlens is starting at http://{host}:{port}/; Ctrl+C stops it.")
    uvicorn.run(
        "rxlens.api.app:serve_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        timeout_graceful_shutdown=int(s.graceful_shutdown_seconds),
        log_config=None,  # uvicorn's lines go through our handler (rxlens.logs), request id and all
        access_log=False,  # rxlens.api.middleware logs each request once, without client details
        # X-Forwarded-For is read by rxlens itself, from RXLENS_SERVICE__TRUSTED_PROXIES only;
        # uvicorn's own handling would trust any local process that sets the header.
        proxy_headers=False,
    )
