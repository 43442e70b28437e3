"""Phone-photo damage: the page on a desk, tilted, in perspective, blurred, shadowed, faded."""

from __future__ import annotations

import io
import random
from collections.abc import Callable

import numpy as np
from PIL import Image, ImageFilter

Damage = Callable[[Image.Image, random.Random], Image.Image]


def on_desk(img: Image.Image, rng: random.Random) -> Image.Image:
    """Perspective: corners pulled by up to 5%, the page lying on a darker background."""
    w, h = img.size
    pad = int(0.06 * max(w, h))
    desk = Image.new("RGB", (w + 2 * pad, h + 2 * pad), tuple(rng.randint(60, 140) for _ in range(3)))
    desk.paste(img, (pad, pad))
    jitter = [(rng.uniform(-0.04, 0.04) * w, rng.uniform(-0.04, 0.04) * h) for _ in range(4)]
    W, H = desk.size
    src = [
        (jx + a, jy + b) for (a, b), (jx, jy) in zip([(0, 0), (0, H), (W, H), (W, 0)], jitter, strict=True)
    ]  # UL, LL, LR, UR
    return desk.transform(
        desk.size, Image.Transform.QUAD, [c for p in src for c in p], Image.Resampling.BILINEAR
    )


def tilt(img: Image.Image, rng: random.Random) -> Image.Image:
    return img.rotate(rng.uniform(-5, 5), Image.Resampling.BILINEAR, expand=True, fillcolor=(110, 100, 90))


def blur(img: Image.Image, rng: random.Random) -> Image.Image:
    return img.filter(ImageFilter.GaussianBlur(rng.uniform(0.7, 1.5)))


def jpeg(img: Image.Image, rng: random.Random) -> Image.Image:
    out = io.BytesIO()
    img.save(out, "JPEG", quality=rng.randint(30, 60))
    return Image.open(io.BytesIO(out.getvalue())).convert("RGB")


def shadow(img: Image.Image, rng: random.Random) -> Image.Image:
    a = np.asarray(img, dtype=np.float32)
    h, w = a.shape[:2]
    ramp = np.linspace(rng.uniform(0.45, 0.7), 1.0, w if rng.random() < 0.5 else h, dtype=np.float32)
    mask = np.tile(ramp, (h, 1)) if ramp.size == w else np.tile(ramp[:, None], (1, w))
    return Image.fromarray(np.clip(a * mask[..., None], 0, 255).astype(np.uint8))


def glare(img: Image.Image, rng: random.Random) -> Image.Image:
    a = np.asarray(img, dtype=np.float32)
    h, w = a.shape[:2]
    cy, cx, r = rng.uniform(0.2, 0.8) * h, rng.uniform(0.2, 0.8) * w, rng.uniform(0.12, 0.25) * max(h, w)
    yy, xx = np.ogrid[:h, :w]
    spot = np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * r * r)) * rng.uniform(80, 140)
    return Image.fromarray(np.clip(a + spot[..., None], 0, 255).astype(np.uint8))


def noise(img: Image.Image, rng: random.Random) -> Image.Image:
    a = np.asarray(img, dtype=np.float32)
    grain = np.random.default_rng(rng.randint(0, 2**31)).normal(0, rng.uniform(5, 12), a.shape)
    return Image.fromarray(np.clip(a + grain, 0, 255).astype(np.uint8))


def low_resolution(img: Image.Image, rng: random.Random) -> Image.Image:
    scale = rng.uniform(0.45, 0.65)
    small = img.resize((int(img.width * scale), int(img.height * scale)), Image.Resampling.BILINEAR)
    return small.resize(img.size, Image.Resampling.BILINEAR)


def faded(img: Image.Image, rng: random.Random) -> Image.Image:
    """Thermal paper: ink fades toward grey."""
    a = np.asarray(img, dtype=np.float32)
    keep = rng.uniform(0.45, 0.65)
    return Image.fromarray(np.clip(255 - (255 - a) * keep, 0, 255).astype(np.uint8))


def warm_light(img: Image.Image, rng: random.Random) -> Image.Image:
    """An indoor lamp: the whole page tinted yellow-orange and a little dimmer."""
    a = np.asarray(img, dtype=np.float32)
    tint = np.array([1.0, rng.uniform(0.82, 0.92), rng.uniform(0.55, 0.72)], dtype=np.float32)
    return Image.fromarray(np.clip(a * tint * rng.uniform(0.85, 1.0), 0, 255).astype(np.uint8))


DAMAGES: dict[str, Damage] = {
    "perspective": on_desk,
    "rotation": tilt,
    "blur": blur,
    "shadow": shadow,
    "glare": glare,
    "noise": noise,
    "low_resolution": low_resolution,
    "faded": faded,
    "warm_light": warm_light,
    "jpeg": jpeg,
}


def photograph(img: Image.Image, rng: random.Random) -> tuple[Image.Image, list[str]]:
    """Two to four kinds of damage, geometric first, JPEG last (as a phone would)."""
    chosen = rng.sample([k for k in DAMAGES if k != "jpeg"], rng.randint(2, 4))
    order = [k for k in DAMAGES if k in chosen] + ["jpeg"]
    for name in order:
        img = DAMAGES[name](img, rng)
    return img, order
