"""The fake LINE (tests/line_server.py), its webhook bodies (tests/line_events.py) and the Flex checker
(tests/flex_schema.py), driven through the real line-bot-sdk v3 client and webhook parser: if the SDK
and the fake disagree about a path, header, status or JSON shape, these fail before any bot test does."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    CameraAction,
    CameraRollAction,
    Configuration,
    FlexContainer,
    FlexMessage,
    MessageAction,
    MessagingApi,
    MessagingApiBlob,
    PushMessageRequest,
    QuickReply,
    QuickReplyItem,
    ReplyMessageRequest,
    ShowLoadingAnimationRequest,
    TextMessage,
)
from linebot.v3.webhooks import CallbackRequest

from tests.flex_schema import BUBBLE_MAX_BYTES, check_flex, check_message, json_size
from tests.line_events import (
    BOT_USER_ID,
    CHANNEL_SECRET,
    follow_event,
    group_source,
    image_set_events,
    mentionee,
    payload,
    postback_event,
    sign,
    signed,
    text_event,
    ulid,
    unfollow_event,
    user_id,
)
from tests.line_server import ACCESS_TOKEN, AUTH_FAILED, Clock, LineServer, line_server

PATIENT = user_id("patient")
JPEG = b"\xff\xd8\xff\xe0" + bytes(64) + b"\xff\xd9"  # a JPEG's start and end markers
AUTH = {"Authorization": f"Bearer {ACCESS_TOKEN}"}


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def line(clock: Clock) -> Iterator[LineServer]:
    with line_server(clock=clock) as server:
        yield server


@pytest.fixture
def bot(line: LineServer) -> Iterator[MessagingApi]:
    with ApiClient(Configuration(host=line.url, access_token=ACCESS_TOKEN)) as client:
        yield MessagingApi(client)


@pytest.fixture
def blob(line: LineServer) -> Iterator[MessagingApiBlob]:
    with ApiClient(Configuration(host=line.data_url, access_token=ACCESS_TOKEN)) as client:
        yield MessagingApiBlob(client)


def refusal(raised: pytest.ExceptionInfo[ApiException]) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(raised.value.body)
    return body


def reply(bot: MessagingApi, token: str, text: str) -> Any:
    return bot.reply_message(ReplyMessageRequest(reply_token=token, messages=[TextMessage(text=text)]))


def push(to: str, text: str) -> PushMessageRequest:
    return PushMessageRequest(to=to, messages=[TextMessage(text=text)])


def text_bubble(text: str) -> dict[str, Any]:
    return {"type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": [text_row(text)]}}


def text_row(text: str) -> dict[str, Any]:
    return {"type": "text", "text": text, "wrap": True}


# --- reply -------------------------------------------------------------------------------------


def test_a_reply_token_is_good_for_one_reply(line: LineServer, bot: MessagingApi) -> None:
    token = line.issue_reply_token()
    answer = reply(bot, token, "收到 3 張藥袋，整理中")
    with pytest.raises(ApiException) as refused:
        reply(bot, token, "again")
    assert answer.sent_messages[0].quote_token
    assert refused.value.status == 400
    assert refusal(refused) == {"message": "Invalid reply token"}
    assert [r["messages"][0]["text"] for r in line.replies] == ["收到 3 張藥袋，整理中"]


def test_a_reply_token_expires(line: LineServer, bot: MessagingApi, clock: Clock) -> None:
    token = line.issue_reply_token()
    clock.advance(line.reply_token_ttl + 1)
    with pytest.raises(ApiException) as refused:
        reply(bot, token, "too late")
    assert (refused.value.status, refusal(refused)["message"]) == (400, "Invalid reply token")
    assert line.replies == []


def test_a_reply_token_line_never_issued_is_refused(line: LineServer, bot: MessagingApi) -> None:
    token = text_event("hi")["replyToken"]
    with pytest.raises(ApiException) as refused:
        reply(bot, token, "hello")
    assert refused.value.status == 400


def test_a_reply_takes_no_retry_key(line: LineServer) -> None:
    body = {"replyToken": line.issue_reply_token(), "messages": [{"type": "text", "text": "hi"}]}
    headers = AUTH | {"X-Line-Retry-Key": str(uuid.uuid4())}
    answer = httpx.post(f"{line.url}/v2/bot/message/reply", json=body, headers=headers)
    assert answer.status_code == 400


# --- push, retry keys, quota -------------------------------------------------------------------


def test_a_retried_push_is_delivered_once(line: LineServer, bot: MessagingApi) -> None:
    key = str(uuid.uuid4())
    first = bot.push_message_with_http_info(push(PATIENT, "明早 8:00 服藥"), x_line_retry_key=key)
    with pytest.raises(ApiException) as refused:
        bot.push_message(push(PATIENT, "明早 8:00 服藥"), x_line_retry_key=key)
    assert refused.value.status == 409
    assert refused.value.headers["x-line-accepted-request-id"] == first.headers["x-line-request-id"]
    assert refusal(refused) == {
        "message": "The retry key is already accepted",
        "sentMessages": [m.to_dict() for m in first.data.sent_messages],
    }
    assert len(line.pushes) == 1 and line.usage == 1


def test_a_retry_key_lasts_24_hours(line: LineServer, bot: MessagingApi, clock: Clock) -> None:
    key = str(uuid.uuid4())
    bot.push_message(push(PATIENT, "first"), x_line_retry_key=key)
    clock.advance(24 * 3600 + 1)
    bot.push_message(push(PATIENT, "a day later"), x_line_retry_key=key)
    assert [p["messages"][0]["text"] for p in line.pushes] == ["first", "a day later"]


def test_a_refused_push_leaves_its_retry_key_unused(line: LineServer, bot: MessagingApi) -> None:
    key = str(uuid.uuid4())
    with pytest.raises(ApiException) as refused:
        bot.push_message(push("nobody", "hi"), x_line_retry_key=key)
    bot.push_message(push(PATIENT, "hi"), x_line_retry_key=key)
    assert refused.value.status == 400
    assert refusal(refused)["details"] == [{"message": "invalid", "property": "to"}]
    assert len(line.pushes) == 1


def test_pushes_past_the_monthly_limit_get_429(clock: Clock) -> None:
    with (
        line_server(monthly_limit=2, clock=clock) as line,
        ApiClient(Configuration(host=line.url, access_token=ACCESS_TOKEN)) as client,
    ):
        bot = MessagingApi(client)
        for text in ("08:00 普拿疼", "20:00 普拿疼"):
            bot.push_message(push(PATIENT, text))
        with pytest.raises(ApiException) as refused:
            bot.push_message(push(PATIENT, "one too many"))
        reply(bot, line.issue_reply_token(), "replies are free")
        quota, used = bot.get_message_quota(), bot.get_message_quota_consumption()
    assert (refused.value.status, refusal(refused)) == (
        429,
        {"message": "You have reached your monthly limit."},
    )
    assert (quota.type, quota.value, used.total_usage) == ("limited", 2, 2)
    assert len(line.pushes) == 2 and len(line.replies) == 1


def test_without_a_target_limit_the_quota_is_none(bot: MessagingApi) -> None:
    assert bot.get_message_quota().to_dict() == {"type": "none"}


def test_every_call_is_recorded(line: LineServer, bot: MessagingApi, clock: Clock) -> None:
    key = str(uuid.uuid4())
    bot.push_message(push(PATIENT, "記得吃藥"), x_line_retry_key=key)
    call = line.calls[-1]
    assert (call.method, call.path, call.status, call.host, call.at) == (
        "POST",
        "/v2/bot/message/push",
        200,
        "api",
        clock.now,
    )
    assert call.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert call.headers["x-line-retry-key"] == key
    assert (call.body["to"], call.body["messages"]) == (PATIENT, [{"type": "text", "text": "記得吃藥"}])


def test_waiting_for_pushes_made_from_another_thread(line: LineServer) -> None:
    def later() -> None:
        httpx.post(f"{line.url}/v2/bot/message/push", json=push(PATIENT, "done").to_dict(), headers=AUTH)

    worker = threading.Thread(target=later)
    worker.start()
    pushes = line.wait_for_pushes(1, timeout=5)
    worker.join()
    assert pushes[0]["messages"][0]["text"] == "done"
    with pytest.raises(TimeoutError):
        line.wait_for_pushes(2, timeout=0.05)


# --- loading animation -------------------------------------------------------------------------


def test_the_loading_animation_is_accepted_with_202(line: LineServer, bot: MessagingApi) -> None:
    request = ShowLoadingAnimationRequest(chat_id=PATIENT, loading_seconds=20)
    answer = bot.show_loading_animation_with_http_info(request)
    assert (answer.status_code, answer.data) == (202, {})
    assert line.loadings == [{"chatId": PATIENT, "loadingSeconds": 20}]


@pytest.mark.parametrize(
    "seconds",
    [
        pytest.param(7, id="not a multiple of 5"),
        pytest.param(65, id="over 60"),
        pytest.param(0, id="under 5"),
        pytest.param("20", id="not a number"),
    ],
)
def test_loading_seconds_line_refuses(line: LineServer, seconds: Any) -> None:
    body = {"chatId": PATIENT, "loadingSeconds": seconds}
    answer = httpx.post(f"{line.url}/v2/bot/chat/loading/start", json=body, headers=AUTH)
    assert answer.status_code == 400
    assert [d["property"] for d in answer.json()["details"]] == ["loadingSeconds"]
    assert line.loadings == []


# --- data API: content; profiles ---------------------------------------------------------------


def test_content_comes_from_the_data_host(line: LineServer, blob: MessagingApiBlob) -> None:
    line.add_content("468789577898262530", JPEG)
    answer = blob.get_message_content_with_http_info("468789577898262530")
    assert (bytes(answer.data), answer.headers["Content-Type"]) == (JPEG, "image/jpeg")
    assert blob.get_message_content_transcoding_by_message_id("468789577898262530").status == "succeeded"
    with pytest.raises(ApiException) as unknown:
        blob.get_message_content("1")
    assert unknown.value.status == 404


def test_content_asked_of_the_api_host_is_404(line: LineServer) -> None:
    line.add_content("468789577898262530", JPEG)
    # The SDK's MessagingApiBlob given the API host, as a bot configured with one host would do.
    with (
        ApiClient(Configuration(host=line.url, access_token=ACCESS_TOKEN)) as client,
        pytest.raises(ApiException) as refused,
    ):
        MessagingApiBlob(client).get_message_content("468789577898262530")
    assert refused.value.status == 404


def test_profiles_of_registered_users(line: LineServer, bot: MessagingApi) -> None:
    line.add_user(PATIENT, "王小明")
    profile = bot.get_profile(PATIENT)
    with pytest.raises(ApiException) as unknown:
        bot.get_profile(user_id("stranger"))
    assert (profile.display_name, profile.user_id, profile.language) == ("王小明", PATIENT, "zh-TW")
    assert profile.picture_url.startswith("https://")
    assert unknown.value.status == 404


# --- authentication ----------------------------------------------------------------------------


def test_a_wrong_access_token_is_401_on_both_hosts(line: LineServer) -> None:
    line.add_content("1", JPEG)
    with (
        ApiClient(Configuration(host=line.url, access_token="revoked")) as api,
        ApiClient(Configuration(host=line.data_url, access_token="revoked")) as data,
    ):
        with pytest.raises(ApiException) as pushed:
            MessagingApi(api).push_message(push(PATIENT, "hi"))
        with pytest.raises(ApiException) as fetched:
            MessagingApiBlob(data).get_message_content("1")
    assert (pushed.value.status, refusal(pushed)) == (401, {"message": AUTH_FAILED})
    assert fetched.value.status == 401
    assert line.pushes == []


# --- message bodies and Flex -------------------------------------------------------------------


def test_a_flex_text_with_empty_text_is_refused(line: LineServer, bot: MessagingApi) -> None:
    bubble = text_bubble("")
    flex = FlexMessage(alt_text="藥袋整理結果", contents=FlexContainer.from_dict(bubble))
    with pytest.raises(ApiException) as refused:
        bot.reply_message(ReplyMessageRequest(reply_token=line.issue_reply_token(), messages=[flex]))
    problem = "must be a non-empty string (or give `contents` spans)"
    assert check_flex(bubble) == [f"body.contents[0].text: {problem}"]
    assert refused.value.status == 400
    assert refusal(refused) == {
        "message": "The request body has 1 error(s)",
        "details": [{"message": problem, "property": "messages[0].contents.body.contents[0].text"}],
    }
    assert line.replies == []


def test_a_bubble_over_30_kb_is_refused(line: LineServer, bot: MessagingApi) -> None:
    bubble = text_bubble("普拿疼錠 Panadol 500 毫克 一日三次 飯後服用")
    while json_size(bubble) <= BUBBLE_MAX_BYTES:
        bubble["body"]["contents"].append(text_row("安眠藥 Stilnox 10 毫克 睡前一粒"))
    flex = FlexMessage(alt_text="藥袋整理結果", contents=FlexContainer.from_dict(bubble))
    with pytest.raises(ApiException) as refused:
        bot.push_message(PushMessageRequest(to=PATIENT, messages=[flex]))
    assert any("a bubble may be at most 30720" in p for p in check_flex(bubble))
    assert refused.value.status == 400
    assert [d["property"] for d in refusal(refused)["details"]] == ["messages[0].contents"]


def test_a_bubble_of_20_kb_is_sent(line: LineServer, bot: MessagingApi) -> None:
    # LINE raised the limit from 10 KB to 30 KB in September 2020: a 20 KB bubble goes through.
    bubble = text_bubble("普拿疼錠 Panadol 500 毫克")
    while json_size(bubble) < 20 * 1024:
        bubble["body"]["contents"].append(text_row("安眠藥 Stilnox 10 毫克 睡前一粒"))
    flex = FlexMessage(alt_text="藥袋整理結果", contents=FlexContainer.from_dict(bubble))
    bot.push_message(PushMessageRequest(to=PATIENT, messages=[flex]))
    assert check_flex(bubble) == []
    assert line.pushes[0]["messages"][0]["contents"] == bubble


def test_quick_reply_buttons_the_sdk_builds_are_accepted(line: LineServer, bot: MessagingApi) -> None:
    items = [
        QuickReplyItem(action=CameraAction(label="拍藥袋")),
        QuickReplyItem(action=CameraRollAction(label="從相簿選")),
        *[QuickReplyItem(action=MessageAction(label=f"第{i}包", text=f"第{i}包")) for i in range(11)],
    ]
    message = TextMessage(text="請拍下藥袋", quick_reply=QuickReply(items=items))
    reply_answer = bot.reply_message(
        ReplyMessageRequest(reply_token=line.issue_reply_token(), messages=[message])
    )
    assert len(reply_answer.sent_messages) == 1
    assert len(line.replies[0]["messages"][0]["quickReply"]["items"]) == 13


def quick_reply_text(buttons: int) -> dict[str, Any]:
    item = {"type": "action", "action": {"type": "message", "label": "x", "text": "x"}}
    return {"type": "text", "text": "x", "quickReply": {"items": [item] * buttons}}


@pytest.mark.parametrize(
    ("body", "property"),
    [
        pytest.param({"messages": []}, "messages", id="no messages"),
        pytest.param({"messages": [{"type": "text", "text": "x"}] * 6}, "messages", id="six messages"),
        pytest.param(
            {"messages": [{"type": "text", "text": "😀" * 2501}]}, "messages[0].text", id="text over 5000"
        ),
        pytest.param(
            {"messages": [{"type": "flex", "altText": "", "contents": text_bubble("x")}]},
            "messages[0].altText",
            id="empty altText",
        ),
        pytest.param({"messages": [quick_reply_text(14)]}, "messages[0].quickReply.items", id="14 buttons"),
        pytest.param(
            {"messages": [{"type": "template", "altText": "x"}]}, "messages[0].type", id="unknown type"
        ),
    ],
)
def test_bodies_line_refuses_with_400(line: LineServer, body: dict[str, Any], property: str) -> None:
    body = {"to": PATIENT} | body
    answer = httpx.post(f"{line.url}/v2/bot/message/push", json=body, headers=AUTH)
    assert answer.status_code == 400
    assert answer.json()["message"] == "The request body has 1 error(s)"
    assert [d["property"] for d in answer.json()["details"]] == [property]


def test_unreadable_json_and_unknown_paths(line: LineServer) -> None:
    garbled = httpx.post(f"{line.url}/v2/bot/message/push", content=b"{not json", headers=AUTH)
    unknown = httpx.get(f"{line.url}/v2/bot/nothing", headers=AUTH)
    assert (garbled.status_code, unknown.status_code) == (400, 404)
    assert garbled.headers["x-line-request-id"]


def test_text_length_counts_utf16_units_as_line_does() -> None:
    assert check_message({"type": "text", "text": "藥" * 5000}) == []
    assert check_message({"type": "text", "text": "😀" * 2501}) == [
        "text: must be at most 5000 characters, not 5002"
    ]


def a_carousel(bubbles: int, size: str = "mega", filler: int = 0) -> dict[str, Any]:
    bubble = text_bubble("x" * max(filler, 1)) | {"size": size}
    return {"type": "carousel", "contents": [bubble] * bubbles}


def with_row(row: dict[str, Any], layout: str = "vertical") -> dict[str, Any]:
    return {"type": "bubble", "body": {"type": "box", "layout": layout, "contents": [row]}}


def button(action: dict[str, Any]) -> dict[str, Any]:
    return with_row({"type": "button", "action": action})


LINE_EXAMPLE = {  # the Bubble example of LINE's reference, hero and all
    "type": "bubble",
    "header": {"type": "box", "layout": "vertical", "contents": [{"type": "text", "text": "Header text"}]},
    "hero": {"type": "image", "url": "https://example.com/flex/images/image.jpg"},
    "body": {"type": "box", "layout": "vertical", "contents": [{"type": "text", "text": "Body text"}]},
    "footer": {"type": "box", "layout": "vertical", "contents": [{"type": "text", "text": "Footer text"}]},
    "styles": {"footer": {"backgroundColor": "#00ffff", "separator": True, "separatorColor": "#000000"}},
}
SPANS = {"type": "text", "contents": [{"type": "span", "text": "蛙", "color": "#4f8f00", "weight": "bold"}]}
ICON = {"type": "icon", "url": "https://example.com/icon.png"}
IMAGE = {"type": "image", "url": "https://example.com/a.png"}
VIDEO = {
    "type": "video",
    "url": "https://example.com/v.mp4",
    "previewUrl": "https://example.com/p.jpg",
    "altContent": IMAGE,
}


@pytest.mark.parametrize(
    ("container", "problem"),
    [
        pytest.param(LINE_EXAMPLE, None, id="LINE's bubble example"),
        pytest.param(with_row(SPANS), None, id="text of spans"),
        pytest.param(with_row(ICON, "baseline"), None, id="icon in a baseline box"),
        pytest.param(with_row({"type": "text", "text": "x", "color": "#11223344"}), None, id="#RRGGBBAA"),
        pytest.param(a_carousel(12), None, id="12 bubbles"),
        pytest.param({"type": "bubble", "hero": VIDEO}, None, id="video hero"),
        pytest.param({"type": "flex"}, "type: must be bubble or carousel, not 'flex'", id="not a container"),
        pytest.param(a_carousel(13), "contents: must hold 1 to 12 bubbles", id="13 bubbles"),
        pytest.param(
            text_bubble("x") | {"size": "large"},
            "size: must be one of nano, micro, deca, hecto, kilo, mega, giga",
            id="bubble size",
        ),
        pytest.param(
            with_row({"type": "text", "text": "x", "color": "red"}),
            "body.contents[0].color: must be a color as #RRGGBB or #RRGGBBAA, not 'red'",
            id="color",
        ),
        pytest.param(
            with_row({"type": "box", "layout": "grid", "contents": []}),
            "body.contents[0].layout: must be one of horizontal, vertical, baseline",
            id="layout",
        ),
        pytest.param(
            with_row(ICON),
            "body.contents[0].type: a vertical box holds box, button, image, text, "
            "separator, filler, not 'icon'",
            id="icon outside a baseline box",
        ),
        pytest.param(
            with_row(IMAGE, "baseline"),
            "body.contents[0].type: a baseline box holds icon, text, filler, not 'image'",
            id="image in a baseline box",
        ),
        pytest.param(
            with_row({"type": "image", "url": "http://example.com/a.png"}),
            "body.contents[0].url: must be an https URL",
            id="image over http",
        ),
        pytest.param(
            button({"type": "message", "text": "yes"}),
            "body.contents[0].action.label: must be specified",
            id="button without a label",
        ),
        pytest.param(
            button({"type": "message", "label": "藥" * 41, "text": "yes"}),
            "body.contents[0].action.label: must be at most 40 characters, not 41",
            id="label of 41",
        ),
        pytest.param(
            button({"type": "uri", "label": "open", "uri": "ftp://example.com"}),
            "body.contents[0].action.uri: must use one of the schemes http, https, line, tel",
            id="uri scheme",
        ),
        pytest.param(
            button({"type": "postback", "label": "ok", "data": "d" * 301}),
            "body.contents[0].action.data: must be at most 300 characters, not 301",
            id="data of 301",
        ),
        pytest.param(
            button({"type": "message", "label": "ok", "text": "t" * 301}),
            "body.contents[0].action.text: must be at most 300 characters, not 301",
            id="text of 301",
        ),
        pytest.param(
            button(
                {
                    "type": "datetimepicker",
                    "label": "when",
                    "data": "d",
                    "mode": "date",
                    "initial": "2025/01/01",
                }
            ),
            "body.contents[0].action.initial: must be written as the date mode's format",
            id="picker date format",
        ),
        pytest.param(
            button({"type": "camera", "label": "camera"}),
            "body.contents[0].action.type: a camera action works only in quick reply buttons, "
            "not in a Flex button",
            id="camera in Flex",
        ),
        pytest.param(
            button({"type": "richmenuswitch", "richMenuAliasId": "a", "data": "d"}),
            "body.contents[0].action.type: a richmenuswitch action works only in rich menus, "
            "not in a Flex button",
            id="rich menu switch in Flex",
        ),
        pytest.param(
            {"type": "carousel", "contents": [text_bubble("x"), text_bubble("x") | {"size": "kilo"}]},
            "contents: bubbles of one carousel must share one size, not ['kilo', 'mega']",
            id="mixed widths",
        ),
        pytest.param(
            {"type": "carousel", "contents": [{"type": "bubble", "size": "kilo", "hero": VIDEO}]},
            "contents[0].hero: a video can't be in a bubble inside a carousel",
            id="video in carousel",
        ),
        pytest.param(
            text_bubble("x") | {"styles": {"body": {"separator": True}}},
            "styles.body.separator: can't be above the first block",
            id="separator on top",
        ),
    ],
)
def test_check_flex(container: dict[str, Any], problem: str | None) -> None:
    found = check_flex(container)
    assert found == [] if problem is None else problem in found, found


def test_a_carousel_over_50_kb() -> None:
    carousel = a_carousel(12, filler=5000)  # 12 bubbles of ~5 KB: each fine, together too big
    assert any("a carousel may be at most 51200" in p for p in check_flex(carousel))
    assert not any("a bubble may be" in p for p in check_flex(carousel))


# --- webhooks ----------------------------------------------------------------------------------


def test_the_sdk_parses_signed_webhook_events() -> None:
    text = "@rxlens 幫我看藥袋"
    events = [
        text_event(
            text,
            source=group_source("C" + "a" * 32, PATIENT),
            mentionees=[mentionee(text, "rxlens", BOT_USER_ID, is_self=True)],
        ),
        *image_set_events(["468789577898262530", "468789577898262531"]),
        postback_event("action=confirm&record=42"),
        follow_event(unblocked=True),
        unfollow_event(),
    ]
    body, headers = signed(payload(*events))
    parsed = WebhookParser(CHANNEL_SECRET).parse(body.decode(), headers["X-Line-Signature"], as_payload=True)
    said, first, second, postback, follow, unfollow = parsed.events
    assert CallbackRequest.from_json(body.decode()).destination == BOT_USER_ID
    assert said.message.mention.mentionees[0].is_self and said.source.group_id == "C" + "a" * 32
    assert [(m.message.image_set.index, m.message.image_set.total) for m in (first, second)] == [
        (1, 2),
        (2, 2),
    ]
    assert first.message.image_set.id == second.message.image_set.id
    assert (first.message.id, first.message.content_provider.type) == ("468789577898262530", "line")
    assert (postback.postback.data, follow.follow.is_unblocked) == ("action=confirm&record=42", True)
    assert [e.type for e in parsed.events] == [
        "message",
        "message",
        "message",
        "postback",
        "follow",
        "unfollow",
    ]
    assert all(e.mode == "active" and not e.delivery_context.is_redelivery for e in parsed.events)
    assert not hasattr(unfollow, "reply_token") or unfollow.reply_token is None


def test_a_wrong_signature_is_refused() -> None:
    body, headers = signed(payload(text_event("hi")))
    tampered = body.decode().replace('"hi"', '"ho"')
    with pytest.raises(InvalidSignatureError):
        WebhookParser("another channel's secret").parse(body.decode(), headers["X-Line-Signature"])
    with pytest.raises(InvalidSignatureError):
        WebhookParser(CHANNEL_SECRET).parse(tampered, headers["X-Line-Signature"])
    assert sign(CHANNEL_SECRET, body) == headers["X-Line-Signature"]


def test_webhook_event_ids_are_ulids() -> None:
    earlier, later = ulid(1_700_000_000_000), ulid(1_700_000_000_001)
    assert len(earlier) == 26 and set(earlier) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    assert earlier[:10] < later[:10]  # the first 10 characters are the time, so IDs sort by time
