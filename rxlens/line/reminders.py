"""Reminders pushed to a LINE user at the plan's times (Asia/Taipei unless set otherwise).

The schedule is rows in the database (line_reminders), so it survives restarts. Every process may
run the loop: a due row is claimed by one conditional UPDATE (a lease), pushed with a retry key
made from its id — a process that dies after pushing and before marking it sent leaves a row that
another process pushes again with the same key, which LINE refuses as already accepted — and then
marked sent. So no reminder goes out twice, and none is lost.
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
from rxlens.line.store import LineStore
from rxlens.plan.model import Plan
from rxlens.services import Services

log = logging.getLogger("rxlens.line")
LEASE_SECONDS = 120.0
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
    return sorted(x for x in out if x[0] > now)


def retry_key(reminder_id: int) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"reminder-{reminder_id}"))


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

    async def run_once(self) -> int:
        """Push every reminder due now that this process wins; the number pushed."""
        now = self.clock()
        due = await self.blocking.run(self.store.claim_due, now, LEASE_SECONDS)
        sent = 0
        for item in due:
            user = await self.blocking.run(self.store.user_id, item.user_key)
            month = dt.datetime.fromtimestamp(now, ZoneInfo(self.settings.time_zone)).strftime("%Y-%m")
            allowed = bool(user) and await self._count(month)
            if user and allowed:
                await self.api.push(user, [text(item.text)], retry_key(item.id))
                sent += 1
                self.metrics.line_reminders.labels("pushed").inc()
            else:
                self.metrics.line_reminders.labels("over_quota" if user else "no_user").inc()
            await self.blocking.run(self.store.mark_sent, item.id, now)
        return sent

    async def _count(self, month: str) -> bool:
        counted: bool = await self.blocking.run(
            self.store.count_push, month, self.settings.monthly_push_quota
        )
        return counted

    async def run_forever(self) -> None:
        while True:
            try:
                await self.run_once()
                await self.blocking.run(self.store.prune, self.clock())
            except Exception as error:  # a failed round is retried; the loop must not die
                log.error("LINE reminder round failed: %s", type(error).__name__)  # no texts in logs
            await asyncio.sleep(self.settings.reminder_poll_seconds)
