"""Photos and records are medical data: sealed (Fernet: AES-128-CBC + HMAC-SHA256) before they
reach RabbitMQ or Redis, so a broker dump, a Redis snapshot or a shared server shows nothing."""

from __future__ import annotations

import json

from rxlens.config import QueueSettings
from rxlens.errors import ConfigError, MissingExtra


def new_secret() -> str:
    try:
        from cryptography.fernet import Fernet
    except ImportError:
        raise MissingExtra("queue", "The job queue's secret") from None
    return Fernet.generate_key().decode()


class Sealer:
    """RXLENS_QUEUE__SECRET_KEY may list several keys, comma-separated: the first seals, any opens,
    so a new key can be rolled out (new first, old after) without breaking jobs in flight."""

    def __init__(self, settings: QueueSettings) -> None:
        try:
            from cryptography.fernet import Fernet, InvalidToken, MultiFernet
        except ImportError:
            raise MissingExtra("queue", "The job queue") from None
        if settings.secret_key is None:
            raise ConfigError("The job queue needs RXLENS_QUEUE__SECRET_KEY.", hint=_HINT)
        try:
            keys = [Fernet(k.strip().encode()) for k in settings.secret_key.get_secret_value().split(",")]
        except ValueError:
            raise ConfigError("RXLENS_QUEUE__SECRET_KEY is not a Fernet key.", hint=_HINT) from None
        self._fernet, self._invalid = MultiFernet(keys), InvalidToken

    def seal(self, data: bytes) -> str:
        return self._fernet.encrypt(data).decode()

    def open(self, token: str | bytes) -> bytes:
        """Raises ValueError for a token not sealed with one of our keys (or tampered with)."""
        try:
            return self._fernet.decrypt(token)
        except self._invalid:
            raise ValueError("not sealed with RXLENS_QUEUE__SECRET_KEY") from None

    def seal_json(self, value: object) -> str:
        return self.seal(json.dumps(value, ensure_ascii=False).encode())

    def open_json(self, token: str | bytes) -> object:
        return json.loads(self.open(token))  # a JSONDecodeError is a ValueError too


_HINT = "Make one with `rxlens keys queue`; every API process and worker needs the same."
