"""Fuzz intake for a long run: mutated JPEG, PNG, WebP and HEIC files through load_photo.

    python -m bench.fuzz_intake --inputs 100000 [--seed 1] [--minutes 20]

Each input is made from (seed, number) alone, so any finding is replayed with `--replay N`.
One worker process (the machine is shared); a worker that dies (a crash inside a C decoder) is
counted and replaced. Prints inputs tried, outcomes by class, anything that is not an RxlensError
with a 4xx status (must be 0), and the worker's peak RSS.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from rxlens.config import IntakeSettings
from rxlens.errors import RxlensError
from rxlens.evaluation.corrupt import random_input
from rxlens.images.intake import Upload, load_photo

CHUNK = 250


def outcome(seed: int, number: int) -> str:
    fmt, data = random_input(random.Random(seed * 1_000_003 + number))
    try:
        load_photo(0, Upload(f"fuzz.{fmt.lower()}", data), IntakeSettings())
    except RxlensError as error:
        return f"{type(error).__name__} {error.status}" if 400 <= error.status < 500 else f"BAD {error!r}"
    except BaseException as exc:  # exactly what this bench hunts for
        return f"BAD {type(exc).__name__}: {str(exc)[:80]}"
    return "Photo"


def run_chunk(seed: int, start: int, count: int) -> tuple[Counter[str], list[int], int]:
    outcomes: Counter[str] = Counter()
    bad: list[int] = []
    for number in range(start, start + count):
        result = outcome(seed, number)
        outcomes[result.split(":")[0] if result.startswith("BAD") else result] += 1
        if result.startswith("BAD"):
            bad.append(number)
    return outcomes, bad, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def fuzz(inputs: int, seed: int, minutes: float) -> tuple[int, Counter[str], list[int], int]:
    totals: Counter[str] = Counter()
    bad: list[int] = []
    tried, peak, deadline = 0, 0, time.monotonic() + minutes * 60
    pool = ProcessPoolExecutor(max_workers=1)
    while tried < inputs and time.monotonic() < deadline:
        count = min(CHUNK, inputs - tried)
        try:
            outcomes, found, rss = pool.submit(run_chunk, seed, tried, count).result()
        except BrokenProcessPool:  # a decoder crashed the worker: count the whole chunk, go on
            totals["WORKER CRASH (chunk)"] += 1
            bad.append(tried)
            pool = ProcessPoolExecutor(max_workers=1)
        else:
            totals.update(outcomes)
            bad.extend(found)
            peak = max(peak, rss)
        tried += count
    pool.shutdown()
    return tried, totals, bad, peak


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--minutes", type=float, default=60.0, help="stop early after this long")
    parser.add_argument("--replay", type=int, help="run one input in this process and print its outcome")
    args = parser.parse_args()
    if args.replay is not None:
        print(outcome(args.seed, args.replay))
        return
    started = time.monotonic()
    tried, totals, bad, peak = fuzz(args.inputs, args.seed, args.minutes)
    print(f"{'outcome':<32} {'inputs':>8}")
    for name, count in totals.most_common():
        print(f"{name:<32} {count:>8}")
    print(f"{'inputs tried':<32} {tried:>8}")
    wrong = sum(v for k, v in totals.items() if "BAD" in k or "CRASH" in k)
    print(f"{'non-rxlens exceptions / crashes':<32} {wrong:>8}")
    print(f"{'worker peak RSS (MB)':<32} {peak:>8}")
    print(f"{'seconds':<32} {time.monotonic() - started:>8.0f}")
    if bad:
        print("replay with --seed", args.seed, "--replay N for N in", bad[:20])


if __name__ == "__main__":
    main()
