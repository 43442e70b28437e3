"""Script folding shared by OCR output and catalog keys."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import opencc

# Variants OpenCC leaves alone that our OCR model is known to emit for Traditional text
# (Japanese shinjitai and old forms); none of them is printed on Taiwanese slips.
_VARIANT_FIXES = str.maketrans({"歴": "歷", "綫": "線"})


@lru_cache(maxsize=1)
def _s2tw() -> opencc.OpenCC:
    return opencc.OpenCC("s2tw")


@lru_cache(maxsize=8192)
def _is_traditional(ch: str) -> bool:
    """A character Big5 can encode is a Traditional one as printed in Taiwan (臺 and 台, 里, 后).
    Only the others — Simplified-only forms such as 锭, 诊, 药 — need converting."""
    if ch.isascii():
        return True
    try:
        ch.encode("cp950")
    except UnicodeEncodeError:
        return False
    return True


@lru_cache(maxsize=8192)
def _char(ch: str) -> str:
    converted: str = _s2tw().convert(ch)
    return converted


def to_traditional(text: str) -> str:
    """Simplified-only characters → Taiwan forms; characters already Traditional stay as read
    (s2tw over everything would turn a printed 臺 into 台 and change names)."""
    if all(_is_traditional(ch) for ch in text):
        return text.translate(_VARIANT_FIXES)
    # Convert the whole text so phrases pick the right form (复方 → 複方), then keep every
    # character that was Traditional already.
    whole: str = _s2tw().convert(text)
    if len(whole) != len(text):
        whole = "".join(_char(ch) for ch in text)
    merged = "".join(orig if _is_traditional(orig) else new for orig, new in zip(text, whole, strict=True))
    return merged.translate(_VARIANT_FIXES)


def fold(text: str) -> str:
    """Full-width and compatibility forms to plain ones, upper case: how rules read OCR text."""
    return unicodedata.normalize("NFKC", text).upper()
