"""How one printed line is read against the catalog: the pieces it is looked up by, and how
alike its whole wording is to a product's name (which orders products one key names alike)."""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from rxlens.catalog.normalize import CJK_RE, MAKER_RE, QUOTE_RE, STRENGTH_RE, fold, has_cjk
from rxlens.catalog.records import Product

# A line splits into its Chinese and Latin runs; a Chinese run keeps its strength and brackets.
_SEGMENT_RE = re.compile(r"[\u3400-\u9fff][\u3400-\u9fff\d.\s/()（）]*|[^\u3400-\u9fff]+")
_NOT_ZH_RE = re.compile(r"[^0-9\u3400-\u9fff]+")
_NOT_LATIN_RE = re.compile(r"[^0-9A-Z]+")
_BRACKETS_RE = re.compile(r"\([^()]*\)")
_CLOSING_RE = re.compile(r"[)\"”〞]")
# Where a Chinese name without a strength ends when more follows after a space (`伏筋寧膠囊 賣要`,
# `克風欣錠(秋水仙鹼) 調削章`: a stamp or the next cell read into the line).
_ZH_END_RE = re.compile(r"(?:錠|膠囊|顆粒|散|糖漿|液|軟膏|乳膏|凝膠|栓劑|貼片|[)）])(?=\s+\S)")
_PER_VOLUME_RE = re.compile(r"\s*/\s*(?:毫升|公撮|ML)")
# What may follow a Latin name's closing mark and still be dropped: the next cell's `1 TAB` read
# as `ITAB`, a tick. Not words or strengths, which may be part of the name (`(DIOVAN) HCT 80/12.5`).
_NOISE_TAIL_RE = re.compile(r"[\W_]*[A-Z0-9#*]{0,5}[\W_]*")


def segments(text: str) -> list[str]:
    """The pieces a line is looked up by: its script runs, the head of each name run, the whole
    line, and the line without quote marks."""
    parts = [p for m in _SEGMENT_RE.finditer(text) if (p := m.group(0).strip())]
    whole = [text] if len(parts) > 1 else []
    # With its quote marks gone, a Chinese maker glued to the name meets the glued key too
    # (`瑞士”紅微素膠囊`: one misread character is within reach of 瑞士紅黴素, not of 紅黴素).
    unquoted = [bare] if (bare := QUOTE_RE.sub("", text)) != text and CJK_RE.search(text) else []
    return parts + _heads(parts) + whole + unquoted


def _heads(parts: list[str]) -> list[str]:
    """A Chinese name ends at its strength (`勝維他糖衣錠１００毫克`), a Latin one at its closing
    maker mark or generic (`WEIMOK … "WEIDAR" (FAMOTIDINE)`); what a row prints after that (the
    next cell glued on by OCR, a stamp's name) is read apart, so the head alone can still meet the
    catalog name exactly."""
    heads = []
    for part in parts:
        end = _chinese_head(part) if CJK_RE.match(part) else _latin_head(part)
        if 0 < end < len(part.rstrip()):
            heads.append(part[:end].strip())
    return heads


def _chinese_head(part: str) -> int:
    folded = fold(part)  # NFKC keeps the length of these characters, so offsets carry over
    found = STRENGTH_RE.search(folded)
    if not found:  # no strength: the name ends at its form word or generic, before a gap
        ended = _ZH_END_RE.search(folded)
        return ended.end() if ended else 0
    per = _PER_VOLUME_RE.match(folded, found.end())  # 20毫克/毫升: the strength goes on
    return per.end() if per else found.end()


def _latin_head(part: str) -> int:
    closing = [m.end() for m in _CLOSING_RE.finditer(part)]
    if not closing or not _NOISE_TAIL_RE.fullmatch(part[closing[-1] :].upper()):
        return 0
    return closing[-1]


def closeness(text: str, product: Product) -> float:
    """How alike the printed words and the product's name are, maker mark and form words
    included: among products one key names alike (葉酸 is dozens of licences), `“應元”葉酸錠` is
    the 應元 one, `諾快寧口溶錠` the dispersible one, and `ALLERMIN TABLETS` the licence of that
    name rather than `ALLERMIN TABLETS 4MG`. Whole tenths, so it orders only what the printed
    words really tell apart; a name printed letter for letter is a step above one a letter off
    (`GINKGO S.C. TABLETS` is the sugar-coated licence, not its F.C. sibling)."""
    folded, scores = fold(text), [0.0]
    if product.name_zh and has_cjk(text):
        printed = _NOT_ZH_RE.sub("", folded)
        # With and without its maker mark: labels print the mark or leave it out.
        named = {_NOT_ZH_RE.sub("", fold(n)) for n in (product.name_zh, MAKER_RE.sub("", product.name_zh))}
        scores += [Levenshtein.normalized_similarity(printed, n) for n in named]
    latin = _NOT_LATIN_RE.sub("", CJK_RE.sub("", folded))
    if product.name_en and len(re.sub(r"[^A-Z]", "", latin)) >= 3:  # `100` of `…100毫克` is no name
        # With and without its maker mark and bracketed generic, which labels leave out.
        name = fold(product.name_en)
        bare = _BRACKETS_RE.sub("", MAKER_RE.sub("", name))
        scores += [Levenshtein.normalized_similarity(latin, _NOT_LATIN_RE.sub("", n)) for n in (name, bare)]
    best = max(scores)
    return round(best, 1) + (0.01 if best == 1.0 else 0.0)
