"""The LINE channel end to end: a real `rxlens` service with the channel on, the real model and
line-bot-sdk, against the local server that speaks LINE's Messaging API (tests/line_server.py).

1. Time from the last photo's webhook to the answer LINE receives, 1 and 3 generated photos
   (3 sent as one imageSet, as a multi-photo send arrives), median and p95 of 10 each.
2. How answers went (reply token still good, or push) with 1, 4 and 16 users sending three photos
   at the same moment.

    .venv/bin/python -m bench.line [--runs 10] [--quiet 3.0]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rxlens.catalog.bundled import bundle_bytes, parse_bundle
from rxlens.config import Settings
from rxlens.services import Services, build_ocr, init_catalog
from tests.images import prescription
from tests.line_events import image_event, image_set_events, user_id, user_source
from tests.lineapp import Bot, bot


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


@contextmanager
def service(quiet: float) -> Iterator[Bot]:
    with tempfile.TemporaryDirectory() as tmp:
        base = Settings(data_dir=Path(tmp))
        seed = Services.open(base)
        init_catalog(seed)
        seed.close()
        ocr = build_ocr(base)
        ocr.warm_up()
        with bot(base, ocr, batch_quiet_seconds=quiet) as running:
            yield running


def photos(count: int) -> list[bytes]:
    products = parse_bundle(bundle_bytes()).products
    return [prescription(products, 500 + n, "bag", damaged=True)[1] for n in range(count)]


def send(b: Bot, user: str, batch: list[bytes]) -> None:
    tokens = [b.fake.issue_reply_token() for _ in batch]
    ids = [f"{abs(hash((user, n, time.monotonic_ns()))) % 10**18:018d}" for n in range(len(batch))]
    for message_id, data in zip(ids, batch, strict=True):
        b.fake.add_content(message_id, data)
    if len(batch) == 1:
        events = [image_event(message_id=ids[0], reply_token=tokens[0], source=user_source(user))]
    else:
        events = image_set_events(ids, tokens, source=user_source(user))
    for event in events:
        b.send(event)


def latency(b: Bot, batch: list[bytes], runs: int) -> list[float]:
    took = []
    for run in range(runs):
        before = len(b.fake.replies) + len(b.fake.pushes)
        send(b, user_id(f"latency-{len(batch)}-{run}"), batch)
        sent = time.monotonic()
        b.settle()
        answers = [c for c in b.fake.calls if c.path in ("/v2/bot/message/reply", "/v2/bot/message/push")]
        assert len(answers) == before + 1, "one answer per batch"
        took.append(answers[-1].at - sent)
    return took


def crowd(b: Bot, users: int, batch: list[bytes]) -> Counter[str]:
    start = len(b.line.channel.answered)
    threads = [
        threading.Thread(target=send, args=(b, user_id(f"crowd-{users}-{u}"), batch)) for u in range(users)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    b.settle(timeout=600)
    return Counter(via for via, _ in list(b.line.channel.answered)[start:])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--quiet", type=float, default=3.0, help="RXLENS_LINE__BATCH_QUIET_SECONDS")
    args = parser.parse_args()
    pool = photos(3)
    with service(args.quiet) as b:
        send(b, user_id("warm"), pool[:1])  # first analysis loads the index
        b.settle()
        print(f"## Last photo → answer (quiet window {args.quiet:g} s; median, p95 of {args.runs})\n")
        print("| photos | how they arrive | median s | p95 s |\n|---|---|---|---|")
        for n, how in ((1, "one photo (waits the quiet window)"), (3, "one send of three (imageSet)")):
            took = latency(b, pool[:n], args.runs)
            print(f"| {n} | {how} | {statistics.median(took):.2f} | {p95(took):.2f} |")
        print("\n## Answers by reply token or push (three photos per user, all at once)\n")
        print("| users | reply | push | over quota | seconds to the last answer |\n|---|---|---|---|---|")
        for users in (1, 4, 16):
            began = time.monotonic()
            ways = crowd(b, users, pool)
            spent = time.monotonic() - began
            print(f"| {users} | {ways['reply']} | {ways['push']} | {ways['over_quota']} | {spent:.1f} |")


if __name__ == "__main__":
    main()
