"""`rxlens eval …`: generate photos with ground truth, and measure accuracy on them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from rxlens.cli.shared import opened
from rxlens.errors import ConfigError
from rxlens.evaluation.generate import generate as write_images
from rxlens.evaluation.render import fonts_available
from rxlens.evaluation.runner import latency_line, run

app = typer.Typer(help="Generate evaluation photos and measure accuracy.", no_args_is_help=True)
console = Console()


@app.command()
def generate(
    out: Annotated[Path, typer.Argument(file_okay=False, help="Folder to write into.")],
    count: Annotated[int, typer.Option(min=1, help="How many photos.")] = 300,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
    damaged: Annotated[float, typer.Option(min=0, max=1, help="Share of phone-photo damage.")] = 0.5,
) -> None:
    """Render every layout family in turn from catalog products, with ground truth JSON beside each."""
    if not fonts_available():
        raise ConfigError("Noto CJK fonts are missing.", hint="Install them: apt-get install fonts-noto-cjk")
    with opened(init=True) as services:
        products = list(services.catalog.index().products)
    written = write_images(products, out, count, seed, damaged)
    families = Counter(p.stem.split("-", 1)[1] for p in written)
    console.print(
        f"Wrote {len(written)} photos with ground truth to {out}: "
        + ", ".join(f"{k} {v}" for k, v in families.items())
    )


@app.command("run")
def run_(
    folder: Annotated[Path, typer.Argument(exists=True, file_okay=False, help="A generated folder.")],
    limit: Annotated[int | None, typer.Option(help="Only the first N photos.")] = None,
    worst: Annotated[int, typer.Option(help="How many failure modes to list.")] = 5,
) -> None:
    """Print field-level accuracy per layout family, latency per photo and the worst failure modes."""
    with opened(init=True) as services:
        scorer, latencies = run(folder, services, limit)
    console.print(scorer.table())
    console.print(latency_line(latencies))
    console.print("\nWorst failure modes:")
    for name, count, examples in scorer.worst(worst):
        console.print(
            f"- {name}: {count} failures, e.g. "
            + "; ".join(f"{f.image}: expected {f.expected!r}, got {f.got!r}" for f in examples)
        )


@app.command("real")
def real(
    folder: Annotated[Path, typer.Argument(exists=True, file_okay=False, help="images/ and truth/ inside.")],
) -> None:
    """Field accuracy on real documents (ground truth by eye), with every miss listed."""
    from rxlens.evaluation.real import run as run_real
    from rxlens.evaluation.real import table

    with opened(init=True) as services:
        report = run_real(folder, services)
    console.print(table(report))
    console.print("\nMisses:")
    for miss in report.misses:
        console.print(f"- {miss.image} {miss.field}: expected {miss.expected!r}, got {miss.got!r}")
