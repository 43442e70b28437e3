"""In-memory match index, built once per catalog version.

normalise → exact key lookup → n-gram candidates (idf-weighted counts, numpy) → rapidfuzz rescoring
against MATCH threshold → strength- and prescribing-volume-aware ranking. No per-drug rules.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from rxlens.catalog.keys import (
    effective_length,
    grams,
    product_keys,
    query_strengths,
)
from rxlens.catalog.normalize import Normalized, has_cjk, normalize
from rxlens.catalog.records import Product, Synonym

# How many keys the n-gram stage hands to rapidfuzz.
SHORTLIST = 48
# A key inside a longer text (or the reverse) is scored with partial_ratio minus this penalty.
PARTIAL_PENALTY = 10.0
STRENGTH_MISMATCH_PENALTY = 5.0
# Both a Latin and a CJK part of one line point to the same product.
AGREEMENT_BONUS = 5.0
# Between equal scores, a product's own name beats an ingredient, which beats a synonym; a
# single-ingredient product beats a combination that merely contains the ingredient.
_KIND_RANK = {"name_zh": 3, "name_en": 3, "ingredient": 2, "synonym": 1}
_SEGMENT_RE = re.compile(r"[\u3400-\u9fff][\u3400-\u9fff\d.\s/()（）]*|[^\u3400-\u9fff]+")


@dataclass(frozen=True, slots=True)
class Candidate:
    product: Product
    score: float
    accepted: bool
    evidence: str
    matched_key: str
    kind: str


@dataclass(slots=True)
class _Key:
    text: str
    # product → how this key names it (name_zh | name_en | ingredient | synonym), best kind kept
    kinds: dict[int, str] = field(default_factory=dict)
    products: list[int] = field(default_factory=list)  # by prescribing volume, filled at build


@dataclass(slots=True)
class _Hit:
    score: float
    key: _Key
    segment: str
    strength_match: bool = False


class MatchIndex:
    def __init__(
        self, products: list[Product], synonyms: list[Synonym], version: str, threshold: float
    ) -> None:
        self.version, self.threshold, self.products = version, threshold, products
        self._strengths: list[frozenset[float]] = []
        self._keys: list[_Key] = []
        self._by_text: dict[str, int] = {}
        self._build_keys(synonyms)
        self._build_grams()

    # --- building ---------------------------------------------------------------------------
    def _add(self, text: str, kind: str, product: int) -> None:
        if len(text) < 2:
            return
        slot = self._by_text.get(text)
        if slot is None:
            slot = self._by_text[text] = len(self._keys)
            self._keys.append(_Key(text))
        kinds = self._keys[slot].kinds
        if _KIND_RANK[kind] > _KIND_RANK.get(kinds.get(product, ""), 0):
            kinds[product] = kind

    def _build_keys(self, synonyms: list[Synonym]) -> None:
        by_ingredient: dict[str, list[int]] = defaultdict(list)
        for i, p in enumerate(self.products):
            keys, strengths = product_keys(p)
            self._strengths.append(strengths)
            for text, kind in keys:
                self._add(text, kind, i)
            for ing in p.ingredients:
                by_ingredient[ing.name].append(i)
        for syn in synonyms:
            targets = by_ingredient.get(syn.ingredient, [])
            text = normalize(syn.text, ocr=False).key if targets else ""
            for i in targets:
                self._add(text, "synonym", i)
        volume = [p.volume for p in self.products]
        for entry in self._keys:  # most prescribed first, so long lists can be cut without loss
            entry.products = sorted(entry.kinds, key=lambda i: -volume[i])

    def _build_grams(self) -> None:
        postings: dict[str, list[int]] = defaultdict(list)
        for slot, key in enumerate(self._keys):
            for g in grams(key.text):
                postings[g].append(slot)
        n = max(len(self._keys), 1)
        self._postings = {g: np.asarray(ids, dtype=np.int32) for g, ids in postings.items()}
        self._idf = {g: math.log(1 + n / len(ids)) for g, ids in postings.items()}

    # --- matching ---------------------------------------------------------------------------
    def _shortlist(self, key: str) -> list[int]:
        present = [g for g in grams(key) if g in self._postings]
        if not present:
            return []
        ids = np.concatenate([self._postings[g] for g in present])
        weights = np.concatenate([np.full(len(self._postings[g]), self._idf[g]) for g in present])
        scores = np.bincount(ids, weights=weights, minlength=len(self._keys))
        top = min(SHORTLIST, int(np.count_nonzero(scores)))
        if not top:
            return []
        return [int(i) for i in np.argpartition(-scores, top - 1)[:top]]

    @staticmethod
    def _similarity(query: str, key: str) -> float:
        # Levenshtein, not Indel: OCR mostly substitutes characters, and a substitution should
        # cost one edit (Indel counts it twice and ties 安保穩樂 with 安保克瘧 for 安保穩克).
        score = Levenshtein.normalized_similarity(query, key) * 100
        short, long_ = sorted((query, key), key=effective_length)
        comparable = effective_length(short) >= max(6.0, 0.6 * effective_length(long_))
        if comparable and len(short) < len(long_):
            score = max(score, fuzz.partial_ratio(short, long_) - PARTIAL_PENALTY)
        return float(score)

    def _segment_hits(self, norm: Normalized, segment: str) -> list[_Hit]:
        if len(norm.key) < 2:
            return []
        exact = self._by_text.get(norm.key)
        if exact is not None:
            return [_Hit(100.0, self._keys[exact], segment)]
        hits = [
            _Hit(self._similarity(norm.key, self._keys[s].text), self._keys[s], segment)
            for s in self._shortlist(norm.key)
        ]
        return [h for h in hits if h.score >= self.threshold - 30]

    def _segments(self, text: str) -> list[str]:
        parts = [m.group(0).strip() for m in _SEGMENT_RE.finditer(text)]
        whole = [text] if len(parts) > 1 else []
        return [p for p in parts if p] + whole

    def match(self, text: str, limit: int = 5) -> list[Candidate]:
        """Ranked candidates for one printed name (Chinese, English, or both on one line)."""
        whole = normalize(text)
        wanted = query_strengths(whole.strengths)
        per_product: dict[int, list[_Hit]] = defaultdict(list)
        for segment in self._segments(text):
            for hit in self._segment_hits(normalize(segment), segment):
                for i in hit.key.products[:400]:
                    per_product[i].append(hit)
        ranked = sorted(
            (self._rank(i, hits, wanted) for i, hits in per_product.items()), key=lambda r: r[0], reverse=True
        )
        return [cand for _, cand in ranked[:limit]]

    def _rank(
        self, i: int, hits: list[_Hit], wanted: frozenset[float]
    ) -> tuple[tuple[float, ...], Candidate]:
        best = max(hits, key=lambda h: h.score)
        scripts = {has_cjk(h.segment) for h in hits if h.score >= self.threshold}
        score = best.score + (AGREEMENT_BONUS if len(scripts) == 2 else 0.0)
        have = self._strengths[i]
        strength_ok = bool(wanted and have and wanted & have)
        if wanted and have and not strength_ok:
            score -= STRENGTH_MISMATCH_PENALTY
        # 5/160 mg prefers the 5/160 product to the 5/80 one that shares only the 5.
        overlap = len(wanted & have) / len(wanted) if wanted and have else 0.0
        product = self.products[i]
        kind = best.key.kinds[i]
        evidence = f"{kind} {best.key.text!r} ~ {best.segment!r} ({best.score:.0f})"
        if wanted and have:
            evidence += "; strength " + ("matches" if strength_ok else "differs")
        named = 1.0 if product.name_zh or product.name_en else 0.0
        exactness = _KIND_RANK[kind] - (len(product.ingredients) > 1)
        order = (round(score, 1), overlap, exactness, named, math.log1p(product.volume))
        shown = round(min(score, 100.0), 1)  # the bonus orders candidates; scores stay in 0–100
        return order, Candidate(product, shown, shown >= self.threshold, evidence, best.key.text, kind)
