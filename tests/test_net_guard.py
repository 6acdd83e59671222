"""The address guard (``citra.net``) against real servers on 127.0.0.1.

Tests can only reach 127.0.0.1, so "a redirect to a private address is refused" is shown this
way: the guard's policy admits exactly 127.0.0.1 (``CITRA_ALLOWED_NETWORKS=127.0.0.1/32``, no
blanket flag); the resolver is replaced so that made-up public-looking names resolve to
127.0.0.1 (allowed) or to 10.0.0.1 / 169.254.169.254 (not allowed); a real server on 127.0.0.1
then redirects to another loopback address (127.0.0.2, a second real server, reachable but not
allowed), to private literals and to names that resolve privately. Each is refused before any
connection is made to it (``socket.create_connection`` is watched), with the message a closed
port gives.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from citra import net, store
from citra.cli import cli
from citra.errors import CitraError
from citra.i18n import translate
from citra.store.news import add_feed
from collectors.http import fetch_bytes
from collectors.rss import fetch

FEED = (Path(__file__).parent / "fixtures" / "feeds" / "rss_basic.xml").read_bytes()
SECRET = b"<rss version='2.0'><channel><title>INTERNAL-SECRET-42</title><item><title>s3cr3t-t0ken</title></item></channel></rss>"  # noqa: E501


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, *args: object) -> None:
        return

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self.server.hits.append(self.path)
        if self.path.startswith("/to/"):
            target = self.path.removeprefix("/to/")
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = self.server.body
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, body: bytes) -> None:
        super().__init__((host, 0), Handler)
        self.hits: list[str] = []
        self.body = body

    @property
    def port(self) -> int:
        return int(self.server_address[1])


@contextmanager
def serving(host: str = "127.0.0.1", body: bytes = FEED) -> Iterator[Server]:
    server = Server(host, body)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


NAMES = {
    "feeds.example": "127.0.0.1",
    "intranet.example": "10.0.0.1",
    "metadata.example": "169.254.169.254",
    "mixed.example": "127.0.0.1,10.0.0.1",
}


@pytest.fixture
def only_loopback_one(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Policy: 127.0.0.1 alone. Made-up names resolve as in :data:`NAMES`. Returns the list of
    (address, port) every outgoing connection attempt went to."""
    monkeypatch.delenv(net.ALLOW_PRIVATE_ENV, raising=False)
    monkeypatch.setenv(net.ALLOWED_NETWORKS_ENV, "127.0.0.1/32")

    def resolve(host: str, port: int) -> list[net.Address]:
        if host not in NAMES:
            raise OSError("no such name")
        return [ipaddress.ip_address(a) for a in NAMES[host].split(",")]

    monkeypatch.setattr(net, "resolve", resolve)
    real_getaddrinfo = socket.getaddrinfo

    def no_second_lookup(host: object, *args: object, **kwargs: object) -> object:
        assert host not in NAMES, "the HTTP library resolved a name again"
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", no_second_lookup)
    attempts: list[tuple[str, int]] = []
    real_connect = socket.create_connection

    def connect(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        attempts.append(address)
        return real_connect(address, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "create_connection", connect)
    return attempts


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- the address rules -------------------------------------------------------------------------


REFUSED = [
    "127.0.0.1",
    "2130706433",  # decimal
    "0177.0.0.1",  # octal
    "0x7f.0.0.1",  # hex
    "0x7f000001",
    "127.1",  # short form
    "012.0.0.1",  # octal 10.0.0.1
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "100.64.0.1",  # shared (carrier-grade NAT)
    "169.254.169.254",  # cloud metadata
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "240.0.0.1",
    "[::1]",
    "[::]",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "[::ffff:169.254.169.254]",
    "[fe80::1]",
    "[fc00::1]",
    "[fd00:ec2::254]",
    "[ff02::1]",
    "[2002:7f00:1::]",  # 6to4 around 127.0.0.1
    "[64:ff9b::a00:1]",  # NAT64 around 10.0.0.1
]
ALLOWED = ["93.184.216.34", "8.8.8.8", "[2606:4700:4700::1111]", "[::ffff:8.8.8.8]"]


@pytest.mark.parametrize("host", REFUSED)
def test_non_public_addresses_in_any_notation_are_refused(
    host: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(net.ALLOW_PRIVATE_ENV)
    address = net.literal_address(host)
    assert address is not None
    assert not net.is_allowed(address)
    with pytest.raises(net.RefusedAddress):
        net.checked_addresses(host.strip("[]"), 80)
    with pytest.raises(CitraError, match="private network"):
        net.check_url(f"http://{host}/feed")


@pytest.mark.parametrize("host", ALLOWED)
def test_public_addresses_pass(host: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(net.ALLOW_PRIVATE_ENV)
    address = net.literal_address(host)
    assert address is not None and net.is_allowed(address)
    assert net.check_url(f"HTTPS://{host}/rss") == f"https://{host}/rss"


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("127.0.0.1", True),
        ("10.0.0.1", True),
        ("[fd00::5]", True),
        ("169.254.169.254", False),
        ("[fe80::1]", False),
        ("224.0.0.1", False),
        ("0.0.0.0", False),
    ],
)
def test_the_flag_opens_private_networks_but_never_metadata_or_multicast(
    host: str, allowed: bool
) -> None:
    address = net.literal_address(host)
    assert address is not None
    assert net.is_allowed(address, net.Policy(allow_private=True)) is allowed


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "data:text/html,<b>x</b>", "file:///etc/passwd", "ftp://x.org/f",
     "gopher://x.org/", "//x.org/feed", "http://", "notaurl"],
)  # fmt: skip
def test_only_web_addresses(url: str) -> None:
    with pytest.raises(CitraError, match="not a web address"):
        net.check_url(url)


def test_a_bad_allow_list_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(net.ALLOWED_NETWORKS_ENV, "10.0.0.0/8,intranet")
    with pytest.raises(CitraError, match="intranet"):
        net.policy()


def test_feeds_add_refuses_private_literals(
    db: store.Database, monkeypatch: pytest.MonkeyPatch
) -> None:  # noqa: E501
    monkeypatch.delenv(net.ALLOW_PRIVATE_ENV)
    for url in ("http://2130706433/feed", "HTTP://[::ffff:10.0.0.1]/rss", "http://0x7f.1/"):
        with pytest.raises(CitraError, match="private network"):
            add_feed(db, url)
    assert add_feed(db, "HTTPS://news.example.id/rss").url == "https://news.example.id/rss"


# --- real servers ------------------------------------------------------------------------------


def test_a_loopback_server_is_refused_by_default_with_the_closed_port_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with serving() as server:
        closed = fetch_bytes(f"http://127.0.0.1:{closed_port()}/feed")  # flag on: really tried
        monkeypatch.delenv(net.ALLOW_PRIVATE_ENV)
        for host in ("127.0.0.1", "2130706433", "0x7f.1", "127.1", "[::ffff:127.0.0.1]"):
            refused = fetch_bytes(f"http://{host}:{server.port}/feed")
            assert refused.error is not None and refused.body == b""
            assert str(refused.error) == str(closed.error) == net.UNREACHABLE
        # httpx itself refuses a dotted address with a leading zero as no valid URL.
        assert fetch_bytes(f"http://0177.0.0.1:{server.port}/feed").error is not None
        assert server.hits == []


def test_upper_case_schemes_are_fetched() -> None:
    with serving() as server:
        answer = fetch_bytes(f"HTTP://127.0.0.1:{server.port}/feed")
    assert answer.error is None and answer.body == FEED


def test_an_allowed_name_is_fetched_from_the_address_checked(
    only_loopback_one: list[tuple[str, int]],
) -> None:
    with serving() as server:
        answer = fetch_bytes(f"http://feeds.example:{server.port}/feed")
    assert answer.error is None and answer.body == FEED
    assert only_loopback_one == [("127.0.0.1", server.port)]


@pytest.mark.parametrize(
    "target",
    [
        "http://10.0.0.1/latest/",
        "http://169.254.169.254/latest/meta-data/",
        "http://2852039166/latest/meta-data/",  # 169.254.169.254 in decimal
        "http://[::ffff:a00:1]/",
        "http://intranet.example:{port}/feed",
        "http://metadata.example/latest/",
        "http://mixed.example:{port}/feed",
        "http://127.0.0.2:{other}/feed",
    ],
)
def test_a_redirect_to_a_private_address_is_refused(
    target: str, only_loopback_one: list[tuple[str, int]]
) -> None:
    with serving() as server, serving("127.0.0.2", SECRET) as other:
        location = target.format(port=server.port, other=other.port)
        answer = fetch_bytes(f"http://feeds.example:{server.port}/to/{location}")
        assert answer.error is not None and str(answer.error) == net.UNREACHABLE
        assert answer.body == b""
        assert server.hits == [f"/to/{location}"]
        assert other.hits == []
    # One connection: the first hop. The redirect's target was never connected to.
    assert only_loopback_one == [("127.0.0.1", server.port)]


def test_redirects_are_limited(only_loopback_one: list[tuple[str, int]]) -> None:
    with serving() as server:
        base = f"http://feeds.example:{server.port}"
        chain = f"{base}/feed"
        for _ in range(net.MAX_REDIRECTS + 1):
            chain = f"{base}/to/{chain}"
        answer = fetch_bytes(chain)
    assert answer.error is not None and "too many redirects" in str(answer.error)


def test_a_redirect_to_another_scheme_is_not_followed(
    only_loopback_one: list[tuple[str, int]],
) -> None:
    with serving() as server:
        answer = fetch_bytes(f"http://feeds.example:{server.port}/to/file:///etc/passwd")
    assert answer.error is not None and answer.body == b""


def test_feeds_test_prints_nothing_of_an_internal_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(net.ALLOW_PRIVATE_ENV)
    db_path = tmp_path / "c.db"
    store.open_db(db_path).close()
    with serving(body=SECRET) as server:
        for url in (f"http://127.0.0.1:{server.port}/", f"http://2130706433:{server.port}/"):
            result = CliRunner().invoke(cli, ["--db", str(db_path), "feeds", "test", url])
            assert "SECRET" not in result.output and "s3cr3t" not in result.output
            assert net.UNREACHABLE in result.output
        assert server.hits == []


def test_feed_fetch_through_the_collector_is_guarded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(net.ALLOW_PRIVATE_ENV)
    with serving(body=SECRET) as server:
        result = fetch(f"http://127.0.0.1:{server.port}/", detect_language=False)
    assert result.entries == [] and [str(e) for e in result.errors] == [net.UNREACHABLE]


def test_a_webhook_whose_name_turns_private_at_connection_is_not_reached(
    db: store.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The URL check passes (the name resolves to the allowed 127.0.0.1), then the name answers
    10.0.0.1 when Citra connects (DNS rebinding): the guard judges the address it connects to."""
    from citra.alerts import engine
    from citra.store.alerts import add_channel
    from tests.alerts_servers import http_sink
    from tests.test_alerts_delivery import NOW, risk_mention

    monkeypatch.delenv(net.ALLOW_PRIVATE_ENV)
    monkeypatch.setenv(net.ALLOWED_NETWORKS_ENV, "127.0.0.1/32")
    answers = iter(["127.0.0.1", "127.0.0.1"])

    def resolve(host: str, port: int) -> list[net.Address]:
        assert host == "hooks.example"
        return [ipaddress.ip_address(next(answers, "10.0.0.1"))]

    monkeypatch.setattr(net, "resolve", resolve)
    with http_sink() as sink:
        port = sink.url.rsplit(":", 1)[1]
        add_channel(db, "webhook", f"http://hooks.example:{port}/hook", format="json")
        risk_mention(db)
        [failure] = engine.run(db, now=NOW)["failed"]
    assert sink.requests == []
    assert translate(net.UNREACHABLE, "id") in failure["reason"]  # the installation's language
