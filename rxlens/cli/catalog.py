"""`rxlens catalog …`: load, inspect, search and update the drug catalog."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from rxlens.catalog.importers import SourceKind, read_source
from rxlens.catalog.index import Candidate
from rxlens.catalog.store import ImportReport
from rxlens.catalog.update import update as download_and_import
from rxlens.config import get_settings
from rxlens.data.notice import ATTRIBUTION, MODEL_ATTRIBUTION
from rxlens.services import Services, init_catalog

app = typer.Typer(help="Load, inspect and search the drug catalog.", no_args_is_help=True)
console = Console()


@contextmanager
def _services(init: bool = False) -> Iterator[Services]:
    """With `init`, a new database gets the bundled catalog first, as `rxlens analyze` does."""
    services = Services.open(get_settings())
    try:
        if init:
            init_catalog(services)
        yield services
    finally:
        services.close()


def _print_report(report: ImportReport | None) -> None:
    if report is None:
        console.print("Catalog already up to date.")
        return
    console.print(
        f"Imported [bold]{report.source}[/]: {report.inserted} new, {report.updated} updated"
        f" products, {report.aliases} aliases (version {report.version})."
    )


@app.command()
def init() -> None:
    """Create the database and load the catalog bundled with rxlens (safe to run again)."""
    with _services() as services:
        _print_report(init_catalog(services))


@app.command()
def info() -> None:
    """Show catalog size, version, sources and the data licence attribution."""
    with _services(init=True) as services:
        meta, counts = services.store.meta(), services.store.counts()
    console.print(f"database: {services.settings.database.url}")
    console.print(f"version:  {meta.get('version', '(empty)')}  bundle: {meta.get('bundled_version', '-')}")
    console.print(f"products: {counts['products']}  aliases: {counts['aliases']}")
    for key, value in sorted(meta.items()):
        if key.startswith("source:"):
            console.print(f"source {key[7:]}: imported {value}")
    console.print(ATTRIBUTION)
    console.print(MODEL_ATTRIBUTION)


def _candidate_json(c: Candidate) -> dict[str, object]:
    p = c.product
    return {
        "id": p.id,
        "name_zh": p.name_zh,
        "name_en": p.name_en,
        "ingredients": [i.label() for i in p.ingredients],
        "strength_mg": sorted({i.strength for i in p.ingredients if i.strength and i.unit == "MG"}),
        "main_use": p.main_use,
        "score": c.score,
        "accepted": c.accepted,
        "evidence": c.evidence,
    }


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="A drug name as printed or as OCR read it.")],
    limit: Annotated[int, typer.Option(min=1, max=50, help="How many candidates.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Find the catalog entries that best match TEXT, with scores and the reason for each."""
    with _services(init=True) as services:
        found = services.catalog.match(text, limit)
    if as_json:
        typer.echo(json.dumps([_candidate_json(c) for c in found], ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{text}  (threshold {services.settings.catalog.match_threshold:g})")
    for column in ("score", "id", "中文名", "English", "ingredients", "evidence"):
        table.add_column(column, overflow="fold")
    for c in found:
        mark = "" if c.accepted else " [dim](below)[/]"
        table.add_row(
            f"{c.score:.1f}{mark}",
            c.product.id,
            c.product.name_zh,
            c.product.name_en,
            ", ".join(i.label() for i in c.product.ingredients),
            c.evidence,
        )
    console.print(table if found else f"No catalog entry resembles {text!r}.")


@app.command("import")
def import_(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The export file.")],
    kind: Annotated[SourceKind, typer.Option(help="tfda (dataset 36/37), nhi, or formulary CSV.")],
    replace: Annotated[bool, typer.Option(help="Drop this source's earlier rows first.")] = False,
) -> None:
    """Import an official export or a formulary CSV in one transaction."""
    with _services() as services:
        init_catalog(services)
        _print_report(services.store.apply(read_source(path, kind), [], kind.value, replace))


@app.command()
def update(
    kind: Annotated[SourceKind, typer.Option(help="Which official export to fetch.")] = SourceKind.TFDA,
    url: Annotated[str, typer.Option(help="Override the official URL.")] = "",
) -> None:
    """Download the official export (needs internet) and import it."""
    with _services() as services:
        init_catalog(services)
        settings = services.settings.catalog
        official = {SourceKind.TFDA: settings.tfda_url, SourceKind.NHI: settings.nhi_url}
        if not (url or kind in official):
            raise typer.BadParameter("a formulary has no official URL; use `rxlens catalog import`")
        _print_report(download_and_import(services.store, kind, url or official[kind], settings))
