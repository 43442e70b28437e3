"""What happens to paper before the photo: pharmacy stamps over the codes, folds, highlighter,
handwritten ticks, an edge cut off. Ink is multiplied onto the page, so text under it shows
through as it does on real slips."""

from __future__ import annotations

import random
from collections.abc import Callable

from PIL import Image, ImageChops, ImageDraw

from rxlens.evaluation.identity import person
from rxlens.evaluation.layouts.base import BOLD, font

Mark = Callable[[Image.Image, random.Random], Image.Image]
RED, BLUE = (214, 52, 52), (48, 72, 196)


def _inked(img: Image.Image, layer: Image.Image) -> Image.Image:
    return ImageChops.multiply(img, layer)


def _stamp_face(rng: random.Random, color: tuple[int, int, int]) -> Image.Image:
    size = rng.randint(170, 260)
    face = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    d = ImageDraw.Draw(face)
    if rng.random() < 0.6:
        d.ellipse((6, 6, size - 6, size - 6), outline=color, width=rng.randint(4, 7))
    else:
        d.rounded_rectangle((6, size // 4, size - 6, size * 3 // 4), 18, outline=color, width=5)
    lines = [
        rng.choice(["調劑章", "藥局", "已調劑", "藥師"]),
        f"{rng.randint(110, 115)}.{rng.randint(1, 12)}.{rng.randint(1, 28)}",
        person(rng),
    ]
    for i, line in enumerate(lines):
        d.text((size / 2, size * (0.3 + 0.2 * i)), line, fill=color, font=font(BOLD, size // 7), anchor="mm")
    return face.rotate(rng.uniform(-35, 35), expand=True)


def stamp(img: Image.Image, rng: random.Random) -> Image.Image:
    """A red or blue stamp, most often over the left of the drug rows (where NHI codes print)."""
    face = _stamp_face(rng, rng.choice([RED, RED, BLUE]))
    layer = Image.new("RGB", img.size, (255, 255, 255))
    w, h = img.size
    if rng.random() < 0.6:
        x, y = rng.randint(0, max(1, w // 4)), rng.randint(h // 3, max(h // 3 + 1, h * 3 // 4))
    else:
        x, y = rng.randint(0, max(1, w - face.width)), rng.randint(0, max(1, h - face.height))
    layer.paste(face, (x, y), face)
    return _inked(img, layer)


def highlighter(img: Image.Image, rng: random.Random) -> Image.Image:
    layer = Image.new("RGB", img.size, (255, 255, 255))
    color = rng.choice([(255, 246, 120), (150, 230, 250), (255, 190, 220)])
    w, h = img.size
    y = rng.randint(h // 5, h * 4 // 5)
    x0 = rng.randint(0, w // 2)
    ImageDraw.Draw(layer).rectangle(
        (x0, y, x0 + rng.randint(w // 5, w // 2), y + rng.randint(26, 40)), fill=color
    )
    return _inked(img, layer)


def ticks(img: Image.Image, rng: random.Random) -> Image.Image:
    """A pharmacist's pen: ticks, a date like 6/1, initials down the right margin."""
    layer = Image.new("RGB", img.size, (255, 255, 255))
    d = ImageDraw.Draw(layer)
    w, h = img.size
    ink = rng.choice([(40, 60, 170), (30, 30, 30), (190, 40, 40)])
    for _ in range(rng.randint(2, 5)):
        x, y = rng.randint(w * 3 // 4, w - 40), rng.randint(40, h - 60)
        pts = [
            (x, y),
            (x + rng.randint(8, 16), y + rng.randint(14, 24)),
            (x + rng.randint(28, 46), y - rng.randint(10, 30)),
        ]
        d.line(pts, fill=ink, width=rng.randint(3, 5), joint="curve")
    x, y = rng.randint(w * 3 // 4, w - 90), rng.randint(40, h - 120)
    d.text((x, y), f"{rng.randint(1, 12)}/{rng.randint(1, 28)}", fill=ink, font=font(BOLD, 40))
    return _inked(img, layer)


def fold(img: Image.Image, rng: random.Random) -> Image.Image:
    """A crease: a thin dark line with a soft shadow on one side."""
    layer = Image.new("RGB", img.size, (255, 255, 255))
    d = ImageDraw.Draw(layer)
    w, h = img.size
    if rng.random() < 0.6:
        y = rng.randint(h // 3, h * 2 // 3)
        for k in range(18):
            d.line((0, y + k, w, y + k + rng.randint(-3, 3)), fill=(255 - 40 + 2 * k,) * 3)
    else:
        x = rng.randint(w // 3, w * 2 // 3)
        for k in range(18):
            d.line((x + k, 0, x + k, h), fill=(255 - 40 + 2 * k,) * 3)
    return _inked(img, layer)


def crop_edge(img: Image.Image, rng: random.Random) -> Image.Image:
    """The photo misses a strip at one edge (margins only: the truth stays on the page)."""
    w, h = img.size
    cut = rng.randint(10, 36)
    side = rng.choice(["left", "top", "right", "bottom"])
    box = {
        "left": (cut, 0, w, h),
        "top": (0, cut, w, h),
        "right": (0, 0, w - cut, h),
        "bottom": (0, 0, w, h - cut),
    }
    return img.crop(box[side])


MARKS: dict[str, Mark] = {
    "stamp": stamp,
    "highlighter": highlighter,
    "ticks": ticks,
    "fold": fold,
    "crop": crop_edge,
}


def mark(img: Image.Image, rng: random.Random) -> tuple[Image.Image, list[str]]:
    """None to three marks; stamps are the most common (every 慢箋 refill gets one)."""
    chosen = [
        k
        for k, p in [
            ("stamp", 0.5),
            ("stamp", 0.2),
            ("highlighter", 0.2),
            ("ticks", 0.3),
            ("fold", 0.2),
            ("crop", 0.15),
        ]
        if rng.random() < p
    ]
    for name in chosen:
        img = MARKS[name](img, rng)
    return img, [f"paper:{name}" for name in chosen]
