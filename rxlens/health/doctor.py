"""The list of checks, in the order a user would fix them."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from rxlens.config import Settings, get_settings
from rxlens.errors import ConfigError
from rxlens.health import checks, database, ocr, servers
from rxlens.health.report import Check, Status, run

# Loading ONNX Runtime and two models takes seconds on a small machine, a connect at most a few.
OCR_TIMEOUT_SECONDS = 120.0
TIMEOUT_SECONDS = 15.0
NEEDS_SETTINGS = ("ocr", "fonts", "catalog", "database", "redis", "rabbitmq", "cloud-key", "line", "disk")


def _plan(settings: Settings) -> list[tuple[str, Callable[[], Check], float]]:
    return [
        ("ocr", partial(ocr.local_ocr, settings), OCR_TIMEOUT_SECONDS),
        ("fonts", partial(checks.fonts, settings), TIMEOUT_SECONDS),
        ("catalog", partial(checks.catalog_bundle, settings), TIMEOUT_SECONDS),
        ("database", partial(database.database, settings), TIMEOUT_SECONDS),
        ("redis", partial(servers.redis, settings.queue.redis_url), TIMEOUT_SECONDS),
        ("rabbitmq", partial(servers.rabbitmq, settings.queue.broker_url), TIMEOUT_SECONDS),
        ("cloud-key", partial(checks.cloud_key, settings), TIMEOUT_SECONDS),
        ("line", partial(checks.line_channel, settings), TIMEOUT_SECONDS),
        ("disk", partial(checks.disk, settings), TIMEOUT_SECONDS),
    ]


def diagnose() -> list[Check]:
    found = [checks.python_version()]
    try:
        settings = get_settings()
    except ConfigError as error:
        found.append(Check("settings", Status.FAIL, error.message, error.hint))
        return found + [Check(name, Status.SKIPPED, "The settings are invalid.") for name in NEEDS_SETTINGS]
    found.append(Check("settings", Status.OK, f"engine {settings.engine}, data dir {settings.data_dir}"))
    return found + [run(name, check, timeout) for name, check, timeout in _plan(settings)]
