"""Local servers for delivery tests, on 127.0.0.1 only: an HTTP sink that records what it is
sent (and answers with a status the test chooses), and an SMTP sink on aiosmtpd."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class HttpSink:
    """What a local HTTP server received; ``status`` and ``reply`` are what it answers."""

    url: str
    requests: list[Received] = field(default_factory=list)
    status: int = 200
    reply: bytes = b"ok"


@contextmanager
def http_sink(port: int = 0) -> Iterator[HttpSink]:
    """A threaded HTTP server on 127.0.0.1 recording every POST."""
    sink = HttpSink(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            sink.requests.append(Received(self.path, dict(self.headers.items()), body))
            self.send_response(sink.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(sink.reply)))
            self.end_headers()
            self.wfile.write(sink.reply)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    sink.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on (now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SmtpSink:
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)


@contextmanager
def smtp_sink(port: int | None = None) -> Iterator[SmtpSink]:
    """An aiosmtpd server on 127.0.0.1 keeping every message it accepts."""
    from aiosmtpd.controller import Controller

    sink = SmtpSink(port=port or free_port())

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            sink.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            sink.messages.append(
                message_from_bytes(envelope.original_content, policy=policy.default)
            )
            return "250 Message accepted"

    controller = Controller(Handler(), hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


def text_of(message: EmailMessage, kind: str = "plain") -> str:
    part = message.get_body(preferencelist=(kind,))
    assert part is not None, f"no text/{kind} part"
    return part.get_content()
