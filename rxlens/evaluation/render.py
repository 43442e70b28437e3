"""Draw a prescription from its Truth, in its layout family (the families live in layouts/)."""

from __future__ import annotations

import random

from PIL import Image

from rxlens.evaluation.layouts import clinic_bag, nhi_standard_form
from rxlens.evaluation.layouts import render as render
from rxlens.evaluation.layouts.base import BOLD as BOLD
from rxlens.evaluation.layouts.base import FONTS as FONTS
from rxlens.evaluation.layouts.base import font as font
from rxlens.evaluation.layouts.base import fonts_available as fonts_available
from rxlens.evaluation.truth import Truth


def render_bag(truth: Truth, rng: random.Random) -> Image.Image:
    """One drug on a clinic bag, whatever family the truth came from."""
    return clinic_bag.render(truth, rng)


def render_slip(truth: Truth, rng: random.Random) -> Image.Image:
    return nhi_standard_form.render(truth, rng)
