"""The LINE channel: webhook events in, one record per batch of photos out, postbacks and
commands handled. Called after the webhook has answered 200 (LINE wants a quick answer)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import uuid
from collections import deque
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from linebot.v3.webhooks import (
    Event,
    EventMode,
    FollowEvent,
    ImageMessageContent,
    MessageEvent,
    PostbackEvent,
    TextMessageContent,
    UnfollowEvent,
)

from rxlens.config import LineSettings, ServiceSettings
from rxlens.errors import LinkExpired, RxlensError
from rxlens.images.intake import Upload
from rxlens.line import card, words
from rxlens.line.api import LineApi, flex, text
from rxlens.line.batch import Batch, Batcher, Chat, Photo
from rxlens.line.links import edit_url, make_token, open_token
from rxlens.line.store import EVENT_MEMORY_SECONDS, LineStore
from rxlens.queue.jobs import Jobs
from rxlens.queue.sealing import Sealer
from rxlens.ratelimit import RateLimiter
from rxlens.result import AnalysisResult
from rxlens.services import Services

log = logging.getLogger("rxlens.line")


def chat_of(event: Any) -> Chat | None:
    source = event.source
    user = getattr(source, "user_id", None)
    if user is None:
        return None
    if source.type == "user":
        return Chat(user, user, True)
    where = getattr(source, "group_id", None) or getattr(source, "room_id", None)
    return Chat(str(where), user, False) if where else None


class LineChannel:
    def __init__(
        self, settings: LineSettings, services: Services, jobs: Jobs, api: LineApi, store: LineStore,
        sealer: Sealer, clock: Callable[[], float],
    ) -> None:  # fmt: skip
        self.settings, self.services, self.jobs, self.api, self.store = settings, services, jobs, api, store
        self.sealer, self.clock = sealer, clock
        self.batcher = Batcher(settings.batch_quiet_seconds, self.answer)
        rate = ServiceSettings(
            rate_per_minute=settings.analyses_per_minute, rate_burst=settings.analyses_burst
        )
        self.rate = RateLimiter(rate)
        # (reply | push | over_quota, seconds from the last photo), the latest few: bench and tests
        self.answered: deque[tuple[str, float]] = deque(maxlen=1000)

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await self.services.blocking.run(fn, *args)

    async def handle(self, events: list[Event]) -> None:
        for event in events:
            try:
                await self._one(event)
            except Exception as error:  # one bad event must not stop the others
                # The class names only: a message could quote a record's text, which never goes to logs.
                log.error("LINE %s failed: %s", type(event).__name__, type(error).__name__)

    async def _one(self, event: Event) -> None:
        # An old body still verifies (the signature holds no time) once its ids are forgotten; a
        # standby event belongs to the module channel now answering the chat.
        if event.mode == EventMode.STANDBY or self.clock() - event.timestamp / 1000 > EVENT_MEMORY_SECONDS:
            self.services.metrics.line_webhooks.labels("ignored").inc()
            return
        if not await self.run(self.store.first_time, event.webhook_event_id, self.clock()):
            self.services.metrics.line_webhooks.labels("redelivered").inc()
            return  # a redelivery of an event already handled
        chat = chat_of(event)
        if chat is None or (not chat.one_to_one and self.settings.groups == "off"):
            return
        if isinstance(event, MessageEvent) and isinstance(event.message, ImageMessageContent):
            await self._photo(event, chat)
        elif isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent):
            await self._text(event, chat)
        elif isinstance(event, PostbackEvent):
            await self._postback(event, chat)
        elif isinstance(event, FollowEvent):
            await self._say(event.reply_token, chat, [text(words.WELCOME)])
        elif isinstance(event, UnfollowEvent):
            self.batcher.drop(chat.user_id)
            await self.run(self.store.delete_user, self.store.user_key(chat.user_id))

    async def _photo(self, event: MessageEvent, chat: Chat) -> None:
        message = event.message
        if chat.one_to_one and (chat.to, chat.user_id) not in self.batcher.batches:
            await self.api.loading(chat.user_id, self.settings.loading_seconds)
        try:  # a group's photos are fetched only when someone asks (answer)
            data = await self._content(message.id) if chat.one_to_one else None
        except RxlensError as error:  # too large: said now, the others still read
            await self._say(event.reply_token, chat, [text(words.problem(error))])
            return
        s = message.image_set
        marked = (s.id, int(s.index), int(s.total)) if s and s.index and s.total else None
        photo = Photo(message.id, event.timestamp / 1000, marked, data)
        self.batcher.add(chat, photo, event.reply_token)

    async def _fetched(self, batch: Batch) -> list[bytes]:
        async def one(photo: Photo) -> bytes:
            return photo.data if photo.data is not None else await self._content(photo.message_id)

        return list(await asyncio.gather(*(one(p) for p in batch.photos)))

    async def _content(self, message_id: str) -> bytes:
        return await self.api.content(message_id, self.services.settings.intake.max_bytes)

    async def _text(self, event: MessageEvent, chat: Chat) -> None:
        said = event.message.text.strip()
        if not chat.one_to_one:
            mention = event.message.mention
            called = mention and any(getattr(m, "is_self", False) for m in mention.mentionees or [])
            if called and not self.batcher.take(chat, event.reply_token, event.timestamp / 1000):
                await self._say(event.reply_token, chat, [text(words.HELP)])
            return
        key = self.store.user_key(chat.user_id)
        if said in words.DELETE:
            self.batcher.drop(chat.user_id)
            await self.run(self.store.delete_user, key)
            await self._say(event.reply_token, chat, [text(words.DELETED)])
        elif said in words.PRIVACY:
            await self._say(event.reply_token, chat, [text(words.PRIVACY_TEXT)])
        else:
            await self._say(event.reply_token, chat, [text(words.HELP)])

    async def _postback(self, event: PostbackEvent, chat: Chat) -> None:
        from rxlens.line.actions import postback

        await postback(self, event, chat)

    # --- answering a batch -------------------------------------------------------------------
    async def answer(self, batch: Batch) -> None:
        try:
            await self._answer(batch)
        except Exception as error:  # a task of its own: nobody else would hear of it
            log.error("LINE answer failed: %s", type(error).__name__)  # the name only, as in handle

    async def _answer(self, batch: Batch) -> None:
        chat = batch.chat
        key = self.store.user_key(chat.user_id)
        try:
            self.rate.take_now(f"line:{key}")  # before any photo still to fetch is fetched
            record = await self._analyze(await self._fetched(batch), key)
        except RxlensError as error:
            await self._send(batch, [text(words.problem(error))])
            return
        if not record.medications:
            await self._send(batch, [text(card.NO_DRUG)])
            return
        expires = self.clock() + self.settings.pending_hours * 3600  # the user is kept at 確認
        record_id = await self.run(self.store.save_record, key, record, expires)
        url = edit_url(self.settings.public_url, make_token(self.sealer, record_id, key))
        await self._send(batch, [flex(card.alt_text(record), card.bubble(record, record_id, url))])

    async def _analyze(self, photos: list[bytes], key: str) -> AnalysisResult:
        """Through the job queue when one is configured, else in this process (same Jobs API)."""
        uploads = [Upload(f"line-{n + 1}.jpg", data) for n, data in enumerate(photos)]
        owner = f"line:{key}"
        job = await self.jobs.submit(uploads, None, owner)
        try:
            deadline = self.services.settings.pipeline.request_timeout_seconds
            return AnalysisResult.model_validate(await self.jobs.answer(job, owner, deadline))
        finally:
            await self.jobs.delete(job, owner)

    async def _send(self, batch: Batch, messages: list[Any]) -> None:
        young = self.clock() - batch.last_event < self.settings.reply_window_seconds
        replied = young and batch.reply_token and await self.api.reply(batch.reply_token, messages)
        via = "reply" if replied else await self._push(batch.chat.to, messages)
        self.services.metrics.line_answers.labels(via).inc()
        self.answered.append((via, _since(batch)))

    async def _push(self, to: str, messages: list[Any]) -> str:
        """push, or why not: over_quota (ours), push_refused / push_limited / push_failed (LINE's)."""
        month = dt.datetime.fromtimestamp(self.clock(), ZoneInfo(self.settings.time_zone)).strftime("%Y-%m")
        if not await self.run(self.store.count_push, month, self.settings.monthly_push_quota):
            log.warning("LINE monthly push quota used up: an answer was not sent")
            return "over_quota"
        pushed = await self.api.push(to, messages, str(uuid.uuid4()))
        if pushed in ("refused", "limited"):  # not delivered, so not counted by LINE either
            await self.run(self.store.uncount_push, month)
        return "push" if pushed == "sent" else f"push_{pushed}"

    async def _say(self, token: str | None, chat: Chat, messages: list[Any]) -> None:
        if not (token and await self.api.reply(token, messages)):
            await self._push(chat.to, messages)

    # --- the 修改 link (blocking: called through services.blocking) -----------------------------
    def check_link(self, token: str) -> tuple[str, str]:
        """(record id, user key) while the link is valid, else LinkExpired; no database asked."""
        return open_token(self.sealer, token, self.settings.link_ttl_seconds)

    def linked_record(self, token: str) -> AnalysisResult:
        record_id, key = self.check_link(token)
        record = self.store.record(record_id, key, self.clock())
        if record is None:
            raise LinkExpired("The record behind this link is no longer kept.")
        return record

    def save_linked(self, token: str, record: AnalysisResult) -> None:
        self.linked_record(token)  # the link is valid and the record still kept
        self.store.replace_record(*self.check_link(token), record)

    async def close(self) -> None:
        await self.batcher.close()
        await self.api.close()


def _since(batch: Batch) -> float:
    return time.monotonic() - batch.last_photo_at
