"""What the LINE channel holds and refuses: photos of group members who did not ask, files too
large to read, webhooks replayed or from the standby channel, the 修改 link's record. Through the
real webhook and SDK against the fake LINE server; an OCR engine that reads nothing stands in for
the model (these tests are about the channel, not the reading)."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator

import pytest
from PIL import Image

from rxlens.config import IntakeSettings, Settings
from rxlens.images.intake import Photo
from rxlens.line.store import EVENT_MEMORY_SECONDS
from rxlens.ocr.base import TextLine
from tests.line_events import group_source, image_event, mentionee, text_event, user_id, user_source
from tests.lineapp import Bot, bot

ALICE = user_id("alice")
GROUP = "C" + "1" * 32


class BlankOcr:
    """Reads no text on any photo: every answer is the kind 'no drug here' hint."""

    name = "blank"

    def warm_up(self) -> None:
        pass

    def read(self, photo: Photo) -> list[TextLine]:
        return []


def jpeg(size: tuple[int, int] = (640, 480)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def line(settings: Settings) -> Iterator[Bot]:
    small = settings.model_copy(update={"intake": IntakeSettings(max_bytes=200_000)})
    with bot(small, BlankOcr()) as running:
        yield running


def said(b: Bot) -> list[str]:
    return [m["text"] for sent in b.fake.replies + b.fake.pushes for m in sent["messages"]]


def fetched(b: Bot) -> int:
    return sum(1 for c in b.fake.calls if c.host == "data")


def test_a_group_s_photos_are_fetched_only_when_the_bot_is_asked(line: Bot) -> None:
    event = image_event(source=group_source(GROUP, ALICE))
    line.fake.add_content(event["message"]["id"], jpeg())
    line.send(event)
    line.handled()
    assert fetched(line) == 0, "a photo in a group is nobody's request until the bot is mentioned"
    words = "@rxlens 幫我看"
    line.send(
        text_event(
            words,
            reply_token=line.fake.issue_reply_token(),
            source=group_source(GROUP, ALICE),
            mentionees=[mentionee(words, "rxlens", is_self=True)],
        )  # fmt: skip
    )
    line.settle()
    assert fetched(line) == 1 and len(line.fake.replies) == 1


def test_a_photo_over_the_size_limit_is_refused_kindly_and_not_held(line: Bot) -> None:
    event = image_event(reply_token=line.fake.issue_reply_token(), source=user_source(ALICE))
    line.fake.add_content(event["message"]["id"], os.urandom(2_000_000))
    line.send(event)
    line.settle()
    assert said(line) == ["照片檔案太大，請改傳較小的照片。"]
    assert not line.line.channel.answered, "nothing analysed"


def test_a_replay_older_than_the_event_memory_is_ignored(line: Bot) -> None:
    """The signature has no time in it: a body recorded days ago still verifies. Its event ids are
    forgotten after EVENT_MEMORY_SECONDS, so an older event must not be handled (an unfollow
    replayed would delete a user's reminders; a 刪除資料, the same)."""
    old = text_event("隱私", reply_token=line.fake.issue_reply_token(), source=user_source(ALICE))
    old["timestamp"] -= int((EVENT_MEMORY_SECONDS + 60) * 1000)
    assert line.send(old).status_code == 200
    line.settle()
    assert said(line) == []


def test_events_of_the_standby_channel_are_not_answered(line: Bot) -> None:
    """mode standby: another channel of the module answers this chat (LINE: do not reply)."""
    event = text_event("隱私", reply_token=line.fake.issue_reply_token(), source=user_source(ALICE))
    event["mode"] = "standby"
    line.send(event)
    line.settle()
    assert said(line) == []
