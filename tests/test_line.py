"""The LINE channel through the real webhook and the real line-bot-sdk, against a local server
that speaks LINE's Messaging API (tests/line_server.py): nothing here calls LINE."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import func, select

from rxlens.catalog.bundled import Bundle
from rxlens.config import Settings
from rxlens.db.models import LineRecordRow, LineReminderRow, LineUserRow
from rxlens.errors import ConfigError
from rxlens.ocr.base import OcrEngine
from tests.flex_schema import check_flex
from tests.images import prescription
from tests.line_events import (
    group_source,
    image_event,
    image_set_events,
    mentionee,
    postback_event,
    text_event,
    unfollow_event,
    user_id,
    user_source,
)
from tests.lineapp import Bot, bot

pytestmark = pytest.mark.usefixtures("fonts")
ALICE = user_id("alice")


@pytest.fixture(scope="module")
def photos(bundle: Bundle) -> list[bytes]:
    return [prescription(bundle.products, seed, "bag")[1] for seed in (401, 402, 403)]


@pytest.fixture
def line(settings: Settings, ocr_engine: OcrEngine) -> Iterator[Bot]:
    with bot(settings, ocr_engine) as running_bot:
        yield running_bot


def _photo(b: Bot, data: bytes, **kw: Any) -> dict[str, Any]:
    event = image_event(reply_token=b.fake.issue_reply_token(), source=user_source(ALICE), **kw)
    b.fake.add_content(event["message"]["id"], data)
    return event


def _flex(sent: dict[str, Any]) -> dict[str, Any]:
    message: dict[str, Any] = sent["messages"][0]
    assert message["type"] == "flex", message
    return message


def _rows(db: Bot, table: Any) -> int:
    with db.services.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(table)) or 0)


def test_one_photo_gets_one_flex_card_by_reply(line: Bot, photos: list[bytes]) -> None:
    assert line.send(_photo(line, photos[0])).status_code == 200
    line.settle()
    [reply] = line.fake.wait_for_replies(1)
    card = _flex(reply)
    assert check_flex(card["contents"]) == []
    texts = " ".join(re.findall(r'"text": "([^"]*)"', str(card["contents"]).replace("'", '"')))
    assert "用藥紀錄" in texts and card["altText"].startswith("用藥紀錄")
    labels = [b["action"]["label"] for b in card["contents"]["footer"]["contents"]]
    assert labels == ["確認", "修改", "加入提醒"]
    assert [c["chatId"] for c in line.fake.loadings] == [ALICE]  # one-to-one: the loading dots
    assert line.fake.pushes == [] and line.line.channel.answered[0][0] == "reply"


def test_an_image_set_of_three_is_one_analysis(line: Bot, photos: list[bytes]) -> None:
    ids = ["900000000000000001", "900000000000000002", "900000000000000003"]
    tokens = [line.fake.issue_reply_token() for _ in ids]
    events = image_set_events(ids, tokens, source=user_source(ALICE))
    for message_id, data in zip(ids, photos, strict=True):
        line.fake.add_content(message_id, data)
    for event in events:  # LINE sends them as separate webhooks
        assert line.send(event).status_code == 200
    line.settle()
    assert len(line.fake.replies) == 1 and len(line.line.channel.answered) == 1
    body = line.fake.replies[0]
    assert len(_flex(body)["contents"]["body"]["contents"]) >= 3  # the drugs of three bags


def test_a_redelivered_event_is_handled_once(line: Bot, photos: list[bytes]) -> None:
    event = _photo(line, photos[0])
    again = dict(event, deliveryContext={"isRedelivery": True})
    line.send(event)
    line.send(again)
    line.settle()
    assert len(line.fake.replies) + len(line.fake.pushes) == 1
    assert line.services.metrics.line_webhooks.labels("redelivered")._value.get() == 1


def test_a_bad_or_missing_signature_is_refused_before_anything(line: Bot) -> None:
    body = b'{"destination":"x","events":[]}'
    for headers in ({"X-Line-Signature": "AAAA"}, {}):
        r = httpx.post(f"{line.url}/line/webhook", content=body, headers=headers)
        assert r.status_code == 400 and r.json()["code"] == "BadSignature"
    assert line.services.metrics.line_webhooks.labels("bad_signature")._value.get() == 2
    assert line.fake.calls == []


def test_a_late_answer_is_pushed_with_a_retry_key(
    settings: Settings, ocr_engine: OcrEngine, photos: list[bytes]
) -> None:
    with bot(settings, ocr_engine, reply_window_seconds=0.001) as late:
        late.send(_photo(late, photos[0]))
        late.settle()
        [push] = late.fake.wait_for_pushes(1)
        assert push["to"] == ALICE and _flex(push)
        [call] = [c for c in late.fake.calls if c.path == "/v2/bot/message/push"]
        assert re.fullmatch(r"[0-9a-f-]{36}", call.headers["x-line-retry-key"])
        assert late.fake.replies == []


def test_a_photo_without_drugs_gets_a_kind_hint(line: Bot) -> None:
    import io

    from PIL import Image

    blank = io.BytesIO()
    Image.new("RGB", (800, 600), "white").save(blank, "JPEG")
    line.send(_photo(line, blank.getvalue()))
    line.settle()
    [reply] = line.fake.wait_for_replies(1)
    assert reply["messages"][0]["type"] == "text" and "藥袋或藥單" in reply["messages"][0]["text"]


def test_confirm_edit_link_and_reminders(
    line: Bot, photos: list[bytes], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    line.send(_photo(line, photos[0]))
    line.settle()
    card = _flex(line.fake.wait_for_replies(1)[0])["contents"]
    confirm, edit, remind = (b["action"] for b in card["footer"]["contents"])
    # 修改: a signed link to the page; the record behind it reads and saves, a forged one is refused
    token = parse_qs(urlsplit(edit["uri"]).fragment)["line"][0]
    record = httpx.get(f"{line.url}/line/record", headers={"X-Line-Link": token}).json()
    assert record["medications"]
    record["medications"][0]["dose_quantity"] = 9
    record["medications"][0]["corrected"] = ["dose_quantity"]
    record["visit_date"], record["corrected"] = dt.date.today().isoformat(), ["visit_date"]  # a bag of today
    assert (
        httpx.put(f"{line.url}/line/record", json=record, headers={"X-Line-Link": token}).status_code == 204
    )
    assert (
        httpx.get(f"{line.url}/line/record", headers={"X-Line-Link": token}).json()["medications"][0][
            "dose_quantity"
        ]
        == 9
    )
    forged = httpx.get(f"{line.url}/line/record", headers={"X-Line-Link": token[:-4] + "AAAA"})
    assert forged.status_code == 403 and forged.json()["code"] == "LinkExpired"
    # 確認, then 加入提醒: the record kept sealed, the reminders scheduled
    for action in (confirm, remind):
        line.send(
            postback_event(
                action["data"], reply_token=line.fake.issue_reply_token(), source=user_source(ALICE)
            )
        )
        line.settle()
    said = [r["messages"][0]["text"] for r in line.fake.replies[1:]]
    assert "已保存" in said[0] and "提醒" in said[1]
    assert _rows(line, LineReminderRow) > 0 and _rows(line, LineUserRow) == 1
    with line.services.engine.connect() as conn:
        sealed = conn.scalar(select(LineRecordRow.sealed))
    assert sealed and "medications" not in sealed  # sealed at rest, not JSON
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "/line/record" in logged and token not in logged and ALICE not in logged


def test_privacy_delete_and_unfollow(line: Bot, photos: list[bytes]) -> None:
    line.send(_photo(line, photos[0]))
    line.settle()
    line.send(text_event("隱私", reply_token=line.fake.issue_reply_token(), source=user_source(ALICE)))
    line.settle()
    assert "刪除資料" in line.fake.replies[-1]["messages"][0]["text"]
    assert _rows(line, LineRecordRow) == 1
    line.send(text_event("刪除資料", reply_token=line.fake.issue_reply_token(), source=user_source(ALICE)))
    line.settle()
    assert "已刪除" in line.fake.replies[-1]["messages"][0]["text"]
    assert _rows(line, LineRecordRow) == _rows(line, LineUserRow) == 0
    line.send(_photo(line, photos[1]))
    line.settle()
    assert _rows(line, LineRecordRow) == 1
    line.send(unfollow_event(source=user_source(ALICE)))
    line.settle()
    assert _rows(line, LineRecordRow) == _rows(line, LineReminderRow) == _rows(line, LineUserRow) == 0


def test_groups_answer_only_when_mentioned(line: Bot, photos: list[bytes]) -> None:
    group = "C" + "1" * 32
    event = image_event(source=group_source(group, ALICE))
    line.fake.add_content(event["message"]["id"], photos[0])
    line.send(event)
    line.handled()
    assert len(line.line.channel.batcher.batches) == 1  # held for its mention
    assert line.fake.replies == [] and line.fake.pushes == [] and line.fake.loadings == []
    words = "@rxlens 幫我看"
    mention = text_event(
        words, reply_token=line.fake.issue_reply_token(), source=group_source(group, ALICE),
        mentionees=[mentionee(words, "rxlens", is_self=True)],
    )  # fmt: skip
    line.send(mention)
    line.settle()
    [reply] = line.fake.wait_for_replies(1)
    assert _flex(reply)


def test_groups_off_answers_nothing(settings: Settings, ocr_engine: OcrEngine, photos: list[bytes]) -> None:
    with bot(settings, ocr_engine, groups="off") as quiet:
        words = "@rxlens 幫我看"
        event = text_event(
            words, reply_token=quiet.fake.issue_reply_token(), source=group_source("C" + "2" * 32, ALICE),
            mentionees=[mentionee(words, "rxlens", is_self=True)],
        )  # fmt: skip
        quiet.send(event)
        quiet.settle()
        assert quiet.fake.calls == []


def test_rate_limit_and_push_quota(settings: Settings, ocr_engine: OcrEngine, photos: list[bytes]) -> None:
    with bot(settings, ocr_engine, analyses_burst=1, analyses_per_minute=1, reply_window_seconds=0.001,
             monthly_push_quota=1) as tight:  # fmt: skip
        tight.send(_photo(tight, photos[0]))
        tight.settle()
        tight.send(_photo(tight, photos[1]))
        tight.settle()
        # first: analysed and pushed (quota 1); second: rate limited, and its push is over quota
        assert len(tight.fake.pushes) == 1 and _flex(tight.fake.pushes[0])
        assert [via for via, _ in tight.line.channel.answered] == ["push", "over_quota"]


def test_the_channel_needs_both_secret_and_token(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Set through the environment as a deployment does: refused with a message naming what is missing."""
    from rxlens.config import get_settings

    monkeypatch.setenv("RXLENS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RXLENS_LINE__CHANNEL_SECRET", "s")
    for missing, needed in (("", "needs both"), ("RXLENS_LINE__CHANNEL_ACCESS_TOKEN", "DATA_KEY")):
        if missing:
            monkeypatch.setenv(missing, "t")
        get_settings.cache_clear()
        with pytest.raises(ConfigError, match=needed):
            get_settings()
    get_settings.cache_clear()
