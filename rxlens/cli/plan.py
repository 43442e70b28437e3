"""`rxlens plan record.json …`: the daily plan of one or more records, and its calendar file."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from rxlens.catalog.index import MatchIndex
from rxlens.cli.shared import opened
from rxlens.errors import BadRecord
from rxlens.plan import Plan, Times, build_plan
from rxlens.plan.ics import to_ics
from rxlens.result import AnalysisResult

console = Console()
MAX_RECORD_BYTES = 4_000_000


def read_record(path: Path) -> AnalysisResult:
    if not path.is_file():
        raise BadRecord(f"{path} is not a file.")
    if os.stat(path).st_size > MAX_RECORD_BYTES:
        raise BadRecord(f"{path} is larger than {MAX_RECORD_BYTES // 1_000_000} MB: not a record.")
    try:
        return AnalysisResult.model_validate_json(path.read_bytes())
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the file"
        raise BadRecord(f"{path} is not a medication record ({where}: {first['msg']}).") from e


def _index() -> MatchIndex | None:
    with opened() as services:
        return services.catalog.index_or_none()  # down: the records' own ingredient lists stand in


def _table(plan: Plan) -> Table:
    names = {d.key: d.name for d in plan.drugs}
    table = Table(title=f"每日用藥（{plan.start} 起）", show_lines=True)
    table.add_column("時間")
    table.add_column("藥品")
    for slot in plan.slots:
        table.add_row(slot.label, "\n".join(f"{names[d.drug]} {d.amount}" for d in slot.doses))
    return table


_SOURCE = {"days": "依天數", "total": "依總量推算", "days_supply": "依給藥日份"}
_MARK = {"scheduled": "", "as_needed": "［需要時］", "unscheduled": "［未排入］"}


def _print(plan: Plan) -> None:
    console.print(_table(plan))
    for d in plan.drugs:
        end = (
            f"到 {d.last_day}（{_SOURCE[d.last_day_source]}）"
            if d.last_day and d.last_day_source
            else "結束日未知"
        )
        said = end if d.schedule == "scheduled" else d.reason
        console.print(f"{_MARK[d.schedule]}{d.name} {d.amount} {d.frequency_words} {said}")
    for w in plan.refills:
        how = "處方箋所印" if w.source == "printed" else "依健保規定推算"
        console.print(f"第{w.fill}次領藥：{w.start} – {w.end}（{how}）")
    for warning in plan.warnings:
        console.print(f"[yellow]注意：{warning.text}[/]")


def plan(
    records: Annotated[list[Path], typer.Argument(help="Record JSON files (rxlens analyze --json).")],
    ics: Annotated[Path | None, typer.Option(help="Write the calendar (.ics) here.")] = None,
    json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
    start: Annotated[
        dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Start for records without a visit date.")
    ] = None,
    breakfast: Annotated[dt.datetime, typer.Option(formats=["%H:%M"])] = dt.datetime(2000, 1, 1, 8, 0),
    lunch: Annotated[dt.datetime, typer.Option(formats=["%H:%M"])] = dt.datetime(2000, 1, 1, 12, 0),
    dinner: Annotated[dt.datetime, typer.Option(formats=["%H:%M"])] = dt.datetime(2000, 1, 1, 18, 0),
    bedtime: Annotated[dt.datetime, typer.Option(formats=["%H:%M"])] = dt.datetime(2000, 1, 1, 22, 0),
) -> None:
    """Daily time slots, last days, refill windows and duplicate-ingredient warnings."""
    read = [read_record(p) for p in records]
    times = Times(
        breakfast=breakfast.time(), lunch=lunch.time(), dinner=dinner.time(), bedtime=bedtime.time()
    )
    made = build_plan(read, times, start.date() if start else None, _index())
    if ics:
        ics.write_bytes(to_ics(made))
    if json:
        typer.echo(made.model_dump_json(indent=2))
    else:
        _print(made)
