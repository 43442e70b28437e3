"""Entry point. The only place where RxlensError becomes a message and an exit code."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from rxlens import __version__
from rxlens.cli import analyze, catalog, doctor, evaluate, keys, plan, serve, worker
from rxlens.errors import RxlensError

app = typer.Typer(
    name="rxlens",
    help="Read photos of Taiwanese drug bags and prescription slips into one medication record.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(catalog.app, name="catalog")
app.add_typer(evaluate.app, name="eval")
app.add_typer(keys.app, name="keys")
app.command()(analyze.analyze)
app.command()(plan.plan)
app.command()(serve.serve)
app.command()(doctor.doctor)
app.command()(worker.worker)


@app.command()
def version() -> None:
    """Print the rxlens version."""
    typer.echo(__version__)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(__version__)
        raise typer.Exit()


@app.callback()
def _options(
    show_version: Annotated[
        bool,
        typer.Option("--version", help="Print the version and exit.", callback=_print_version, is_eager=True),
    ] = False,
) -> None:
    """Read photos of Taiwanese drug bags and prescription slips into one medication record."""


def report_error(error: RxlensError, console: Console | None = None) -> int:
    console = console or Console(stderr=True)
    # escape: a message's own brackets (`rxlens[cloud]`, file names) are text, not Rich markup
    console.print(f"[bold red]error:[/] {escape(error.message)}", highlight=False)
    console.print(f"[yellow]hint:[/] {escape(error.hint)}", highlight=False)
    return error.exit_code


def main() -> None:
    # Typer/click turn usage errors into exit code 2 themselves; ours are converted here only.
    try:
        app()
    except RxlensError as error:
        sys.exit(report_error(error))
    except Exception as exc:  # a bug: say so plainly, without a traceback full of file paths
        sys.exit(report_error(RxlensError(f"Unexpected {type(exc).__name__}.")))
