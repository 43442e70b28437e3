"""What the LINE channel holds and refuses: photos of group members who did not ask, files too
large to read, webhooks replayed or from the standby channel, the 修改 link's record. Through the
real webhook and SDK against the fake LINE server; an OCR engine that reads nothing stands in for
the model (these tests are about the channel, not the reading)."""

from __future__ import annotations

import asyncio
import io
import json
import os
import time
from collections.abc import Iterator

import httpx
import pytest
from cryptography.fernet import Fernet
from PIL import Image
from pydantic import SecretStr

from rxlens.config import IntakeSettings, Settings
from rxlens.errors import ConfigError
from rxlens.images.intake import Photo
from rxlens.line.links import make_token, open_token
from rxlens.line.open import open_line
from rxlens.line.store import EVENT_MEMORY_SECONDS, minimal
from rxlens.ocr.base import TextLine
from rxlens.queue.open import open_jobs
from rxlens.result import AnalysisResult, Medication
from rxlens.services import Services
from tests.line_events import group_source, image_event, mentionee, text_event, user_id, user_source
from tests.line_server import line_server
from tests.lineapp import Bot, bot, line_settings

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


# --- the record behind a 修改 link ---------------------------------------------------------------


def kept(b: Bot, record: AnalysisResult, user: str = ALICE, sealed_at: float | None = None) -> str:
    """A record kept for `user`, and the token of its 修改 link (made `sealed_at`, default now)."""
    store = b.line.channel.store
    key = store.user_key(user)
    record_id = store.save_record(key, record, time.time() + 3600)
    if sealed_at is None:
        return make_token(b.line.sealer, record_id, key)
    secret = b.services.settings.line.data_key
    assert secret is not None
    data = json.dumps({"r": record_id, "u": key}).encode()
    return Fernet(secret.get_secret_value()).encrypt_at_time(data, int(sealed_at)).decode()


def put(b: Bot, token: str, body: bytes) -> httpx.Response:
    headers = {"Content-Type": "application/json", "X-Line-Link": token}
    return httpx.put(f"{b.url}/line/record", content=body, headers=headers, timeout=30)


RECORD = AnalysisResult(clinic_name="仁愛診所", medications=[Medication(drug_name_zh="甲錠", days=7)])


def test_an_expired_or_someone_else_s_link_opens_nothing(line: Bot) -> None:
    stale = kept(line, RECORD, sealed_at=time.time() - line.services.settings.line.link_ttl_seconds - 5)
    store = line.line.channel.store
    record_id = store.save_record(store.user_key(ALICE), RECORD, time.time() + 3600)
    bobs = make_token(line.line.sealer, record_id, store.user_key(user_id("bob")))  # Alice's record
    for token in (stale, bobs):
        assert httpx.get(f"{line.url}/line/record", headers={"X-Line-Link": token}).status_code == 403
        assert put(line, token, RECORD.model_dump_json().encode()).status_code == 403


def test_a_put_without_a_valid_link_is_refused_before_its_body_is_read(line: Bot) -> None:
    assert put(line, "not-a-token", b"[" * 3_000_000).status_code == 403


def test_a_put_record_too_large_or_too_long_or_not_unicode_is_refused(line: Bot) -> None:
    token = kept(line, RECORD)
    long = RECORD.model_copy(update={"medications": [Medication(drug_name_zh="甲錠")] * 201})
    filler = RECORD.model_copy(update={"user_message": "字" * 2_000_000})
    surrogate = RECORD.model_dump_json().replace("仁愛診所", "\\ud800").encode()
    for body, status in ((filler.model_dump_json().encode(), 413), (long.model_dump_json().encode(), 422),
                         (surrogate, 422), (b"{", 422)):  # fmt: skip
        assert put(line, token, body).status_code == status
    assert (
        httpx.get(f"{line.url}/line/record", headers={"X-Line-Link": token}).json()["clinic_name"]
        == "仁愛診所"
    )


def test_a_confirmed_record_stays_cut_down_when_corrected(line: Bot) -> None:
    """Kept for reminders only what reminders need: a PUT after 確認 does not bring the rest back."""
    token = kept(line, RECORD)
    record_id, key = open_token(line.line.sealer, token, 60)
    store = line.line.channel.store
    store.confirm(record_id, key, RECORD, time.time())
    full = RECORD.model_copy(
        update={"user_message": "整段辨識文字", "warnings": ["x"], "doctor_name": "王醫師"}
    )
    full.medications[0] = full.medications[0].model_copy(update={"side_effects": "嗜睡"})
    assert put(line, token, full.model_dump_json().encode()).status_code == 204
    saved = store.record(record_id, key, time.time())
    assert saved is not None and saved == minimal(full)
    assert saved.user_message == "" and saved.medications[0].side_effects == ""


@pytest.mark.parametrize("empty", ["channel_secret", "channel_access_token"])
def test_an_empty_channel_secret_or_token_is_refused_at_startup(settings: Settings, empty: str) -> None:
    """RXLENS_LINE__CHANNEL_SECRET= (set, but empty) turns the channel on: with an empty HMAC key
    anyone could sign a webhook."""
    with line_server() as fake:
        chosen = line_settings(settings, fake)
        chosen.line.__dict__[empty] = SecretStr(" ")
        services = Services.open(chosen)

        async def start() -> None:  # as the lifespan does, in the event loop
            await open_line(services, open_jobs(services)).close()

        try:
            with pytest.raises(ConfigError, match=empty.upper()):
                asyncio.run(start())
        finally:
            services.close()
