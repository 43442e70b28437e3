"""Which schedule a request gets: the rollback switch, or the sticky A/B split."""

from __future__ import annotations

import hashlib
import uuid

from rxlens.config import PipelineSettings


def choose_mode(settings: PipelineSettings, user_id: str | None) -> tuple[str, str | None]:
    """(mode, arm). Forced modes have no arm; in the experiment a user always lands in one arm."""
    match settings.mode:
        case "parallel" | "sequential":
            return settings.mode, None
        case _:
            key = user_id or uuid.uuid4().hex  # anonymous requests are split at random
            bucket = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big") / 2**64
            mode = "parallel" if bucket < settings.parallel_share else "sequential"
            return mode, mode
