"""What every engine returns, and the interface the pipeline calls."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

from rxlens.images.intake import Photo

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class TextLine:
    text: str
    box: tuple[Point, Point, Point, Point]  # clockwise from top-left, in working-image pixels
    confidence: float
    photo: int
    # The page was read turned by this many degrees (0 or 180); `box` is in that turned frame,
    # which is the reading order. `box_on_photo` maps it back onto the photo as sent.
    rotation: int = 0
    # The box as the engine drew it, when layout turned `box` to straighten a tilted page.
    original: tuple[Point, Point, Point, Point] | None = None

    def box_on_photo(self, width: int, height: int) -> tuple[Point, Point, Point, Point]:
        box = self.original or self.box
        if self.rotation != 180:
            return box
        a, b, c, d = ((width - x, height - y) for x, y in box)
        return c, d, a, b

    @property
    def top(self) -> float:
        return min(p[1] for p in self.box)

    @property
    def bottom(self) -> float:
        return max(p[1] for p in self.box)

    @property
    def left(self) -> float:
        return min(p[0] for p in self.box)

    @property
    def right(self) -> float:
        return max(p[0] for p in self.box)

    @property
    def centre(self) -> float:
        return sum(p[1] for p in self.box) / 4

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def thickness(self) -> float:
        """The height across the text, not across the page: a long line on a tilted page has a
        tall upright box (440 px of text at 4° spans 63 px for 34 px letters)."""
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = self.box
        return (math.hypot(x3 - x0, y3 - y0) + math.hypot(x2 - x1, y2 - y1)) / 2


class OcrEngine(Protocol):
    """Safe to share across threads; one instance per process."""

    name: str

    def read(self, photo: Photo) -> list[TextLine]: ...

    def warm_up(self) -> None: ...
