"""What the model sees of a photo's colours (OcrSettings.ink).

Stamps, highlighter and ticks are coloured; print is black or grey. `lightest` keeps each pixel's
lightest channel, so a red or blue mark fades while black print stays black. `paper` goes further:
a light pixel whose colour is not the paper's (nor yellow-brown, the colour of aged paper and
faded print) is a mark, and becomes paper.

"Not the paper's colour" is measured in chroma (colour without brightness): under a warm lamp the
paper is orange and so is the print on it, at any brightness between black and the paper (a
phone's JPEG keeps the paper's chroma even in thin dark strokes), so a pixel counts as coloured
only by its distance from the line between no colour and the paper's colour.
"""

from __future__ import annotations

import numpy as np

# Darker than this in every channel, a coloured pixel is print (navy or dark red ink, a blue pen's
# correction, a coloured band with white print on it), not a stamp's or highlighter's light ink.
_MARK_LIGHTEST = 170


def _chroma(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Blue and red difference from luma (as in YCbCr, unscaled), in float32."""
    r, g, b = (rgb[..., c].astype(np.float32) for c in range(3))
    luma = 0.299 * r + 0.587 * g + 0.114 * b
    return b - luma, r - luma


def coloured(rgb: np.ndarray, spread: int) -> np.ndarray:
    """Pixels whose chroma is farther than `spread` from the paper's (the brightest tenth of a
    sparse sample), or from any shade between it and grey."""
    paper_cb, paper_cr = (float(v) for v in _chroma(np.percentile(rgb[::8, ::8].reshape(-1, 3), 90, axis=0)))
    cb, cr = _chroma(rgb)
    length = paper_cb * paper_cb + paper_cr * paper_cr
    if length >= 1.0:
        along = np.clip((cb * paper_cb + cr * paper_cr) / length, 0.0, 1.0)
        cb -= along * paper_cb
        cr -= along * paper_cr
    # Yellow to brown (blue below luma, by more than red is above it) is how paper ages and print
    # fades (thermal receipts turn sepia): never a mark; stamps are red, blue or purple.
    warm = (cb < 0) & (-cb > cr)
    distance: np.ndarray = (cb * cb + cr * cr > float(spread * spread)) & ~warm
    return distance


def prepare(rgb: np.ndarray, ink: str, spread: int) -> np.ndarray:
    if ink == "as_taken":
        return rgb
    lightest = np.maximum(np.maximum(rgb[..., 0], rgb[..., 1]), rgb[..., 2])
    if ink == "paper":
        mark = coloured(rgb, spread) & (lightest >= _MARK_LIGHTEST)
        lightest[mark] = 255
    return np.repeat(lightest[:, :, None], 3, axis=2)
