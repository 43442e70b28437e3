"""`rxlens doctor`: is this installation able to read photos? Each problem comes with its remedy."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from rxlens import __version__
from rxlens.health.doctor import diagnose
from rxlens.health.report import Check, Status, exit_code

console = Console(highlight=False, soft_wrap=True)
_STYLE = {Status.OK: "green", Status.WARN: "yellow", Status.FAIL: "bold red", Status.SKIPPED: "dim"}


def _print(check: Check) -> None:
    style = _STYLE[check.status]
    console.print(f"[{style}]{check.status.value:<8}[/] {check.name:<10} {escape(check.detail)}")
    if check.remedy and check.status in (Status.FAIL, Status.WARN):
        console.print(f"{'':<19}[cyan]remedy:[/] {escape(check.remedy)}")


def doctor(
    as_json: Annotated[bool, typer.Option("--json", help="Print the checks as JSON.")] = False,
) -> None:
    """Check this installation (Python, OCR model, fonts, catalog, database, servers, disk)."""
    found = diagnose()
    code = exit_code(found)
    if as_json:
        body = {"version": __version__, "exit_code": code, "checks": [c.as_dict() for c in found]}
        typer.echo(json.dumps(body, ensure_ascii=False, indent=2))
    else:
        console.print(f"rxlens {__version__} doctor")
        for check in found:
            _print(check)
        failed = sum(c.status is Status.FAIL for c in found)
        console.print(
            f"{failed} required check(s) failed: exit {code}" if failed else "all required checks pass"
        )
    raise typer.Exit(code)
