"""Optional servers, probed in their own protocol with the standard library only (no client
library is installed unless the queue extra is): Redis answers PING, RabbitMQ its AMQP greeting."""

from __future__ import annotations

import socket
import ssl
from urllib.parse import unquote, urlsplit

from rxlens.health.report import Check, Status

TIMEOUT_SECONDS = 5.0
AMQP_HEADER = b"AMQP\x00\x00\x09\x01"
CONNECTION_START = b"\x00\x0a\x00\x0a"  # class 10 (connection), method 10 (start)


def _connect(url: str, default_port: int) -> tuple[socket.socket, str]:
    parts = urlsplit(url)
    host, port = parts.hostname or "localhost", parts.port or default_port
    sock = socket.create_connection((host, port), timeout=TIMEOUT_SECONDS)
    if parts.scheme in ("rediss", "amqps"):
        sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
    return sock, f"{host}:{port}"  # never the URL itself: it may hold a password


def _why(exc: OSError) -> str:
    if isinstance(exc, TimeoutError):
        return f"no answer within {TIMEOUT_SECONDS:g} s"
    return exc.strerror or str(exc)


def _resp(*words: str) -> bytes:
    encoded = [w.encode() for w in words]
    return f"*{len(words)}\r\n".encode() + b"".join(b"$%d\r\n%s\r\n" % (len(w), w) for w in encoded)


def redis(url: str | None) -> Check:
    if not url:
        return Check("redis", Status.SKIPPED, "Not configured (RXLENS_QUEUE__REDIS_URL).")
    parts = urlsplit(url)
    remedy = "Start Redis, or fix RXLENS_QUEUE__REDIS_URL (unset it when no queue is used)."
    try:
        sock, where = _connect(url, 6379)
        with sock:
            if parts.password:
                sock.sendall(_resp("AUTH", unquote(parts.username or "default"), unquote(parts.password)))
                sock.recv(256)  # +OK, or an error that the PING below repeats
            sock.sendall(_resp("PING"))
            reply = sock.recv(256).decode(errors="replace").strip()
    except OSError as exc:
        return Check("redis", Status.FAIL, f"Redis does not answer: {_why(exc)}.", remedy)
    if reply.startswith("+PONG"):
        return Check("redis", Status.OK, f"{where} answered PING")
    return Check(
        "redis", Status.FAIL, f"{where} refused PING: {reply[:80]!r}.", remedy + " Check the password."
    )


def rabbitmq(url: str | None) -> Check:
    if not url:
        return Check("rabbitmq", Status.SKIPPED, "Not configured (RXLENS_QUEUE__BROKER_URL).")
    remedy = "Start RabbitMQ, or fix RXLENS_QUEUE__BROKER_URL (unset it when no queue is used)."
    try:
        sock, where = _connect(url, 5672)
        with sock:
            sock.sendall(AMQP_HEADER)
            reply = sock.recv(64)
    except OSError as exc:
        return Check("rabbitmq", Status.FAIL, f"RabbitMQ does not answer: {_why(exc)}.", remedy)
    if reply[:1] == b"\x01" and reply[7:11] == CONNECTION_START:
        return Check("rabbitmq", Status.OK, f"{where} answered the AMQP 0-9-1 greeting (login not tried)")
    return Check(
        "rabbitmq", Status.FAIL, f"{where} is not an AMQP 0-9-1 broker (answered {reply[:8]!r}).", remedy
    )
