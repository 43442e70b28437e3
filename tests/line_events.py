"""Webhook bodies as the LINE Platform sends them to a bot, and their X-Line-Signature.

Shapes follow developers.line.biz/en/reference/messaging-api/#webhook-event-objects: a body is
`{"destination": <bot user ID>, "events": [...]}`; every event has type, mode, timestamp (ms), source,
webhookEventId (a ULID) and deliveryContext; message, follow and postback events carry a replyToken
(take one from `LineServer.issue_reply_token()` when the bot is to reply through the fake server).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

CHANNEL_SECRET = "test-channel-secret"
# LINE: destination is the bot's user ID, matching U[0-9a-f]{32} (the SDK's model checks it).
BOT_USER_ID = "U" + hashlib.md5(b"rxlens test bot").hexdigest()
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def sign(channel_secret: str, body: bytes) -> str:
    """X-Line-Signature: base64 of HMAC-SHA256 over the raw body, keyed by the channel secret."""
    digest = hmac.new(channel_secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signed(payload: dict[str, Any], channel_secret: str = CHANNEL_SECRET) -> tuple[bytes, dict[str, str]]:
    """The bytes to POST to the bot's webhook and the headers LINE sends with them."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "X-Line-Signature": sign(channel_secret, body),
        "User-Agent": "LineBotWebhook/2.0",
    }
    return body, headers


def payload(*events: dict[str, Any], destination: str = BOT_USER_ID) -> dict[str, Any]:
    """A webhook body; no events at all is what LINE sends to verify the webhook URL."""
    return {"destination": destination, "events": list(events)}


def user_id(name: str) -> str:
    """A stable LINE-shaped user ID for a name used in a test."""
    return "U" + hashlib.md5(name.encode()).hexdigest()


def ulid(at_ms: int | None = None) -> str:
    """26 Crockford base-32 characters: 48 bits of milliseconds, then 80 random bits."""
    value = ((at_ms if at_ms is not None else _now_ms()) << 80) | secrets.randbits(80)
    return "".join(CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def user_source(user: str) -> dict[str, Any]:
    return {"type": "user", "userId": user}


def group_source(group_id: str, user: str | None = None) -> dict[str, Any]:
    source: dict[str, Any] = {"type": "group", "groupId": group_id}
    if user is not None:
        source["userId"] = user
    return source


def text_event(
    text: str,
    *,
    reply_token: str | None = None,
    source: dict[str, Any] | None = None,
    mentionees: list[dict[str, Any]] | None = None,
    redelivery: bool = False,
) -> dict[str, Any]:
    message: dict[str, Any] = {"type": "text", "id": _message_id(), "quoteToken": _token(), "text": text}
    if mentionees:
        message["mention"] = {"mentionees": mentionees}
    return _event("message", source, reply_token, redelivery) | {"message": message}


def mentionee(text: str, name: str, user: str | None = None, is_self: bool = False) -> dict[str, Any]:
    """The mention of `@name` inside `text` (index and length in the text, as LINE counts them)."""
    at = text.index(f"@{name}")
    found: dict[str, Any] = {"index": at, "length": len(name) + 1, "type": "user", "isSelf": is_self}
    if user is not None:
        found["userId"] = user
    return found


def image_event(
    *,
    message_id: str | None = None,
    image_set: tuple[str, int, int] | None = None,
    reply_token: str | None = None,
    source: dict[str, Any] | None = None,
    redelivery: bool = False,
) -> dict[str, Any]:
    """An image the user sent; `image_set` = (set id, index from 1, total) for one of several sent at once."""
    message: dict[str, Any] = {
        "type": "image",
        "id": message_id or _message_id(),
        "quoteToken": _token(),
        "contentProvider": {"type": "line"},
    }
    if image_set is not None:
        set_id, index, total = image_set
        message["imageSet"] = {"id": set_id, "index": index, "total": total}
    return _event("message", source, reply_token, redelivery) | {"message": message}


def image_set_events(
    message_ids: list[str], reply_tokens: list[str] | None = None, source: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Several photos sent in one go: LINE sends one event each, sharing an imageSet id (64 hex)."""
    set_id = secrets.token_hex(32).upper()
    tokens: list[str | None] = [*reply_tokens] if reply_tokens else [None] * len(message_ids)
    total = len(message_ids)
    return [
        image_event(message_id=m, image_set=(set_id, i, total), reply_token=t, source=source)
        for i, (m, t) in enumerate(zip(message_ids, tokens, strict=True), start=1)
    ]


def postback_event(
    data: str,
    *,
    params: dict[str, str] | None = None,
    reply_token: str | None = None,
    source: dict[str, Any] | None = None,
) -> dict[str, Any]:
    postback: dict[str, Any] = {"data": data}
    if params is not None:
        postback["params"] = params  # datetime picker: {"date": ...} / {"time": ...} / {"datetime": ...}
    return _event("postback", source, reply_token, False) | {"postback": postback}


def follow_event(
    *, unblocked: bool = False, reply_token: str | None = None, source: dict[str, Any] | None = None
) -> dict[str, Any]:
    return _event("follow", source, reply_token, False) | {"follow": {"isUnblocked": unblocked}}


def unfollow_event(*, source: dict[str, Any] | None = None) -> dict[str, Any]:
    # No replyToken: the user has blocked the account, nothing can be sent back.
    event = _event("unfollow", source, None, False)
    del event["replyToken"]
    return event


def _event(
    kind: str, source: dict[str, Any] | None, reply_token: str | None, redelivery: bool
) -> dict[str, Any]:
    now = _now_ms()
    return {
        "type": kind,
        "mode": "active",
        "timestamp": now,
        "source": source or user_source(user_id("patient")),
        "webhookEventId": ulid(now),
        "deliveryContext": {"isRedelivery": redelivery},
        # An unknown token is what a stale event would carry: the fake server refuses it.
        "replyToken": reply_token or secrets.token_hex(16),
    }


def _message_id() -> str:
    return str(secrets.randbelow(9 * 10**17) + 10**17)  # LINE message IDs are 18-digit numbers


def _token() -> str:
    return secrets.token_urlsafe(48)


def _now_ms() -> int:
    return int(time.time() * 1000)
