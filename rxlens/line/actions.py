"""Postbacks from the card: 確認 keeps the record; 加入提醒 keeps it and schedules its reminders."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

from linebot.v3.webhooks import PostbackEvent

from rxlens.line import words
from rxlens.line.api import text
from rxlens.line.batch import Chat
from rxlens.line.reminders import items
from rxlens.plan import Plan, Times, build_plan

if TYPE_CHECKING:
    from rxlens.line.channel import LineChannel


def summary(plan: Plan, count: int) -> str:
    if count == 0:
        return "這份處方的用藥期間已經過了（或沒有固定服藥時間），所以沒有設定提醒。"
    slots = "、".join(s.label for s in plan.slots) or "（沒有固定時間的藥）"
    end = f"，到 {plan.end.month}/{plan.end.day}" if plan.end else ""
    said = f"已設定 {count} 則提醒：每天 {slots}{end}。"
    refills = [f"第{w.fill}次領藥 {w.start.month}/{w.start.day} 起" for w in plan.refills]
    warnings = [w.text for w in plan.warnings if w.kind in ("duplicate", "run_out", "refill_gap")]
    return "\n".join([said, *refills, *warnings])


async def postback(channel: LineChannel, event: PostbackEvent, chat: Chat) -> None:
    data = parse_qs(event.postback.data)
    action, record_id = data.get("a", [""])[0], data.get("r", [""])[0]
    key = channel.store.user_key(chat.user_id)
    record = await channel.run(channel.store.record, record_id, key, channel.clock())
    if record is None or action not in ("confirm", "remind"):
        await channel._say(event.reply_token, chat, [text(words.EXPIRED)])
        return
    await channel.run(channel.store.remember_user, chat.user_id, channel.clock())
    await channel.run(channel.store.confirm, record_id, key, record, channel.clock())
    if action == "confirm":
        await channel._say(event.reply_token, chat, [text(words.CONFIRMED)])
        return
    index = await channel.run(channel.services.catalog.index_or_none)
    zone = channel.settings.time_zone
    times = Times(time_zone=zone)
    # A record without a visit date counts from today in the user's zone, not the server's date.
    today = dt.datetime.fromtimestamp(channel.clock(), ZoneInfo(zone)).date()
    plan = await channel.run(build_plan, [record], times, today, index)
    count = await channel.run(channel.store.add_reminders, key, record_id, items(plan, channel.clock()))
    await channel._say(event.reply_token, chat, [text(summary(plan, count))])
