"""Helpers the CLI commands share."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rxlens.config import get_settings
from rxlens.services import Services, init_catalog


@contextmanager
def opened(init: bool = False) -> Iterator[Services]:
    services = Services.open(get_settings())
    try:
        if init:
            init_catalog(services)
        yield services
    finally:
        services.close()
