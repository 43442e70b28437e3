"""Photos sent in a row become one analysis, as the replaced bot batched them: a chat's photos
are held until none has come for `quiet` seconds, or the imageSet LINE marked is complete, or five
are in. In group chats they wait for a mention (or are dropped after `HELD_SECONDS`).

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


@dataclass(frozen=True)
class Chat:
    to: str  # where answers go: the user, or the group or room
    user_id: str
    one_to_one: bool


@dataclass
class Batch:
    chat: Chat
    photos: list[bytes] = field(default_factory=list)
    reply_token: str | None = None
    last_event: float = 0.0  # seconds since the epoch, from LINE's timestamp
    last_photo_at: float = field(default_factory=time.monotonic)  # when it arrived here
    expected: int | None = None  # imageSet total
    set_id: str | None = None


Answer = Callable[[Batch], Coroutine[Any, Any, None]]


class Batcher:
    def __init__(self, quiet: float, answer: Answer) -> None:
        self.quiet, self.answer = quiet, answer
        self.batches: dict[tuple[str, str], Batch] = {}
        self._timers: dict[tuple[str, str], asyncio.Task[None]] = {}
        self.running: set[asyncio.Task[None]] = set()

    def add(
        self, chat: Chat, photo: bytes, reply_token: str | None, at: float, image_set: tuple[str, int] | None
    ) -> None:
        key = (chat.to, chat.user_id)
        batch = self.batches.setdefault(key, Batch(chat))
        batch.photos.append(photo)
        batch.reply_token, batch.last_event, batch.last_photo_at = reply_token, at, time.monotonic()
        if image_set:
            batch.set_id, batch.expected = image_set
        complete = batch.expected is not None and len(batch.photos) >= batch.expected
        if len(batch.photos) >= MAX_PHOTOS or (complete and chat.one_to_one):
            self.flush(key)
        elif chat.one_to_one:
            self._restart(key, self.quiet)
        else:
            self._restart(key, HELD_SECONDS, answer=False)  # a group waits for its mention

    def take(self, chat: Chat, reply_token: str | None, at: float) -> bool:
        """A mention in a group: answer that user's held photos now. False when none are held."""
        key = (chat.to, chat.user_id)
        if key not in self.batches:
            return False
        self.batches[key].reply_token, self.batches[key].last_event = reply_token, at
        self.flush(key)
        return True

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
        self.running.add(task)
        task.add_done_callback(self.running.discard)

    async def close(self) -> None:
        for task in [*self._timers.values(), *self.running]:
            task.cancel()
        await asyncio.gather(*self._timers.values(), *self.running, return_exceptions=True)
