"""Drawing helpers every layout family shares: Noto CJK faces, text that fits its cell, rules, boxes."""

from __future__ import annotations

import random
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from rxlens.config import get_settings

Face = tuple[str, int]  # (file, face index of the Traditional Chinese face)
SANS: Face = ("NotoSansCJK-Regular.ttc", 3)
SERIF: Face = ("NotoSerifCJK-Regular.ttc", 3)
MONO: Face = ("NotoSansCJK-Regular.ttc", 8)
BOLD: Face = ("NotoSansCJK-Bold.ttc", 3)
SERIF_BOLD: Face = ("NotoSerifCJK-Bold.ttc", 3)
FONTS = [SANS, SERIF, MONO]
INK = (22, 22, 26)
Box = tuple[float, float, float, float]


ALL_FACES = FONTS + [BOLD, SERIF_BOLD]


def font_dir() -> Path:
    return get_settings().font_dir  # RXLENS_FONT_DIR


def missing_fonts(folder: Path | None = None) -> list[str]:
    folder = folder or font_dir()
    return sorted({f for f, _ in ALL_FACES if not (folder / f).is_file()})


def fonts_available() -> bool:
    return not missing_fonts()


@lru_cache(maxsize=256)
def font(spec: Face, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_dir() / spec[0]), size, index=spec[1])


class Sheet:
    """One page being drawn; `face` is the page's body face, `bold` its heading face."""

    def __init__(self, size: tuple[int, int], rng: random.Random, face: Face | None = None) -> None:
        tint = rng.randint(244, 254)
        self.image = Image.new("RGB", size, (tint, tint, max(tint - rng.randint(0, 8), 230)))
        self.draw = ImageDraw.Draw(self.image)
        self.rng = rng
        self.face = face or rng.choice(FONTS)
        self.bold = SERIF_BOLD if self.face == SERIF else BOLD

    @property
    def width(self) -> int:
        return self.image.width

    def text(
        self,
        x: float,
        y: float,
        s: str,
        size: int,
        bold: bool = False,
        fill: tuple[int, ...] = INK,
        face: Face | None = None,
        anchor: str = "la",
    ) -> float:
        """Draw `s` and return its width (callers place the next cell after it)."""
        f = font(self.bold if bold else (face or self.face), size)
        self.draw.text((x, y), s, fill=fill, font=f, anchor=anchor)
        return f.getlength(s)

    def fit(self, s: str, width: float, size: int, bold: bool = False) -> int:
        """The largest size ≤ `size` at which `s` fits `width` (real forms shrink or cut long names)."""
        face = self.bold if bold else self.face
        while size > 12 and font(face, size).getlength(s) > width:
            size -= 1
        return size

    def cell(self, box: Box, s: str, size: int, align: str = "l", bold: bool = False) -> None:
        x0, y0, x1, y1 = box
        size = self.fit(s, x1 - x0 - 8, size, bold)
        y = (y0 + y1) / 2
        x, anchor = {"l": (x0 + 5, "lm"), "r": (x1 - 5, "rm"), "c": ((x0 + x1) / 2, "mm")}[align]
        self.text(x, y, s, size, bold, anchor=anchor)

    def hline(self, y: float, x0: float, x1: float, width: int = 2, dashed: bool = False) -> None:
        if not dashed:
            self.draw.line((x0, y, x1, y), fill=INK, width=width)
            return
        for x in range(int(x0), int(x1), 14):
            self.draw.line((x, y, min(x + 7, x1), y), fill=INK, width=width)

    def vline(self, x: float, y0: float, y1: float, width: int = 2) -> None:
        self.draw.line((x, y0, x, y1), fill=INK, width=width)

    def rect(self, box: Box, width: int = 2, radius: int = 0) -> None:
        if radius:
            self.draw.rounded_rectangle(box, radius, outline=INK, width=width)
        else:
            self.draw.rectangle(box, outline=INK, width=width)

    def grid(self, x_edges: Sequence[float], y0: float, row_h: float, rows: int, width: int = 2) -> None:
        """A ruled table: vertical edges at `x_edges`, `rows` rows of `row_h`."""
        y1 = y0 + row_h * rows
        self.rect((x_edges[0], y0, x_edges[-1], y1), width)
        for x in x_edges[1:-1]:
            self.vline(x, y0, y1, 1)
        for r in range(1, rows):
            self.hline(y0 + r * row_h, x_edges[0], x_edges[-1], 1)

    def qr(self, x: float, y: float, cells: int = 21, pitch: int = 6) -> None:
        """A QR-code-like block (random modules and three finder squares): no data in it."""
        for r in range(cells):
            for c in range(cells):
                if self.rng.random() < 0.5:
                    self.draw.rectangle(
                        (x + c * pitch, y + r * pitch, x + (c + 1) * pitch - 1, y + (r + 1) * pitch - 1),
                        fill=INK,
                    )
        for fx, fy in ((0, 0), (cells - 7, 0), (0, cells - 7)):
            bx, by = x + fx * pitch, y + fy * pitch
            self.draw.rectangle(
                (bx, by, bx + 7 * pitch - 1, by + 7 * pitch - 1),
                fill=(255, 255, 255),
                outline=INK,
                width=pitch,
            )
            self.draw.rectangle(
                (bx + 2 * pitch, by + 2 * pitch, bx + 5 * pitch - 1, by + 5 * pitch - 1), fill=INK
            )

    def barcode(self, x: float, y: float, width: float, height: float) -> None:
        cursor = x
        while cursor < x + width:
            bar = self.rng.choice([1, 2, 3, 4])
            if self.rng.random() < 0.55:
                self.draw.rectangle((cursor, y, cursor + bar, y + height), fill=INK)
            cursor += bar + 1

    def finish(self, bottom: float) -> Image.Image:
        return self.image.crop((0, 0, self.image.width, min(self.image.height, int(bottom))))


def dose_text(dose: float, rng: random.Random, decimals: bool = False) -> str:
    """1 / 0.5 / 1.000 / 1/2 (half tablets print all three ways)."""
    if decimals:
        return f"{dose:.3f}"
    if dose == 0.5 and rng.random() < 0.25:
        return "1/2"
    return f"{dose:g}"


def qty(total: float, rng: random.Random, decimals: int = 0) -> str:
    return f"{total:.{decimals}f}" if decimals else f"{total:g}"
