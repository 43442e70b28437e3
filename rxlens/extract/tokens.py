"""Typed tokens: what each piece of a row is, whatever the layout.

A row's cells are cut into tokens named by what they hold — an NHI drug code, a frequency
expression (the one grammar in rxlens.vocab), an amount with a unit, a day count, a route, a
flag printed before a name, a strength, a bare number — and the text that is left, which is
where a drug name can be. Fields are then read from the kinds of tokens, not from where one
layout puts them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rxlens.catalog.codes import DIGIT_LOOKALIKES
from rxlens.catalog.normalize import STRENGTH_RE
from rxlens.layout.rows import Row
from rxlens.ocr.base import TextLine
from rxlens.textnorm import fold
from rxlens.vocab import frequency as grammar

Kind = Literal[
    "code", "id", "frequency", "amount", "days", "unit", "route", "flag", "strength", "number", "text"
]
Found = re.Match[str] | grammar.Frequency

# NHI drug codes: 10 characters; the digits may be read as their look-alike letters. A code
# whose first letter was lost under a stamp is 9 characters and still worth a lookup.
CODE_RE = re.compile(rf"(?<![A-Z0-9])[A-Z]?[A-Z0-9][0-9{DIGIT_LOOKALIKES}]{{6}}[0-9A-Z]{{2}}(?![A-Z0-9])")
# `56.days`: OCR reads a speck between the number and DAYS as a dot, and 天 as 夫 (no label
# prints 夫 after a number).
_DAYS_RE = re.compile(r"(?<![\d.月/])(\d{1,3})(?:\s*|\.)(?:天|夫|日份|日|DAYS?|D)(?![A-Z\d])")
_ZH_NUMBER = "一二兩三四五六七八九十半"
_UNITS = r"TABS?|CAPS?|錠|顆|粒|包|片|滴|GTT|PUFFS?|瓶|支|條|袋|AMP|VIAL|BOT|TUBE|PCS?|PACK"
_COUNT = rf"\d+(?:\.\d+)?|\d\s*/\s*\d|[{_ZH_NUMBER}]+"
# An amount is a number with its unit, or a number after the word that says what it is
# (`每次1`, `共56`: bags often print no unit). A number after a lone letter is a name's
# (`WETA B6 Tab`, `VITAMIN B12 TAB`): vitamins are named so. (Nor does an amount start inside a
# number: `B12 TAB` is not `B1` and `2 TAB`.)
_AMOUNT_RE = re.compile(
    rf"(?:(?P<label>每次|每回|一次|服用|使用|共|總量|總數量|總數|合計|數量)\s*[:：]?\s*)?"
    rf"(?<![^A-Z][A-Z])(?<!^[A-Z])(?<![\d.])(?P<n>{_COUNT})\s*(?P<unit>{_UNITS})(?![A-Z])"
    rf"|(?P<label2>每次|每回|共|總量|總數量|總數|合計|數量)\s*[:：]?\s*(?P<n2>{_COUNT})(?![\d./A-Z天日])"
)
# Routes only as words of their own: `OS` opens brand names too (OS-CAL).
_ROUTE_RE = re.compile(r"(?:(?<=\s)|^)(?:PO|OU|OD|OS|AU|EXT|TOPI?|SL|INH|IM|IV|SC)(?=\s|$)|口服|外用|點眼")
_FLAG_RE = re.compile(r"[(（](?:跌|管|冷|高警|自費|限)[^)）]{0,4}[)）]?|健保|自費")
# Letters and digits mixed like an identifier (a code half hidden by a stamp, a chart number):
# never part of a drug name.
# (A letter comes before a digit: `000028TAB` is a count glued to its unit.)
# A stamp may leave only a code's tail (`B22100`): one or two letters and four or more digits.
_ID_RE = re.compile(
    r"(?<![A-Z0-9])(?:(?=(?:[A-Z]*\d){3})(?=[0-9]*[A-Z][A-Z]*\d)[A-Z0-9]{8,12}|[A-Z]{1,2}\d{4,})(?![A-Z0-9.])"
)
# A unit word printed without its number (`1 | TAB QD`): usage, never part of a name.
_UNIT_RE = re.compile(rf"(?:(?<=\s)|^)(?:{_UNITS})(?=\s|$)")
# OCR glues a unit to the code after it (`TABQD&HS`); cut there so the code is read.
_GLUED_UNIT_RE = re.compile(r"(?<![A-Z])(TABS?|CAPS?)(?=QD|BID|TID|QID|QOD|QW|QN|HS|PRN|STAT|Q\d)")
# A half tablet is printed 1/2 as often as 0.5. A number between a letter with a hyphen and a
# letter is part of a name (`TS-1CAPSULES`; `TAB-1 QD` keeps its dose).
# Not a number: one of slashed numbers with more digits than a half (`SINEMET 25/250`, a strength).
_NUMBER_RE = re.compile(
    r"(?<![A-Z\d./])(?!(?<=[A-Z]-)\d+[A-Z])(?:\d/\d(?![\d/])|\d+(?:\.\d+)?(?!/\d))(?![\d.])"
)
DOSE_WORDS = ("每次", "每回", "一次", "服用", "使用")
TOTAL_WORDS = ("共", "總量", "總數量", "總數", "合計", "數量")


@dataclass(frozen=True, slots=True)
class Token:
    kind: Kind
    text: str
    cell: TextLine
    x: float  # where along the row the token sits (for columns and reading order)
    value: float | None = None
    label: str = ""  # the word before an amount (每次, 共 …)
    unit: str = ""  # an amount's unit (TAB, 顆 …)
    frequency: grammar.Frequency | None = None

    @property
    def centre(self) -> float:
        """Where the token's middle sits: a right-aligned number starts left of its header."""
        share = len(self.text) / max(len(self.cell.text), 1)
        return self.x + share * (self.cell.right - self.cell.left) / 2


def zh_number(text: str) -> float | None:
    digits = {"一": 1, "二": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
    if text == "半":
        return 0.5
    if text in digits:
        return float(digits[text])
    if re.fullmatch(r"0\d", text):  # `0.5` whose point OCR lost: no dose is written `05`
        return int(text) / 10
    if "/" in text:
        top, bottom = (float(p) for p in text.split("/"))
        return top / bottom if bottom else None
    try:
        return float(text)
    except ValueError:
        return None


# A code we cannot confirm with a word after it is a word of a name (`SHU LAO QING LIANG OIL`):
# a printed code stands apart from the name, or before a route (`QIO OU`, `QIO EXT`).
_NAME_WORD_AFTER = re.compile(r"\s*(?!(?:EXT|TOPI?|INH|PRN)\b)[A-Z]{3,}")


def _spans(text: str) -> list[tuple[int, int, Kind, Found]]:
    """Non-overlapping typed spans of one cell's text, stronger kinds first."""
    found: list[tuple[int, int, Kind, Found]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e, _, _ in found)

    for m in CODE_RE.finditer(text):
        if sum(ch.isdigit() for ch in m.group(0)) >= 5:
            found.append((m.start(), m.end(), "code", m))
    for f in grammar.find_all(text):
        if free(*f.span) and (f.known or not _NAME_WORD_AFTER.match(text, f.span[1])):
            found.append((f.span[0], f.span[1], "frequency", f))
    kinds: list[tuple[Kind, re.Pattern[str]]] = [
        ("id", _ID_RE),
        ("strength", STRENGTH_RE),
        ("days", _DAYS_RE),
        ("amount", _AMOUNT_RE),
        ("unit", _UNIT_RE),
        ("flag", _FLAG_RE),
        ("route", _ROUTE_RE),
        ("number", _NUMBER_RE),
    ]
    for kind, pattern in kinds:
        for m in pattern.finditer(text):
            if m.end() > m.start() and free(m.start(), m.end()):
                found.append((m.start(), m.end(), kind, m))
    return sorted(found, key=lambda s: s[0])


def _token(kind: Kind, text: str, cell: TextLine, x: float, found: Found) -> Token:
    if isinstance(found, grammar.Frequency):
        return Token("frequency", text, cell, x, frequency=found)
    if kind == "amount":
        count = found.group("n") or found.group("n2")
        label = found.group("label") or found.group("label2") or ""
        return Token(kind, text, cell, x, zh_number(count.replace(" ", "")), label, found.group("unit") or "")
    if kind == "days":
        return Token(kind, text, cell, x, float(found.group(1)))
    if kind == "number":
        return Token(kind, text, cell, x, zh_number(found.group(0)))
    return Token(kind, text, cell, x)


# OCR reads a zero in a strength as the letter O (`15OMG`, `1OO MG`): a number before a unit.
_O_IN_STRENGTH_RE = re.compile(r"(?<![A-Z\d.])\d[\dO]*O[\dO]*(?=\s?(?:MG|MCG|ML|毫克|公絲))")


def _zeros(m: re.Match[str]) -> str:
    return m.group(0).replace("O", "0")


# OCR drops the space between a code and the name after it (`BC27054100PREGABALINA`).
_GLUED_CODE_RE = re.compile(r"(?<![A-Z0-9])([A-Z][0-9A-Z]\d{6}[0-9A-Z]\d)(?=[A-Z]{3})")


# A stamp's dotted date read into a cell (`QDHS1.6.1` under `111.6.1`): no code ends in one.
_GLUED_DATE_RE = re.compile(r"(?<=[A-Z])(?=\d{1,3}\.\d{1,2}\.\d{1,2}(?![\d.]))")


def cell_tokens(cell: TextLine) -> list[Token]:
    text = _GLUED_CODE_RE.sub(r"\1 ", _GLUED_UNIT_RE.sub(r"\1 ", fold(cell.text)))
    text = _GLUED_DATE_RE.sub(" ", text)
    text = _O_IN_STRENGTH_RE.sub(_zeros, text)
    width = (cell.right - cell.left) / max(len(text), 1)
    tokens: list[Token] = []
    last = 0
    for start, end, kind, found in _spans(text):
        if text[last:start].strip():
            tokens.append(Token("text", text[last:start].strip(), cell, cell.left + last * width))
        tokens.append(_token(kind, text[start:end], cell, cell.left + start * width, found))
        if kind == "frequency":  # the grammar joins `一日二次，每次2錠，餐前` into one reading
            tokens += _amounts_within(text, start, end, cell, width)
        last = end
    if text[last:].strip():
        tokens.append(Token("text", text[last:].strip(), cell, cell.left + last * width))
    return tokens


def _amounts_within(text: str, start: int, end: int, cell: TextLine, width: float) -> list[Token]:
    """Amounts inside a frequency reading: its dose (每次2錠) still is the dose."""
    return [
        _token("amount", m.group(0), cell, cell.left + (start + m.start()) * width, m)
        for m in _AMOUNT_RE.finditer(text, start, end)
    ]


def tokenize(row: Row) -> list[Token]:
    return [t for cell in row.cells for t in cell_tokens(cell)]


_USAGE_KINDS = {"frequency", "amount", "days", "route", "unit"}


def has_usage(tokens: list[Token]) -> bool:
    return any(t.kind in _USAGE_KINDS for t in tokens)


def name_text(tokens: list[Token]) -> str:
    """The text a drug name can be in: words and strengths before the usage starts."""
    words: list[str] = []
    for t in tokens:
        if t.kind in ("frequency", "amount", "days"):
            if words:
                break
            continue
        if t.kind in ("text", "strength"):
            words.append(t.text)
    # Leading digits and marks go (a row number, a tick), not a quote that opens a maker's name
    # (`"TIMING" SHU LAO …`: without it the maker reads as a word of the name).
    return re.sub(r"^(?:(?![\"“〝「『])[\W\d_])+", "", " ".join(words)).strip()
