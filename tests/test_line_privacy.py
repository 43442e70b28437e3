"""What the LINE channel keeps, and for how long: nothing of a user until 確認 / 加入提醒, and
nothing after it is no longer needed. A job service that answers a fixed record stands in for the
analysis (the Jobs API as the channel calls it), so these tests need no OCR model."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from typing import Any, cast

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr
from sqlalchemy import func, select

from rxlens.config import Settings
from rxlens.db.models import LineRecordRow, LineReminderRow, LineUserRow
from rxlens.images.intake import Upload
from rxlens.line.open import open_line
from rxlens.line.store import EVENT_MEMORY_SECONDS, KEPT_DAYS, LineStore
from rxlens.queue.jobs import Jobs
from rxlens.queue.open import open_jobs
from rxlens.services import Services
from tests.line_events import image_event, text_event, unfollow_event, user_id, user_source
from tests.line_server import line_server
from tests.lineapp import Bot, bot, line_settings
from tests.test_line_limits import BlankOcr, jpeg
from tests.test_line_reminders import THREE

ALICE = user_id("alice")
DAY = 86400.0


class RecordJobs:
    """Jobs that answer THREE for any photos (as the queue's Jobs does, by the same calls)."""

    async def submit(self, uploads: list[Upload], engine: str | None, owner: str) -> str:
        return "job-1"

    async def answer(self, job_id: str, owner: str, deadline: float) -> dict[str, Any]:
        return THREE.model_dump()

    async def delete(self, job_id: str, owner: str) -> None:
        return None


@pytest.fixture
def line(settings: Settings) -> Iterator[Bot]:
    with bot(settings, BlankOcr()) as running:
        running.line.channel.jobs = cast(Jobs, RecordJobs())
        yield running


def rows(b: Bot | LineStore, table: Any) -> int:
    engine = b.engine if isinstance(b, LineStore) else b.services.engine
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(table)) or 0)


def test_a_card_keeps_no_user_until_they_confirm(line: Bot) -> None:
    """The record waits sealed for 確認 (and goes after pending_hours); the user's LINE id is
    kept only when they ask for it to be (確認, 加入提醒)."""
    event = image_event(reply_token=line.fake.issue_reply_token(), source=user_source(ALICE))
    line.fake.add_content(event["message"]["id"], jpeg())
    line.send(event)
    line.settle()
    assert line.fake.replies[0]["messages"][0]["type"] == "flex"
    assert rows(line, LineRecordRow) == 1 and rows(line, LineUserRow) == 0


def test_pruning_leaves_nothing_no_longer_needed(line: Bot) -> None:
    """Sent reminders (their texts name the drugs), expired records and their reminders, users
    with nothing kept, and event ids past their memory."""
    store, now = line.line.channel.store, time.time()
    key = store.remember_user(ALICE, now)
    record_id = store.save_record(key, THREE, now + DAY)
    store.confirm(record_id, key, THREE, now)
    store.add_reminders(key, record_id, [(now + 60, "早餐後"), (now + 40 * DAY, "四十天後")])
    [first] = store.claim_due(now + 61, 120)
    store.mark_sent(first.id, now + 61)
    bob = store.remember_user(user_id("bob"), now)
    store.save_record(bob, THREE, now + DAY)  # Bob never confirms
    store.first_time("event-1", now)
    store.prune(now + 3 * DAY)
    assert rows(store, LineReminderRow) == 1, "the sent one gone, the one still ahead kept"
    assert rows(store, LineRecordRow) == 1 and rows(store, LineUserRow) == 1, "Bob's gone"
    assert store.first_time("event-1", now + 3 * DAY), f"forgotten after {EVENT_MEMORY_SECONDS} s"
    store.prune(now + (KEPT_DAYS + 1) * DAY)
    assert rows(store, LineRecordRow) == rows(store, LineReminderRow) == rows(store, LineUserRow) == 0


def test_the_record_after_an_unfollow_is_not_answered_from_memory(line: Bot) -> None:
    """An unfollow forgets the photos held for the user: nothing is analysed, pushed or kept."""
    event = image_event(reply_token=line.fake.issue_reply_token(), source=user_source(ALICE))
    line.fake.add_content(event["message"]["id"], jpeg())
    line.send(event, unfollow_event(source=user_source(ALICE)))
    line.settle()
    assert line.fake.replies == [] and line.fake.pushes == []
    assert rows(line, LineRecordRow) == 0


def test_an_analysis_under_way_when_the_user_deletes_their_data_is_dropped(line: Bot) -> None:
    """刪除資料 while the photos are being read: no card comes after 已刪除, no record is kept."""
    slow = SlowRecordJobs()
    line.line.channel.jobs = cast(Jobs, slow)
    event = image_event(reply_token=line.fake.issue_reply_token(), source=user_source(ALICE))
    line.fake.add_content(event["message"]["id"], jpeg())
    line.send(event)
    assert slow.started.wait(10)
    line.send(text_event("刪除資料", reply_token=line.fake.issue_reply_token(), source=user_source(ALICE)))
    line.settle()
    sent = [m for r in line.fake.replies + line.fake.pushes for m in r["messages"]]
    assert [m["type"] for m in sent] == ["text"] and "已刪除" in sent[0]["text"]
    assert rows(line, LineRecordRow) == 0 and slow.deleted


class SlowRecordJobs(RecordJobs):
    """Takes a while to read the photos; says when it started, and whether its job was deleted."""

    def __init__(self) -> None:
        self.started, self.deleted = threading.Event(), False

    async def answer(self, job_id: str, owner: str, deadline: float) -> dict[str, Any]:
        self.started.set()
        await asyncio.sleep(3)
        return await super().answer(job_id, owner, deadline)

    async def delete(self, job_id: str, owner: str) -> None:
        self.deleted = True


def test_a_rotated_data_key_still_finds_every_user(settings: Settings) -> None:
    """RXLENS_LINE__DATA_KEY rotation: the new key first, the old after; users stay found, so
    刪除資料 still reaches what was stored before the rotation."""
    with line_server() as fake:
        before = line_settings(settings, fake)
        assert before.line.data_key is not None
        old = before.line.data_key.get_secret_value()
        rotated = before.model_copy(
            update={
                "line": before.line.model_copy(
                    update={"data_key": SecretStr(f"{Fernet.generate_key().decode()},{old}")}
                )
            }
        )
        keys = []

        async def both() -> None:
            for chosen in (before, rotated):
                services = Services.open(chosen)
                line = open_line(services, open_jobs(services))
                keys.append(line.channel.store.user_key("U" + "a" * 32))
                await line.channel.close()
                services.close()

        asyncio.run(both())
        assert keys[0] == keys[1]
