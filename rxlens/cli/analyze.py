"""`rxlens analyze a.jpg b.jpg`: one medication record from 1–5 photos."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from rxlens.cli.files import read_photo
from rxlens.cli.shared import opened
from rxlens.config import get_settings
from rxlens.pipeline import analyze as run_pipeline
from rxlens.result import AnalysisResult

console = Console()
err = Console(stderr=True)
_CHECK = {"verified": "[green]✓ 相符[/]", "mismatch": "[red]✗ 不符[/]", "not_applicable": "[dim]–[/]"}
_STEPS = {
    "received": "讀取照片",
    "photo_read": "辨識文字",
    "catalog_ready": "藥品資料庫就緒",
    "result": "完成",
}


def _header(record: AnalysisResult) -> Table:
    table = Table(show_header=False, box=None)
    for label, value in (
        ("院所", record.clinic_name),
        ("醫師", record.doctor_name),
        ("日期", record.visit_date),
        ("天數", record.days_supply),
    ):
        table.add_row(f"[bold]{label}[/]", str(value) if value is not None else "[dim]未讀到[/]")
    return table


def _medications(record: AnalysisResult) -> Table:
    table = Table(title=f"藥品（{len(record.medications)}）", show_lines=True)
    for column in ("藥品", "每次", "頻率", "時機", "總量", "天數", "核對", "信心"):
        table.add_column(column, overflow="fold")
    for m in record.medications:
        name = f"{m.drug_name_zh}\n{m.drug_name_en}" if m.matched_drug_id else f"[yellow]{m.printed_name}[/]"
        low = "[yellow]" if m.confidence < 0.8 else ""
        table.add_row(
            name,
            _num(m.dose_quantity),
            m.frequency_count_code or "–",
            m.frequency_timing_code or "–",
            _num(m.total_quantity),
            _num(m.days),
            _CHECK[m.arithmetic.status],
            f"{low}{m.confidence:.2f}",
        )
    return table


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def show(record: AnalysisResult) -> None:
    console.print(_header(record))
    if record.medications:
        console.print(_medications(record))
    console.print(record.user_message)
    u = record.usage
    console.print(
        f"[dim]{u.engine} · {u.mode} · {u.photos} photo(s) · {u.total_ms:.0f} ms "
        f"({', '.join(f'{k} {v:.0f}' for k, v in u.timings_ms.items())})[/]"
    )


def analyze(
    photos: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, help="1 to 5 photos.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Read drug bags or prescription slips into one medication record."""
    uploads = [read_photo(p, get_settings().intake) for p in photos]
    with opened(init=True) as services:
        if as_json:
            record = asyncio.run(run_pipeline(uploads, services))
            typer.echo(record.model_dump_json(indent=2))
            return
        with err.status("準備中…") as status:

            async def progress(event: str, data: dict[str, object]) -> None:
                extra = f" {int(str(data['photo'])) + 1}/{len(uploads)}" if "photo" in data else ""
                status.update(f"{_STEPS.get(event, event)}{extra}…")

            record = asyncio.run(run_pipeline(uploads, services, progress))
    show(record)
