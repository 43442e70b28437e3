"""Find the drug rows of a photo and gather the usage that belongs to each drug.

A row is a drug row when it is anchored on its strongest token: a printed NHI drug code the
catalog knows, else a catalog name found in the row's name text (the words before its usage),
else a name that looks like a drug (a strength or a dosage form) with usage beside it, which
the catalog does not know. A row with no usage of its own right after a drug row continues its
name (the Chinese line under an English name, a wrapped name, the generic under a brand); rows
with usage up to the next drug hold its usage (drug bags print it on lines of their own).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rxlens.catalog.codes import misread_as
from rxlens.catalog.evidence import same_ingredients
from rxlens.catalog.index import Candidate
from rxlens.catalog.keys import canonical
from rxlens.catalog.normalize import STRENGTH_RE
from rxlens.extract.row_tokens import WORD_RE, inside_words, row_tokens
from rxlens.extract.tokens import Token, has_usage, name_text
from rxlens.layout.rows import Columns, Row, find_columns, group_rows
from rxlens.ocr.base import TextLine

Matcher = Callable[[str], list[Candidate]]
CodeLookup = Callable[[str], Candidate | None]

# Rows that are the form around the drugs, never a drug, whatever the catalog says.
_NOT_A_DRUG_RE = re.compile(
    r"姓名|地址|電話|醫師|藥師|日期|病歷|年齡|性別|診所|醫院|藥局|^※|注意|警語|適應症|副作用|傷病|診斷|身分|身份"
    r"|合計|藥費|服務費|負擔|金額"  # a receipt's money lines
    r"|以下空白|已調劑"  # the end of a list; a dispensed stamp
)
# A cell that is only such a word, in a row that has more: a pharmacy's or pharmacist's stamp
# pressed over the table (`藥局`, `藥師`), which says nothing about the row it lands on.
_STAMP_WORDS = "藥局|藥師|醫師|已調劑"
_STAMP_RE = re.compile(rf"\W*(?:{_STAMP_WORDS}|診所|醫院|以下空白)\W*")
# A stamp's word alone on a row (`以下空白` is no stamp: it ends the list).
_STAMP_WORD_RE = re.compile(rf"\W*(?:{_STAMP_WORDS})\W*")


def _labelled(row: Row) -> bool:
    cells = [c.text for c in row.cells]
    words = [t for t in cells if not _STAMP_RE.fullmatch(t)] if len(cells) > 1 else cells
    return bool(_NOT_A_DRUG_RE.search(" ".join(words)))


# A row that ends the drug table: usage below it belongs to no drug.
TABLE_END_RE = re.compile(r"醫師|藥師|注意|本處方|處方箋|地址|電話|簽章|總計|合計金額|以下空白")
_FORM_RE = re.compile(r"錠|膠囊|顆粒|糖漿|軟膏|乳膏|眼藥|點眼|液|TAB|CAP|SYR|OINT|CREAM|DROP|SOLN|INJ|GEL")


@dataclass
class Draft:
    photo: int
    names: list[tuple[str, Row]] = field(default_factory=list)
    candidates: list[list[Candidate]] = field(default_factory=list)
    code: Candidate | None = None  # the product a printed NHI code names
    code_text: str | None = None
    tokens: list[Token] = field(default_factory=list)  # usage tokens, reading order
    columns: Columns | None = None
    joint: list[Candidate] = field(default_factory=list)  # all name rows matched as one text
    name_cell: TextLine | None = None  # where its name starts: a continuation starts under it

    def best(self) -> Candidate | None:
        """The printed name's product when it agrees with the printed code, else the code's.
        A code known only from NHI claims names no product: an accepted name then wins."""
        named = self.joint or (self.candidates[0] if self.candidates else [])
        if self.code is None:
            return named[0] if named else None
        # The code's own product among the names the row could be (SINEMET 25/100 and 25/250
        # both print SINEMET): the code tells which.
        printed = self.code_text or ""
        exact = printed in self.code.product.nhi_codes  # a repaired code may be a sibling's
        agreeing = [c for c in named if exact and c.product.id == self.code.product.id]
        agreeing = agreeing or [c for c in named if _same_drug(c, self.code)]
        # A code whose one letter among its digits (`AC4314Z100`) was repaired to another licence's
        # code may as well be the named product's (AC43141100): the name decides. A code printed
        # in clean digits stands (a maker's mono and combination licences are one number apart).
        agreeing = agreeing or [c for c in named if misread_as(printed, c.product.nhi_codes)]
        if agreeing:
            return agreeing[0]
        unnamed = not (self.code.product.name_en or self.code.product.name_zh)
        return named[0] if named and unnamed else self.code


def _ingredients(c: Candidate) -> frozenset[str]:
    return frozenset(canonical(i.name) for i in c.product.ingredients)


def _same_drug(a: Candidate, b: Candidate) -> bool:
    mine, theirs = _ingredients(a), _ingredients(b)
    return a.product.id == b.product.id or (bool(mine) and same_ingredients(mine, theirs))


def looks_like_a_drug(text: str) -> bool:
    """Without a catalog answer: a name word beside a strength or a dosage form word."""
    named = WORD_RE.search(_FORM_RE.sub(" ", STRENGTH_RE.sub(" ", text)))
    return bool(named) and bool(STRENGTH_RE.search(text) or _FORM_RE.search(text))


@dataclass
class _Line:
    """One row as the drafter sees it."""

    row: Row
    tokens: list[Token]
    name: str
    found: list[Candidate]
    code: Candidate | None
    code_text: str | None

    @property
    def name_cell(self) -> TextLine | None:
        return next((t.cell for t in self.tokens if t.kind in ("text", "strength")), None)

    @property
    def usage(self) -> list[Token]:
        """The tokens after the name or code (numbers before them number the row: no dose)."""
        start = next((i for i, t in enumerate(self.tokens) if t.kind in ("text", "strength", "code")), 0)
        return [
            t
            for i, t in enumerate(self.tokens)
            if i >= start and t.kind not in ("text", "strength") and not inside_words(self.tokens, i)
        ]


def _under(cell: TextLine | None, name: TextLine | None) -> bool:
    """The line starts within the span of the name above it (wrapped or translated names are
    printed in the name's column; a pharmacist's stamp in the usage columns is not)."""
    if cell is None or name is None:
        return True
    return name.left - 2 * name.height <= cell.left < name.right


class _Drafter:
    """Walks the rows of one photo once, opening a Draft at each drug row."""

    def __init__(self, match: Matcher | None, by_code: CodeLookup | None) -> None:
        self.match, self.by_code = match, by_code
        self.columns: Columns | None = None
        self.drafts: list[Draft] = []
        self.current: Draft | None = None
        self.previous_was_name = False

    def read(self, row: Row) -> _Line:
        tokens = row_tokens(row, self.columns)
        name = name_text(tokens)
        code, code_text = None, None
        for t in tokens:
            if t.kind == "code" and self.by_code is not None and (hit := self.by_code(t.text)):
                code, code_text = hit, t.text
                break
        found: list[Candidate] = []
        if self.match is not None and len(re.sub(r"[^A-Z\u4e00-\u9fff]", "", name)) >= 3:
            found = [c for c in self.match(name) if c.accepted]
        return _Line(row, tokens, name, found, code, code_text)

    def is_drug(self, line: _Line) -> bool:
        if _labelled(line.row) and line.code is None:
            return False
        if line.code is not None:  # a code the catalog names is a drug even where its name is lost
            named = bool(line.code.product.name_en or line.code.product.name_zh)
            return named or bool(line.found) or has_usage(line.tokens) or looks_like_a_drug(line.name)
        if line.found:
            return True
        in_table = self.columns is not None and self.columns.photo == line.row.photo
        if in_table and self._a_row_of_the_table(line):
            return True
        return looks_like_a_drug(line.name) and (has_usage(line.tokens) or in_table or self.match is None)

    def _a_row_of_the_table(self, line: _Line) -> bool:
        """Words in the name column and a frequency on the row: a drug, though its name shows no
        strength or form (`SINZOLE OPHTHALMIC SOIUTIO`, `… QING LIANG OIL`)."""
        cell = line.name_cell
        if self.columns is None or cell is None or not WORD_RE.search(line.name):
            return False
        named = self.columns.column_at(cell.left) == "name"
        return named and any(t.kind == "frequency" and t.frequency and t.frequency.known for t in line.tokens)

    def continues(self, line: _Line) -> bool:
        """A name row with no usage right under a drug row: the same drug, named again."""
        if not self.previous_was_name or self.current is None or has_usage(line.tokens):
            return False
        if not WORD_RE.search(line.name) or _labelled(line.row):
            return False
        if not _under(line.name_cell, self.current.name_cell):
            return False  # a stamp or signature beside the table, not the name's next line
        best = self.current.best()
        if line.code is not None:  # the code printed on the second name line (`"十全"匹洛卡膠囊 AC…`)
            return self.current.code is None and best is not None and _same_drug(line.code, best)
        return not line.found or (best is not None and any(_same_drug(c, best) for c in line.found))

    def open(self, line: _Line) -> None:
        self.current = Draft(line.row.photo, code=line.code, code_text=line.code_text, columns=self.columns)
        self.current.name_cell = line.name_cell
        self.drafts.append(self.current)
        self.add_name(line)
        self.current.tokens.extend(line.usage)

    def add_name(self, line: _Line) -> None:
        assert self.current is not None
        self.current.names.append((line.name, line.row))
        self.current.candidates.append(line.found)
        self.previous_was_name = True

    def row(self, row: Row) -> None:
        if self.columns is None and (header := find_columns(row)):
            self.columns = header
            return
        if _STAMP_WORD_RE.fullmatch(row.text) and self.current is not None and not self._has_read_usage():
            return  # a stamp's word on a row of its own between a drug's name lines (`藥師`)
        line = self.read(row)
        if TABLE_END_RE.search(row.text) and line.code is None and not line.found and self._has_read_usage():
            self.end_table()
        elif self._code_of_the_name_above(line):
            self.current.code, self.current.code_text = line.code, line.code_text  # type: ignore[union-attr]
        elif self._name_of_the_code_above(line):
            self.add_name(line)
            self.current.name_cell = line.name_cell  # type: ignore[union-attr]
            self.current.tokens.extend(line.usage)  # type: ignore[union-attr]
        elif self.continues(line):
            self.add_name(line)
            if line.code is not None:
                self.current.code, self.current.code_text = line.code, line.code_text  # type: ignore[union-attr]
        elif self.is_drug(line):
            self.open(line)
        else:
            self.usage(line)

    def _code_of_the_name_above(self, line: _Line) -> bool:
        """A code alone on its row right under a name without one: that drug's code (a table's
        far column that OCR reads as a row of its own)."""
        alone = line.code is not None and not WORD_RE.search(line.name) and not has_usage(line.tokens)
        return alone and self.previous_was_name and self.current is not None and self.current.code is None

    def _name_of_the_code_above(self, line: _Line) -> bool:
        """A name row right after a code that stood alone (it opened the drug): its name."""
        draft = self.current
        if draft is None or draft.code is None or any(name for name, _ in draft.names):
            return False
        if any(t.kind != "code" for t in draft.tokens):
            return False
        return line.code is None and self.is_drug(line)

    def _has_read_usage(self) -> bool:
        """A footer follows the drugs' usage; a label before the usage (a bag's 藥師 stamp) is none."""
        return self.current is None or any(t.kind == "frequency" for t in self.current.tokens)

    def end_table(self) -> None:
        """The footer of the table (doctor, notes): what follows is no drug's usage."""
        self.current, self.previous_was_name = None, False

    def usage(self, line: _Line) -> None:
        if has_usage(line.tokens) or WORD_RE.search(line.name):
            self.previous_was_name = False  # a tick or smudge between two name lines is no break
        if self.current is None:
            return
        self.current.tokens.extend(t for t in line.tokens if t.kind != "text")

    def finish(self) -> list[Draft]:
        """Match all name rows of each drug together as one text (English and Chinese lines)."""
        for draft in self.drafts:
            if self.match is not None and len(draft.names) > 1:
                text = " ".join(name for name, _ in draft.names)
                draft.joint = [c for c in self.match(text) if c.accepted]
            else:
                draft.joint = draft.candidates[0]
        return self.drafts


def draft_photo(
    lines: list[TextLine], match: Matcher | None, by_code: CodeLookup | None = None
) -> tuple[list[Row], list[Draft]]:
    """`match=None` when the catalog is unavailable: drugs are found by layout alone, unmatched."""
    rows = group_rows(lines)
    drafter = _Drafter(match, by_code)
    for row in rows:
        drafter.row(row)
    return rows, drafter.finish()
