"""Reminders pushed to a LINE user at the plan's times (Asia/Taipei unless set otherwise).

The schedule is rows in the database (line_reminders), so it survives restarts. Every process may
run the loop: a due row is claimed by one conditional UPDATE (a lease), pushed with a retry key
made from its id — a process that dies after pushing and before marking it sent leaves a row that
another process pushes again with the same key, which LINE refuses as already accepted — and then
marked sent. So no reminder goes out twice. One LINE does not take now (429, 5xx) is left to its
lease and tried again; one LINE refuses (4xx) is dropped, as is one more than LATE_SECONDS late
(the scheduler was down): yesterday's 早餐後 pushed this morning would mislead, not remind.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid
from collections.abc import Callable
from zoneinfo import ZoneInfo

from rxlens.config import LineSettings
from rxlens.line.api import LineApi, text
from rxlens.line.store import Due, LineStore
from rxlens.plan.model import Plan
from rxlens.services import Services

log = logging.getLogger("rxlens.line")
LEASE_SECONDS = 120.0
LATE_SECONDS = 3600.0
PRUNE_SECONDS = 600.0
TEXT_CHARS = 5000  # LINE refuses a longer text message
MORNING = dt.time(9, 0)  # refill and run-out reminders
_NAMESPACE = uuid.UUID("5f0c7f1e-8d1b-4c59-9d7e-2b8f4f6e3a10")


def _epoch(day: dt.date, at: dt.time, zone: ZoneInfo) -> float:
    return dt.datetime.combine(day, at, zone).timestamp()


def items(plan: Plan, now: float) -> list[tuple[float, str]]:
    """(when, what) for every dose slot of every day, refill window and run-out still ahead."""
    zone = ZoneInfo(plan.times.time_zone)
    names = {d.key: d.name for d in plan.drugs}
    lead = dt.timedelta(minutes=plan.times.remind_minutes_before)
    out: list[tuple[float, str]] = []
    for day in plan.days:
        for slot in day.slots:
            doses = "、".join(f"{names[d.drug]} {d.amount}".strip() for d in slot.doses)
            out.append(
                (_epoch(day.date, slot.time, zone) - lead.total_seconds(), f"服藥提醒 {slot.label}：{doses}")
            )
    for w in plan.refills:
        window = f"{w.start.month}/{w.start.day}–{w.end.month}/{w.end.day}"
        said = f"明天起可以第{w.fill}次領藥（{window}），記得帶健保卡和處方箋。"
        out.append((_epoch(w.remind_on, MORNING, zone), said))
    for d in plan.drugs:
        if d.run_out:
            out.append((_epoch(d.run_out, MORNING, zone), f"{d.name} 的藥量只夠到今天，請洽醫師或藥師。"))
    return sorted((when, _cut(said)) for when, said in out if when > now)


def _cut(said: str) -> str:
    return said if len(said) <= TEXT_CHARS else said[: TEXT_CHARS - 1] + "…"


def retry_key(item: Due) -> str:
    """The same for every try of one reminder. Not the id alone: SQLite hands a deleted row's id
    (a user's data deleted) to the next row, and LINE would take that row as a repeat for 24 hours."""
    return str(uuid.uuid5(_NAMESPACE, f"reminder-{item.id}-{item.user_key}-{item.due_at!r}"))


class Reminders:
    def __init__(
        self,
        store: LineStore,
        api: LineApi,
        settings: LineSettings,
        services: Services,
        clock: Callable[[], float],
    ) -> None:
        self.store, self.api, self.settings, self.clock = store, api, settings, clock
        self.metrics, self.blocking = services.metrics, services.blocking
        self._pruned = float("-inf")

    async def run_once(self) -> int:
        """Push every reminder due now that this process wins; the number pushed."""
        now = self.clock()
        month = dt.datetime.fromtimestamp(now, ZoneInfo(self.settings.time_zone)).strftime("%Y-%m")
        due = await self.blocking.run(self.store.claim_due, now, LEASE_SECONDS)
        sent = 0
        for item in due:
            outcome = await self._one(item, now, month)
            self.metrics.line_reminders.labels(outcome).inc()
            sent += outcome == "pushed"
        return sent

    async def _one(self, item: Due, now: float, month: str) -> str:
        """What became of one reminder; it stays unmarked (tried again after its lease) only when
        LINE may take it later."""
        if now - item.due_at > LATE_SECONDS:
            outcome = "late"
        elif (user := await self.blocking.run(self.store.user_id, item.user_key)) is None:
            outcome = "no_user"
        elif not await self.blocking.run(self.store.count_push, month, self.settings.monthly_push_quota):
            outcome = "over_quota"
        else:
            pushed = await self.api.push(user, [text(item.text)], retry_key(item))
            if pushed in ("refused", "limited"):  # not delivered: LINE did not count it either
                await self.blocking.run(self.store.uncount_push, month)
            if pushed in ("limited", "failed"):
                return "retried"
            outcome = "pushed" if pushed == "sent" else "refused"
        await self.blocking.run(self.store.mark_sent, item.id, now)
        return outcome

    async def tidy(self) -> None:
        """Prune what is no longer needed, every PRUNE_SECONDS: its deletes scan whole tables."""
        if self.clock() - self._pruned >= PRUNE_SECONDS:
            self._pruned = self.clock()
            await self.blocking.run(self.store.prune, self._pruned)

    async def run_forever(self) -> None:
        while True:
            try:
                await self.run_once()
                await self.tidy()
            except Exception as error:  # a failed round is retried; the loop must not die
                log.error("LINE reminder round failed: %s", type(error).__name__)  # no texts in logs
            await asyncio.sleep(self.settings.reminder_poll_seconds)
