"""Any decoded Pillow image to an 8-bit RGB working copy, without a full-size RGB copy on the way.

Pillow's own `convert("RGB")` clips 16-bit and 32-bit values to 255 (a 16-bit grayscale scan
becomes a white page) and drops alpha onto black (transparent text on a transparent page becomes
one black page). Here wide values are scaled to 8 bits and alpha is laid on white paper.
A huge image is converted and reduced in bands of rows, so memory holds the decoded image plus a
band and the small result — never a second full-size copy in RGB.
"""

from __future__ import annotations

from typing import cast

import numpy as np
from PIL import Image

_WIDE_16 = {"I;16", "I;16L", "I;16B", "I;16N"}
_ALPHA = {"RGBA", "LA", "PA", "RGBa", "La"}
MODES = {"1", "L", "P", "RGB", "CMYK", "YCbCr", "I", "F"} | _WIDE_16 | _ALPHA
_BAND_PIXELS = 1 << 20  # about 4 MB of RGBA per band


def value_scale(image: Image.Image) -> float:
    """The factor that brings this image's values to 0–255 (1.0 for 8-bit modes)."""
    if image.mode in _WIDE_16:
        return 255 / 65535
    if image.mode not in ("I", "F"):
        return 1.0
    # 32-bit int and float images carry no declared range: judge it from the values, once for
    # the whole image so every band is scaled alike.
    low, high = cast(tuple[float, float], image.getextrema())  # one band: (min, max)
    if image.mode == "F" and low >= 0 and high <= 1.0:
        return 255.0
    return 1.0 if high <= 255 else 255 / 65535


def _to_gray8(image: Image.Image, scale: float) -> Image.Image:
    values = np.asarray(image).astype(np.float32) * scale
    return Image.fromarray(np.clip(np.rint(values), 0, 255).astype(np.uint8))


def to_rgb(image: Image.Image, scale: float | None = None) -> Image.Image:
    """An RGB copy: wide values scaled to 8 bits, transparency composited on white."""
    if image.mode == "RGB":
        return image
    if image.mode in _WIDE_16 or image.mode in ("I", "F"):
        return _to_gray8(image, value_scale(image) if scale is None else scale).convert("RGB")
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.mode in _ALPHA:
        paper = Image.new("RGBA", image.size, (255, 255, 255, 255))
        return Image.alpha_composite(paper, image.convert("RGBA")).convert("RGB")
    return image.convert("RGB")


def shrink(image: Image.Image, long_side: int) -> Image.Image:
    """RGB with the long side at most `long_side`, converted band by band from a decoded image."""
    width, height = image.size
    # The box-reduced copy stays ≥ 2 × long_side, so LANCZOS still makes the last step: a box
    # reduction straight to the working size softens thin strokes (a lone dose `1` on a real scan).
    factor = max(1, max(width, height) // (2 * long_side))
    scale = value_scale(image)
    rows = factor * max(1, _BAND_PIXELS // (width * factor))
    out = Image.new("RGB", (-(-width // factor), -(-height // factor)))
    for top in range(0, height, rows):
        band = to_rgb(image.crop((0, top, width, min(height, top + rows))), scale)
        out.paste(band.reduce(factor) if factor > 1 else band, (0, top // factor))
    out.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
    return out
