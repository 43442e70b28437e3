"""Who the client is, for limits and the A/B split: an API key, else the connecting address.

Nothing the client types chooses its identity: `user_id` is a label only, and X-Forwarded-For is
believed only when the connection comes from a configured reverse proxy (RXLENS_SERVICE__TRUSTED_PROXIES).
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets

from starlette.datastructures import Headers
from starlette.types import Scope

from rxlens.config import ServiceSettings
from rxlens.errors import Unauthorized

KEY_PREFIX = "rxl_"


def new_key() -> tuple[str, str]:
    """(key, its sha256 hex digest); only the digest is stored."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    return key, digest(key)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class Identity:
    def __init__(self, settings: ServiceSettings) -> None:
        self.keys = frozenset(settings.api_key_hashes)
        self.proxies = [ipaddress.ip_network(p, strict=False) for p in settings.trusted_proxies]

    def of(self, scope: Scope) -> str:
        headers = Headers(scope=scope)
        auth = headers.get("authorization")
        if auth is not None:
            return "key:" + self._key(auth)
        peer = scope["client"][0] if scope.get("client") else "unknown"
        return "ip:" + self._address(peer, headers.getlist("x-forwarded-for"))

    def _key(self, auth: str) -> str:
        scheme, _, key = auth.partition(" ")
        hashed = digest(key.strip())
        if scheme.lower() != "bearer" or hashed not in self.keys:
            raise Unauthorized("The Authorization header does not hold a valid API key.")
        return hashed

    def _trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.proxies)

    def _address(self, peer: str, forwarded: list[str]) -> str:
        """The first address, from the right, that none of our proxies wrote."""
        if not self._trusted(peer):
            return peer
        hops = [h.strip() for line in forwarded for h in line.split(",") if h.strip()]
        for hop in reversed(hops):
            if not self._trusted(hop):
                return hop
        return hops[0] if hops else peer
