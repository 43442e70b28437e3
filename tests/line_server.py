"""A local HTTP server that speaks LINE's Messaging API, so that no test calls LINE.

Two loopback ports share one state, as LINE's two hosts do: `url` stands for api.line.me (reply,
push, loading animation, profile, quota) and `data_url` for api-data.line.me (message content). The
SDK's MessagingApiBlob must be given the data host: content asked of the API host is 404, as on LINE.
Paths, headers, status codes and JSON follow developers.line.biz/en/reference/messaging-api/;
message bodies are checked by tests/flex_schema.py and refused with LINE's 400 shape.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from tests.flex_schema import Problem, message_problems

ACCESS_TOKEN = "test-channel-access-token"
AUTH_FAILED = "Authentication failed. Confirm that the access token in the authorization header is valid."
RETRY_KEY_HOURS = 24  # LINE: a retry key is valid for 24 hours after the first request
MAX_MESSAGES = 5
UUID_FORM = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
CHAT_ID = re.compile(r"[UCR][0-9a-f]{32}")  # user, group or room
# The kinds of message a later message may quote; only they get a quoteToken back.
QUOTABLE = ("text", "sticker", "image", "video", "audio", "location")


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    headers: dict[str, str]  # names in lower case
    body: Any  # parsed JSON, None when there was none
    at: float  # by the server's clock
    status: int
    host: str  # "api" or "data"


@dataclass(frozen=True)
class Accepted:
    """A push LINE accepted under a retry key: a retry gets its request ID and sent messages back."""

    at: float
    request_id: str
    sent: list[dict[str, str]]


class Clock:
    """Time a test moves by hand, so that expiry (reply tokens, retry keys) needs no sleeping."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass(eq=False)
class LineServer:
    access_token: str = ACCESS_TOKEN
    reply_token_ttl: float = 60.0  # seconds from issue
    monthly_limit: int | None = None  # pushes this month before 429; None = no target limit
    clock: Callable[[], float] = time.monotonic
    url: str = ""  # api.line.me
    data_url: str = ""  # api-data.line.me
    usage: int = 0  # messages counted against the monthly limit (pushes; replies are free)
    calls: list[Call] = field(default_factory=list)
    replies: list[dict[str, Any]] = field(default_factory=list)
    pushes: list[dict[str, Any]] = field(default_factory=list)
    loadings: list[dict[str, Any]] = field(default_factory=list)
    _reply_tokens: dict[str, float] = field(default_factory=dict)
    _retry_keys: dict[str, Accepted] = field(default_factory=dict)
    _contents: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    _users: dict[str, dict[str, Any]] = field(default_factory=dict)
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def issue_reply_token(self) -> str:
        """A token as LINE puts in a webhook event: good for one reply within `reply_token_ttl`."""
        token = secrets.token_hex(16)
        with self._changed:
            self._reply_tokens[token] = self.clock()
        return token

    def add_content(self, message_id: str, data: bytes, content_type: str = "image/jpeg") -> None:
        with self._changed:
            self._contents[message_id] = (data, content_type)

    def add_user(
        self, user_id: str, display_name: str, language: str = "zh-TW", picture_url: str | None = None
    ) -> None:
        profile = {"displayName": display_name, "userId": user_id, "language": language}
        profile["pictureUrl"] = picture_url or f"https://profile.line-scdn.net/{user_id}"
        with self._changed:
            self._users[user_id] = profile

    def wait_for_pushes(self, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
        return self._wait(self.pushes, count, timeout, "pushes")

    def wait_for_replies(self, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
        return self._wait(self.replies, count, timeout, "replies")

    def _wait(
        self, sent: list[dict[str, Any]], count: int, timeout: float, what: str
    ) -> list[dict[str, Any]]:
        with self._changed:
            if not self._changed.wait_for(lambda: len(sent) >= count, timeout):
                raise TimeoutError(f"{len(sent)} {what} after {timeout} s, waited for {count}")
            return list(sent)

    def _deliver(self, into: list[dict[str, Any]], body: dict[str, Any]) -> None:
        into.append(body)  # the caller holds self._changed
        self._changed.notify_all()


class LineError(Exception):
    """What LINE answers instead of doing the thing."""

    def __init__(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        super().__init__(payload.get("message"))
        self.status, self.payload, self.headers = status, payload, headers or {}


@dataclass(frozen=True)
class Request:
    args: tuple[str, ...]  # from the path
    headers: dict[str, str]
    body: Any
    request_id: str


@dataclass(frozen=True)
class Answer:
    status: int
    payload: Any = None
    raw: bytes | None = None  # content bytes instead of JSON
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


# --- api.line.me ---------------------------------------------------------------------------------


def _reply(line: LineServer, request: Request) -> Answer:
    if "x-line-retry-key" in request.headers:  # LINE: only push, multicast, narrowcast, broadcast take one
        raise LineError(400, {"message": "X-Line-Retry-Key is not supported on this endpoint"})
    body = _object(request.body)
    token = body.get("replyToken")
    _refuse(([] if isinstance(token, str) else [("replyToken", "must be specified")]) + _messages(body))
    with line._changed:
        issued = line._reply_tokens.pop(str(token), None)  # once only, used or not in time
        if issued is None or line.clock() - issued > line.reply_token_ttl:
            raise LineError(400, {"message": "Invalid reply token"})
        line._deliver(line.replies, body)
    return Answer(200, {"sentMessages": _sent(body["messages"])})


def _push(line: LineServer, request: Request) -> Answer:
    key = request.headers.get("x-line-retry-key")
    if key is not None and not UUID_FORM.fullmatch(key):
        raise LineError(400, {"message": "The retry key must be a UUID in hexadecimal form"})
    body = _object(request.body)
    to = body.get("to")
    _refuse(([] if isinstance(to, str) and CHAT_ID.fullmatch(to) else [("to", "invalid")]) + _messages(body))
    with line._changed:
        if key is not None:
            _refuse_retried(line, key)
        if line.monthly_limit is not None and line.usage >= line.monthly_limit:
            raise LineError(429, {"message": "You have reached your monthly limit."})
        line.usage += 1  # one per recipient, however many message objects the push holds
        sent = _sent(body["messages"])
        if key is not None:
            line._retry_keys[key] = Accepted(line.clock(), request.request_id, sent)
        line._deliver(line.pushes, body)
    return Answer(200, {"sentMessages": sent})


def _refuse_retried(line: LineServer, key: str) -> None:
    accepted = line._retry_keys.get(key)
    if accepted is not None and line.clock() - accepted.at < RETRY_KEY_HOURS * 3600:
        raise LineError(
            409,
            {"message": "The retry key is already accepted", "sentMessages": accepted.sent},
            {"x-line-accepted-request-id": accepted.request_id},
        )


def _loading(line: LineServer, request: Request) -> Answer:
    body = _object(request.body)
    problems: list[Problem] = []
    chat = body.get("chatId")
    if not isinstance(chat, str) or not chat.startswith("U"):  # one-on-one chats only
        problems.append(("chatId", "must be the user ID of a one-on-one chat"))
    seconds = body.get("loadingSeconds", 20)
    if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds % 5 or not 5 <= seconds <= 60:
        problems.append(("loadingSeconds", "must be a multiple of 5 from 5 to 60"))
    _refuse(problems)
    with line._changed:
        line._deliver(line.loadings, body)
    return Answer(202, {})


def _profile(line: LineServer, request: Request) -> Answer:
    with line._changed:
        profile = line._users.get(request.args[0])
    if profile is None:
        raise LineError(404, {"message": "Not found"})
    return Answer(200, profile)


def _quota(line: LineServer, request: Request) -> Answer:
    limit = line.monthly_limit
    return Answer(200, {"type": "none"} if limit is None else {"type": "limited", "value": limit})


def _consumption(line: LineServer, request: Request) -> Answer:
    with line._changed:
        return Answer(200, {"totalUsage": line.usage})


# --- api-data.line.me --------------------------------------------------------------------------


def _content(line: LineServer, request: Request) -> Answer:
    data, content_type = _stored(line, request.args[0])
    return Answer(200, raw=data, content_type=content_type)


def _transcoding(line: LineServer, request: Request) -> Answer:
    _stored(line, request.args[0])
    return Answer(200, {"status": "succeeded"})  # images need no preparing; video and audio would


def _stored(line: LineServer, message_id: str) -> tuple[bytes, str]:
    with line._changed:
        stored = line._contents.get(message_id)
    if stored is None:
        raise LineError(404, {"message": "Not found"})
    return stored


Handle = Callable[[LineServer, Request], Answer]
Route = tuple[str, re.Pattern[str], Handle]
API_ROUTES: list[Route] = [
    ("POST", re.compile(r"/v2/bot/message/reply"), _reply),
    ("POST", re.compile(r"/v2/bot/message/push"), _push),
    ("POST", re.compile(r"/v2/bot/chat/loading/start"), _loading),
    ("GET", re.compile(r"/v2/bot/profile/([^/]+)"), _profile),
    ("GET", re.compile(r"/v2/bot/message/quota"), _quota),
    ("GET", re.compile(r"/v2/bot/message/quota/consumption"), _consumption),
]
DATA_ROUTES: list[Route] = [
    ("GET", re.compile(r"/v2/bot/message/([^/]+)/content"), _content),
    ("GET", re.compile(r"/v2/bot/message/([^/]+)/content/preview"), _content),
    ("GET", re.compile(r"/v2/bot/message/([^/]+)/content/transcoding"), _transcoding),
]


# --- request bodies ------------------------------------------------------------------------------


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise LineError(400, {"message": "The request body must be a JSON object"})
    return body


def _messages(body: dict[str, Any]) -> list[Problem]:
    messages = body.get("messages")
    if not isinstance(messages, list) or not 1 <= len(messages) <= MAX_MESSAGES:
        return [("messages", f"Size must be between 1 and {MAX_MESSAGES}")]
    return [p for i, m in enumerate(messages) for p in message_problems(m, f"messages[{i}]")]


def _refuse(problems: list[Problem]) -> None:
    if problems:
        details = [{"message": what, "property": where} for where, what in problems]
        raise LineError(
            400, {"message": f"The request body has {len(problems)} error(s)", "details": details}
        )


def _sent(messages: list[dict[str, Any]]) -> list[dict[str, str]]:
    sent = []
    for message in messages:
        one = {"id": str(secrets.randbelow(9 * 10**17) + 10**17)}
        if message.get("type") in QUOTABLE:
            one["quoteToken"] = secrets.token_urlsafe(48)
        sent.append(one)
    return sent


# --- HTTP ----------------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    line: LineServer
    routes: list[Route]
    host: str

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self._serve("GET")

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        self._serve("POST")

    def _serve(self, method: str) -> None:
        request_id = str(uuid.uuid4())
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {name.lower(): value for name, value in self.headers.items()}
        path = urlsplit(self.path).path
        body = _parse(raw)
        try:
            answer = self._answer(method, path, headers, body, request_id)
        except LineError as refused:
            answer = Answer(refused.status, refused.payload, headers=refused.headers)
        kept = raw.decode(errors="replace") if body is _UNREADABLE else body
        with self.line._changed:
            self.line.calls.append(
                Call(method, path, headers, kept, self.line.clock(), answer.status, self.host)
            )
        self._send(answer, request_id)

    def _answer(self, method: str, path: str, headers: dict[str, str], body: Any, request_id: str) -> Answer:
        handle, args = _route(self.routes, method, path)
        if headers.get("authorization") != f"Bearer {self.line.access_token}":
            raise LineError(401, {"message": AUTH_FAILED})
        if body is _UNREADABLE:
            raise LineError(400, {"message": "The request body is not valid JSON"})
        return handle(self.line, Request(args, headers, body, request_id))

    def _send(self, answer: Answer, request_id: str) -> None:
        data = (
            answer.raw if answer.raw is not None else json.dumps(answer.payload, ensure_ascii=False).encode()
        )
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-line-request-id", request_id)  # LINE answers every request with one
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


_UNREADABLE = object()


def _route(routes: list[Route], method: str, path: str) -> tuple[Handle, tuple[str, ...]]:
    for verb, pattern, handle in routes:
        if verb == method and (found := pattern.fullmatch(path)):
            return handle, found.groups()
    raise LineError(404, {"message": "Not found"})


def _parse(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return _UNREADABLE


@contextmanager
def line_server(
    access_token: str = ACCESS_TOKEN,
    reply_token_ttl: float = 60.0,
    monthly_limit: int | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[LineServer]:
    """The fake LINE on two loopback ports (API and data API) until the context ends."""
    line = LineServer(access_token, reply_token_ttl, monthly_limit, clock)
    api = type("ApiHandler", (_Handler,), {"line": line, "routes": API_ROUTES, "host": "api"})
    data = type("DataHandler", (_Handler,), {"line": line, "routes": DATA_ROUTES, "host": "data"})
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), handler) for handler in (api, data)]
    threads = [threading.Thread(target=_serve, args=(s,), daemon=True) for s in servers]
    for thread in threads:
        thread.start()
    line.url, line.data_url = (f"http://127.0.0.1:{s.server_address[1]}" for s in servers)
    try:
        yield line
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def _serve(server: ThreadingHTTPServer) -> None:
    # As tests/servers.serve, but shutdown() is noticed within 10 ms instead of the stdlib's 0.5 s:
    # every test starts and stops two of these (API and data hosts).
    server.serve_forever(poll_interval=0.01)
