"""In-memory match index, built once per catalog version.

normalise → exact key lookup → n-gram candidates (idf-weighted counts, numpy) → rapidfuzz rescoring
against MATCH threshold → acceptance only when the evidence agrees (catalog.evidence) → strength-
and prescribing-volume-aware ranking. No per-drug rules. Printed NHI codes are looked up apart.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from rxlens.catalog.codes import CodeTable
from rxlens.catalog.evidence import Ingredients, form_class, lookalike_edits, maker_marks, names_agree
from rxlens.catalog.keys import effective_length, grams, product_keys, query_strengths
from rxlens.catalog.normalize import CJK_RE, Normalized, has_cjk, normalize
from rxlens.catalog.printed import closeness as closeness_of
from rxlens.catalog.printed import segments
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
    query: Normalized  # the segment, normalised
    named: bool = field(init=False)  # the key is within OCR edits of what was printed
    exact: bool = field(init=False)  # the key is what was printed
    lookalike: bool = field(init=False)  # and its differences are letters OCR confuses

    def __post_init__(self) -> None:
        # Once per hit, not per product: an ingredient key may stand for hundreds of products.
        text, query = self.key.text, self.query
        self.exact = text in (query.key, query.glued)
        near = [q for q in dict.fromkeys((query.key, query.glued)) if names_agree(q, text)]
        self.named = self.exact or bool(near)
        self.lookalike = self.exact or any(lookalike_edits(q, text) for q in near)

    def agrees(self, threshold: float, product: int, single: bool) -> bool:
        """Close enough; a synonym (a foreign brand or spelling, SUPRAX, DORMIN) only as printed;
        an ingredient name only for a product of that one ingredient (not ONGLYZA → saxagliptin
        + metformin)."""
        kind = self.key.kinds[product]
        if self.score < threshold or not self.named or (kind == "synonym" and not self.exact):
            return False
        return single or _KIND_RANK[kind] == _KIND_RANK["name_en"]


@dataclass(frozen=True, slots=True)
class _Printed:
    """What a line says besides the name, each part empty when it says nothing of it."""

    strengths: frozenset[float]
    bare: frozenset[float]  # numbers printed without a unit (`CONCOR 1.25`, `SINEMET 25/250`)
    generics: frozenset[str]
    form: frozenset[str]
    maker: frozenset[str]
    text: str  # the whole printed name, for ordering look-alike products


@dataclass(frozen=True, slots=True)
class _Verdict:
    product: int
    best: _Hit
    score: float
    accepted: bool
    order: tuple[float, ...]
    strength: str  # "matches" | "differs" | "" (nothing to compare)
    generic_ok: bool
    form_ok: bool
    named: bool  # some hit's name is within OCR edits of the printed one


@dataclass(frozen=True, slots=True)
class IndexParts:
    """What a built index holds, so that catalog.index_file can save it and load it back."""

    products: Sequence[Product]
    strengths: list[frozenset[float]]
    keys: list[tuple[str, list[int], list[str]]]  # text, the products it names (ranked), how
    postings: dict[str, np.ndarray]
    codes: list[list[str]]  # NHI codes per product
    ingredients: Ingredients


class MatchIndex:
    def __init__(
        self, products: Sequence[Product], synonyms: list[Synonym], version: str, threshold: float
    ) -> None:
        self.version, self.threshold, self.products = version, threshold, products
        self._strengths: list[frozenset[float]] = []
        self._keys: list[_Key] = []
        self._by_text: dict[str, int] = {}
        self._build_keys(synonyms)
        self._set_grams(self._build_grams())
        self._codes_per_product = [p.nhi_codes for p in products]
        self._codes = CodeTable(self._codes_per_product)
        self._ingredients = Ingredients(products, synonyms)

    # --- saving and loading (catalog.index_file) ---------------------------------------------
    def parts(self) -> IndexParts:
        keys = [(k.text, k.products, [k.kinds[i] for i in k.products]) for k in self._keys]
        return IndexParts(
            self.products, self._strengths, keys, self._postings, self._codes_per_product, self._ingredients
        )

    @classmethod
    def restore(cls, parts: IndexParts, version: str, threshold: float) -> MatchIndex:
        """An index from saved parts: what __init__ builds, without building it."""
        index = cls.__new__(cls)
        index.version, index.threshold, index.products = version, threshold, parts.products
        index._strengths = parts.strengths
        index._keys = [_Key(text, dict(zip(ids, kinds, strict=True)), ids) for text, ids, kinds in parts.keys]
        index._by_text = {key.text: slot for slot, key in enumerate(index._keys)}
        index._set_grams(parts.postings)
        index._codes_per_product = parts.codes
        index._codes = CodeTable(parts.codes)
        index._ingredients = parts.ingredients
        return index

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
        # A product this key names first, then the most prescribed, so long lists can be cut.
        for entry in self._keys:
            entry.products = sorted(entry.kinds, key=lambda i: (-_KIND_RANK[entry.kinds[i]], -volume[i]))

    def _build_grams(self) -> dict[str, np.ndarray]:
        postings: dict[str, list[int]] = defaultdict(list)
        for slot, key in enumerate(self._keys):
            for g in grams(key.text):
                postings[g].append(slot)
        return {g: np.asarray(ids, dtype=np.int32) for g, ids in postings.items()}

    def _set_grams(self, postings: dict[str, np.ndarray]) -> None:
        n = max(len(self._keys), 1)
        self._postings = postings
        self._idf = {g: math.log(1 + n / len(ids)) for g, ids in postings.items()}

    # --- matching ---------------------------------------------------------------------------
    def _shortlist(self, key: str, exclude: Collection[str]) -> list[int]:
        present = [g for g in grams(key) if g in self._postings]
        if not present:
            return []
        ids = np.concatenate([self._postings[g] for g in present])
        weights = np.concatenate([np.full(len(self._postings[g]), self._idf[g]) for g in present])
        scores = np.bincount(ids, weights=weights, minlength=len(self._keys))
        # Room for keys that name only excluded products, so exclusion leaves a full shortlist.
        want = SHORTLIST * 2 if exclude else SHORTLIST
        top = min(want, int(np.count_nonzero(scores)))
        if not top:
            return []
        slots = np.argpartition(-scores, top - 1)[:top]
        slots = slots[np.argsort(-scores[slots], kind="stable")]
        kept = [int(s) for s in slots if not exclude or self._live(self._keys[int(s)], exclude)]
        return kept[:SHORTLIST]

    def _live(self, key: _Key, exclude: Collection[str]) -> bool:
        return any(self.products[i].id not in exclude for i in key.products)

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

    def _segment_hits(self, norm: Normalized, segment: str, exclude: Collection[str]) -> list[_Hit]:
        hits: list[_Hit] = []
        for key in dict.fromkeys((norm.key, norm.glued)):
            hits += self._key_hits(key, norm, segment, exclude) if len(key) >= 2 else []
        return hits

    def _key_hits(self, key: str, norm: Normalized, segment: str, exclude: Collection[str]) -> list[_Hit]:
        exact = self._by_text.get(key)
        if exact is not None and (not exclude or self._live(self._keys[exact], exclude)):
            return [_Hit(100.0, self._keys[exact], segment, norm)]
        hits = [
            _Hit(self._similarity(key, self._keys[s].text), self._keys[s], segment, norm)
            for s in self._shortlist(key, exclude)
        ]
        return [h for h in hits if h.score >= self.threshold - 30]

    def match(self, text: str, limit: int = 5, exclude: Collection[str] = frozenset()) -> list[Candidate]:
        """Ranked candidates for one printed name (Chinese, English, or both on one line).

        `exclude`: product ids never to return, as if they were not in the catalog.
        """
        whole = normalize(text)
        printed = _Printed(
            query_strengths(whole.strengths),
            frozenset(round(s.value, 4) for s in whole.strengths if not s.unit),
            self._ingredients.printed(whole.generics),
            # Latin words only: Chinese names are full of form characters (鼻康速錠 is a tablet).
            form_class(CJK_RE.sub(" ", text)),
            maker_marks(text),
            text,
        )
        per_product: dict[int, list[_Hit]] = defaultdict(list)
        for segment in segments(text):
            for hit in self._segment_hits(normalize(segment), segment, exclude):
                for i in hit.key.products[:400]:
                    if not exclude or self.products[i].id not in exclude:
                        per_product[i].append(hit)
        verdicts = [self._judge(i, hits, printed) for i, hits in per_product.items()]
        verdicts.sort(key=lambda v: v.order, reverse=True)
        return [self._candidate(v, printed) for v in verdicts[:limit]]

    def _judge(self, i: int, hits: list[_Hit], printed: _Printed) -> _Verdict:
        single = len(self._ingredients.of_product[i]) == 1
        agreeing = [h for h in hits if h.agrees(self.threshold, i, single)]
        best = max(agreeing or hits, key=lambda h: h.score)
        # Ordering only (acceptance is decided below): a partial Chinese hit still says the
        # Latin and Chinese parts of a line point to the same product.
        scripts = {has_cjk(h.segment) for h in hits if h.score >= self.threshold}
        score = best.score + (AGREEMENT_BONUS if len(scripts) == 2 else 0.0)
        wanted, have = printed.strengths, self._strengths[i]
        strength = "" if not (wanted and have) else "matches" if wanted & have else "differs"
        score -= STRENGTH_MISMATCH_PENALTY if strength == "differs" else 0.0
        # The product's own name, printed exactly, in another strength is still that product (the
        # strength is not invented: the evidence says it differs), and its form may be worded as
        # its name words it; anything less needs the strength and the licensed form to agree.
        own = any(h.exact and _KIND_RANK[h.key.kinds[i]] == _KIND_RANK["name_en"] for h in agreeing)
        facts = self._ingredients
        form_ok = facts.same_form(i, printed.form, own) and facts.same_maker(i, printed.maker)
        generic_ok = facts.agree(i, printed.generics)
        # A name off by letters OCR does not confuse, on a line whose maker or strength this
        # product cannot confirm, is more likely a brand the catalog lacks (CONAMIN "GENTLE" is
        # not CONAPIN); with nothing else printed, the name is all there is to go by.
        confirmed = strength == "matches" or bool(printed.generics and facts.of_product[i]) and generic_ok
        confirmed = confirmed or bool(printed.maker & facts.marks[i])
        unconfirmed = bool(printed.maker or printed.strengths) and not confirmed
        plausible = any(h.lookalike for h in agreeing) or not unconfirmed
        accepted = bool(agreeing) and generic_ok and form_ok and plausible and (own or strength != "differs")
        order = self._order(i, best, printed, accepted, score)
        flags = (strength, generic_ok, form_ok, bool(agreeing))
        return _Verdict(i, best, score, accepted, order, *flags)

    def _order(
        self, i: int, best: _Hit, printed: _Printed, accepted: bool, score: float
    ) -> tuple[float, ...]:
        """How candidates rank: accepted first, then score, then what the printed line says of
        strengths, names and kinds, then prescribing volume."""
        wanted, have = printed.strengths, self._strengths[i]
        # 5/160 mg prefers the 5/160 product to the 5/80 one that shares only the 5.
        overlap = len(wanted & have) / len(wanted) if wanted and have else 0.0
        # Unitless numbers may be anything (a dose, a count): they only order products alike.
        bare = len(printed.bare & have) / len(printed.bare) if printed.bare and have else 0.0
        product = self.products[i]
        named = 1.0 if product.name_zh or product.name_en else 0.0
        kind = _KIND_RANK[best.key.kinds[i]]
        exactness = kind - (len(product.ingredients) > 1)
        # Only where the printed words name products (a printed generic names all its makers alike).
        closeness = closeness_of(printed.text, product) if accepted and kind == _KIND_RANK["name_en"] else 0.0
        return (
            accepted,
            round(score, 1),
            overlap,
            bare,
            closeness,
            exactness,
            named,
            math.log1p(product.volume),
        )

    def _candidate(self, v: _Verdict, printed: _Printed) -> Candidate:
        kind = v.best.key.kinds[v.product]
        evidence = f"{kind} {v.best.key.text!r} ~ {v.best.segment!r} ({v.best.score:.0f})"
        evidence += f"; strength {v.strength}" if v.strength else ""
        if printed.generics:
            evidence += "; printed generic " + ("agrees" if v.generic_ok else "differs")
        evidence += "" if v.form_ok else "; form or maker differs"
        evidence += "" if v.named else "; name differs"
        shown = round(min(v.score, 100.0), 1)  # the bonus orders candidates; scores stay in 0–100
        return Candidate(self.products[v.product], shown, v.accepted, evidence, v.best.key.text, kind)

    # --- codes and alternatives ---------------------------------------------------------------
    @cached_property
    def _positions(self) -> dict[str, int]:
        return {p.id: i for i, p in enumerate(self.products)}

    def product(self, product_id: str) -> tuple[Product, frozenset[str]] | None:
        """A product by id with its ingredients as canonical keys (salts and spellings folded)."""
        if (i := self._positions.get(product_id)) is None:
            return None
        return self.products[i], self._ingredients.of_product[i]

    def by_code(self, text: str) -> Candidate | None:
        """The product a printed NHI code (`BC25419100`) names; OCR letter/digit slips repaired."""
        if (found := self._codes.find(text)) is None:
            return None
        product, code = self.products[found[0]], found[1]
        how = "exact" if code in product.nhi_codes else "characters 3-10 (second character differs)"
        return Candidate(product, 100.0, True, f"nhi code {code} ({how})", code, "nhi_code")

    def alternatives(
        self, text: str, limit: int = 3, exclude: Collection[str] = frozenset()
    ) -> list[Candidate]:
        """Products with the printed generic's ingredients and strength — never the match itself.

        Only a printed generic counts (in brackets, or a generic-only line): the ingredients of a
        rejected look-alike are exactly what must not be offered.
        """
        norm = normalize(text)
        printed = self._ingredients.printed(norm.generics) or self._ingredients.printed((norm.key,))
        wanted = query_strengths(norm.strengths)
        pool = [
            i
            for i in self._ingredients.holders.get(printed, [])
            if self.products[i].id not in exclude and (not wanted or wanted <= self._strengths[i])
        ]
        pool.sort(key=lambda i: (not self.products[i].cancelled, self.products[i].volume), reverse=True)
        label, strength = " + ".join(sorted(printed)), "/".join(f"{w:g}" for w in sorted(wanted))
        evidence = f"same ingredients ({label})" + (f" and strength {strength} mg" if wanted else "")
        return [Candidate(self.products[i], 0.0, False, evidence, label, "alternative") for i in pool[:limit]]
