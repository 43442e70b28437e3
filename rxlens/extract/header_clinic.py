"""The institution that issued the slip: its name as printed, and its 10-digit 醫事機構代碼."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rxlens.extract.header_base import CJK, Found, below, squeeze
from rxlens.institutions import Register, register
from rxlens.layout.rows import Row
from rxlens.ocr.base import TextLine
from rxlens.textnorm import fold

# What institution names end in, longest first so 中醫診所 wins over 診所.
_SUFFIX = re.compile(r"中醫診所|聯合診所|醫學中心|總醫院|醫院|診所|藥局|藥房|衛生所|榮總|分院")
# Form titles and labels printed right before the name, sometimes glued to it by OCR.
_LEADING_LABEL = re.compile(
    r"^.*(?:處方箋|處方籤|處方單|藥袋|藥單|收據|明細|姓名|服務機構|醫事機構|名稱|院所|機構|交付)"
)
# A "name" holding these is a form label or a sentence (處方醫院核章, 可至健保特約藥局調劑,
# 慢箋可於建議期間內至…藥局 with 特約 misread): no registered name holds one.
_NOT_A_NAME = re.compile(
    r"處方|調劑|核章|簽章|蓋章|領藥|就醫|代號|代碼|地址|電話|特約|本院|預約|選擇|請|前往|原處"
    r"|可[於至]|或至|建議|期間|慢箋|連續"
)
# OCR often misreads the dense 處 (虛方醫院); 方醫院 and its kin still say what follows.
# 處方醫院/開立院所 name the prescriber even on a pharmacy's own receipt; 醫事機構名稱 may be the pharmacy.
_PRESCRIBER = r"方(?:醫院|院所|機構|來源)|開立(?:醫院|院所)"
_PRESCRIBER_LABEL = re.compile(_PRESCRIBER)
_ISSUER_LABEL = re.compile(rf"{_PRESCRIBER}|服務機構|醫事機構名稱|院所名稱")
# 團 of 財團法人/社團法人 (a hospital's legal form) misread as a look-alike: no name holds these.
_ENTITY_MISREAD = re.compile(r"(財|社)[圍圈園國]法人")
_DECORATION = re.compile(rf"^[^{CJK}]+|[^{CJK}]+$")
_FOOTER = re.compile(r"地址|電話|網址|傳真|TEL", re.IGNORECASE)
_CODE_LABEL = re.compile(
    r"(?:醫院代號|醫事機構代[碼號]|機構代[碼號]|院所代[碼號]|醫療機構代[碼號])\s*:?\s*(\d{10})(?!\d)"
)
# Headers print the code right after the name, bracketed or not (Rx.臺大醫院 0401180014); digits
# running into a time (…醫院2025041408:35) are a print stamp.
_NAME_THEN_CODE = re.compile(rf"[{CJK}](?:醫院|診所|藥局|衛生所|榮總)\s*\(?\s*(\d{{10}})(?![\d:])")
_BARE_CODE = re.compile(r"(?<![\dA-Z])(\d{10})(?![\dA-Z])")
# Boxes of one word split by OCR touch or overlap; a space between words is wider than this
# share of the line's height.
SPLIT_GAP = 0.15
_PHONE_BEFORE = re.compile(r"(?:電話|傳真|TEL|FAX)\W{0,3}$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Candidate:
    name: str
    score: float
    row: Row
    cell: TextLine


def _names_in(text: str) -> list[str]:
    """Institution-shaped names in one cell's text, labels in front taken off."""
    names = []
    for run in re.findall(rf"[{CJK}]+", _ENTITY_MISREAD.sub(r"\1團法人", squeeze(fold(text)))):
        for m in _SUFFIX.finditer(run):
            name = _LEADING_LABEL.sub("", run[: m.end()])
            if len(name) - len(m.group(0)) >= 2 and not _NOT_A_NAME.search(name):
                names.append(name)
    return names


def _misread_names(text: str, reg: Register) -> list[str]:
    """Runs the register knows within OCR distance although their ending was misread (醫阮):
    not a complete name as read, so the registered spelling is the best reading."""
    runs = re.findall(rf"[{CJK}]{{5,24}}", _ENTITY_MISREAD.sub(r"\1團法人", squeeze(fold(text))))
    return [name for run in runs if (name := reg.closest(_LEADING_LABEL.sub("", run)))]


def _printed_before(row: Row, cell: TextLine, name: str) -> str:
    """The few characters printed before the name: in its cell, or the cell before (boxed forms
    print the label in a cell of its own)."""
    own = fold(cell.text).split(name[:2])[0]
    previous = [c.text for c in row.cells if c.right <= cell.left]
    return (" ".join(previous[-1:]) + " " + own)[-12:]


def _registered(name: str, code_name: str | None) -> tuple[str, float]:
    """The name to report and how much the register backs it. A complete name is kept as
    printed even when a registered one is one letter away (中正內科診所 and 中山內科診所 are both
    real, and clinics open every year); only the printed code may correct its spelling."""
    if code_name and (near := Register.of({"": code_name}).closest(name, edits=max(1, len(name) // 5))):
        return (name if register().knows(name) else near), 3.0
    return name, 2.0 if register().knows(name) else 0.0


def _score(name: str, row: Row, cell: TextLine, place: float, code_name: str | None) -> _Candidate:
    name, backing = _registered(name, code_name)
    score = 1.0 + place + backing  # the header sits at the top; the same name in a footer scores less
    label = _printed_before(row, cell, name)
    if _PRESCRIBER_LABEL.search(label):
        # 處方醫院：… on a pharmacy's receipt names the prescriber, the visit's clinic: the label
        # outweighs the register backing the pharmacy printed on top (clinics open every year).
        score += 3.0
    elif _ISSUER_LABEL.search(label):
        score += 1.5
    if _DECORATION.sub("", squeeze(fold(cell.text))) == name:
        score += 0.5  # the cell prints only the name (Rx. or a mark aside), as headers do
    if _FOOTER.search(row.text):
        score -= 1.0
    if name.endswith(("藥局", "藥房")):
        score -= 0.5  # a pharmacy's stamp on a hospital's slip is not the issuer
    return _Candidate(name, score, row, cell)


def _head_of(rows: list[Row], cell: TextLine) -> TextLine | None:
    """The box that ends where `cell` begins, on its line (in any row: the two halves of a split
    name may differ in height enough to be rows of their own)."""
    before = [
        c
        for row in rows
        for c in row.cells
        if c.left < cell.left
        and cell.left - c.right <= SPLIT_GAP * cell.height
        and cell.top <= c.centre <= cell.bottom
    ]
    return max(before, key=lambda c: c.right, default=None)


def _with_head(rows: list[Row], cell: TextLine) -> str:
    """A cell's text, with the box before it when OCR split one name in two there (`Rx.嘉義禾`
    | `豐紀念醫院`): the boxes touch or overlap, the first ends and the second starts in Chinese,
    and the first holds no name of its own. Words printed apart (a patient's name, then the
    clinic's) leave a space between their boxes."""
    head = _head_of(rows, cell)
    if head is None or _names_in(head.text):
        return cell.text
    first, second = head.text.rstrip(), cell.text.lstrip()
    glued = re.search(f"[{CJK}]$", first) and re.match(f"[{CJK}]", second)
    return first + second if glued else cell.text


def _candidates(rows: list[Row], code_name: str | None) -> list[_Candidate]:
    out = []
    for i, row in enumerate(rows):
        place = 1.0 - i / max(len(rows), 1)
        for cell in row.cells:
            text = _with_head(rows, cell)
            names = _names_in(text) or _misread_names(text, register())
            out += [_score(name, row, cell, place, code_name) for name in names]
    return out


def clinic(rows: list[Row]) -> Found | None:
    """The institution's name as printed; the registered name when only its code was read."""
    code = institution_code(rows)
    code_name = register().name(str(code.value)) if code else None
    candidates = _candidates(rows, code_name)
    if candidates:
        best = max(candidates, key=lambda c: c.score)
        return Found(best.name, best.row, best.cell.text)
    if code and code_name:
        return Found(code_name, code.row, code.text)
    return None


def _codes_in(text: str) -> list[tuple[str, bool]]:
    """10-digit codes in `text`, each with whether a label or a name next to it says so."""
    folded = fold(text)
    labelled = [m.group(1) for p in (_CODE_LABEL, _NAME_THEN_CODE) for m in p.finditer(folded)]
    bare = [
        m.group(1)
        for m in _BARE_CODE.finditer(folded)
        if m.group(1) not in labelled and not _PHONE_BEFORE.search(folded[: m.start()])
    ]
    return [(c, True) for c in labelled] + [(c, False) for c in bare]


def _beside(rows: list[Row], cell: TextLine) -> list[TextLine]:
    """The cell printed right after `cell` on its line, even in another row (a name in a larger
    type is a row of its own)."""
    after = [
        c
        for row in rows
        for c in row.cells
        if cell.top <= (c.top + c.bottom) / 2 <= cell.bottom and 0 <= c.left - cell.right <= 2 * cell.height
    ]
    return sorted(after, key=lambda c: c.left)[:1]


def _by_names(rows: list[Row]) -> set[int]:
    """Cells printed right after or right under an institution's name: headers print the code
    beside the name, and the hospital's stamp under it (name, code, 門診章)."""
    marked = set()
    for row in rows:
        for cell in row.cells:
            if _names_in(cell.text):
                marked |= {id(c) for c in _beside(rows, cell) + [u for _, u in below(rows, cell)[:1]]}
    return marked


def institution_code(rows: list[Row]) -> Found | None:
    """A printed 醫事機構代碼: labelled or by the name first, else a bare 10-digit number the
    register knows (nearest the top: a pharmacy's stamp lower down prints its own code)."""
    names, marked = register().names, _by_names(rows)
    found: list[tuple[int, Found]] = []
    for i, row in enumerate(rows):
        for code, labelled in _codes_in(row.text):
            by_name = any(id(c) in marked and fold(c.text).strip() == code for c in row.cells)
            if labelled or by_name or code in names:
                rank = i + (0 if labelled or by_name else len(rows))
                found.append((rank, Found(code, row, row.text)))
    return min(found, key=lambda f: f[0])[1] if found else None
