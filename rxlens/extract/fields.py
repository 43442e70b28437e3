"""Dose, frequency, days and total of one drug, read from its typed usage tokens.

Roles come from what a token says first (`每次 1 顆` is a dose, `共 21 顆` a total, `28天` the
days), then from the table column it stands in when the slip has a header, and last from
reading order around the frequency: an amount before it is the dose, one after it the total.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rxlens.extract.tokens import DOSE_WORDS, TOTAL_WORDS, Token
from rxlens.layout.rows import Columns
from rxlens.ocr.base import TextLine
from rxlens.vocab import frequency as grammar

MAX_DAYS = 365
# More than this many tablets, capsules or drops at once is a strength or a code read in the dose's
# place (`NYSTATIN 500000 units`, `Duloz 60 (…)`), never a dose; a volume may be larger (30 mL).
MAX_DOSE_COUNT = 20
MAX_DOSE_ML = 100
_VOLUME_UNITS = {"ML", "CC", "毫升"}


@dataclass
class Value:
    value: float
    lines: list[TextLine]
    unit: str | None = None


@dataclass
class Usage:
    frequency: grammar.Frequency | None = None
    frequency_lines: list[TextLine] = field(default_factory=list)
    dose: Value | None = None
    total: Value | None = None
    days: Value | None = None


IGNORED = "ignored"  # a number in a price column is nobody's dose
_COUNTED = ("dose", "days", "total")


def _role_by_column(token: Token, columns: Columns | None) -> str | None:
    if columns is None or columns.photo != token.cell.photo:
        return None
    role = columns.column_at(token.centre)
    if role in _COUNTED:
        role = columns.header_over(token.centre, _COUNTED) or role
    if role == "price":
        return IGNORED
    if role == "unit" and "dose" in columns.edges:
        return "dose"  # a unit column holds words: a number in it is the dose printed beside
    return role if role in ("dose", "days", "total") else None


def _amount_role(token: Token, after_frequency: bool, usage: Usage) -> str:
    if token.label in DOSE_WORDS:
        return "dose"
    if token.label in TOTAL_WORDS or token.text.startswith("00"):
        return "total"
    if after_frequency or usage.dose is not None:
        return "total"
    return "dose"


def _free_roles(token: Token, columns: Columns | None) -> set[str]:
    """Roles a number outside every field column may still take: those the header has no column for."""
    if columns is None or columns.photo != token.cell.photo:
        return {"dose", "days", "total"}
    return {"dose", "days", "total"} - set(columns.edges)


def _number_role(token: Token, after_frequency: bool, usage: Usage, columns: Columns | None) -> str | None:
    if token.text.startswith("00") and len(token.text) >= 3:
        return "total"  # zero-padded counts (000056) are dispensed totals
    role = _role_by_column(token, columns)
    # A named column reaches to the next named one: where a stamp or a misread hid a header
    # (天數 read 未數), a second number in the same row of a filled column is in the hidden one.
    if role and not (role in ("dose", "days", "total") and _filled_on_row(usage, role, token)):
        return role
    free = _free_roles(token, columns)
    if not after_frequency:
        return "dose" if "dose" in free and usage.dose is None else None
    whole = token.value is not None and token.value.is_integer()
    if "days" in free and usage.days is None and whole:
        return "days"
    if "total" in free:
        return "total"
    return "dose" if "dose" in free and usage.dose is None else None


def _filled_on_row(usage: Usage, role: str, token: Token) -> bool:
    """The column's value was read on this row, from a cell that ends a gap left of this one (a
    duplicate box or a stamp's digit over the same cell is no second column)."""
    value: Value | None = getattr(usage, role)
    cell = token.cell
    return value is not None and any(
        abs(ln.centre - cell.centre) < ln.height / 2 and ln.right + ln.height <= cell.left
        for ln in value.lines
    )


def _most(unit: str | None) -> float:
    return MAX_DOSE_ML if (unit or "").upper() in _VOLUME_UNITS else MAX_DOSE_COUNT


def _set(usage: Usage, role: str | None, token: Token, unit: str | None = None) -> None:
    if role in (None, IGNORED) or token.value is None or getattr(usage, role) is not None:
        return
    if role == "days" and not (0 < token.value <= MAX_DAYS and token.value.is_integer()):
        return
    if role == "dose" and not 0 < token.value <= _most(unit):
        return
    setattr(usage, role, Value(token.value, [token.cell], unit))


def read(tokens: list[Token], columns: Columns | None) -> Usage:
    """Tokens that say what they are first (days, labelled amounts), then bare numbers by place:
    a `28天` further on must not lose to a bare number read before it."""
    usage = Usage()
    first = next((i for i, t in enumerate(tokens) if t.kind == "frequency"), len(tokens))
    if first < len(tokens):
        usage.frequency, usage.frequency_lines = tokens[first].frequency, [tokens[first].cell]
    for i, token in enumerate(tokens):
        if token.kind == "days":
            _set(usage, "days", token)
        elif token.kind == "amount":
            # Days are never counted in tablets: an amount under a days column whose header
            # reaches over a misread total header (總數量 read 德數) is the total.
            role = _role_by_column(token, columns)
            if role is None or (role == "days" and token.unit):
                role = _amount_role(token, i > first, usage)
            _set(usage, role, token, token.unit)
    for i, token in enumerate(tokens):
        if token.kind == "number":
            _set(usage, _number_role(token, i > first, usage, columns), token)
    return usage
