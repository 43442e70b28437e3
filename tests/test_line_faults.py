"""Pushes LINE does not take: refused (4xx), busy (5xx), over its monthly limit (429); reminders
when the scheduler was down for hours, or set at night in Taipei. A clock the test moves; SQLite
(the schedule's logic is the same on every backend, tests/test_line_reminders.py runs them)."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from linebot.v3.webhooks import PostbackEvent
from sqlalchemy import select

from rxlens.config import Settings
from rxlens.db.models import LinePushRow, LineReminderRow
from rxlens.line.actions import postback
from rxlens.line.api import LineApi, Pushed, text
from rxlens.line.channel import chat_of
from rxlens.line.open import Line, open_line
from rxlens.line.reminders import LATE_SECONDS, LEASE_SECONDS, PRUNE_SECONDS, items
from rxlens.plan import build_plan
from rxlens.queue.open import open_jobs
from rxlens.result import AnalysisResult
from rxlens.services import Services
from tests import line_server
from tests.line_events import payload, postback_event, signed, user_id, user_source
from tests.line_server import Clock, LineError, LineServer, Request
from tests.lineapp import line_settings
from tests.test_line_reminders import TAIPEI, THREE, VISIT, med

ALICE, BOB = user_id("alice"), user_id("bob")
PUSH = "/v2/bot/message/push"


@pytest.fixture
def one(settings: Settings) -> Iterator[tuple[LineServer, Clock, Services]]:
    clock = Clock(dt.datetime.combine(VISIT, dt.time(0, 0), TAIPEI).timestamp())
    with line_server.line_server(clock=clock) as fake:
        services = Services.open(line_settings(settings, fake))
        yield fake, clock, services
        services.close()


@pytest.fixture
def refusals() -> Iterator[list[int]]:
    """Statuses LINE answers the next pushes with (the test fills the list), then as usual."""
    statuses: list[int] = []
    routes = line_server.API_ROUTES
    index = next(n for n, r in enumerate(routes) if r[2] is line_server._push)
    verb, pattern, push = routes[index]

    def refuse(line: LineServer, request: Request) -> line_server.Answer:
        if statuses:
            raise LineError(statuses.pop(0), {"message": "refused by the test"})
        return push(line, request)

    routes[index] = (verb, pattern, refuse)
    yield statuses
    routes[index] = (verb, pattern, push)


def schedule(line: Line, user: str, record: AnalysisResult = THREE) -> int:
    store, now = line.channel.store, line.channel.clock()
    key = store.remember_user(user, now)
    record_id = store.save_record(key, record, now + 86400)
    return store.add_reminders(key, record_id, items(build_plan([record]), now))


def run(services: Services, clock: Clock, hours: float, *users: str, step: float = 300) -> None:
    async def rounds() -> None:
        line = open_line(services, open_jobs(services), clock)
        for user in users:
            schedule(line, user)
        for _ in range(int(hours * 3600 / step)):
            clock.advance(step)
            await line.reminders.run_once()
        await line.channel.close()

    asyncio.run(rounds())


def pushes(fake: LineServer) -> list[Any]:
    return [c for c in fake.calls if c.path == PUSH]


def counted(services: Services) -> int:
    with services.engine.connect() as conn:
        return int(sum(conn.scalars(select(LinePushRow.count))))


def test_a_busy_line_delays_one_reminder_and_not_the_others(
    one: tuple[LineServer, Clock, Services], refusals: list[int]
) -> None:
    """Alice's and Bob's breakfast reminders are due together; LINE answers 500 a while."""
    fake, clock, services = one
    refusals += [500] * 4
    run(services, clock, 9, ALICE, BOB)  # to 09:00, past breakfast (08:30)
    delivered = [p["to"] for p in fake.pushes]
    assert sorted(delivered) == [ALICE, BOB], "each delivered once, the failure retried"
    keys = [c.headers["x-line-retry-key"] for c in pushes(fake)]
    assert len(set(keys)) == 2, "a retry keeps its reminder's key"
    late = [c.at for c in pushes(fake) if c.status == 200]
    due = dt.datetime.combine(VISIT, dt.time(8, 30), TAIPEI).timestamp()
    assert max(late) - due <= 2 * LEASE_SECONDS + 300, "retried after the lease, not hours later"


def test_a_push_line_refuses_is_not_retried_forever_nor_counted(
    one: tuple[LineServer, Clock, Services], refusals: list[int]
) -> None:
    """A 400 will be a 400 again: the reminder is dropped, and LINE did not count it."""
    fake, clock, services = one
    refusals.append(400)
    run(services, clock, 13, ALICE)  # breakfast refused, lunch (12:30) delivered
    first, *later = pushes(fake)
    assert first.status == 400
    assert first.headers["x-line-retry-key"] not in {c.headers["x-line-retry-key"] for c in later}
    assert len(fake.pushes) == len(later) == 1 and counted(services) == 1
    assert services.metrics.line_reminders.labels("refused")._value.get() == 1


def test_over_line_s_monthly_limit_nothing_is_counted_and_nothing_is_sent_late(
    one: tuple[LineServer, Clock, Services],
) -> None:
    fake, clock, services = one
    fake.monthly_limit = 0  # LINE answers 429 to every push
    run(services, clock, 30, ALICE)
    assert fake.pushes == [] and counted(services) == 0
    for call in pushes(fake):
        key = call.headers["x-line-retry-key"]
        tried = [c.at for c in pushes(fake) if c.headers["x-line-retry-key"] == key]
        assert max(tried) - min(tried) <= LATE_SECONDS, "given up once it is too late to help"
    with services.engine.connect() as conn:
        waiting = conn.scalars(select(LineReminderRow.due_at).where(LineReminderRow.sent_at.is_(None)))
        assert min(waiting) > clock() - LATE_SECONDS


def test_after_a_day_down_yesterday_s_reminders_are_not_sent(one: tuple[LineServer, Clock, Services]) -> None:
    fake, clock, services = one

    async def down_then_up() -> None:
        line = open_line(services, open_jobs(services), clock)
        schedule(line, ALICE)
        clock.advance(31 * 3600)  # the next day, 07:00: nothing ran since midnight the day before
        await line.reminders.run_once()
        await line.channel.close()

    asyncio.run(down_then_up())
    assert fake.pushes == []
    assert services.metrics.line_reminders.labels("late")._value.get() == 4


def test_a_reminder_fits_in_one_line_text_message() -> None:
    """LINE refuses a text over 5,000 characters; a slot of many long names is cut, not refused."""
    many = AnalysisResult(
        visit_date=VISIT.isoformat(),
        medications=[med(f"{'長' * 200}{n}", "TID") for n in range(40)],
    )
    now = dt.datetime.combine(VISIT, dt.time(0, 0), TAIPEI).timestamp()
    said = [text for _, text in items(build_plan([many]), now)]
    assert said and max(len(t) for t in said) <= 5000


def test_a_push_line_fails_is_tried_again_with_its_key(
    one: tuple[LineServer, Clock, Services], refusals: list[int]
) -> None:
    """An answer has no schedule to come back to it: the push itself tries again, and a 4xx is final."""
    fake, _, services = one
    keys = [str(uuid.uuid4()) for _ in range(2)]

    async def two_pushes() -> list[Pushed]:
        api = LineApi(services.settings.line)
        api.retry_delays = (0.01, 0.01)
        refusals.extend([500, 503])
        said = [await api.push(ALICE, [text("一")], keys[0])]
        refusals.append(400)
        said.append(await api.push(ALICE, [text("二")], keys[1]))
        await api.close()
        return said

    assert asyncio.run(two_pushes()) == ["sent", "refused"]
    tried = [(c.status, c.headers["x-line-retry-key"]) for c in pushes(fake)]
    assert tried == [(500, keys[0]), (503, keys[0]), (200, keys[0]), (400, keys[1])]


def test_a_reminder_after_someone_s_deletion_is_not_taken_for_theirs(
    one: tuple[LineServer, Clock, Services],
) -> None:
    """SQLite gives the ids of deleted rows again; LINE must not see Bob's reminder as Alice's repeat."""
    fake, clock, services = one

    async def alice_then_bob() -> None:
        line = open_line(services, open_jobs(services), clock)
        schedule(line, ALICE)
        clock.advance(9 * 3600)
        assert await line.reminders.run_once() == 1  # Alice's breakfast
        store = line.channel.store
        store.delete_user(store.user_key(ALICE))  # she deletes her data
        schedule(line, BOB)
        clock.advance(4 * 3600)
        assert await line.reminders.run_once() == 1  # Bob's lunch
        await line.channel.close()

    asyncio.run(alice_then_bob())
    assert [p["to"] for p in fake.pushes] == [ALICE, BOB]


def test_pruning_runs_every_few_minutes_not_every_round(one: tuple[LineServer, Clock, Services]) -> None:
    """Its deletes scan whole tables (sent reminders, users without records): not every 20 s."""
    _, clock, services = one
    pruned: list[float] = []

    async def rounds() -> None:
        line = open_line(services, open_jobs(services), clock)
        line.reminders.store.prune = pruned.append  # type: ignore[method-assign,assignment]
        for _ in range(int(2 * PRUNE_SECONDS / 20)):
            await line.reminders.tidy()
            clock.advance(20)
        await line.channel.close()

    asyncio.run(rounds())
    assert len(pruned) == 2


def test_an_undated_record_s_reminders_start_on_today_in_taipei(
    one: tuple[LineServer, Clock, Services],
) -> None:
    fake, clock, services = one
    clock.now = dt.datetime(2026, 12, 1, 1, 0, tzinfo=TAIPEI).timestamp()  # still 30 Nov in UTC
    undated = THREE.model_copy(update={"visit_date": None})

    async def remind() -> None:
        line = open_line(services, open_jobs(services), clock)
        store = line.channel.store
        record_id = store.save_record(store.user_key(ALICE), undated, clock() + 3600)
        body, headers = signed(payload(postback_event(f"a=remind&r={record_id}", source=user_source(ALICE))))
        [event] = line.parser.parse(body.decode(), headers["X-Line-Signature"])
        assert isinstance(event, PostbackEvent) and (chat := chat_of(event))  # as the webhook parses it
        await postback(line.channel, event, chat)
        await line.channel.close()

    asyncio.run(remind())
    with services.engine.connect() as conn:
        due = sorted(conn.scalars(select(LineReminderRow.due_at)))
    days = [dt.datetime.fromtimestamp(d, TAIPEI).date() for d in due]
    assert days[0] == dt.date(2026, 12, 1) and days[-1] == dt.date(2026, 12, 7), (days[0], days[-1])
    assert "提醒" in fake.pushes[0]["messages"][0]["text"]
