"""Photos sent in a row become one analysis, as the replaced bot batched them: a chat's photos
are held until none has come for `quiet` seconds, or the imageSet LINE marked is complete, or five
are in. In group chats they wait for a mention (the latest five kept; dropped after
`HELD_SECONDS`), and only their message ids are held: a group's photos are fetched from LINE when
someone asks, not every photo anyone posts.

Batches live in this process: with several API processes behind one webhook URL, route a chat
to one process (LINE sends one chat's events in order to one URL; a sticky proxy keeps them).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

MAX_PHOTOS = 5
HELD_SECONDS = 600.0
# A phone uploads a set's photos one by one, seconds apart on a slow network: while LINE's
# imageSet says more are coming, the batch waits this many quiet windows for them.
SET_PATIENCE = 5


@dataclass(frozen=True)
class Chat:
    to: str  # where answers go: the user, or the group or room
    user_id: str
    one_to_one: bool


@dataclass(frozen=True)
class Photo:
    message_id: str
    at: float  # seconds since the epoch, from LINE's timestamp
    image_set: tuple[str, int, int] | None  # (id, index from 1, total)
    data: bytes | None = None  # fetched on arrival in a one-to-one chat; a group's when asked

    def order(self) -> tuple[float, int]:
        # Webhooks are handled concurrently and a set's photos may come in any order: read them
        # as they were sent (a set's photos can share one timestamp; their index settles it).
        return self.at, self.image_set[1] if self.image_set else 0


@dataclass
class Batch:
    chat: Chat
    photos: list[Photo] = field(default_factory=list)
    reply_token: str | None = None
    last_event: float = 0.0  # seconds since the epoch, from LINE's timestamp
    last_photo_at: float = field(default_factory=time.monotonic)  # when it arrived here

    def set_missing(self) -> int:
        """Photos of the last imageSet not in yet (photos sent before it do not count)."""
        marked = [p.image_set for p in self.photos if p.image_set]
        if not marked:
            return 0
        set_id, _, total = marked[-1]
        return max(0, total - sum(1 for m in marked if m[0] == set_id))


Answer = Callable[[Batch], Coroutine[Any, Any, None]]


class Batcher:
    def __init__(self, quiet: float, answer: Answer) -> None:
        self.quiet, self.answer = quiet, answer
        self.batches: dict[tuple[str, str], Batch] = {}
        self._timers: dict[tuple[str, str], asyncio.Task[None]] = {}
        self.running: dict[asyncio.Task[None], str] = {}  # answers under way, and whose

    def add(self, chat: Chat, photo: Photo, reply_token: str | None) -> None:
        key = (chat.to, chat.user_id)
        batch = self.batches.setdefault(key, Batch(chat))
        batch.photos.append(photo)
        batch.photos.sort(key=Photo.order)
        batch.reply_token, batch.last_event, batch.last_photo_at = reply_token, photo.at, time.monotonic()
        if not chat.one_to_one:
            del batch.photos[:-MAX_PHOTOS]  # the latest five wait for the mention
            self._restart(key, HELD_SECONDS, answer=False)
        elif len(batch.photos) >= MAX_PHOTOS or (photo.image_set and not batch.set_missing()):
            self.flush(key)
        else:
            self._restart(key, self.quiet * (SET_PATIENCE if batch.set_missing() else 1))

    def take(self, chat: Chat, reply_token: str | None, at: float) -> bool:
        """A mention in a group: answer that user's held photos now. False when none are held."""
        key = (chat.to, chat.user_id)
        if key not in self.batches:
            return False
        self.batches[key].reply_token, self.batches[key].last_event = reply_token, at
        self.flush(key)
        return True

    def drop(self, user_id: str) -> None:
        """The user's held photos, in every chat, forgotten and their answers under way stopped
        (刪除資料, unfollow): no card, and no record kept, after the data is deleted."""
        for key in [k for k in self.batches if k[1] == user_id]:
            del self.batches[key]
            if (timer := self._timers.pop(key, None)) is not None:
                timer.cancel()
        for task in [t for t, whose in self.running.items() if whose == user_id]:
            task.cancel()

    def _restart(self, key: tuple[str, str], after: float, answer: bool = True) -> None:
        if (old := self._timers.pop(key, None)) is not None:
            old.cancel()
        self._timers[key] = asyncio.create_task(self._later(key, after, answer))

    async def _later(self, key: tuple[str, str], after: float, answer: bool) -> None:
        await asyncio.sleep(after)
        self._timers.pop(key, None)
        if answer:
            self.flush(key)
        else:
            self.batches.pop(key, None)  # held too long without a mention

    def flush(self, key: tuple[str, str]) -> None:
        if (timer := self._timers.pop(key, None)) is not None and timer is not asyncio.current_task():
            timer.cancel()
        if (batch := self.batches.pop(key, None)) is None:
            return
        task = asyncio.create_task(self.answer(batch))
        self.running[task] = batch.chat.user_id
        task.add_done_callback(lambda done: self.running.pop(done, None))

    async def close(self) -> None:
        for task in [*self._timers.values(), *self.running]:
            task.cancel()
        await asyncio.gather(*self._timers.values(), *self.running, return_exceptions=True)
