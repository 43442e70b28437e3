"""Whether a candidate's evidence agrees with what was printed: name, generic, form, strength.

A fuzzy score says two strings look alike; it does not say they name the same drug (GASCON is
inside NEOTIGASON, FLUCON starts like FLUMETHOLON, and Taiwan's brand names sit one letter
apart: SEDENTON/SEDETON, LIVERIN/LIVORIN). A candidate is accepted only when its name is within
a few OCR substitutions of the printed name, and nothing else printed contradicts it: not a
generic name, not the dosage form, and (for an inexact name) not the strength. A wrong drug is
worse than "not in the catalog".
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence

from rapidfuzz.distance import Levenshtein

from rxlens.catalog.keys import canonical, ingredient_keys
from rxlens.catalog.normalize import CJK_RE, MAKER_RE, normalize
from rxlens.catalog.records import Product, Synonym

_EQ_RE = re.compile(r"\(\s*(?:EQ(?:UIVALENT)?\s*TO|=|AS)\s*([^()]+)\)")
# Several generics in one bracket: `(AMLODIPINE/OLMESARTAN)`, `(A 5 MG + B 244 MG)`, `(A, B)`.
_GENERIC_SPLIT_RE = re.compile(r"\s*(?:[,/+;&、，]|\bAND\b)\s*")


# Dosage-form classes: the first pattern a text matches gives its classes (眼用液劑 is an eye
# form before it is a liquid). Within a class labels vary freely (F.C., 膜衣錠, tab); across
# classes they do not, except that a bare SOLUTION or DROPS may be any liquid form.
_LIQUIDS = ("injection", "eye", "nasal or inhaled", "topical", "oral liquid")
_FORMS: list[tuple[tuple[str, ...], str]] = [
    (("injection",), r"INJ|PENFILL|注射"),
    (("eye",), r"\bEYE|OPHTHALMIC|眼"),
    (("nasal or inhaled",), r"NASAL|INHAL|鼻|吸入|噴"),
    (("nasal or inhaled", "topical"), r"SPRAY"),
    (("rectal or vaginal",), r"SUPPOSITOR|VAGINAL|ENEMA|栓|陰道|浣腸"),
    (("topical",), r"CREAM|OINT|\bGEL\b|LOTION|PATCH|PLASTER|SHAMPOO|GARGLE|乳膏|軟膏|凝膠|外用"),
    (("topical",), r"GAUZE|洗|貼|膠布|口內膏|漱口|紗布"),
    (("troche",), r"TROCHE|LOZENGE|口含錠"),
    (("granule or powder",), r"GRANULE|POWDER|DRY SYRUP|顆粒|散|粉劑|乾糖漿"),
    (("oral liquid",), r"SYRUP|ELIXIR|SUSPENSION|LIQUID|ORAL SOLUTION|糖漿|懸液|液"),
    (_LIQUIDS, r"SOLUTION|DROPS"),
    (("tablet", "capsule"), r"錠劑膠囊"),  # NHI's 一般錠劑膠囊劑
    (("capsule",), r"CAPSULE|\bCAPS?\b|膠囊"),
    (("tablet",), r"TABLET|\bTABS?\b|CAPLET|\bF\.?C\b|FILM|錠"),
]
_FORM_RES = [(frozenset(names), re.compile(pattern)) for names, pattern in _FORMS]
# Latin names shorter than SHORT must match exactly; from LONG on, two substitutions may pass.
SHORT, LONG = 6, 10
# Letters OCR takes for one another.
_LOOKALIKES = [set(g) for g in ("OQDCG0", "IL1JT", "BRP8", "S5", "Z2", "EF", "UV", "MNH", "KX")]
# Edit costs: OCR mostly substitutes a character; an inserted or lost one costs two, so a short
# name tolerates only substitutions (BALON is not BACLON, STAWEI is not TAWEI).
_WEIGHTS = (2, 2, 1)


def _upper(text: str) -> str:
    """Catalog text is already traditional Chinese: width and case folding suffice (and are
    much cheaper than `fold` across 30,000 products)."""
    return unicodedata.normalize("NFKC", text).upper()


def form_class(text: str) -> frozenset[str]:
    """The dosage-form classes a printed text allows; empty when it names none (`PATEAR 10ML`)."""
    folded = _upper(text)
    return next((names for names, pattern in _FORM_RES if pattern.search(folded)), frozenset())


def product_forms(dosage_form: str, name: str) -> frozenset[str]:
    """The licence's form, else what the English name says; a kit's form has a part per
    component (透析用液劑+透析用粉劑)."""
    licensed = frozenset(n for part in dosage_form.split("+") for n in form_class(part))
    return licensed or form_class(name)


def tolerance(key: str) -> int:
    """Edits OCR may leave in a name that still names the same product: none in a short name,
    where one edit already makes another drug, one or two in a long one."""
    if CJK_RE.search(key):
        return 0 if len(key) <= 3 else 1 if len(key) < 8 else 2
    return 0 if len(key) < SHORT else 1 if len(key) < LONG else 2


def names_agree(printed: str, key: str) -> bool:
    allowed = min(tolerance(printed), tolerance(key))
    # Brand names are built on shared stems (-COLIN, -FUCIN, -NILIN) and differ mostly in their
    # first letter, so in a name shorter than LONG the first letter has to be right, or be one
    # OCR mistakes for it.
    first = {printed[:1], key[:1]}
    short_latin = len(key) < LONG and not CJK_RE.match(key)
    if allowed and short_latin and len(first) > 1 and not _lookalike(*first):
        return False
    return Levenshtein.distance(printed, key, weights=_WEIGHTS, score_cutoff=allowed) <= allowed


def lookalike_edits(printed: str, key: str) -> bool:
    """Whether the letters a short Latin name differs in are ones OCR takes for one another. One
    letter makes another brand there (CONAMIN/CONAPIN, RISTON/RASTON), so any other difference
    needs more evidence (the strength, the generic, the maker); a long name has letters enough."""
    if len(key) >= LONG or CJK_RE.search(key):
        return True
    return all(_lookalike(printed[a], key[b]) for a, b in _substitutions(printed, key))


def _lookalike(a: str, b: str) -> bool:
    return any(a in g and b in g for g in _LOOKALIKES)


def _substitutions(printed: str, key: str) -> list[tuple[int, int]]:
    return [(op.src_pos, op.dest_pos) for op in Levenshtein.editops(printed, key) if op.tag == "replace"]


def _same(held: str, printed: str) -> bool:
    """KETOROLAC is KETOROLAC TROMETHAMINE: salt words outside our list stay in the key."""
    short, long_ = sorted((held, printed), key=len)
    return long_.startswith(short) and (len(short) >= 5 or short == long_)


_ISOMER_RE = re.compile(r"^(?:DL|D|L)-(?=[A-Z]{4})")


def _aliases(name: str) -> list[str]:
    """`RETINOIC ACID (EQ TO TRETINOIN)` is also TRETINOIN; `DL-METHYLEPHEDRINE` is printed
    METHYLEPHEDRINE as often as not."""
    upper = _upper(name)
    return [name, *_EQ_RE.findall(upper), *([_ISOMER_RE.sub("", upper)] if _ISOMER_RE.match(upper) else [])]


def same_ingredients(a: frozenset[str], b: frozenset[str]) -> bool:
    return all(any(_same(x, y) for y in b) for x in a) and all(any(_same(x, y) for x in a) for y in b)


def _same_mark(mark: str, printed: str) -> bool:
    if mark == printed or (mark.startswith(printed) and len(mark) <= 4):
        return True
    return min(len(mark), len(printed)) >= 5 and Levenshtein.distance(mark, printed) <= 1


def maker_marks(text: str) -> frozenset[str]:
    """Latin maker marks (`"MIN TONG"`, `"M.T."`) as their letters and their initials, so an
    abbreviation meets the full name. Chinese marks are left out: labels mix the two scripts."""
    found: set[str] = set()
    for mark in MAKER_RE.findall(_upper(text)):
        words = re.findall(r"[A-Z]+", mark)
        if words and not CJK_RE.search(mark):
            found.add("".join(words))
            if len(words) > 1:  # one word's initial is a letter, not a maker
                found.add("".join(w[0] for w in words))
    return frozenset(found)


class Ingredients:
    """Which ingredients a printed generic means, and which ingredients each product holds."""

    def __init__(self, products: Sequence[Product], synonyms: list[Synonym]) -> None:
        self.meaning: dict[str, set[str]] = defaultdict(set)
        self.of_product: list[frozenset[str]] = []
        self.holders: dict[frozenset[str], list[int]] = defaultdict(list)
        self.marks = [maker_marks(p.name_en) for p in products]
        # The licence's form and the English name each vote: either may be missing or loose.
        self.forms = [product_forms(p.dosage_form, p.name_en) for p in products]
        self.name_forms = [form_class(p.name_en) for p in products]
        for i, p in enumerate(products):
            held = frozenset(
                c for ing in p.ingredients for name in _aliases(ing.name) if (c := canonical(name))
            )
            self.of_product.append(held)
            if held:
                self.holders[held].append(i)
            for ing in p.ingredients:
                for key in ingredient_keys(ing.name):
                    self.meaning[key].add(canonical(ing.name))
        for syn in synonyms:
            target = canonical(syn.ingredient)
            for key in ingredient_keys(syn.text) if target in self.meaning else ():
                self.meaning[key].add(target)
        # The generic a licence prints in its own name is the product's too, whatever its
        # ingredient list spells (`EXCELIN TABLETS 4MG (METHYLPREDNISOLONE)` lists METHYLPREDISOLONE).
        self.named = [
            self.printed(normalize(p.name_en, ocr=False).generics) if "(" in p.name_en else frozenset()
            for p in products
        ]

    @classmethod
    def restore(
        cls,
        meaning: dict[str, set[str]],
        of_product: list[frozenset[str]],
        sets: dict[str, list[frozenset[str]]],
    ) -> Ingredients:
        """Saved facts back (catalog.index_file): `sets` holds marks, forms and name_forms."""
        facts = cls.__new__(cls)
        facts.meaning = defaultdict(set, meaning)
        facts.of_product, facts.holders = of_product, defaultdict(list)
        for i, held in enumerate(of_product):
            if held:
                facts.holders[held].append(i)
        facts.marks, facts.forms, facts.name_forms = sets["marks"], sets["forms"], sets["name_forms"]
        facts.named = sets["named"]
        return facts

    def printed(self, notes: tuple[str, ...]) -> frozenset[str]:
        """Ingredients the printed texts name; texts that name none (`PTP`, `二合一`) add nothing."""
        found: set[str] = set()
        for note in notes:
            for part in _GENERIC_SPLIT_RE.split(normalize(note).folded):
                for key in ingredient_keys(part) if part else ():
                    found |= self.meaning.get(key, set())
        return frozenset(found)

    def agree(self, product: int, printed: frozenset[str]) -> bool:
        """Every printed ingredient is one the product holds. A product whose ingredients we do
        not know cannot contradict the printed generic."""
        held = self.of_product[product]
        return not held or all(any(_same(h, p) for h in held | self.named[product]) for p in printed)

    def same_maker(self, product: int, printed: frozenset[str]) -> bool:
        """A printed mark that is the start of the product's initials (`"Y."` of `"Y.Y."`, cut by
        the cell's edge or lost under a stamp) does not contradict it; the start of a maker's
        name does (`"S.T."` is not STANDARD). A name of five letters or more read one letter
        off (`"SINPHA K"` for `"SINPHAR"`) does not contradict either. Some makers are one letter
        apart (MINTONG, SINTONG), so where a brand is made by both this may name the other's
        product of that brand; refusing lost the drug to every one-letter misread instead. It
        never crosses brands: the name part must already match."""
        marks = self.marks[product]
        return not printed or not marks or any(_same_mark(m, p) for m in marks for p in printed)

    def same_form(self, product: int, printed: frozenset[str], as_named: bool) -> bool:
        """`as_named`: the product's own name was printed, so the form its name says counts too
        (names and licences word forms differently: `Power UP EX Tablet` is a licensed 含錠)."""
        forms = self.forms[product] | (self.name_forms[product] if as_named else frozenset())
        return not printed or not forms or bool(forms & printed)
