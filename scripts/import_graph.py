"""The layers of rxlens/ and the imports between them: no module imports a layer above its own.

    python scripts/import_graph.py           # the layer table and every edge between units
    python scripts/import_graph.py --check   # only the imports that break the layering; exit 1 if any

A unit is a top-level module (`pipeline`) or a package (`extract`). A unit may import itself and
any unit of a lower layer; a unit of its own layer or a higher one is a violation. Every import
counts: inside functions (lazy loads) and under `TYPE_CHECKING` too, since each is a dependency.
tests/test_layers.py runs the same check.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "rxlens"

# Lowest first. The order follows the data: a photo is taken in (images), read (ocr), laid out
# in rows (layout) and matched against the catalog (extract), or read by the cloud (cloud) — two
# peers that must not import each other — then checked (validate); `run` and `pipeline` schedule
# the stages; evaluation, api and cli drive them.
LAYERS: list[tuple[str, ...]] = [
    ("rxlens", "errors", "textnorm", "data"),  # the version, the error tree, text folding, bundled files
    ("config", "result", "logs", "metrics", "institutions"),  # settings, wire shapes, logging, metrics
    ("vocab", "scheduling", "concurrency", "experiment", "ratelimit"),  # one grammar; how work runs
    ("db",),
    ("migrations", "images"),
    ("ocr",),
    ("layout", "catalog"),
    ("extract", "cloud"),  # OCR lines + catalog → a record; photos + catalog → a record (Gemini)
    ("validate", "plan"),  # a record checked; records → a daily plan (slots, last days, refills)
    ("services",),  # the long-lived parts, including the cloud client
    ("run",),  # one request around its stages: calls, engine and fallback, usage, metrics
    ("pipeline",),  # the stages and the schedule
    ("queue",),  # the pipeline as jobs: in-process, or on Celery workers (RabbitMQ, Redis)
    ("line",),  # the LINE channel: webhook events → jobs → Flex cards; reminders from plans
    ("evaluation",),
    ("api", "health"),  # the service; `rxlens doctor`'s checks (they read the generator's fonts)
    ("cli",),
    ("__main__",),
]
RANK = {unit: rank for rank, units in enumerate(LAYERS) for unit in units}


@dataclass(frozen=True)
class Edge:
    source: str  # module path, for the message
    line: int
    importer: str  # unit
    imported: str  # unit


def unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _module_name(path: Path, package: Path) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(dotted: str, package: Path) -> bool:
    base = package.parent.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _targets(node: ast.Import | ast.ImportFrom, here: str, is_package: bool, package: Path) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:  # relative: resolved against this module's package
        anchor = here.split(".")[: len(here.split(".")) - node.level + (1 if is_package else 0)]
        base = ".".join([*anchor, *([node.module] if node.module else [])])
    else:
        base = node.module or ""
    # `from rxlens import logs` imports the module rxlens.logs, not the package's __init__.
    named = [f"{base}.{alias.name}" for alias in node.names]
    return [n if _is_module(n, package) else base for n in named]


def edges(package: Path = PACKAGE) -> list[Edge]:
    """One edge per import statement and unit it reaches."""
    found: list[Edge] = []
    for path in sorted(package.rglob("*.py")):
        here, rel = _module_name(path, package), str(path.relative_to(package.parent))
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            targets = _targets(node, here, path.name == "__init__.py", package)
            reached = {unit(t) for t in targets if t == package.name or t.startswith(package.name + ".")}
            found += [Edge(rel, node.lineno, unit(here), u) for u in sorted(reached)]
    return found


def violations(found: list[Edge]) -> list[str]:
    """Each import of a unit that is not in a lower layer (or a unit the table does not place)."""
    out = []
    for e in found:
        if e.importer == e.imported:
            continue
        if e.importer not in RANK or e.imported not in RANK:
            missing = e.importer if e.importer not in RANK else e.imported
            out.append(f"{e.source}:{e.line}: unit {missing!r} has no layer in scripts/import_graph.py")
        elif RANK[e.imported] >= RANK[e.importer]:
            where = "its own layer" if RANK[e.imported] == RANK[e.importer] else "a layer above"
            out.append(f"{e.source}:{e.line}: {e.importer} imports {e.imported}, {where}")
    return out


def report(found: list[Edge]) -> str:
    lines = ["layer  units", "-----  -----"]
    lines += [f"L{rank:<5} {', '.join(units)}" for rank, units in enumerate(LAYERS)]
    pairs = Counter((e.importer, e.imported) for e in found if e.importer != e.imported)
    lines += ["", "edges between units (importer Ln → imported Lm: imports), top layer first", ""]
    order = sorted(pairs, key=lambda p: (-RANK.get(p[0], -1), -RANK.get(p[1], -1), p))
    for importer, imported in order:
        a, b = RANK.get(importer, "?"), RANK.get(imported, "?")
        mark = "" if isinstance(a, int) and isinstance(b, int) and b < a else "   <-- VIOLATION"
        lines.append(f"L{a:<2} {importer:<12} → L{b:<2} {imported:<12} {pairs[importer, imported]:>3}{mark}")
    bad = violations(found)
    lines += ["", f"{len(pairs)} edges, {len(bad)} imports of a layer at or above the importer's own"]
    return "\n".join(lines + bad)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--check", action="store_true", help="print only violations; exit 1 if any")
    args = parser.parse_args()
    found = edges()
    if args.check:
        bad = violations(found)
        print("\n".join(bad) or "no module imports a layer above its own")
        return 1 if bad else 0
    print(report(found))
    return 1 if violations(found) else 0


if __name__ == "__main__":
    sys.exit(main())
