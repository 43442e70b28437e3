"""The dependency licence report: a table in NOTICE.md (`make notice`) and the check CI runs on it.

What the check refuses, and why (the list is deliberately short and textual, so it can fail):
- for every locked package (core, extras, dev tools): licences that forbid or restrict redistribution
  or use — AGPL / Affero, SSPL, Commons Clause, Business Source (BUSL), the Elastic License,
  non-commercial terms, "proprietary" — and UNKNOWN (a licence nobody read is a licence we cannot honour);
- for the core install only (what `pip install rxlens` pulls into someone else's product): strong
  copyleft GPL, which would bind every program built on rxlens. LGPL and MPL stay allowed (psycopg,
  certifi, tqdm): they are used unmodified as separate libraries.

Licences come from pip-licenses run in the current environment (the dev venv built from
requirements/dev.lock), so the report describes exactly the locked versions.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE_LOCK = ROOT / "requirements" / "core.lock"
DEV_LOCK = ROOT / "requirements" / "dev.lock"
BEGIN, END = "<!-- licences:begin (make notice) -->", "<!-- licences:end -->"

FORBIDDEN = re.compile(
    r"AGPL|Affero|SSPL|Server Side Public|Commons Clause|BUSL|Business Source|Elastic License"
    r"|Non-?Commercial|\bCC-BY-NC|Proprietary|UNKNOWN",
    re.IGNORECASE,
)
# \b keeps LGPL (and AGPL, refused above) out: "L" and "A" are word characters.
COPYLEFT = re.compile(r"\bGPL|GNU General Public|GNU GPL", re.IGNORECASE)


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    licence: str
    core: bool


def locked(lock: Path) -> set[str]:
    names = re.findall(r"^([A-Za-z0-9_.-]+)==", lock.read_text(encoding="utf-8"), re.MULTILINE)
    return {_key(n) for n in names}


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def refusal(licence: str, core: bool) -> str | None:
    """Why this licence may not ship, or None when it may."""
    if FORBIDDEN.search(licence):
        return "restricts redistribution or is unknown"
    if core and COPYLEFT.search(licence):
        return "strong copyleft in the core install"
    return None


def installed(names: set[str], core: set[str]) -> list[Package]:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "piplicenses",
            "--from=mixed",
            "--with-system",
            "--format=json",
            "--packages",
            *sorted(names),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rows = [
        Package(row["Name"], row["Version"], row["License"], _key(row["Name"]) in core)
        for row in json.loads(out)
    ]
    return sorted(rows, key=lambda p: (not p.core, p.name.lower()))


def report() -> list[Package]:
    core = locked(CORE_LOCK)
    return installed(locked(DEV_LOCK) | core, core)


def table(packages: list[Package]) -> str:
    lines = ["| Package | Version | Licence | Installed by |", "|---|---|---|---|"]
    for p in packages:
        where = "core" if p.core else "an extra or dev"
        lines.append(f"| {p.name} | {p.version} | {p.licence.replace('|', '/')} | {where} |")
    return "\n".join(lines)


def write_notice(notice: Path, packages: list[Package]) -> None:
    text = notice.read_text(encoding="utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    notice.write_text(f"{head}{BEGIN}\n{table(packages)}\n{END}{tail}", encoding="utf-8")


def main() -> int:
    packages = report()
    write_notice(ROOT / "NOTICE.md", packages)
    bad = [(p, why) for p in packages if (why := refusal(p.licence, p.core))]
    for p, why in bad:
        print(f"refused: {p.name} {p.version} ({p.licence}): {why}", file=sys.stderr)
    print(f"NOTICE.md: {len(packages)} packages, {len(bad)} refused")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
