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


def neutral(rgb: np.ndarray) -> list[np.ndarray]:
    """The three channels, each scaled so the paper (the brightest tenth of a sparse sample) is
    white; by lookup tables, as uint8 (a float copy of a photo cost more than the rest)."""
    sample = rgb[::8, ::8].reshape(-1, 3)
    paper = np.maximum(np.percentile(sample, 90, axis=0), _DARKEST_PAPER)
    levels = np.arange(256, dtype=np.float32)
    tables = [np.minimum(levels * (255.0 / p), 255).astype(np.uint8) for p in paper]
    return [table[rgb[:, :, c]] for c, table in enumerate(tables)]


def prepare(rgb: np.ndarray, ink: str, spread: int) -> np.ndarray:
    if ink == "as_taken":
        return rgb
    r, g, b = (rgb[:, :, c] for c in range(3)) if ink == "lightest" else neutral(rgb)
    lightest = np.maximum(np.maximum(r, g), b)
    if ink == "paper":
        mark = lightest - np.minimum(np.minimum(r, g), b) > spread
        mark &= lightest >= _MARK_LIGHTEST
        lightest[mark] = 255
    return np.repeat(lightest[:, :, None], 3, axis=2)
