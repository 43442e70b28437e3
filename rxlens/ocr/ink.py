"""What the model sees of a photo's colours (OcrSettings.ink).

Stamps, highlighter and ticks are coloured; print is black or grey. `lightest` keeps each pixel's
lightest channel, so a red or blue mark fades while black print stays black. `paper` goes further:
a coloured mark that is light in one channel is taken off the page, after the paper itself is made
neutral, so that a warm lamp's cast is not mistaken for colour (faded print under it stays).
"""

from __future__ import annotations

import numpy as np

# Darker than this in every channel, a coloured pixel is print on a coloured band (white print on
# it stays legible), not a mark over the page.
_MARK_LIGHTEST = 140
# A page whose brightest tenth is darker than this says nothing about the light's colour.
_DARKEST_PAPER = 64.0


def neutral(rgb: np.ndarray) -> np.ndarray:
    """Each channel scaled so the paper (the brightest tenth of a sparse sample) is white."""
    sample = rgb[::8, ::8].reshape(-1, 3)
    paper = np.maximum(np.percentile(sample, 90, axis=0), _DARKEST_PAPER)
    scaled: np.ndarray = np.minimum(rgb * (255.0 / paper).astype(np.float32), 255.0)
    return scaled


def prepare(rgb: np.ndarray, ink: str, spread: int) -> np.ndarray:
    if ink == "as_taken":
        return rgb
    if ink == "lightest":
        lightest = rgb.max(axis=2)
    else:
        page = neutral(rgb)
        lightest = page.max(axis=2)
        mark = (lightest - page.min(axis=2) > spread) & (lightest >= _MARK_LIGHTEST)
        lightest = np.where(mark, 255.0, lightest)
    return np.repeat(lightest[:, :, None].astype(np.uint8), 3, axis=2)
