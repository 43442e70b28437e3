"""Script folding shared by OCR output and catalog keys."""

from __future__ import annotations

from functools import lru_cache

import opencc

# OpenCC s2tw maps simplified characters OCR produces (锭, 别, 诊) to Taiwan forms; these are
# variants it leaves alone that our OCR model is known to emit for Traditional text.
_VARIANT_FIXES = str.maketrans({"歴": "歷", "臺": "台", "綫": "線"})


@lru_cache(maxsize=1)
def _s2tw() -> opencc.OpenCC:
    return opencc.OpenCC("s2tw")


def to_traditional(text: str) -> str:
    converted: str = _s2tw().convert(text)
    return converted.translate(_VARIANT_FIXES)
