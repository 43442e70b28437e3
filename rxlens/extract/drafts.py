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


def _candidates(text: str, match: Matcher) -> list[Candidate]:
    name = usage.strip_usage(text)
    if len(re.sub(r"[^A-Z\u4e00-\u9fff]", "", name)) < 2 or _NOT_A_DRUG_RE.search(text):
        return []
    return [c for c in match(name) if c.accepted]


def draft_photo(lines: list[TextLine], match: Matcher) -> tuple[list[Row], list[Draft]]:
    rows = group_rows(lines)
    columns: Columns | None = None
    drafts: list[Draft] = []
    current: Draft | None = None
    previous_was_name = False
    orphan: tuple[str, dict[str, list[TextLine]]] | None = None  # a table row whose name did not match
    for row in rows:
        if columns is None and (found := find_columns(row)):
            columns = found
            continue
        name, cells = _name_text(row, columns)
        candidates = _candidates(name, match)
        if not candidates:
            orphan = (name, cells) if cells and _has_usage(row.text, cells) else None
            if current is not None and orphan is None:
                current.rows.append(row)
            previous_was_name = False
            continue
        if orphan is not None and not _has_usage(row.text, cells):
            # The English line of this drug was unreadable but its row held the usage cells.
            cells = orphan[1]
            previous_was_name = False
        orphan = None
        # A name row carrying its own usage (a table row, or name and usage on one line) is a new drug.
        same = current is not None and previous_was_name and not _has_usage(row.text, cells)
        if not same or current is None:
            current = Draft(row.photo, combined=bool(columns and columns.combined))
            drafts.append(current)
        current.names.append((name, row))
        current.candidates.append(candidates)
        for key, value in cells.items():
            current.cells.setdefault(key, []).extend(value)
        previous_was_name = True
    for draft in drafts:
        text = " ".join(usage.strip_usage(name) for name, _ in draft.names)
        draft.joint = [c for c in match(text) if c.accepted] if len(draft.names) > 1 else draft.candidates[0]
    return rows, drafts
