"""Photos and records are medical data: sealed (Fernet: AES-128-CBC + HMAC-SHA256) before they
reach RabbitMQ or Redis, so a broker dump, a Redis snapshot or a shared server shows nothing."""

from __future__ import annotations

import json

from pydantic import SecretStr

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
        self._setup(settings.secret_key, "RXLENS_QUEUE__SECRET_KEY", "queue", _HINT)

    @classmethod
    def of(cls, secret: SecretStr | None, setting: str, extra: str, hint: str) -> Sealer:
        """A sealer for another secret (the LINE channel's stored records)."""
        sealer = cls.__new__(cls)
        sealer._setup(secret, setting, extra, hint)
        return sealer

    def _setup(self, secret: SecretStr | None, setting: str, extra: str, hint: str) -> None:
        try:
            from cryptography.fernet import Fernet, InvalidToken, MultiFernet
        except ImportError:
            raise MissingExtra(extra, f"Sealing with {setting}") from None
        if secret is None:
            raise ConfigError(f"This needs {setting}.", hint=hint)
        try:
            keys = [Fernet(k.strip().encode()) for k in secret.get_secret_value().split(",")]
        except ValueError:
            raise ConfigError(f"{setting} is not a Fernet key.", hint=hint) from None
        self._fernet, self._invalid, self._setting = MultiFernet(keys), InvalidToken, setting

    def seal(self, data: bytes) -> str:
        return self._fernet.encrypt(data).decode()

    def open(self, token: str | bytes, ttl: int | None = None) -> bytes:
        """Raises ValueError for a token not sealed with one of our keys (or tampered with), or
        sealed more than `ttl` seconds ago."""
        try:
            return self._fernet.decrypt(token, ttl=ttl)
        except self._invalid:
            raise ValueError(f"not sealed with {self._setting}") from None

    def seal_json(self, value: object) -> str:
        return self.seal(json.dumps(value, ensure_ascii=False).encode())

    def open_json(self, token: str | bytes) -> object:
        return json.loads(self.open(token))  # a JSONDecodeError is a ValueError too


_HINT = "Make one with `rxlens keys queue`; every API process and worker needs the same."
