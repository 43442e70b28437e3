"""Header fields of a slip or drug bag, each read from the rows of one photo.

Every rule is `(rows) -> Found | None`: clinic and institution_code (header_clinic), visit_date
(header_visit), doctor and days_supply here; the refill block of a 連續處方箋 is `refill`
(header_refill), which returns the rows it read as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rxlens.extract.header_base import CJK, Found, below, squeeze
from rxlens.extract.header_clinic import clinic, institution_code
from rxlens.extract.header_dates import parse_date
from rxlens.extract.header_refill import refill
from rxlens.extract.header_visit import visit_date
from rxlens.layout.rows import Row
from rxlens.ocr.base import TextLine
from rxlens.textnorm import fold

__all__ = [
    "Found",
    "clinic",
    "days_supply",
    "doctor",
    "institution_code",
    "parse_date",
    "refill",
    "visit_date",
]

# 醫師 / 主治醫師 / 處方醫師簽章, never 藥師 (the pharmacist signs the same forms). OCR misreads
# the dense 簽 of 簽章 (篷章, 答章), so any one character before a closing 章 is the label.
# With a colon after it, a label whose 師 OCR read as a look-alike (醫郵：, 醫帥：) or whose 醫 it
# lost (處方師：) is still the label; other 醫 labels (醫科, 醫別, 醫院 …) are not.
_DOCTOR_LABEL = re.compile(
    rf"(?:處方|主治|看診|開立|診治)?(?<!藥)醫師(?:簽名|姓名|代號|[{CJK}]章(?![{CJK}]))?\s*:?\s*"
    rf"|(?:處方|(?<![{CJK}]))醫[郵帥獅]\s*[:：]\s*|處方師\s*[:：]\s*"
)
# A name in the next cell sits within a few label heights of it; farther is another column.
_NEXT_CELL_HEIGHTS = 4
# Words real forms print right after the doctor's name, which OCR glues onto it.
_AFTER_NAME = re.compile(
    r"處方|簽章|簽名|蓋章|核章|科別|日期|調劑|藥師|執照|證號|電話|門診|醫院|診所|姓名|就醫|代號|病歷|[科]"
)
# The first character of those words, left alone at the end of a four-character run (莊文博處).
_CUT_WORD_START = "處簽蓋核日調藥執證電門姓就代病章"
_LEADING_LABEL = re.compile(r"^[^" + CJK + r"]*(?:簽章|簽名|蓋章|醫師)?[^" + CJK + r"]*")


# Two-character surnames (歐陽娜娜 has four characters): the rest have one, and names three.
_COMPOUND_SURNAMES = frozenset(
    ["歐陽", "司馬", "諸葛", "上官", "司徒", "夏侯", "東方", "皇甫", "張簡", "范姜", "慕容", "令狐", "長孫"]
)


# The doctor's stamp prints 醫師 before the name, and OCR misreads its dense 醫 as these (醬師,
# 備師): that title, not the name. Only these: 藥師, 技師 and names with 師 (陳師孟) are no title.
_DOCTOR_MISREADS = "醬備"
_MISREAD_TITLE = re.compile(rf"^[{_DOCTOR_MISREADS}]師\s*(?=[{CJK}]{{2}})")
# Words no name opens with: a stamp's 藥局 read as 藥居 sits where the name would be.
_NOT_A_SURNAME = "藥醫"


def _person(text: str) -> str | None:
    """A 2–4 character name at the start of `text` (labels and glued words taken off)."""
    rest = _MISREAD_TITLE.sub("", _LEADING_LABEL.sub("", squeeze(fold(text)), count=1), count=1)
    run = re.match(rf"[{CJK}]*", rest)
    name = _AFTER_NAME.split(run.group(0) if run else "", maxsplit=1)[0]
    if name.startswith(tuple(_NOT_A_SURNAME)):
        return None
    if len(name) == 4 and name[-1] in _CUT_WORD_START:
        name = name[:3]  # most names have three characters; a fourth here starts a label
    if len(name) >= 5:  # longer than any name: a stamp's words read onto it (王美品句品, 黃婷宏削章)
        name = name[:4] if name[:2] in _COMPOUND_SURNAMES else name[:3]
    return name if 2 <= len(name) <= 4 else None


def _in_sentence(text: str, label: re.Match[str]) -> bool:
    """請遵照醫師指示服用: a label glued to words on both sides is in a sentence, over no name."""
    before, glued = text[: label.start()][-1:], text[label.end() - 1 : label.end() + 1]
    return bool(re.fullmatch(f"[{CJK}]", before) and re.fullmatch(f"[{CJK}]{{2}}", glued))


def _next_cell(row: Row, j: int) -> str:
    """The cell after a label, when near enough to be its value."""
    cell, following = row.cells[j], row.cells[j + 1 : j + 2]
    near = [c for c in following if c.left - cell.right <= _NEXT_CELL_HEIGHTS * max(cell.height, 1.0)]
    return " ".join(c.text for c in near)


def _doctor_labels(rows: list[Row]) -> Iterator[tuple[int, TextLine, str, bool]]:
    """Each doctor label with the text printed after it (in its cell, else the next cell), and
    whether the cell is the label alone — only then is a name under it the doctor's (a sentence
    that mentions 醫師 has other words under it)."""
    for i, row in enumerate(rows):
        for j, cell in enumerate(row.cells):
            text = fold(cell.text)
            for m in _DOCTOR_LABEL.finditer(text):
                if _in_sentence(text, m):
                    continue
                after = text[m.end() :].strip()
                alone = not re.search(f"[{CJK}]", text[: m.start()] + after)
                yield i, cell, after or _next_cell(row, j), alone


def doctor(rows: list[Row]) -> Found | None:
    """The prescriber's name: after its label, or in the signature box under it."""
    for i, cell, after, alone in _doctor_labels(rows):
        if name := _person(after):
            return Found(name, rows[i], f"{cell.text} {after}".strip())
        for row, under in below(rows, cell) if alone else ():
            if name := _person(under.text):
                return Found(name, row, under.text)
    return None


# A bag's 數量 line prints the days after the count with no label of their own: 共56顆 28天.
_DAYS_LABEL = re.compile(
    r"(?:給藥|處方|用藥|投藥)?(?:日份|天數|日數)\s*:?\s*[<〈(【\[]?\s*(\d{1,3})(?!\d)"
    r"|本單發藥\s*(\d{1,3})\s*[天日]|(?:共|服用)\s*(\d{1,3})\s*[天日](?!期)|(\d{1,3})\s*[天日]份"
    r"|(?:數量|總量)\s*:?\s*共?\s*[\d.]+\s*[^\d\s]{1,2}\s*(\d{1,3})\s*[天日](?!期)"
)


def days_supply(rows: list[Row]) -> Found | None:
    """給藥日份 and its kin, as the header prints it. (A form without the field prints days on
    each drug line; those are read with the drugs, and validate.record.days_from_drugs uses them.)"""
    for row in rows:
        if m := _DAYS_LABEL.search(squeeze(fold(row.text))):
            value = int(next(g for g in m.groups() if g))
            if 0 < value <= 365:
                return Found(value, row, row.text)
    return None
