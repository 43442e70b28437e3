"""Regenerate rxlens/data/catalog.json.gz from the raw open-data files in ../shared/data/drugs.

    python scripts/build_catalog.py [RAW_DIR]

Every valid TFDA licence (dataset 37: English name, form, ingredients) with the Chinese names and
appearance of dataset 42, joined to the NHI claims of 2022–2024 (codes, ingredients with strength,
form, prescribing volume) by the licence rule in rxlens.catalog.licences; adds the full licence
records (indications, ATC, cancellation) and English synonyms, and prints how well the rule held.
NHI codes that resolve to no licence stay products known by their ingredients only.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

from rxlens.catalog.claims import apply_claims, by_licence, nhi_only_product, read_claims
from rxlens.catalog.index import MatchIndex
from rxlens.catalog.licences import licence_key, nhi_licence_key
from rxlens.catalog.normalize import normalize
from rxlens.catalog.records import Ingredient, Product, Synonym
from rxlens.config import Settings

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "rxlens" / "data" / "catalog.json.gz"


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _appearance(item: dict[str, Any]) -> dict[str, Any]:
    keys = {"shape": "shape", "color": "color", "score_mark": "score", "size": "size_mm"}
    out: dict[str, Any] = {new: item[old] for old, new in keys.items() if item.get(old)}
    marks = [m for m in (item.get("mark1"), item.get("mark2")) if m]
    if marks:
        out["imprint"] = marks
    images = [i["src"] for i in item.get("imgs") or [] if i.get("src")]
    if images:
        out["image_url"] = images[0]
    return out


def load_appearance(raw: Path) -> dict[str, Product]:
    exact = {
        r["許可證字號"]: r for r in json.loads((raw / "tfda_opendata42_drug_appearance.json").read_text())
    }
    newer = json.loads((raw / "tfda_opendata42_appearance_normalized_pilldetective.json").read_text())
    products: dict[str, Product] = {}
    for item in newer["items"]:
        old = exact.get(item["id"], {})
        products[item["id"]] = Product(
            id=item["id"],
            name_zh=(old.get("中文品名") or item.get("zh") or "").strip(),
            name_en=(old.get("英文品名") or item.get("en") or "").strip(),
            appearance=_appearance(item),
            source="tfda42",
        )
    for lic, old in exact.items():
        products.setdefault(
            lic,
            Product(
                id=lic,
                name_zh=(old["中文品名"] or "").strip(),
                name_en=(old["英文品名"] or "").strip(),
                source="tfda42",
            ),
        )
    return products


def load_licences_en(raw: Path) -> dict[str, Product]:
    """TFDA dataset 37: every licence not cancelled, English name, form and ingredient names.

    The file has a row per manufacturer; after its column cut those rows are identical, so the
    first row of a licence stands for it.
    """
    products: dict[str, Product] = {}
    with (raw / "tfda_opendata37_licences_en.csv").open(encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            lic = row["license_id"].strip()
            if lic and lic not in products:
                names = [n.strip() for n in row["ingredient"].split(";;") if n.strip()]
                products[lic] = Product(
                    id=lic,
                    name_en=row["tw_product"].strip(),
                    dosage_form=row["form"].strip(),
                    ingredients=[Ingredient(name=n) for n in names],
                    source="tfda37",
                )
    return products


def join_licences(products: dict[str, Product], licences: dict[str, Product]) -> None:
    """Dataset 37 adds every valid licence; dataset 42 keeps its Chinese name and appearance."""
    for lic, record in licences.items():
        known = products.get(lic)
        products[lic] = record if known is None else record.merged_with(known)


def join_claims(products: dict[str, Product], raw: Path) -> None:
    paths = sorted(raw.glob("nhi_drug_claims_volume_20*.csv"))
    grouped, unkeyed = by_licence(read_claims(paths))
    loose = [[c] for c in unkeyed]
    by_key: dict[tuple[str, str], Product] = {}
    for p in sorted(products.values(), key=lambda p: p.id):
        key = licence_key(p.id)
        if key:
            by_key.setdefault(key, p)  # 衛署 and 衛部 share one serial series
    for key, claims in grouped.items():
        if key in by_key:
            apply_claims(by_key[key], claims)
        else:  # a licence we do not know (cancelled, or 罕藥): one product for its codes
            loose.append(claims)
    for claims in loose:
        extra = nhi_only_product(claims)
        products[extra.id] = extra
    report_resolution(paths[-1], by_key)


def report_resolution(path: Path, by_key: dict[tuple[str, str], Product]) -> None:
    """How many A/B codes of the newest year resolve to a licence (PROVENANCE says 86.5% for 2024)."""
    codes = [c for c in read_claims([path]) if c[:1] in ("A", "B")]
    resolved = sum(nhi_licence_key(c) in by_key for c in codes)
    share = resolved / max(len(codes), 1)
    print(f"{path.name}: {resolved}/{len(codes)} A/B codes resolve to a licence ({share:.1%})")


def rule_agreement(products: dict[str, Product]) -> tuple[int, int]:
    """Joined products whose name prints a strength: how many agree with the NHI strength."""
    agree = total = 0
    for p in products.values():
        printed = {
            round(s.value, 3) for s in normalize(p.name_en + " " + p.name_zh).strengths if s.unit == "MG"
        }
        claimed = {round(i.strength, 3) for i in p.ingredients if i.strength and i.unit == "MG"}
        if p.source != "nhi" and p.nhi_codes and printed and claimed:
            total += 1
            agree += bool(printed & claimed)
    return agree, total


def apply_licence_record(products: dict[str, Product], rec: dict[str, Any]) -> None:
    kinds = {"01": "衛署藥製", "02": "衛署藥輸"}
    lic = rec.get("licid", "")
    candidates = [
        p for p in products.values() if licence_key(p.id) == (("A" if lic[:2] == "01" else "B"), lic[2:])
    ]
    target = candidates[0] if candidates else Product(id=f"{kinds.get(lic[:2], '')}字第{lic[2:]}號")
    units = {"001": "MG"}
    extra = Product(
        id=target.id,
        name_zh=rec.get("prodNameC") or "",
        name_en=rec.get("prodNameE") or "",
        main_use="；".join(rec.get("indicationsName") or []),
        atc=next((a["atcCode"] for a in rec.get("atcList") or [] if a.get("isMain") == "1"), ""),
        cancelled=rec.get("cancelStatus") not in (None, "", "0"),
        ingredients=[
            Ingredient(
                name=i["ingredientsDesc"],
                strength=float(i["concent"]) if i.get("concent") else None,
                unit=units.get(i.get("concentUnit", ""), ""),
            )
            for i in rec.get("ingredientsDtoList") or []
        ],
        source=target.source or "tfda-licence",
    )
    products[target.id] = target.merged_with(extra)


def apply_samples(raw: Path, products: dict[str, Product]) -> None:
    for name in ("tfda_lmspiq_license_samples.jsonl", "tfda_lmspiq_license_samples_2.jsonl"):
        for rec in _jsonl(raw / name):
            if rec.get("licid"):
                apply_licence_record(products, rec)
    for rec in _jsonl(raw / "tfda_license_archive2018_sample.jsonl"):
        lic = rec["許可證字號"]
        p = Product(
            id=lic,
            name_zh=rec["中文品名"],
            name_en=rec["英文品名"],
            main_use=rec.get("適應症", ""),
            dosage_form=re.sub(r"^\d+", "", rec.get("劑型", "")),
            source="tfda-licence",
        )
        products[lic] = products[lic].merged_with(p) if lic in products else p
    for rec in _jsonl(raw / "nhi_drug_rules_product_samples.jsonl"):
        lic = rec["licence_no"]
        p = Product(
            id=lic,
            name_zh=rec["name_zh"],
            name_en=rec["name_en"],
            main_use=rec.get("indication", ""),
            atc=rec.get("atc", ""),
            dosage_form=rec.get("form", ""),
            source="nhi-rules",
        )
        products[lic] = products[lic].merged_with(p) if lic in products else p


def load_synonyms(raw: Path, ingredients: set[str]) -> list[Synonym]:
    out: list[Synonym] = []
    with gzip.open(raw / "drug_ner_dictionary_export.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            canonical = rec["canonical"].upper()
            if canonical not in ingredients:
                continue
            for variant in rec.get("variants") or []:
                text = variant.upper()
                if text != canonical and len(text) >= 4 and not re.search(r"\d{2}", text):
                    out.append(Synonym(text=text, ingredient=canonical, source="drugbank-ner"))
    return out


def build(raw: Path) -> dict[str, Any]:
    products = load_appearance(raw)
    join_licences(products, load_licences_en(raw))
    apply_samples(raw, products)  # before the NHI join, so sampled licences get their codes too
    join_claims(products, raw)
    agree, total = rule_agreement(products)
    ingredient_names = {i.name for p in products.values() for i in p.ingredients}
    synonyms = load_synonyms(raw, ingredient_names)
    joined = sum(1 for p in products.values() if p.source != "nhi" and p.nhi_codes)
    named = sum(bool(p.name_zh or p.name_en) for p in products.values())
    print(
        f"products {len(products)} (named {named},"
        f" joined to NHI {joined}), synonyms {len(synonyms)}; licence rule agrees on strength "
        f"{agree}/{total} = {agree / max(total, 1):.1%}"
    )
    body = {
        "products": [
            p.model_dump(exclude_defaults=True) for p in sorted(products.values(), key=lambda p: p.id)
        ],
        "synonyms": [[s.text, s.ingredient] for s in synonyms],
    }
    digest = hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]
    return {"version": f"bundled-{digest}", "sources": sorted(p.name for p in raw.iterdir()), **body}


def realdev_coverage(raw: Path, data: dict[str, Any]) -> None:
    """How many drugs printed on the real dev slips the new catalog accepts a match for.

    The slips' truth files are read where they lie (../realdev next to the raw data); nothing
    from them is copied into the package.
    """
    truths = sorted((raw.parent.parent / "realdev" / "truth").glob("*.json"))
    if not truths:
        return
    products = [Product.model_validate(p) for p in data["products"]]
    synonyms = [Synonym(text=t, ingredient=i) for t, i in data["synonyms"]]
    index = MatchIndex(products, synonyms, data["version"], Settings().catalog.match_threshold)
    found = total = 0
    for path in truths:
        for med in json.loads(path.read_text(encoding="utf-8"))["medications"]:
            names = [n for n in (med.get("name_en"), med.get("name_zh")) if n]
            total += 1
            found += any((top := index.match(n, 1)) and top[0].accepted for n in names)
    print(f"real dev slips: {found}/{total} printed drugs have an accepted catalog match")


def main() -> None:
    raw = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "drugs"
    data = build(raw)
    realdev_coverage(raw, data)
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    OUT.write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
