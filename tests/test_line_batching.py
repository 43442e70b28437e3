"""How photos become batches (rxlens/line/batch.py), without LINE or OCR: the answer is a function
that records what it was given."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from rxlens.line.batch import MAX_PHOTOS, SET_PATIENCE, Batch, Batcher, Chat, Photo

ALICE = Chat("U" + "a" * 32, "U" + "a" * 32, True)
GROUP = Chat("C" + "1" * 32, "U" + "a" * 32, False)
Scene = Callable[[Batcher], Awaitable[None]]


def answered(scene: Scene, quiet: float = 0.05) -> list[list[str]]:
    """The message ids of each batch answered while `scene` runs (and its quiet window after)."""
    got: list[list[str]] = []

    async def answer(batch: Batch) -> None:
        got.append([p.message_id for p in batch.photos])

    async def run() -> None:
        batcher = Batcher(quiet, answer)
        await scene(batcher)
        await asyncio.sleep(quiet * 4)
        await asyncio.sleep(0)
        await batcher.close()

    asyncio.run(run())
    return got


def photo(n: int, at: float | None = None, image_set: tuple[str, int, int] | None = None) -> Photo:
    return Photo(f"m{n}", at if at is not None else 1000.0 + n, image_set, b"jpeg")


def test_a_photo_then_an_image_set_is_one_analysis() -> None:
    """The loose photo does not count toward the set: the set is not cut before its last photo."""

    async def scene(b: Batcher) -> None:
        b.add(ALICE, photo(1), "t1")
        for i in (1, 2, 3):
            b.add(ALICE, photo(1 + i, image_set=("S", i, 3)), f"t{i}")

    assert answered(scene) == [["m1", "m2", "m3", "m4"]]


def test_an_image_set_arriving_out_of_order_is_read_in_the_order_sent() -> None:
    async def scene(b: Batcher) -> None:
        for i in (3, 1, 2):
            b.add(ALICE, photo(i, at=1000.0, image_set=("S", i, 3)), f"t{i}")

    assert answered(scene) == [["m1", "m2", "m3"]]


def test_photos_from_separate_webhooks_are_read_in_the_order_sent() -> None:
    async def scene(b: Batcher) -> None:
        b.add(ALICE, photo(2, at=1002.0), "t2")
        b.add(ALICE, photo(1, at=1001.0), "t1")

    assert answered(scene) == [["m1", "m2"]]


def test_a_group_is_never_answered_without_its_mention() -> None:
    """Seven photos in a group: held (the latest five), answered only when the bot is mentioned."""

    async def scene(b: Batcher) -> None:
        for n in range(1, 8):
            b.add(GROUP, photo(n), None)
        await asyncio.sleep(0.2)
        assert not b.running and len(b.batches[(GROUP.to, GROUP.user_id)].photos) == MAX_PHOTOS
        assert b.take(GROUP, "mention", 2000.0)

    assert answered(scene) == [["m3", "m4", "m5", "m6", "m7"]]


def test_dropping_a_chat_forgets_its_photos() -> None:
    """刪除資料 or an unfollow while photos are held: nothing of them is answered or kept."""

    async def scene(b: Batcher) -> None:
        b.add(ALICE, photo(1), "t1")
        b.drop(ALICE.user_id)
        assert not b.batches

    assert answered(scene) == []


def test_an_image_set_slow_to_upload_waits_for_its_last_photo() -> None:
    """On a slow phone the set's photos come seconds apart, longer than the quiet window: LINE
    said three are coming, so the batch waits for the third (up to SET_PATIENCE quiet windows)."""

    async def scene(b: Batcher) -> None:
        b.add(ALICE, photo(1, image_set=("S", 1, 3)), "t1")
        await asyncio.sleep(b.quiet * 2)
        b.add(ALICE, photo(2, image_set=("S", 2, 3)), "t2")
        await asyncio.sleep(b.quiet * 2)
        b.add(ALICE, photo(3, image_set=("S", 3, 3)), "t3")

    assert answered(scene) == [["m1", "m2", "m3"]]


def test_an_image_set_that_never_completes_is_answered_after_its_patience() -> None:
    async def scene(b: Batcher) -> None:
        b.add(ALICE, photo(1, image_set=("S", 1, 3)), "t1")
        await asyncio.sleep(b.quiet * (SET_PATIENCE + 1))

    assert answered(scene) == [["m1"]]
