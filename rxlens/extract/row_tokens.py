"""The tokens of one row as drafting reads them: what belongs to the name, what to the usage.

Numbers sit on both sides: a dose, a total, or part of a name (`CONCOR 1.25`, `FUNASIN CAPSt
11SN|0`); letters and digits under another column are a half-read code, not a name word.
"""

from __future__ import annotations

import re
from dataclasses import replace

from rxlens.extract.tokens import Token, tokenize
from rxlens.layout.rows import Columns, Row

# A word of a name: three Latin letters or two CJK characters in a row (not `健 保 天`).
WORD_RE = re.compile(r"[A-Z]{3,}|[\u4e00-\u9fff]{2,}")


def row_tokens(row: Row, columns: Columns | None) -> list[Token]:
    return _name_numbers([t for t in tokenize(row) if not _stray(t, columns, row.photo)], columns)


def inside_words(tokens: list[Token], i: int) -> bool:
    """A bare number glued to the letters after it, between words of one OCR line, is part of
    the name (`FUNASIN CAPSt 11SN|0` is a misread `5MG`), not a dose. A spaced one (`PANADOL 1 T
    QD`, a unit misread) stays a dose."""
    if tokens[i].kind != "number" or not 0 < i < len(tokens) - 1:
        return False
    before, number, after = tokens[i - 1], tokens[i], tokens[i + 1]
    if not (before.kind == after.kind == "text" and before.cell is number.cell is after.cell):
        return False
    glued = re.search(re.escape(number.text) + r"[A-Z]", number.cell.text.upper())
    return glued is not None and after.text[:1].isalpha()


def _name_numbers(tokens: list[Token], columns: Columns | None) -> list[Token]:
    """A bare number ending the name's own cell, with a number or amount in the next cell, is
    part of the name (`CONCOR 1.25` | `0.500`: an imported brand prints its strength without a
    unit); the next cell holds the dose."""
    out = list(tokens)
    for i in range(1, len(out) - 1):
        before, number, after = out[i - 1], out[i], out[i + 1]
        ends_cell = number.cell is before.cell and after.cell is not number.cell
        # A Latin brand (imported brands print unitless strengths), in the name's column.
        named = before.kind == "text" and re.search(r"[A-Z]{3}", before.text) is not None
        named = named and _in_name_column(number, columns)
        if number.kind == "number" and named and ends_cell and after.kind in ("number", "amount"):
            out[i] = replace(number, kind="text")
    return out


def _stray(token: Token, columns: Columns | None, photo: int) -> bool:
    """Letters and digits that start under another column's header (`VCG18` in 健保碼, `S4` in
    天數): a code or number half lost under glare or a stamp, never a word of the name."""
    if token.kind != "text" or columns is None or columns.photo != photo or "name" not in columns.edges:
        return False
    mixed = bool(re.search(r"\d", token.text)) and bool(re.search(r"[A-Z]", token.text.upper()))
    return mixed and columns.column_at(token.cell.left) not in ("name", None)


def _in_name_column(token: Token, columns: Columns | None) -> bool:
    """Where the table's header says so, or where there is no header to ask."""
    if columns is None or columns.photo != token.cell.photo or "name" not in columns.edges:
        return True
    return columns.column_at(token.cell.left) in ("name", None)
