"""Reminders at accelerated time: a clock the test moves, two schedulers on one database (each
with its own engine and connections, as two processes have), on every database backend."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from rxlens.config import Settings
from rxlens.db.models import LineReminderRow, LineUserRow
from rxlens.line.api import text
from rxlens.line.open import Line, open_line
from rxlens.line.reminders import LEASE_SECONDS, items, retry_key
from rxlens.plan import build_plan
from rxlens.queue.open import open_jobs
from rxlens.result import AnalysisResult, Medication
from rxlens.services import Services
from rxlens.vocab.frequency import parse, to_out
from tests.line_events import user_id
from tests.line_server import Clock, LineServer, line_server
from tests.lineapp import line_settings

TAIPEI = ZoneInfo("Asia/Taipei")
VISIT = dt.date(2026, 12, 1)
ALICE, BOB = user_id("alice"), user_id("bob")


def med(name: str, code: str) -> Medication:
    f = parse(code)
    assert f is not None
    return Medication(
        drug_name_zh=name, frequency=to_out(f), frequency_text=code, dose_quantity=1, dose_unit="TAB", days=7
    )


THREE = AnalysisResult(
    visit_date=VISIT.isoformat(), medications=[med("甲錠", "TIDPC"), med("乙錠", "QD"), med("丙錠", "HS")]
)


Two = tuple[LineServer, Clock, list[Services]]


@pytest.fixture
def two(db_settings: Settings) -> Iterator[Two]:
    """Two services (two engines, two connection pools) on one database: two processes' worth."""
    clock = Clock(dt.datetime.combine(VISIT, dt.time(0, 0), TAIPEI).timestamp())
    with line_server(clock=clock) as fake:
        settings = line_settings(db_settings, fake)
        opened = [Services.open(settings) for _ in range(2)]
        yield fake, clock, opened
        for s in opened:
            s.close()


def channels(opened: list[Services], clock: Clock) -> list[Line]:
    """Built inside the event loop, as the service's lifespan builds them (aiohttp needs a loop)."""
    return [open_line(s, open_jobs(s), clock) for s in opened]


async def closed(lines: list[Line]) -> None:
    for line in lines:
        await line.channel.close()


def schedule(line: Line, user: str, now: float) -> int:
    store = line.channel.store
    key = store.remember_user(user, now)
    record_id = store.save_record(key, THREE, now + 86400)
    return store.add_reminders(key, record_id, items(build_plan([THREE]), now))


async def run(lines: list[Line], clock: Clock, hours: float, step: float = 900) -> None:
    for _ in range(int(hours * 3600 / step)):
        clock.advance(step)
        await asyncio.gather(*(line.reminders.run_once() for line in lines))


def test_seven_days_of_reminders_at_their_slots_never_twice(two: Two) -> None:
    fake, clock, opened = two

    async def week() -> None:
        lines = channels(opened, clock)
        assert schedule(lines[0], ALICE, clock()) == 4 * 7  # breakfast, lunch, dinner, bedtime × 7 days
        await run(lines, clock, 8 * 24)
        await closed(lines)

    asyncio.run(week())
    pushes = [c for c in fake.calls if c.path == "/v2/bot/message/push"]
    assert len(fake.pushes) == len(pushes) == 28, "each reminder pushed once, by one of the two"
    assert len({c.headers["x-line-retry-key"] for c in pushes}) == 28
    said: Counter[str] = Counter()
    for call in pushes:
        local = dt.datetime.fromtimestamp(call.at, TAIPEI)
        text = call.body["messages"][0]["text"]
        slot = text.split("：")[0].removeprefix("服藥提醒 ")
        due = dt.datetime.combine(local.date(), dt.time.fromisoformat(slot[-6:-1]), TAIPEI)
        assert dt.timedelta(0) <= local - due < dt.timedelta(minutes=15), (text, local)  # within one tick
        said[slot[:3]] += 1
        expected = {
            "早餐後": "甲錠 1 錠、乙錠 1 錠",
            "午餐後": "甲錠 1 錠",
            "晚餐後": "甲錠 1 錠",
            "睡前（": "丙錠 1 錠",
        }
        assert text.endswith(expected[slot[:3]]), text
    assert said == Counter({"早餐後": 7, "午餐後": 7, "晚餐後": 7, "睡前（": 7})
    assert {p["to"] for p in fake.pushes} == {ALICE}
    days = {dt.datetime.fromtimestamp(c.at, TAIPEI).date() for c in pushes}
    assert days == {VISIT + dt.timedelta(days=n) for n in range(7)}


def test_none_after_an_unfollow(two: Two) -> None:
    fake, clock, opened = two

    async def two_days_then_unfollow() -> None:
        lines = channels(opened, clock)
        schedule(lines[0], BOB, clock())
        await run(lines, clock, 48)
        lines[1].channel.store.delete_user(lines[1].channel.store.user_key(BOB))  # as the unfollow event does
        await run(lines, clock, 6 * 24)
        await closed(lines)

    asyncio.run(two_days_then_unfollow())
    last = max(c.at for c in fake.calls if c.path == "/v2/bot/message/push")
    assert len(fake.pushes) == 8  # two days of four slots, then nothing
    assert dt.datetime.fromtimestamp(last, TAIPEI).date() == VISIT + dt.timedelta(days=1)


def test_a_push_retried_after_a_crash_is_delivered_once(two: Two) -> None:
    fake, clock, opened = two
    keys: list[str] = []

    async def crash_then_recover() -> None:
        lines = channels(opened, clock)
        schedule(lines[0], ALICE, clock())
        clock.advance(9 * 3600)  # past breakfast
        store = lines[0].channel.store
        due = store.claim_due(clock(), LEASE_SECONDS)[0]
        keys.append(retry_key(due))
        user = store.user_id(due.user_key)
        assert user is not None
        # the first process pushes, then dies before marking the row sent …
        await lines[0].channel.api.push(user, [text(due.text)], retry_key(due))
        # … its lease runs out, and the other process pushes the row again with the same key
        clock.advance(LEASE_SECONDS + 1)
        await lines[1].reminders.run_once()
        await closed(lines)

    asyncio.run(crash_then_recover())
    pushes = [c for c in fake.calls if c.path == "/v2/bot/message/push"]
    same = [c for c in pushes if c.headers["x-line-retry-key"] == keys[0]]
    assert [c.status for c in same] == [200, 409]
    assert len(fake.pushes) == len({c.headers["x-line-retry-key"] for c in pushes})  # each delivered once


def test_pushes_counted_at_once_never_pass_the_quota(two: Two) -> None:
    """Two processes' pushes counted together at the start of a month: each counted once, the
    quota never passed, nothing failing on the month's first row."""
    _, clock, opened = two
    stores = [line.channel.store for line in asyncio.run(_opened(opened, clock))]
    start = threading.Barrier(16)

    def count(n: int) -> bool:
        start.wait()
        return stores[n % 2].count_push("2026-12", 10)

    with ThreadPoolExecutor(16) as pool:
        counted = list(pool.map(count, range(16)))
    assert counted.count(True) == 10
    assert not stores[0].count_push("2026-12", 10)
    stores[1].uncount_push("2026-12")
    assert stores[0].count_push("2026-12", 10)


async def _opened(opened: list[Services], clock: Clock) -> list[Line]:
    lines = channels(opened, clock)
    await closed(lines)  # only their stores are used, which need no event loop
    return lines


def test_prune_keeps_what_is_ahead_and_drops_the_rest(two: Two) -> None:
    """On every backend (its deletes select from another table): tests/test_line_privacy.py says what."""
    _, clock, opened = two
    store = asyncio.run(_opened(opened, clock))[0].channel.store
    now = clock()
    key = store.remember_user(ALICE, now)
    record_id = store.save_record(key, THREE, now + 86400)
    store.confirm(record_id, key, THREE, now)
    assert schedule(asyncio.run(_opened(opened, clock))[1], BOB, now) == 28  # Bob never confirms
    store.add_reminders(key, record_id, [(now + 10 * 86400, "十天後")])
    store.prune(now + 2 * 86400)
    with opened[0].engine.connect() as conn:
        users = conn.scalars(select(LineUserRow.key)).all()
        reminders = conn.scalars(select(LineReminderRow.record_id)).all()
    assert users == [key] and reminders == [record_id]


def test_add_reminders_twice_at_once_keeps_one_schedule(two: Two) -> None:
    """加入提醒 tapped twice: two postbacks, handled at once (by one process or two). Each
    replaces the record's schedule; together they must not leave it doubled (each reminder twice)."""
    _, clock, opened = two
    stores = [line.channel.store for line in asyncio.run(_opened(opened, clock))]
    now = clock()
    key = stores[0].remember_user(ALICE, now)
    record_id = stores[0].save_record(key, THREE, now + 86400)
    reminders = items(build_plan([THREE]), now)

    def add(n: int, start: threading.Barrier) -> int:
        start.wait()
        return stores[n % 2].add_reminders(key, record_id, reminders)

    for _ in range(5):
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(add, range(8), [threading.Barrier(8)] * 8))
        with opened[0].engine.connect() as conn:
            due = conn.scalars(select(LineReminderRow.due_at).where(LineReminderRow.record_id == record_id))
            assert sorted(due) == [when for when, _ in reminders]
