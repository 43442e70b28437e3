"""Photos and records are medical data: sealed (Fernet: AES-128-CBC + HMAC-SHA256) before they
reach RabbitMQ or Redis, so a broker dump, a Redis snapshot or a shared server shows nothing."""

from __future__ import annotations

import json

from rxlens.config import QueueSettings
from rxlens.errors import ConfigError, MissingExtra


def new_secret() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


class Sealer:
    def __init__(self, settings: QueueSettings) -> None:
        try:
            from cryptography.fernet import Fernet
        except ImportError:
            raise MissingExtra("queue", "The job queue") from None
        if settings.secret_key is None:
            raise ConfigError(
                "The job queue needs RXLENS_QUEUE__SECRET_KEY.", hint="Make one: rxlens keys queue"
            )
        try:
            self._fernet = Fernet(settings.secret_key.get_secret_value().encode())
        except ValueError:
            raise ConfigError(
                "RXLENS_QUEUE__SECRET_KEY is not a Fernet key.", hint="Make one: rxlens keys queue"
            ) from None

    def seal(self, data: bytes) -> str:
        return self._fernet.encrypt(data).decode()

    def open(self, token: str | bytes) -> bytes:
        return self._fernet.decrypt(token)

    def seal_json(self, value: object) -> str:
        return self.seal(json.dumps(value, ensure_ascii=False).encode())

    def open_json(self, token: str | bytes) -> object:
        return json.loads(self.open(token))
