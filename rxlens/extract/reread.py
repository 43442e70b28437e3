"""Reading parts of a photo again, for what the page-wide read lost (second_look.py).

The detector sees the whole page shrunk to its working size, and a stamp over a cell can leave
its strokes just below the box threshold: the line is lost, or merged with the stamp into one box
read as noise. The same cell read again in a crop is found at full size and without the stamp's
neighbours. These helpers read a crop and bring its lines back into page coordinates, dropping
what the crop's edge cut and what the page-wide read already has whole.
"""

from __future__ import annotations

import dataclasses
import math
import re
import time
from collections.abc import Callable

from rxlens.images.intake import Photo
from rxlens.ocr.base import OcrEngine, TextLine
from rxlens.textnorm import fold

Box = tuple[int, int, int, int]
MIN_SIDE = 16  # px: a smaller crop holds no line
EDGE = 3  # px: a line this near a crop's inner edge was cut by it
# What was hard to read once is taken on a second reading only when read surely: a faded name
# read half right (`莫克事職不` for 莫克寧膜衣錠, 0.65) makes a drug nobody prescribed.
MIN_CONFIDENCE = 0.8


def clamp(box: tuple[float, float, float, float], size: tuple[int, int]) -> Box:
    x0, y0, x1, y1 = box
    return max(0, int(x0)), max(0, int(y0)), min(size[0], int(x1)), min(size[1], int(y1))


def shifted(line: TextLine, x: int, y: int) -> TextLine:
    a, b, c, d = ((px + x, py + y) for px, py in line.box)
    return dataclasses.replace(line, box=(a, b, c, d))


def inside(line: TextLine, other: TextLine) -> bool:
    """The centre of `line` lies in the box of `other`."""
    cx, cy = (line.left + line.right) / 2, line.centre
    return other.left <= cx <= other.right and other.top <= cy <= other.bottom


def _overlap(a: TextLine, b: TextLine) -> bool:
    return a.left < b.right and b.left < a.right and a.top < b.bottom and b.top < a.bottom


def _bare(text: str) -> str:
    return re.sub(r"\s", "", fold(text))


def fragment(line: TextLine, lines: list[TextLine]) -> bool:
    """A crop's cut of a line the page-wide read has whole (`114/1/8` of `有效期限：114/1/8`)."""
    text = _bare(line.text)
    return any(_overlap(line, old) and text in _bare(old.text) for old in lines)


def cut_by(line: TextLine, part: Box, size: tuple[int, int], rows: bool = True) -> bool:
    """The line touches an edge of the crop inside the page: the crop cut it, and another crop
    (or the page-wide read) has it whole (`就醫日期：113/04/2` of `…113/04/25`). `rows=False`
    looks at the sides only (a crop one row tall, whose detector box may fill its height)."""
    (x0, y0, x1, y1), (width, height) = part, size
    across = (y0 > 0 and line.top - y0 < EDGE) or (y1 < height and y1 - line.bottom < EDGE)
    return (x0 > 0 and line.left - x0 < EDGE) or (x1 < width and x1 - line.right < EDGE) or (rows and across)


# Which lines of a crop to keep: given the line in page coordinates and the crop.
Keep = Callable[[TextLine, Box], bool]


def read_part(photo: Photo, part: Box, engine: OcrEngine, keep: Keep) -> list[TextLine]:
    """The lines `keep` takes of those surely read upright in one crop, in page coordinates."""
    x0, y0, x1, y1 = part
    if min(x1 - x0, y1 - y0) < MIN_SIDE:
        return []
    crop = dataclasses.replace(photo, image=photo.image.crop(part))
    read = [ln for ln in engine.read(crop) if ln.rotation == 0 and ln.confidence >= MIN_CONFIDENCE]
    return [line for line in (shifted(ln, x0, y0) for ln in read) if keep(line, part)]


def read_parts(
    photo: Photo,
    lines: list[TextLine],
    parts: list[Box],
    engine: OcrEngine,
    keep: Keep,
    deadline: float = math.inf,
) -> list[TextLine]:
    """What the crops read that the page-wide read lacks, each line once; no crop is begun
    after `deadline` (a time.monotonic() value)."""
    found: list[TextLine] = []
    for part in parts:
        if time.monotonic() > deadline:
            break
        for line in read_part(photo, part, engine, keep):
            if not fragment(line, lines) and not any(inside(line, seen) for seen in found):
                found.append(line)
    return found


def covers(new: TextLine, old: TextLine) -> bool:
    """`old` lies on the text of `new`: its centre within the new line's thickness around the
    new line's centre line, not merely in its upright box (tall on a tilted page, where it
    reaches into the rows above and below)."""
    (ax, ay), (bx, by), (cx, cy), (dx, dy) = new.box
    (lx, ly), (rx, ry) = ((ax + dx) / 2, (ay + dy) / 2), ((bx + cx) / 2, (by + cy) / 2)
    x, y = (old.left + old.right) / 2, old.centre
    if not new.left <= x <= new.right:
        return False
    at = ly + (ry - ly) * ((x - lx) / (rx - lx) if rx != lx else 0.5)
    return abs(y - at) <= new.thickness / 2


def merged(lines: list[TextLine], new: list[TextLine]) -> list[TextLine]:
    """The page's lines with `new` in place of the lines they cover."""
    return [old for old in lines if not any(covers(line, old) for line in new)] + new
