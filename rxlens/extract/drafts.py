"""Find the drug-name rows of a photo and gather the usage text that belongs to each drug.

A row whose name text (the name column of a table, or the row without its label) has an
accepted catalog candidate starts a medication; the next row joins it when it names the same
product or carries no usage of its own (the Chinese line under an English name). Rows after a
drug, up to the next drug, hold its usage (drug bags print usage on their own lines).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rxlens.catalog.index import Candidate
from rxlens.catalog.normalize import STRENGTH_RE
from rxlens.extract import usage
from rxlens.layout.rows import Columns, Row, find_columns, group_rows
from rxlens.ocr.base import TextLine

Matcher = Callable[[str], list[Candidate]]

_LABEL_RE = re.compile(r"^\s*(?:藥名|藥品名稱|品名|中文名|英文名|商品名|學名)\s*[:：]?\s*")
_NOT_A_DRUG_RE = re.compile(
    r"姓名|地址|電話|醫師|藥師|日期|病歷|年齡|性別|診所|醫院|藥局|^※|注意|警語|適應症|副作用"
)


@dataclass
class Draft:
    photo: int
    names: list[tuple[str, Row]] = field(default_factory=list)
    candidates: list[list[Candidate]] = field(default_factory=list)
    cells: dict[str, list[TextLine]] = field(default_factory=dict)  # table columns of the drug row
    rows: list[Row] = field(default_factory=list)  # usage rows after the name rows
    combined: bool = False  # the dose cell reads "dose/total"

    joint: list[Candidate] = field(default_factory=list)  # all name rows matched as one text

    def best(self) -> Candidate | None:
        """The English and Chinese lines matched together, so that a product both name wins."""
        found = self.joint or (self.candidates[0] if self.candidates else [])
        return found[0] if found else None

    def usage_text(self) -> str:
        return " ".join(r.text for r in self.rows)


def _name_text(row: Row, columns: Columns | None) -> tuple[str, dict[str, list[TextLine]]]:
    if columns is None or columns.photo != row.photo:
        return _LABEL_RE.sub("", row.text), {}
    cells = columns.assign(row)
    return " ".join(c.text for c in cells.pop("name", [])), cells


def _has_usage(text: str, cells: dict[str, list[TextLine]]) -> bool:
    if any(cells.get(k) for k in ("dose", "usage", "days", "total")):
        return True
    return bool(usage.frequency(text) or usage.dose(text))


_FORM_END_RE = re.compile(r"(?:錠|膠囊|顆粒|糖漿|TABLETS?|TABS?|CAPSULES?|CAPS?)\W*$")


def looks_like_a_drug(text: str, labelled: bool, in_name_column: bool) -> bool:
    """Without a catalog: a labelled name, a name-column cell, or a name with a strength or form."""
    letters = len(re.sub(r"[^A-Z\u4e00-\u9fff]", "", text))
    if letters < 3:
        return False
    return labelled or in_name_column or bool(STRENGTH_RE.search(text) or _FORM_END_RE.search(text))


class _Drafter:
    """Walks the rows of one photo once, opening a Draft at each drug-name row."""

    def __init__(self, match: Matcher | None) -> None:
        self.match = match
        self.columns: Columns | None = None
        self.drafts: list[Draft] = []
        self.current: Draft | None = None
        self.previous_was_name = False
        self.orphan: dict[str, list[TextLine]] | None = None  # usage cells of an unreadable name row

    def candidates(self, row: Row, name: str, cells: dict[str, list[TextLine]]) -> list[Candidate] | None:
        """Accepted catalog candidates; [] for a drug the catalog cannot name; None: not a drug."""
        text = usage.strip_usage(name)
        if len(re.sub(r"[^A-Z\u4e00-\u9fff]", "", text)) < 2 or _NOT_A_DRUG_RE.search(row.text):
            return None
        if self.match is None:
            in_column = self.columns is not None and self.columns.photo == row.photo
            return [] if looks_like_a_drug(text, bool(_LABEL_RE.match(row.text)), in_column) else None
        return [c for c in self.match(text) if c.accepted] or None

    def not_a_name(self, row: Row, cells: dict[str, list[TextLine]]) -> None:
        self.orphan = cells if cells and _has_usage(row.text, cells) else None
        if self.current is not None and self.orphan is None:
            self.current.rows.append(row)
        self.previous_was_name = False

    def name(self, row: Row, name: str, cells: dict[str, list[TextLine]], found: list[Candidate]) -> None:
        if self.orphan is not None and not _has_usage(row.text, cells):
            cells, self.previous_was_name = self.orphan, False  # its usage was on the row above
        self.orphan = None
        # A name row carrying its own usage (a table row, or name and usage on one line) is a new drug.
        same = self.previous_was_name and not _has_usage(row.text, cells)
        if not same or self.current is None:
            self.current = Draft(row.photo, combined=bool(self.columns and self.columns.combined))
            self.drafts.append(self.current)
        self.current.names.append((name, row))
        self.current.candidates.append(found)
        for key, value in cells.items():
            self.current.cells.setdefault(key, []).extend(value)
        self.previous_was_name = True

    def row(self, row: Row) -> None:
        if self.columns is None and (header := find_columns(row)):
            self.columns = header
            return
        name, cells = _name_text(row, self.columns)
        found = self.candidates(row, name, cells)
        if found is None:
            self.not_a_name(row, cells)
        else:
            self.name(row, name, cells, found)

    def finish(self) -> list[Draft]:
        """Match the English and Chinese lines of each drug together as one text."""
        for draft in self.drafts:
            if self.match is not None and len(draft.names) > 1:
                text = " ".join(usage.strip_usage(name) for name, _ in draft.names)
                draft.joint = [c for c in self.match(text) if c.accepted]
            else:
                draft.joint = draft.candidates[0]
        return self.drafts


def draft_photo(lines: list[TextLine], match: Matcher | None) -> tuple[list[Row], list[Draft]]:
    """`match=None` when the catalog is unavailable: drugs are found by layout alone, unmatched."""
    rows = group_rows(lines)
    drafter = _Drafter(match)
    for row in rows:
        drafter.row(row)
    return rows, drafter.finish()
