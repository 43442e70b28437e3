"""Leave-brand-out: a brand missing from the catalog must not be accepted as another drug.

    python -m bench.leave_brand_out [--brands 300] [--seed 2026]

Picks brands at random among products with English names; for each, every product whose first
distinctive word is that brand is excluded from the index (at query time: `match(exclude=...)`),
and the product's printed English name is looked up, alone and with its generic appended in
brackets. An answer is wrong when it is accepted as a product whose ingredients differ.
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rxlens.catalog.bundled import read_bundle
from rxlens.catalog.evidence import same_ingredients
from rxlens.catalog.index import MatchIndex
from rxlens.catalog.keys import canonical
from rxlens.catalog.normalize import extract_strengths, fold, strip_decorations
from rxlens.catalog.records import Product
from rxlens.config import Settings


def brand_word(name: str) -> str:
    """The first word left when maker marks, brackets, forms and strengths are taken away."""
    rest, _ = extract_strengths(fold(name))
    words = [w for w in re.split(r"[^0-9A-Z\u3400-\u9fff]+", strip_decorations(rest)) if len(w) >= 2]
    return next((w for w in words if not w.isdigit()), "")


def ingredients(product: Product) -> frozenset[str]:
    return frozenset(c for i in product.ingredients if (c := canonical(i.name)))


@dataclass
class Outcome:
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)


def queries(product: Product) -> list[tuple[str, str]]:
    plain = [("name", product.name_en)]
    if not product.ingredients:
        return plain
    # As slips print it: the names without their own bracketed notes, each once.
    names = dict.fromkeys(re.sub(r"\s*\([^()]*\)", "", i.name).strip().title() for i in product.ingredients)
    generic = " + ".join(n for n in names if n)
    return [*plain, ("name (generic)", f"{product.name_en} ({generic})")]


def sample_brands(products: list[Product], count: int, seed: int) -> dict[str, list[Product]]:
    by_brand: dict[str, list[Product]] = defaultdict(list)
    for p in products:
        if p.name_en and (word := brand_word(p.name_en)):
            by_brand[word].append(p)
    names = sorted(by_brand)
    return {b: by_brand[b] for b in random.Random(seed).sample(names, min(count, len(names)))}


def run(index: MatchIndex, brands: dict[str, list[Product]], seed: int) -> Outcome:
    out, rng = Outcome(), random.Random(seed)
    for _brand, members in sorted(brands.items()):
        product = rng.choice(members)
        exclude = frozenset(p.id for p in members)
        for kind, text in queries(product):
            top = index.match(text, 1, exclude=exclude)
            if top and top[0].product.id in exclude:
                raise AssertionError(f"excluded product returned for {text!r}")
            accepted = top[0] if top and top[0].accepted else None
            if accepted is None:
                verdict = "not accepted"
            elif not ingredients(product) or not ingredients(accepted.product):
                verdict = "accepted, ingredients unknown"
            elif same_ingredients(ingredients(product), ingredients(accepted.product)):
                verdict = "accepted, same ingredients"
            else:
                verdict = "accepted, DIFFERENT ingredients"
                out.wrong.append(f"{text!r} -> {accepted.product.display_name!r} ({accepted.evidence})")
            out.counts[kind, verdict] += 1
    return out


def table(out: Outcome) -> str:
    kinds = sorted({k for k, _ in out.counts})
    verdicts = sorted({v for _, v in out.counts})
    rows = ["| query | " + " | ".join(verdicts) + " | wrong share |", "|---" * (len(verdicts) + 2) + "|"]
    for kind in kinds:
        total = sum(out.counts[kind, v] for v in verdicts)
        wrong = out.counts[kind, "accepted, DIFFERENT ingredients"]
        cells = " | ".join(str(out.counts[kind, v]) for v in verdicts)
        rows.append(f"| {kind} | {cells} | {wrong}/{total} = {wrong / max(total, 1):.1%} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--brands", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    bundle = read_bundle()
    index = MatchIndex(bundle.products, bundle.synonyms, bundle.version, Settings().catalog.match_threshold)
    start = time.perf_counter()
    out = run(index, sample_brands(bundle.products, args.brands, args.seed), args.seed)
    print(table(out))
    print(f"\n{args.brands} brands in {time.perf_counter() - start:.1f} s; wrong answers:")
    print("\n".join(out.wrong) or "(none)")


if __name__ == "__main__":
    main()
