"""Engines and schedulers that implement the real interfaces but fail on purpose (fault tests)."""

from __future__ import annotations

import time
from collections.abc import Sequence

from rxlens.errors import EngineError
from rxlens.images.intake import Photo
from rxlens.ocr.base import TextLine
from rxlens.scheduling import Results, Stage, StageCall


class CrashingOcr:
    name = "crashing"

    def warm_up(self) -> None:
        pass

    def read(self, photo: Photo) -> list[TextLine]:
        raise EngineError(f"The OCR model failed on photo {photo.index + 1}: RuntimeError")


class SlowOcr:
    """Answers, but only after `seconds` (a hung model)."""

    name = "slow"

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def warm_up(self) -> None:
        pass

    def read(self, photo: Photo) -> list[TextLine]:
        time.sleep(self.seconds)
        return []


class BrokenScheduler:
    """The parallel machinery itself raising (not a stage)."""

    name = "parallel"

    async def run(self, stages: Sequence[Stage], call: StageCall) -> Results:
        raise RuntimeError("event loop machinery broke")


class BuggyOcr:
    """Raises something that is not an RxlensError: a bug inside a stage, not in the schedule."""

    name = "buggy"

    def warm_up(self) -> None:
        pass

    def read(self, photo: Photo) -> list[TextLine]:
        raise ValueError("a bug in the engine wrapper")
