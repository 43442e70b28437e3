"""`rxlens keys new`: an API key for the service, shown once; only its hash goes in the settings."""

from __future__ import annotations

import typer

from rxlens.api.identity import new_key

app = typer.Typer(help="API keys for `rxlens serve` (optional).", no_args_is_help=True)


@app.command()
def new() -> None:
    """Make a key: give the key to the client, put the hash line in the server's settings."""
    key, hashed = new_key()
    typer.echo(f"key (shown once; the client sends `Authorization: Bearer <key>`):\n{key}\n")
    typer.echo("add its hash to the server's settings (several keys: a JSON list of hashes):")
    typer.echo(f"RXLENS_SERVICE__API_KEY_HASHES='[\"{hashed}\"]'")
