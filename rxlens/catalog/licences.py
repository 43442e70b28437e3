"""TFDA licence numbers and NHI drug codes, and the rule that links them.

An NHI code encodes the licence: for `A` (藥製) and `B` (藥輸) codes, characters 3–7 are the
six-digit licence serial without its leading zero (`AC476561G0` → 047656, `A029828100` → 029828);
the second character changes over time and says nothing about the licence. `N` → 內衛藥製 and
`V`/`Y` → rare-disease (罕藥) licences carry the serial in characters 2–7. The 衛署/衛部 prefixes
share one number series, so the number and the kind letter identify a licence.
scripts/build_catalog.py measures how many codes resolve and how often the strengths agree.
"""

from __future__ import annotations

import re

_LICENCE_RE = re.compile(r"(衛署|衛部|內衛)(罕)?(藥|成|菌疫)(製|輸)字第\s*([0-9A-Z]+)\s*號")


def licence_key(licence_no: str) -> tuple[str, str] | None:
    """`衛署藥製字第048997號` → ("A", "048997")."""
    match = _LICENCE_RE.search(licence_no)
    if not match:
        return None
    issuer, rare, kind, origin, number = match.groups()
    if rare:
        letter = "V"
    elif issuer == "內衛":
        letter = "N"
    elif kind != "藥":
        return None
    else:
        letter = "A" if origin == "製" else "B"
    return letter, number


def nhi_licence_key(code: str) -> tuple[str, str] | None:
    """`AC476561G0` → ("A", "047656"); None for codes that do not follow the rule."""
    code = code.strip().upper()
    if len(code) < 7 or code[0] not in "ABNVY":
        return None
    letter = "V" if code[0] in "VY" else code[0]
    if letter in "AB":
        return (letter, "0" + code[2:7]) if code[2:7].isdigit() else None
    return (letter, code[1:7]) if code[1:7].isdigit() else None
