"""How pages print a product's name: the catalog's English name, a formulary line
(`Brand FC * tab 10 mg (Generic)`), a short `Brand 10mg`; and which products print alike."""

from __future__ import annotations

import random
import re
import unicodedata
from collections import defaultdict

from rxlens.catalog.records import Product

# Words that end the brand part of an English product name.
_FORM = re.compile(
    r"^(F\.?C\.?|FILM|FILM-COATED|COATED|TABLETS?|TABS?|CAPSULES?|CAPS?|SUGAR|ENTERIC|SUSTAINED|EXTENDED|"
    r"PROLONGED|MODIFIED|CONTROLLED|DELAYED|RELEASE|ORAL|SOLUTION|SUSPENSION|OPHTHALMIC|EYE|OINTMENT|"
    r"CREAM|GEL|DROPS?|INJECTION|SOFT|HARD|CHEWABLE|S\.?R\.?|S\.?C\.?|E\.?C\.?|XR|XL|ER|CR|MR)$"
)
# A coating glued to the form word after it (`F.C.TABLETS`).
_GLUED_FORM = re.compile(r"^(?:F|S|E)\.C\.?[A-Z]")
_NAME_MG = re.compile(r"(\d+(?:\.\d+)?)\s*MG\b")
_FORM_SHORT = {"TAB": ["tab", "Tab", "TAB"], "CAP": ["cap", "Cap", "CAP"]}


def brand(name_en: str) -> str:
    """Leading words up to the first form word, number or bracket: `CRESTOR 10MG FILM…` → Crestor."""
    # A quoted word that opens the licence is mostly its maker (`"O.Y."CHUNBIK`, `"STANDARD"
    # ALLERTIN`): the brand is what follows (the catalog reads such names alike).
    name_en = re.sub(r"^\s*[\"“〝][^\"“”〝〞]{1,30}[\"”〞]\s*(?=\S)", "", name_en)
    words: list[str] = []
    # A quote or bracket glued to a word starts a word of its own (`Capsules“Taiten”(…)`).
    for word in re.split(r"\s+|(?=[\"“〝(（])", name_en.strip()):
        clean = word.strip('"“”〝〞,').upper().rstrip(".")
        # A quoted word is the maker (`PREDNISOLONE "KUANG NAN"`), never part of the brand.
        if (
            not clean
            or _FORM.match(clean)
            or _GLUED_FORM.match(clean)
            or re.match(r"^[\d(（]", clean)
            or word[0] in '"“〝'
        ):
            break
        words.append(word.strip('"“”〝〞,'))
    text = " ".join(words[:3]) or name_en.split()[0]
    return text.title() if text.isupper() else text


def mg_strengths(p: Product) -> list[float]:
    return [i.strength for i in p.ingredients if i.strength and i.unit.upper() == "MG"]


def single_mg(p: Product) -> float | None:
    mg = mg_strengths(p)
    return mg[0] if len(mg) == 1 else None


def _strength(p: Product) -> str:
    return "/".join(f"{m:g}" for m in mg_strengths(p))


def _generic(p: Product) -> str:
    parts = [re.split(r"[\d(（]", i.name)[0].strip().split(" ")[0] for i in p.ingredients[:3]]
    return ",".join(x.title() for x in parts if x)


def _title(word: str) -> str:
    """Title case for words, lower case for units glued to numbers (5MG → 5mg), codes kept."""
    if word.upper() in ("MG", "MCG", "ML"):
        return word.lower()
    if word.isalpha():
        return word.capitalize()
    if re.match(r"^[\d.,/]+(MG|MCG|ML|G|%)$", word, re.I):
        return word.lower()
    return word


def _film_coated(p: Product) -> bool:
    """Only a film-coated tablet is printed F.C. (not every name with an F in it: REFEXIN CAPSULE)."""
    return bool(re.search(r"\bF\.?\s?C\b|FILM|膜衣", p.name_en.upper() + p.name_zh))


def english(p: Product, style: str, rng: random.Random) -> str:
    """style: catalog | title | formulary | short."""
    mg, form = _strength(p), "CAP" if "CAP" in p.name_en.upper() or "膠囊" in p.name_zh else "TAB"
    if style == "catalog" or not mg:
        return p.name_en
    if style == "title":
        return " ".join(_title(w) for w in p.name_en.split())
    name = brand(p.name_en)
    if style == "formulary":
        coat = rng.choice(["FC ", "FC * ", "", "* "]) if _film_coated(p) else rng.choice(["", "* "])
        generic = _generic(p)
        tail = f" ({generic})" if generic else ""
        return f"{name} {coat}{rng.choice(_FORM_SHORT[form])} {mg} mg{tail}"
    return rng.choice(
        [
            f"{name} {mg}mg",
            f"{name} {mg} mg",
            f"{name} F.C. {mg}mg" if _film_coated(p) else f"{name} {mg}mg",
        ]
    )


def chinese(p: Product, rng: random.Random) -> str:
    """The Chinese name as the catalog has it, or without the maker's quoted prefix (labels drop it)."""
    if rng.random() < 0.4:
        return without_maker(p.name_zh)
    return p.name_zh


def without_maker(name_zh: str) -> str:
    # Licences quote makers in double quotes, corner quotes or doubled apostrophes (''健喬'').
    return re.sub(r'^\s*(?:\'\'[^\']*\'\'|["“〝][^"”〞]*["”〞])\s*', "", name_zh) or name_zh


def _zh_key(name: str) -> str:
    """２５０毫克 and 250毫克 read the same: full-width digits and spaces do not tell makers apart."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))


class NameIndex:
    """Which products print the same brand and strengths: a reader cannot tell them apart."""

    def __init__(self, products: list[Product]) -> None:
        self.by_brand: dict[tuple[str, tuple[float, ...], frozenset[str]], set[str]] = defaultdict(set)
        self.by_zh: dict[str, set[str]] = defaultdict(set)
        for p in products:
            self.by_brand[self._key(p)].add(p.id)
            if p.name_zh:  # printed as licensed, or without the maker (then any maker's)
                self.by_zh[_zh_key(p.name_zh)].add(p.id)
                self.by_zh[_zh_key(without_maker(p.name_zh))].add(p.id)

    @staticmethod
    def _key(p: Product) -> tuple[str, tuple[float, ...], frozenset[str]]:
        # A licence whose ingredient list gives no strength still prints one in its name
        # (`Ibuprofen 400mg F.C. Tablets`): a reader sees the same brand and strength.
        strengths = mg_strengths(p) or [float(n) for n in _NAME_MG.findall(p.name_en.upper())]
        # `ANETHOL TRITHIONE S.C` and `… S.C.` print alike: punctuation tells no brands apart; but
        # only products of the same ingredients may stand for each other (ANTI-COUGH tablets are
        # not ANTICOUGH injection), and a name with no brand word stands for itself.
        letters = re.sub(r"[^A-Z0-9]", "", brand(p.name_en).upper()) or p.id
        return letters, tuple(sorted(strengths)), frozenset(i.name.upper() for i in p.ingredients)

    def acceptable(self, p: Product, en: str, zh: str) -> list[str]:
        same = set(self.by_brand.get(self._key(p), set())) if en else set()
        if zh and not en:
            same = set(self.by_zh.get(_zh_key(zh), set()))
        return sorted(same | {p.id})
