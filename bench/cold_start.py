"""`rxlens analyze examples/bag-1.jpg --json` from process start, before and after the fast start.

Arms, run interleaved (one round runs each arm once) because the machine is shared:
  before    the code at --before (default /work/main), i.e. the main branch as merged
  no-cache  this checkout with RXLENS_CATALOG__INDEX_CACHE=false (every process builds the index)
  after     this checkout, loading the saved index
Each arm has its own data dir and one warm-up run first (it imports the catalog and writes the
index file). Each run is a fresh process running the CLI's own `main()` behind a small driver
that wraps the same five functions in every arm to time them: import of the CLI, the bundle
check (init_catalog), the index (Catalog._build: load or build), the OCR model (construction and
warm-up) and OCR itself (LocalOcr.read). The index and the OCR stage run in parallel threads, so
the parts overlap and do not add up to the wall time.

    PYTHONPATH=. .venv/bin/python bench/cold_start.py --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
PARTS = ("import", "bundle check", "index", "model load", "ocr")
DRIVER = r"""
import json, sys, threading, time
start = time.time()
import rxlens.cli.main as cli
spent = {"import": time.time() - start}
lock = threading.Lock()

def timed(owner, name, part):
    inner = getattr(owner, name)
    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            with lock:
                spent[part] = spent.get(part, 0.0) + time.perf_counter() - t
    setattr(owner, name, wrapper)

import rxlens.cli.shared, rxlens.catalog.service, rxlens.ocr.local
timed(rxlens.cli.shared, "init_catalog", "bundle check")
timed(rxlens.catalog.service.Catalog, "_build", "index")
timed(rxlens.ocr.local.LocalOcr, "__init__", "model load")
timed(rxlens.ocr.local.LocalOcr, "warm_up", "model load")
timed(rxlens.ocr.local.LocalOcr, "read", "ocr")
sys.argv = ["rxlens", *sys.argv[1:]]
try:
    cli.main()
finally:
    with open(TRACE, "w") as f:
        json.dump(spent, f)
"""


def run_once(code: Path, data_dir: Path, env_extra: dict[str, str], photo: Path) -> dict[str, float]:
    trace = data_dir / "trace.json"
    env = os.environ | env_extra | {"PYTHONPATH": str(code), "RXLENS_DATA_DIR": str(data_dir)}
    driver = DRIVER.replace("TRACE", repr(str(trace)))
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", driver, "analyze", str(photo), "--json"],
        env=env,
        capture_output=True,
        cwd=code,
        check=False,
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{code}: exit {done.returncode}\n{done.stderr.decode()[-2000:]}")
    record = json.loads(done.stdout)
    if not record["medications"]:
        raise SystemExit(f"{code}: no medication read: {record.get('warnings')}")
    spent = json.loads(trace.read_text())
    return {"wall": wall, **spent, "matched": float(bool(record["medications"][0].get("matched_drug_id")))}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * len(ordered) + 0.5) - 1)]


def table(results: dict[str, list[dict[str, float]]]) -> str:
    head = f"| arm | median wall s | p95 wall s | {' | '.join(PARTS)} | matched |"
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for arm, runs in results.items():
        wall = statistics.median(r["wall"] for r in runs)
        cells = []
        for part in PARTS:
            ms = statistics.median(r.get(part, 0.0) for r in runs)
            cells.append(f"{ms:.2f} s ({100 * ms / wall:.0f}%)")
        matched = sum(r["matched"] for r in runs)
        lines.append(
            f"| {arm} | {wall:.2f} | {p95([r['wall'] for r in runs]):.2f} | {' | '.join(cells)} | "
            f"{matched:.0f}/{len(runs)} |"
        )
    return "\n".join(lines)


def main() -> None:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", type=Path, default=Path("/work/main"))
    parser.add_argument("--photo", type=Path, default=HERE / "examples" / "bag-1.jpg")
    args = parser.parse_args()
    arms = {
        "before (main)": (args.before, {}),
        "no-cache": (HERE, {"RXLENS_CATALOG__INDEX_CACHE": "false"}),
        "after": (HERE, {}),
    }
    results: dict[str, list[dict[str, float]]] = {arm: [] for arm in arms}
    with tempfile.TemporaryDirectory() as tmp:
        dirs = {arm: Path(tmp) / str(n) for n, arm in enumerate(arms)}
        for arm, (code, env) in arms.items():  # warm-up: imports the catalog, writes the index
            dirs[arm].mkdir()
            run_once(code, dirs[arm], env, args.photo.resolve())
        for n in range(args.runs):
            for arm, (code, env) in arms.items():
                results[arm].append(run_once(code, dirs[arm], env, args.photo.resolve()))
                print(f"round {n + 1} {arm}: {results[arm][-1]['wall']:.2f} s", file=sys.stderr)
    print(f"{args.runs} runs per arm, {os.cpu_count()} cores, {os.getloadavg()[0]:.1f} load at the end\n")
    print(table(results))


if __name__ == "__main__":
    main()
