"""Index keys for a product: its names and ingredients, normalised; and n-grams of a key."""

from __future__ import annotations

import re
from functools import lru_cache

from rxlens.catalog.normalize import CJK_RE, MAKER_RE, QUOTE_RE, RELEASE_RE, Strength, fold, normalize
from rxlens.catalog.records import Product

# Salt and hydrate words printed after an ingredient; a label may print the base name alone.
_SALTS = re.compile(
    r"\b(?:HCL|2HCL|HYDROCHLORIDE|SODIUM|POTASSIUM|CALCIUM|MAGNESIUM|TARTRATE|MALEATE|BESYLATE|"
    r"BESILATE|MESYLATE|SULFATE|SULPHATE|CITRATE|FUMARATE|SUCCINATE|ACETATE|PHOSPHATE|BROMIDE|"
    r"HYDROBROMIDE|TRIHYDRATE|DIHYDRATE|MONOHYDRATE|HYDRATE|ANHYDROUS|HEMIHYDRATE|EQ|TO)\b"
)


@lru_cache(maxsize=65536)
def ingredient_keys(name: str) -> frozenset[str]:
    full = normalize(name, ocr=False)
    keys = {full.key}
    base = normalize(_SALTS.sub(" ", full.folded), ocr=False).key
    if len(base) >= 4:
        keys.add(base)
    return frozenset(k for k in keys if k)


@lru_cache(maxsize=65536)
def canonical(name: str) -> str:
    """One key per ingredient: its name without salt words (ROSUVASTATIN CALCIUM → ROSUVASTATIN)."""
    keys = ingredient_keys(name)
    # VALPROIC ACID and VALPROATE SODIUM name one drug: the acid and its salts meet at -ATE.
    return re.sub(r"ICACID$", "ATE", min(keys, key=lambda k: (len(k), k))) if keys else ""


def product_keys(product: Product) -> tuple[list[tuple[str, str]], frozenset[float]]:
    """(key, kind) pairs for a product, and the milligram strengths its names or ingredients give."""
    zh, en = normalize(product.name_zh, ocr=False), normalize(product.name_en, ocr=False)
    keys = [(zh.key, "name_zh"), (en.key, "name_en")]
    if (glued := _maker_glued(product.name_zh)) and glued != zh.key:
        keys.append((glued, "name_zh"))
    if _ZH_DASH_RE.search(product.name_zh):  # `滅治咳－複合膠囊` as OCR reads it: 滅治咳一複合
        keys.append((normalize(_ZH_DASH_RE.sub("一", product.name_zh), ocr=False).key, "name_zh"))
    if (plain := normalize(RELEASE_RE.sub(" ", fold(product.name_en)), ocr=False).key) != en.key:
        keys.append((plain, "name_en"))  # `Dicron 30mg` printed for `Dicron MR Tablets 30mg`
    keys += [(k, "ingredient") for ing in product.ingredients for k in ingredient_keys(ing.name)]
    found = {round(s.value, 4) for s in zh.strengths + en.strengths if s.unit == "MG"}
    found |= {round(i.strength, 4) for i in product.ingredients if i.strength and i.unit == "MG"}
    return keys, frozenset(found)


# A dash between Chinese characters, which OCR reads as the character 一.
_ZH_DASH_RE = re.compile(r"(?<=[\u3400-\u9fff])\s*[-－‐–—]\s*(?=[\u3400-\u9fff])")


def _maker_glued(name_zh: str) -> str:
    """The Chinese name as OCR reads it when the thin quote marks around its maker are lost:
    `〝正和〞祛脂微粒膠囊` read `正和祛脂微粒膠囊`, `艾利寧膠囊６０公絲〝永勝〞` read `… 永勝`."""
    marks = [m for m in MAKER_RE.findall(name_zh) if CJK_RE.search(m)]
    if not marks:
        return ""
    return normalize(QUOTE_RE.sub("", name_zh), ocr=False).key


def query_strengths(strengths: tuple[Strength, ...]) -> frozenset[float]:
    return frozenset(round(s.value, 4) for s in strengths if s.unit == "MG")


def grams(key: str) -> set[str]:
    """CJK: characters and pairs (names are short and one wrong character is common);
    Latin: padded trigrams."""
    if CJK_RE.search(key):
        return set(key) | {key[i : i + 2] for i in range(len(key) - 1)}
    padded = f"^{key}$"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def effective_length(key: str) -> float:
    """A CJK character carries about as much as two or three Latin letters."""
    cjk = len(CJK_RE.findall(key))
    return cjk * 2.5 + (len(key) - cjk)
