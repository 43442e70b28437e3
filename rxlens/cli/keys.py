"""`rxlens keys new`: an API key for the service, shown once; only its hash goes in the settings.
`rxlens keys queue`: the job queue's sealing secret."""

from __future__ import annotations

import typer

from rxlens.api.identity import new_key

app = typer.Typer(
    help="API keys for `rxlens serve`, and the job queue's secret (optional).", no_args_is_help=True
)


@app.command()
def new() -> None:
    """Make a key: give the key to the client, put the hash line in the server's settings."""
    key, hashed = new_key()
    typer.echo(f"key (shown once; the client sends `Authorization: Bearer <key>`):\n{key}\n")
    typer.echo("add its hash to the server's settings (several keys: a JSON list of hashes):")
    typer.echo(f"RXLENS_SERVICE__API_KEY_HASHES='[\"{hashed}\"]'")


@app.command()
def queue() -> None:
    """Make the secret that seals photos and records in RabbitMQ and Redis (API and workers alike)."""
    from rxlens.queue.sealing import new_secret

    typer.echo("give every API process and worker the same line (keep it out of version control):")
    typer.echo(f"RXLENS_QUEUE__SECRET_KEY={new_secret()}")


@app.command()
def line() -> None:
    """Make the key that seals the records and reminders kept for LINE users."""
    from rxlens.queue.sealing import new_secret

    typer.echo("give every API process the same line (keep it out of version control):")
    typer.echo(f"RXLENS_LINE__DATA_KEY={new_secret()}")
