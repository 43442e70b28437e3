"""A real rxlens service with the LINE channel on, pointed at the fake LINE server."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from cryptography.fernet import Fernet
from fastapi import FastAPI
from pydantic import SecretStr

from rxlens.api.app import create_app
from rxlens.config import LineSettings, Settings
from rxlens.ocr.base import OcrEngine
from rxlens.services import Services
from tests.http import running
from tests.line_events import CHANNEL_SECRET, payload, signed
from tests.line_server import ACCESS_TOKEN, LineServer, line_server


def line_settings(base: Settings, fake: LineServer, **extra: Any) -> Settings:
    key = SecretStr(Fernet.generate_key().decode())
    chosen: dict[str, Any] = {"batch_quiet_seconds": 0.4, "public_url": "https://rxlens.example.tw", **extra}
    line = LineSettings(
        channel_secret=SecretStr(CHANNEL_SECRET), channel_access_token=SecretStr(ACCESS_TOKEN),
        api_base_url=fake.url, data_api_base_url=fake.data_url, data_key=key, **chosen,
    )  # fmt: skip
    return base.model_copy(update={"line": line})


@dataclass
class Bot:
    url: str
    app: FastAPI
    fake: LineServer
    services: Services

    def send(self, *events: dict[str, Any]) -> httpx.Response:
        body, headers = signed(payload(*events))
        return httpx.post(f"{self.url}/line/webhook", content=body, headers=headers, timeout=30)

    @property
    def line(self) -> Any:
        return self.app.state.line

    def settle(self, timeout: float = 60.0) -> None:
        """Until the channel has nothing held or running (batches answered, events handled)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            batcher = self.line.channel.batcher
            if not batcher.batches and not batcher.running and not self.line.tasks - self._loops():
                return
            time.sleep(0.05)
        raise TimeoutError("the LINE channel is still busy")

    def handled(self, timeout: float = 30.0) -> None:
        """Until every webhook's events are handled (batches may still be held)."""
        deadline = time.monotonic() + timeout
        while self.line.tasks - self._loops():
            if time.monotonic() > deadline:
                raise TimeoutError("webhook events still being handled")
            time.sleep(0.02)

    def _loops(self) -> set[Any]:
        return {t for t in self.line.tasks if "run_forever" in repr(t.get_coro())}


@contextmanager
def bot(base: Settings, ocr: OcrEngine, **extra: Any) -> Iterator[Bot]:
    with line_server() as fake:
        settings = line_settings(base, fake, **extra)
        services = Services.open(settings, ocr=ocr)
        app = create_app(settings, services)
        try:
            with running(app) as url:
                yield Bot(url, app, fake, services)
        finally:
            services.close()
