"""The LINE channel's parts, built once per API process when the channel is configured."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from linebot.v3 import WebhookParser

from rxlens.config import LineSettings
from rxlens.errors import ConfigError
from rxlens.line.api import LineApi
from rxlens.line.channel import LineChannel
from rxlens.line.reminders import Reminders
from rxlens.line.store import LineStore
from rxlens.queue.jobs import Jobs
from rxlens.queue.sealing import Sealer
from rxlens.services import Services

_CONSOLE = "Copy it from the channel's page in the LINE Developers console."
_HINT = "Make one with `rxlens keys line`; every API process needs the same."


@dataclass
class Line:
    parser: WebhookParser
    channel: LineChannel
    reminders: Reminders
    sealer: Sealer
    tasks: set[asyncio.Task[None]] = field(default_factory=set)

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Keep a reference: the event loop holds tasks only weakly."""
        task = asyncio.create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def close(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await self.channel.close()


def _filled(settings: LineSettings) -> None:
    """Set but empty (RXLENS_LINE__CHANNEL_SECRET=) still turns the channel on, and with an empty
    HMAC key anyone could sign a webhook."""
    for name, value in (("SECRET", settings.channel_secret), ("ACCESS_TOKEN", settings.channel_access_token)):
        if value is None or not value.get_secret_value().strip():
            raise ConfigError(f"RXLENS_LINE__CHANNEL_{name} is empty.", hint=_CONSOLE)


def open_line(services: Services, jobs: Jobs, clock: Callable[[], float] = time.time) -> Line:
    settings = services.settings.line
    assert settings.channel_secret is not None and settings.data_key is not None  # settings checked both
    _filled(settings)
    sealer = Sealer.of(settings.data_key, "RXLENS_LINE__DATA_KEY", "line", _HINT)
    # Rows are found by an HMAC of the user id keyed by the oldest key (listed last): a new key
    # put first for rotation seals from then on, and every user is still found by the old key.
    oldest = settings.data_key.get_secret_value().split(",")[-1].strip()
    store = LineStore(services.engine, sealer, oldest.encode())
    api = LineApi(settings)
    channel = LineChannel(settings, services, jobs, api, store, sealer, clock)
    parser = WebhookParser(settings.channel_secret.get_secret_value())
    return Line(parser, channel, Reminders(store, api, settings, services, clock), sealer)
