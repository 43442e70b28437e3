"""Turn a printed or OCR-read drug name into comparable keys.

Pipeline: fold width/case/script → repair OCR digits → pull out strengths → drop maker marks,
bracketed notes and dosage-form words → compact key (letters, digits and CJK only).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from rxlens.textnorm import to_traditional

_UNIT_MG = {
    "MG": 1.0,
    "毫克": 1.0,
    "公絲": 1.0,
    "MCG": 0.001,
    "ΜG": 0.001,
    "UG": 0.001,
    "微克": 0.001,
    "G": 1000.0,
    "GM": 1000.0,
    "公克": 1000.0,
    "克": 1000.0,
}
_UNIT_RE = "MG/ML|MG/G|MCG|ΜG|UG|MG|GM|G|毫克|公絲|公克|微克|克|ML|毫升|IU|%"
_NUM = r"\d+(?:\.\d+)?"
# A unit ends at a non-letter, or where OCR glued a form word on ("100MGFILM-COATED").
STRENGTH_RE = re.compile(
    rf"(?<![\d.])({_NUM}(?:\s*/\s*{_NUM})*)\s*({_UNIT_RE})(?:(?![A-Z])|(?=FILM|TAB|CAP|COAT|SUGAR|F\.C))"
)
_BARE_NUMBER_RE = re.compile(rf"(?<![A-Z\d.]){_NUM}(?![A-Z\d.])")

# Maker marks in every quote style the licences use (〝強生〞, “應元”, "YSP", ”井田”, ''應元''),
# quotes paired loosely because licences and labels pair them loosely; and a Chinese mark opening
# a name whose opening quote OCR lost (`生達”胃樂順膜衣錠`).
_QUOTES = '"“”〝〞〟「」『』'
# Every quote mark a name may print, apostrophes included (''應元'').
QUOTE_RE = re.compile(f"[{_QUOTES}']")
MAKER_RE = re.compile(
    # (A closing ” that OCR read as ’ still closes: `“YU SHENG’`.)
    rf"''[^']{{1,16}}''|[\"“”〝「『][^{_QUOTES}’]{{1,16}}[\"“”〞〟」』’]"
    r'|^\s*[\u3400-\u9fff]{2,4}[”」〞〟"](?=[\u3400-\u9fff])'
    # A Latin mark whose closing quote the edge of the cell or OCR lost (`SUFUCON CAPSULES "C.A`),
    # after a name (a line that opens with a stray quote, `"CRESTOR 10MG`, keeps its name).
    r"|(?<=[A-Z0-9.)\]] )[\"“〝「『][A-Z][A-Z. ]{0,15}'?$"
    # … or before the strength, dotted initials being a maker's and no name's (`TABLETS"W.P. 25mg`).
    r"|(?:(?<=[A-Z])|(?<=[A-Z0-9.)\]] ))[\"“〝「『][A-Z](?:\.[A-Z]){1,3}\.?(?=\s*\d|\s*$)"
    # … and one whose opening quote was lost, where the line starts: an abbreviation (O.Y.,
    # U-LIANG) with a closing quote and the name after it (`O.Y." REH NAR TONG`).
    # A name may open with two letters and a hyphen (`T.F."SU-TON`).
    r'|^\s*(?:(?=[A-Z.\-]*[.\-])[A-Z][A-Z.\-]{1,11}|[A-Z]{2,3})["”〞](?=\s*[A-Z]{2}[A-Z\-])'
    # … a maker word of any length glued to the name by a right-hand quote (never a straight
    # one, which may open a maker after a brand: `BRAND"MAKER"`; and not before a space, where
    # the quote may be a misread ®: `LIPITOR” CHEWABLE`), with no other quote on the line.
    r'|^\s*[A-Z]{4,12}[”〞](?=(?!(?:TABLETS?|CAPSULES?|FILM|F\.C)\b)[A-Z]{3}[^"“”〝〞]*$)'
)
# A bracket the line ends in before it closes (`(DOMPERIDOE章`) is a note all the same.
_BRACKET_RE = re.compile(r"\([^()]*\)|\[[^\]]*\]|(?<=[A-Z0-9.)\]])\s*\([^()]*$")
# A stamp's date read into the line (`DUOCIDE 400/80MG 115.6.23`): no name holds a date.
# Dotted or dashed ROC dates only: slashes join strengths (5/160/12.5, 50/12.5).
_DATE_RE = re.compile(r"(?<![\d./])\d{2,3}([.-])\d{1,2}\1\d{1,2}(?![\d./])")

_ZH_FORMS = sorted(
    [
        "持續性藥效膜衣錠",
        "持續性藥效錠",
        "持續性藥效膠囊",
        "腸溶膜衣錠",
        "長效膜衣錠",
        "緩釋膜衣錠",
        "膜衣錠",
        "糖衣錠",
        "腸溶錠",
        "口溶錠",
        "發泡錠",
        "咀嚼錠",
        "舌下錠",
        "緩釋錠",
        "錠劑",
        "錠",
        "軟膠囊",
        "硬膠囊",
        "腸溶膠囊",
        "膠囊劑",
        "膠囊",
        "顆粒劑",
        "顆粒",
        "散劑",
        "粉劑",
        "口服液劑",
        "口服液",
        "內服液劑",
        "內服液",
        "液劑",
        "糖漿劑",
        "糖漿",
        "懸液劑",
        "懸浮液",
        "乳膏",
        "軟膏",
        "凝膠",
        "貼片",
        "注射劑",
        "注射液",
        "點眼液",
        "眼藥水",
        "噴液劑",
        "噴劑",
        "栓劑",
    ],
    key=len,
    reverse=True,
)
_EN_FORMS = r"""FILM[-\s]?COATED|SUGAR[-\s]?COATED|ENTERIC[-\s]?COATED|F\.?C\.?T\.?|F\.C\.?|S\.C\.?|
    E\.C\.?|ML|TABLETS?|TABS?|TABTETS?|TABIETS?|TABLEIS|TABALETS|ABLETS|CAPLETS?|CHEWABLES?|DISPERSIBLE|
    EFFERVESCENT|SUBLINGUAL|CAPSULES?|CAPS?|SCORED|GRANULES?|SYRUP|INJECTION|SOLUTION|
    ORAL|SUSPENSION|CREAM|OINTMENT|OINT|DROPS|POWDER|TROCHES?|LOZENGES?|LOTIONS?|EYE|OPHTHALMIC|
    SPRAY|SUPPOSITOR(?:Y|IES)|SOFT|HARD|COATED|COATING|FILM|FOR|FC|EC\.?|PTP|
    ENTERIC(?:\s*-?\s*MICRO-?ENCAPSUL(?:ATED|ED))?|
    (?:SUSTAINED|EXTENDED|PROLONGED|CONTROLLED|MODIFIED|DELAYED)[-\s]?RELEASE|RELEASE"""
# Release codes stay in a name's key: SEROQUEL XR is not SEROQUEL, at the same strength too (the
# spelled-out EXTENDED-RELEASE beside them is a form word). A label may leave the code out
# (`Dicron 30mg` for `Dicron MR Tablets 30mg`), so the catalog also knows each name without it
# (catalog.keys), never the other way round. A bare RELEASE is a form word too: `ANTIASTH SLOW
# RELEASE TABLETS` is printed `Antiasth Slow`.
RELEASE_RE = re.compile(r"\b(?:[SECMX]\.?R\.?|X\.?L\.?|RETARD|\d{1,2}[- ]?HOURS?)(?![A-Z])")
# The same words glued to a name when OCR loses the space ("SENNAPURTABLETS", "DESCOVYFILM").
_EN_FORM_SUFFIX_RE = re.compile(
    r"(?<=[A-Z]{3}|[A-Z]-[A-Z])(?:FILMCOATED|FILM|TABLETS?|ABLETS|TABS?|CAPSULES?|CAPLETS?|CAPS?|GRANULES?|SYRUP|"
    r"INJECTION|OINTMENT|CREAM|SOLUTION|SUSPENSION|F\.?C\.?|S\.C\.?)(?![A-Z])"
)
# Runs of form words, glued or not ("FILM-COATEDTABLETS").
_EN_FORM_RE = re.compile(r"\b(?:(?:" + "".join(_EN_FORMS.split()) + r")[\s-]*)+(?![A-Z])")
# A long form word with one character misread (持續性蔓效錠) is still the form word.
# Only the long ones, and not at either end: `必長寧膜衣錠` is not a misread 長效膜衣錠, and
# `持續性藥效顆粒劑` no misread 持續性藥效錠.
_ZH_FUZZY_FORMS = [
    f[:i] + "[^ ]" + f[i + 1 :] for f in _ZH_FORMS if len(f) >= 6 for i in range(1, len(f) - 1)
]
_ZH_FORM_RE = re.compile("|".join([*_ZH_FUZZY_FORMS, *map(re.escape, _ZH_FORMS)]))
_NON_KEY_RE = re.compile(r"[^0-9A-Z\u3400-\u9fff]+")
# 膜衣錠 cut short at the edge of a label or column ("法瑪鎮膜").
_ZH_CUT_FORM_RE = re.compile(r"(?<=[\u3400-\u9fff]{2})膜衣?$")
CJK_RE = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True, slots=True)
class Strength:
    value: float
    unit: str  # "MG" after conversion for weights; the printed unit otherwise; "" when bare

    def __str__(self) -> str:
        return f"{self.value:g} {self.unit}".strip()


@dataclass(frozen=True, slots=True)
class Normalized:
    folded: str
    key: str
    strengths: tuple[Strength, ...]
    generics: tuple[str, ...] = ()  # texts in brackets: printed generic names, among other notes
    glued: str = ""  # the key of the text with every space removed first (`Dofen Cap sules`)


# Variant forms (異體字) licences and labels use for one character: 袪喘 and 祛喘 are one name.
_VARIANTS = str.maketrans("袪衞爲峯綫麪敍滙粧", "祛衛為峰線麵敘匯妝")


_LATIN_ACCENTED = re.compile(r"[\u00c0-\u024f]")


def _plain_latin(ch: re.Match[str]) -> str:
    # Licence names are ASCII; OCR puts dots on letters (FILMCOÄTED): the letter without them.
    return "".join(c for c in unicodedata.normalize("NFKD", ch.group(0)) if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Width, case, HTML entities, accents on Latin letters and simplified/variant characters
    folded to one form."""
    text = _LATIN_ACCENTED.sub(_plain_latin, unicodedata.normalize("NFKC", html.unescape(text)))
    return to_traditional(text).upper().translate(_VARIANTS)


# OCR reads the form character 錠 as 綻, which no licensed drug name holds; and, where a name
# ends (before its strength, a bracket or the line's end), as 錦, 蹤, 編, 鍵 or 碇, with which no
# licensed name ends (checked on the bundled catalog; 錦 is inside a maker's name, 寶齡富錦).
_OCR_CJK = str.maketrans({"綻": "錠"})
_ZH_FORM_END_RE = re.compile(r"(?<=[\u3400-\u9fff])[錦蹤編鍵碇](?=\s*(?:\d|[(（]|$))")


# A strength whose digits OCR read as look-alike letters (`/OMG/LVUMG` for 75MG/100MG,
# `TABLETSOMG` for TABLETS 400MG): such letters and MG as a word of their own, or after a form
# word (`MIG`, its digits lost too). It would hide the name in the key; no licensed name has such
# a word (SMILIMG, DOMG keep).
_GARBLED_STRENGTH_RE = re.compile(
    r"(?:(?<=[\s/])|^|(?<=TABLETS)|(?<=TABLET)|(?<=CAPSULES))(?:[OILSZBUVQG.]{1,5}MG|M[IL]G)(?=[\s/()]|$)"
)


def repair_ocr_digits(text: str) -> str:
    """`LORAZEPAMO.5MG` → `LORAZEPAM 0.5MG`: a letter O where a number starts or continues;
    and the look-alike characters of `_OCR_CJK`."""
    text = _ZH_FORM_END_RE.sub("錠", text.translate(_OCR_CJK))
    text = re.sub(r"O(?=[.,]\d)", " 0", text)
    text = re.sub(r"(?<=\d)O", "0", text)
    text = re.sub(r"(?<=\d)M[O0]\b", "MG", text)  # `75MO`: the G of a unit read as O
    text = re.sub(r"(?<![A-Z\d.])[IL](?=\s?MG\b)", "1", text)  # `IMG`: the 1 of 1MG read as a letter
    text = re.sub(r"(?<![A-Z\d.])0(?=[A-Z]{3})", "O", text)  # `0LMETEC`: a zero opening a word
    return re.sub(r"(?<=\d),(?=\d{1,2}\b)", ".", text)


def _to_strength(number: str, unit: str) -> Strength:
    factor = _UNIT_MG.get(unit)
    value = float(number)
    return Strength(value * factor, "MG") if factor else Strength(value, unit)


def extract_strengths(text: str) -> tuple[str, tuple[Strength, ...]]:
    found: list[Strength] = []

    def take(match: re.Match[str]) -> str:
        for number in re.split(r"\s*/\s*", match.group(1)):
            found.append(_to_strength(number, match.group(2)))
        return " "

    rest = STRENGTH_RE.sub(take, text)
    bare = [Strength(float(n), "") for n in _BARE_NUMBER_RE.findall(rest)]
    return _BARE_NUMBER_RE.sub(" ", rest), tuple(found + bare)


_FORM_WORDS = (
    "TABLET",
    "TABLETS",
    "CAPSULE",
    "CAPSULES",
    "COATED",
    "SOLUTION",
    "INJECTION",
    "OINTMENT",
    "SUSPENSION",
)  # fmt: skip
# (Not RELEASE: REALEASE is a brand.)
_WORD_RE = re.compile(r"(?<![A-Z-])[A-Z]{5,11}(?![A-Z])")  # a word of its own (ERISPAN-STABLETS is not)
# A coating whose COATED OCR or the licence misspelt (`ENTERIC-CAATED`, `FILM COATES`).
_COATING_RE = re.compile(r"\b(?:FILM|ENTERIC|SUGAR)[-\s]?([A-Z]{5,7})(?![A-Z])")


def _misspelled_form(m: re.Match[str]) -> str:
    """TABLAT, TALBETS, CAPSULS, FILM COATES, INJECTIO: a form word one letter off, in licences
    (about a hundred of them) and OCR alike. No licensed name holds such a word as its brand:
    checked on all 22,292 licences of dataset 37 (the few that open with one, `INJECTIO …`,
    open with the form)."""
    word = m.group(0)
    near = any(Levenshtein.distance(word, form, score_cutoff=1) <= 1 for form in _FORM_WORDS)
    return " " if near and len(word) >= 6 else word


def _misspelled_coating(m: re.Match[str]) -> str:
    return " " if Levenshtein.distance(m.group(1), "COATED", score_cutoff=1) <= 1 else m.group(0)


def strip_decorations(text: str) -> str:
    text = MAKER_RE.sub(" ", text)
    text = _BRACKET_RE.sub(" ", text)
    text = _EN_FORM_RE.sub(" ", _COATING_RE.sub(_misspelled_coating, text))
    text = _WORD_RE.sub(_misspelled_form, text)
    return _ZH_FORM_RE.sub(" ", text)


def _strip_glued_forms(text: str) -> str:
    # Repeated: "LONFILISF.C.TABLETS" loses TABLETS, then F.C.
    shorter = _EN_FORM_SUFFIX_RE.sub("", text)
    return shorter if shorter == text else _strip_glued_forms(shorter)


def compact(text: str) -> str:
    return _ZH_CUT_FORM_RE.sub("", _NON_KEY_RE.sub("", _strip_glued_forms(text)))


def _inside(bracketed: str) -> str:
    bracketed = bracketed.strip()
    return bracketed[1:-1] if bracketed[-1] in ")]" else bracketed[1:]  # `(FAMOTIDINE` never closed


def normalize(text: str, ocr: bool = True) -> Normalized:
    """`ocr=False` for clean catalog text: skips the OCR digit repairs."""
    folded = fold(text)
    if ocr:
        folded = _GARBLED_STRENGTH_RE.sub(" ", _DATE_RE.sub(" ", repair_ocr_digits(folded)))
    rest, strengths = extract_strengths(folded.replace("（", "(").replace("）", ")"))
    notes = tuple(_inside(m.group(0)) for m in _BRACKET_RE.finditer(MAKER_RE.sub(" ", rest)))
    key = compact(strip_decorations(rest))
    if not ocr:
        return Normalized(folded, key, strengths, notes, key)
    # OCR splits words anywhere ("Cap sules"), so a second key reads the text with no spaces.
    despaced, _ = extract_strengths(re.sub(r"\s+", "", strip_decorations(folded)))
    return Normalized(folded, key, strengths, notes, compact(strip_decorations(despaced)))


def has_cjk(text: str) -> bool:
    return bool(CJK_RE.search(text))
