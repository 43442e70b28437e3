"""修改 opens the web page on one record by a signed short-lived link: the token is the record's
id and its owner sealed together, and opens only within `link_ttl_seconds`."""

from __future__ import annotations

import json

from rxlens.errors import LinkExpired
from rxlens.queue.sealing import Sealer


def make_token(sealer: Sealer, record_id: str, user_key: str) -> str:
    return sealer.seal(json.dumps({"r": record_id, "u": user_key}).encode())


def open_token(sealer: Sealer, token: str, ttl: int) -> tuple[str, str]:
    """(record id, user key), or LinkExpired."""
    try:
        data = json.loads(sealer.open(token, ttl=ttl))
        return str(data["r"]), str(data["u"])
    except (ValueError, KeyError, TypeError):
        raise LinkExpired("This edit link has expired or was not made by this service.") from None


def edit_url(public_url: str, token: str) -> str:
    # In the fragment: browsers never send it to servers or proxies, so it stays out of their logs.
    return f"{public_url.rstrip('/')}/#line={token}"
