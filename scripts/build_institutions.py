"""Regenerate rxlens/data/institutions.json.gz from the NHI registers in ../shared/data/institutions.

    python scripts/build_institutions.py [RAW_DIR]

Keeps code → name for institutions that print slips and drug bags (medical centres, hospitals,
clinics, pharmacies) still contracted in the 2015 register, plus the 2020 pharmacy list, which
is newer and wins where both name a code. Data: OGDL-TW v1.0, 衛生福利部中央健康保險署 (NOTICE.md).
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "rxlens" / "data" / "institutions.json.gz"
RAW = ROOT.parent / "shared" / "data" / "institutions"

# 特約類別: 1 醫學中心, 2 區域醫院, 3 地區醫院, 4 診所, 5 藥局 — the others (labs, home care,
# midwives) do not prescribe or dispense.
_PRINTING_CLASSES = {"1", "2", "3", "4", "5"}
_CODE = re.compile(r"\d{10}")


def _register(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return {
            row["醫事機構代碼"].strip(): row["醫事機構名稱"].strip()
            for row in csv.DictReader(f)
            if not row["終止合約或歇業日期"].strip() and row["特約類別"].strip() in _PRINTING_CLASSES
        }


def _pharmacies(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return {row["醫事機構代碼"].strip(): row["醫事機構名稱"].strip() for row in csv.DictReader(f)}


def build(raw: Path) -> dict[str, str]:
    names = _register(raw / "nhi_contracted_institutions_2015.csv")
    names.update(_pharmacies(raw / "nhi_pharmacies_2020.csv"))
    return {code: name for code, name in sorted(names.items()) if _CODE.fullmatch(code) and name}


def main() -> None:
    raw = Path(sys.argv[1]) if len(sys.argv) > 1 else RAW
    names = build(raw)
    payload = {
        "source": "NHI 健保特約醫事機構名冊 (2015, still contracted) + 健保特約藥局 (2020)",
        "licence": "OGDL-TW v1.0, 衛生福利部中央健康保險署",
        "names": names,
    }
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # mtime=0: the same input gives the same bytes, so rebuilding does not churn git.
    OUT.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    print(f"{len(names)} institutions → {OUT} ({OUT.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
