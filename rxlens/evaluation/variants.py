"""OCR-style variants of real catalog names, with the set of products each should match.

Used by the matching test and bench/catalog.py. A variant is judged right when the top candidate
is accepted and is one of `expected` (products that print the same name and strength, or for a
generic-name variant, the same single ingredient and strength).
"""

from __future__ import annotations

import random
import string
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import opencc

from rxlens.catalog.normalize import CJK_RE, normalize
from rxlens.catalog.records import Product
from rxlens.evaluation.names import name_keys


@dataclass(frozen=True, slots=True)
class Variant:
    text: str
    kind: str
    source: str  # the catalog text it was made from
    expected: frozenset[str]


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _respace(rng: random.Random, text: str) -> str:
    words = text.split()
    if len(words) > 1 and rng.random() < 0.5:
        i = rng.randrange(len(words) - 1)
        return " ".join(words[:i] + [words[i] + words[i + 1]] + words[i + 2 :])
    i = rng.randrange(1, max(len(text) - 1, 2))
    return text[:i] + " " + text[i:]


def _typos(rng: random.Random, text: str, count: int, alphabet: str) -> str:
    chars = list(text)
    spots = [i for i, c in enumerate(chars) if (c in alphabet) or (alphabet == "CJK" and CJK_RE.match(c))]
    for i in rng.sample(spots, min(count, len(spots))):
        pool = _CJK_POOL if alphabet == "CJK" else string.ascii_uppercase
        chars[i] = rng.choice([c for c in pool if c != chars[i]])
    return "".join(chars)


_CJK_POOL = "安康寧樂平泰克舒美得利達立普保欣通心脈優定壓素胃清斯朗腹"


def _glued(product: Product) -> str:
    norm = normalize(product.name_en, ocr=False)
    strengths = [s for s in norm.strengths if s.unit == "MG"]
    if not strengths:
        return ""
    number = (
        f"{strengths[0].value:g}".replace("0.", "O.", 1)
        if strengths[0].value < 1
        else f"{strengths[0].value:g}"
    )
    return f"{norm.key}{number}MG"


class VariantMaker:
    def __init__(self, products: list[Product], seed: int) -> None:
        self.rng = random.Random(seed)
        self.products = [p for p in products if (p.name_zh or p.name_en) and not p.cancelled]
        self._by_key, self._strengths = name_keys(products, generic_names=True)
        self._by_generic: dict[tuple[str, float], set[str]] = defaultdict(set)
        for p in products:
            if len(p.ingredients) == 1 and p.ingredients[0].strength:
                self._by_generic[(p.ingredients[0].name, round(p.ingredients[0].strength, 4))].add(p.id)

    def _same_name(self, text: str, keep_strength: bool) -> frozenset[str]:
        norm = normalize(text, ocr=False)
        ids = self._by_key.get(norm.key, set())
        wanted = {round(s.value, 4) for s in norm.strengths if s.unit == "MG"}
        if keep_strength and wanted:
            ids = {i for i in ids if not self._strengths[i] or wanted & self._strengths[i]}
        return frozenset(ids)

    def _one(self, kind: str, product: Product) -> Variant | None:
        rng, zh, en = self.rng, product.name_zh, product.name_en
        zh_key, en_key = normalize(zh, ocr=False).key, normalize(en, ocr=False).key
        makers: dict[str, Callable[[], tuple[str, str]]] = {
            "spacing": lambda: (_respace(rng, en), en),
            "case": lambda: ("".join(c.lower() if rng.random() < 0.7 else c for c in en), en),
            "width": lambda: (_full_width(en), en),
            "simplified": lambda: (_t2s().convert(zh), zh),
            "zh_typo": lambda: (_typos(rng, zh_key, 1, "CJK") if len(zh_key) >= 4 else "", zh),
            "en_typo": lambda: (
                _typos(rng, en_key, 1, string.ascii_uppercase) if len(en_key) >= 6 else "",
                en,
            ),
            "en_typo2": lambda: (
                _typos(rng, en_key, 2, string.ascii_uppercase) if len(en_key) >= 10 else "",
                en,
            ),
            "glued": lambda: (_glued(product), en),
        }
        if kind == "generic":
            return self._generic(product)
        text, source = makers[kind]()
        if not text or not source or text == source and kind != "width":
            return None
        expected = self._same_name(source, keep_strength=kind == "glued")
        return Variant(text, kind, source, expected) if product.id in expected else None

    def _generic(self, product: Product) -> Variant | None:
        if len(product.ingredients) != 1 or not product.ingredients[0].strength:
            return None
        ing = product.ingredients[0]
        text = f"{ing.name.title()} {ing.strength:g}mg"
        # A licence named after its generic (`MEFENAMIC ACID CAPSULE 250MG`) is as right an answer
        # as one that lists it, whatever its ingredient list spells.
        holders = self._by_generic[(ing.name, round(ing.strength or 0, 4))]
        return Variant(
            text, "generic", ing.name, frozenset(holders | self._same_name(text, keep_strength=True))
        )

    def make(
        self,
        count: int,
        kinds: tuple[str, ...] = (
            "spacing",
            "case",
            "width",
            "simplified",
            "zh_typo",
            "en_typo",
            "en_typo2",
            "glued",
            "generic",
        ),
    ) -> list[Variant]:
        out: list[Variant] = []
        while len(out) < count:
            variant = self._one(kinds[len(out) % len(kinds)], self.rng.choice(self.products))
            if variant is not None:
                out.append(variant)
        return out


JUNK_TEMPLATES = (
    "台北市{d}區{r}路{n}號",
    "電話 0{n}-{n}{n}",
    "0912-{n}-{n}",
    "注意事項：{w}",
    "{w}",
    "藥師 {name}",
    "領藥號 {n}",
    "{n}/{n}/{n}",
    "病歷號碼 {n}{n}",
    "本藥袋僅供參考，{w}",
    "{rand}",
)
_WARNINGS = (
    "請放置於兒童拿不到的地方",
    "如有不適請立即就醫",
    "服藥期間請勿飲酒",
    "請依醫師指示服用",
    "藥品請存放於陰涼乾燥處",
    "服用後可能會嗜睡，請勿開車",
    "孕婦及哺乳婦女請先告知醫師",
)


def junk_lines(count: int, seed: int) -> list[str]:
    """Lines found on drug bags that name no drug: addresses, warnings, phone numbers, noise."""
    rng = random.Random(seed)
    fills: dict[str, Callable[[], str]] = {
        "d": lambda: rng.choice(["中正", "大安", "信義", "北屯", "苓雅"]),
        "r": lambda: rng.choice(["忠孝東", "中山北", "民生", "復興南"]),
        "n": lambda: str(rng.randint(10, 999)),
        "w": lambda: rng.choice(_WARNINGS),
        "name": lambda: rng.choice("王李張陳林黃") + rng.choice(["小明", "美玲", "志強", "淑芬"]),
        "rand": lambda: "".join(
            rng.choice(string.ascii_uppercase + string.digits) for _ in range(rng.randint(5, 12))
        ),
    }
    lines = []
    for i in range(count):
        template = JUNK_TEMPLATES[i % len(JUNK_TEMPLATES)]
        lines.append(template.format(**{k: f() for k, f in fills.items()}))
    return lines
