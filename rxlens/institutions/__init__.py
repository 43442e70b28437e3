"""The NHI register of institutions (code → name), bundled as data/institutions.json.gz.

A help for reading a slip's header, never the only way: the register is from 2015 (plus the 2020
pharmacy list), so institutions opened since are missing and must still be read as printed.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

# Registered names carry the legal owner (醫療財團法人…基金會亞東紀念醫院) and notes in brackets
# (委託…經營); slips print the name without them.
_OWNER = re.compile(r"^.*(?:基金會|財團法人|社團法人|股份有限公司)(?=.{2,})")
_NOTE = re.compile(r"[（(〈<【［].*?[）)〉>】］]|[－-]委託.*$")


def printed_form(name: str) -> str:
    """The name as a slip would print it: no legal owner, no bracketed note."""
    return _OWNER.sub("", _NOTE.sub("", name)).strip()


def max_edits(name: str) -> int:
    """Edits an OCR misreading plausibly makes: one in a short name, two in a long one."""
    return 1 if len(name) <= 9 else 2


def _fold(name: str) -> str:
    # Slips print 台 and 臺 interchangeably; neither is an OCR error.
    return name.replace("台", "臺")


@dataclass(frozen=True)
class Register:
    names: dict[str, str]  # code → registered name
    printed: dict[str, str] = field(default_factory=dict)  # folded printed form → printed form

    @classmethod
    def of(cls, names: dict[str, str]) -> Register:
        printed: dict[str, str] = {}
        for name in names.values():
            for form in (name, printed_form(name)):
                printed.setdefault(_fold(form), form)
        return cls(names, printed)

    def name(self, code: str) -> str | None:
        registered = self.names.get(code)
        return printed_form(registered) if registered else None

    def knows(self, name: str) -> bool:
        return _fold(name) in self.printed

    def closest(self, name: str, edits: int | None = None) -> str | None:
        """The registered name within OCR distance of `name` (a known name is returned as read)."""
        if self.knows(name):
            return name
        limit = max_edits(name) if edits is None else edits
        if limit == 0:
            return None
        hits = process.extract(
            _fold(name), list(self.printed), scorer=Levenshtein.distance, score_cutoff=limit, limit=2
        )
        if not hits or (len(hits) > 1 and hits[1][1] == hits[0][1]):
            return None  # two names equally near: the read name cannot be told apart
        return self.printed[hits[0][0]]


@lru_cache(maxsize=1)
def register() -> Register:
    raw = resources.files("rxlens.data").joinpath("institutions.json.gz").read_bytes()
    names: dict[str, str] = json.loads(gzip.decompress(raw))["names"]
    return Register.of(names)
