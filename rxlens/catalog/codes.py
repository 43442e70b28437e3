"""Printed NHI drug codes (`BC25419100`, `AC058111G0`): finding them in a line and repairing OCR.

A code is a letter, a letter or digit, six digits (the licence serial sits in the first five) and
two pack/variant characters. OCR confuses letters and digits of similar shape; where the format
says "digit" the confusion can be undone, in the other positions it cannot.
"""

from __future__ import annotations

import re

from rxlens.catalog.normalize import fold

CODE_RE = re.compile(r"^[A-Z][0-9A-Z]\d{6}[0-9A-Z]{2}$")
DIGIT_LOOKALIKES = "OQDISLBGZ"
# A code-like token: ten characters in the code's shape, with at least four real digits among
# the six that must be digits, so ordinary capitalised words do not qualify.
code_pattern = re.compile(
    rf"(?<![0-9A-Za-z])[A-Z][0-9A-Z](?=(?:[{DIGIT_LOOKALIKES}]*\d){{4}})"
    rf"[0-9{DIGIT_LOOKALIKES}]{{6}}[0-9A-Z]{{2}}(?![0-9A-Za-z])"
)
_TO_DIGIT = str.maketrans(
    {"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "S": "5", "B": "8", "G": "6", "Z": "2"}
)
# The first character is always a letter: a digit there is a letter OCR read as one.
_TO_LETTER = str.maketrans({"8": "B", "0": "O", "1": "I", "5": "S", "6": "G", "2": "Z"})


def _printed(text: str) -> str:
    """A printed code as its characters: folded, without the spaces and dots OCR puts in."""
    return re.sub(r"[\s\-_.]", "", fold(text))


def repair_code(text: str) -> str | None:
    """The code a printed token stands for, or None when it cannot be one."""
    token = _printed(text)
    if len(token) != 10:
        return None
    code = token[0].translate(_TO_LETTER) + token[1] + token[2:8].translate(_TO_DIGIT) + token[8:]
    return code if CODE_RE.match(code) else None


def misread_as(printed: str, codes: list[str]) -> bool:
    """One of `codes` differs from the printed code only where a letter stood among its digits
    (`AC4314Z100` for AC43141100): a misread of that code, not a code of its own."""
    token = _printed(printed)
    for code in codes:
        if len(code) != len(token):
            continue
        diffs = [i for i, (a, b) in enumerate(zip(code, token, strict=True)) if a != b]
        if len(diffs) == 1 and 2 <= diffs[0] < 8 and token[diffs[0]] in DIGIT_LOOKALIKES:
            return True
    return False


class CodeTable:
    """Products by NHI code, and by characters 3–10 for a code whose second character changed."""

    def __init__(self, codes_per_product: list[list[str]]) -> None:
        self._full: dict[str, int] = {}
        tails: dict[str, set[int]] = {}
        for i, codes in enumerate(codes_per_product):
            for code in codes:
                self._full.setdefault(code, i)
                tails.setdefault(code[2:], set()).add(i)
        self._tail = {tail: next(iter(ids)) for tail, ids in tails.items() if len(ids) == 1}

    def find(self, text: str) -> tuple[int, str] | None:
        """(product, code as repaired) for a printed code; a tail counts only if one product has it."""
        code = repair_code(text)
        if code is None:
            return None
        if code in self._full:
            return self._full[code], code
        found = self._tail.get(code[2:])
        return None if found is None else (found, code)
