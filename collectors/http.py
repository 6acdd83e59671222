"""Fetching one URL politely and defensively, for the feed collector.

A feed server can be slow, broken or hostile. :func:`fetch_bytes` never raises for anything a
server can do: it returns a :class:`HttpResult` whose ``error`` (a :class:`CitraError`, not
raised) says in plain words what went wrong. Guards: connect/read timeouts, a total time budget (a server that trickles bytes is cut off),
a cap on the *decompressed* body (so a gzip bomb stops at the cap), a redirect limit, the address
guard of :mod:`citra.net` (public addresses only, checked after resolution and after every
redirect), and conditional GET (``If-None-Match`` / ``If-Modified-Since``) from the state stored for the feed.

The budget covers every phase, connecting, TLS, headers and body, redirects included: a watchdog
timer shuts the fetch's socket down when it runs out (httpx's own timeouts bound each read, and a
server sending its headers one byte a second never lets a read time out). Each fetch has its own
connection (no keep-alive), so the watchdog always knows the socket. Name resolution is the one
step it cannot cut (the system resolver has its own timeout).

Decompression is done here, not by httpx, so that it can stop at the cap: httpx would inflate a
whole network chunk at once.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import zlib
from dataclasses import dataclass, field
from typing import Any

import httpx

from citra import net
from citra.errors import CitraError

USER_AGENT = "Citra/0.1 (reputation monitor for Indonesian cooperatives; +https://github.com/citra)"
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_BUDGET_SECONDS = 30.0
DEFAULT_TIMEOUT_SECONDS = 10.0
MAX_REDIRECTS = net.MAX_REDIRECTS
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


@dataclass
class HttpResult:
    """The outcome of one GET. ``body`` is the decompressed payload (empty on error or 304)."""

    url: str
    status: int | None = None
    body: bytes = b""
    final_url: str | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: CitraError | None = None
    seconds: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _TooLarge(Exception):
    pass


class _OutOfTime(Exception):
    pass


class _Watchdog:
    """Shuts down the connection of one fetch once ``seconds`` have passed, whatever the fetch
    is doing; learns the connection from httpcore's ``trace`` extension (public API)."""

    def __init__(self, seconds: float):
        self.fired = False
        self._streams: list[Any] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True

    def trace(self, event: str, info: dict[str, Any]) -> None:
        if event not in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            return
        stream = info.get("return_value")
        if stream is None:
            return
        with self._lock:
            self._streams.append(stream)
            fired = self.fired
        if fired:
            self._cut(stream)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            streams = list(self._streams)
        for stream in streams:
            self._cut(stream)

    @staticmethod
    def _cut(stream: Any) -> None:
        sock = stream.get_extra_info("socket")
        if sock is None:
            return
        # The plain socket call, also for a TLS socket: it wakes a thread blocked reading.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()


def make_client(
    timeout: float = DEFAULT_TIMEOUT_SECONDS, max_connections: int = 20
) -> httpx.Client:
    """A shared HTTP client (thread-safe) with Citra's User-Agent, timeouts and redirect limit,
    every connection through the address guard (:func:`citra.net.client`).

    ``timeout`` is in seconds and bounds connecting and each read; the total per-feed budget is
    enforced by :func:`fetch_bytes`. Connections are not kept alive, so that each fetch owns its
    socket and its budget can cut it.
    """
    return net.client(
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"},
        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        max_connections=max_connections,
    )


def _decoder(encoding: str) -> zlib._Decompress | None:
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        # zlib-wrapped or raw deflate: 32 + MAX_WBITS detects the zlib/gzip header.
        return zlib.decompressobj(32 + zlib.MAX_WBITS)
    raise ValueError(encoding)


def _read_capped(response: httpx.Response, max_bytes: int, deadline: float) -> bytes:
    """The decompressed body, stopping with :class:`_TooLarge` past ``max_bytes`` and with
    :class:`_OutOfTime` past ``deadline`` (a ``time.monotonic()`` value)."""
    encodings = [e for e in response.headers.get("content-encoding", "").split(",") if e.strip()]
    decoders = [d for d in (_decoder(e) for e in reversed(encodings)) if d is not None]
    if len(decoders) > 1:
        raise ValueError(",".join(encodings))
    decoder = decoders[0] if decoders else None
    parts: list[bytes] = []
    size = 0
    # No chunk size: each network read is handled as it comes, so the deadline is checked often.
    for chunk in response.iter_raw():
        if time.monotonic() > deadline:
            raise _OutOfTime
        if decoder is None:
            size += len(chunk)
            if size > max_bytes:
                raise _TooLarge
            parts.append(chunk)
            continue
        data = chunk
        # max_length keeps each step small, so a bomb never inflates past the cap in memory.
        while data:
            piece = decoder.decompress(data, max_bytes - size + 1)
            size += len(piece)
            if size > max_bytes:
                raise _TooLarge
            parts.append(piece)
            data = decoder.unconsumed_tail
    if decoder is not None:
        parts.append(decoder.flush())
    return b"".join(parts)


def fetch_bytes(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    client: httpx.Client | None = None,
    budget: float = DEFAULT_BUDGET_SECONDS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> HttpResult:
    """GET ``url`` and return its decompressed body, status and caching headers.

    ``budget`` (seconds) bounds the whole fetch, connecting, headers, redirects and body
    included; ``timeout`` (seconds) bounds connecting and each single read, so a stalled server
    fails after ``min(timeout, budget)``. A body over ``max_bytes`` (after decompression) is refused. A 304
    answer to the conditional GET is not an error (``not_modified``). Never raises: failures come
    back in ``error`` as a :class:`CitraError` (a plain sentence, in any language).
    """
    result = HttpResult(url=url)
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    own_client = client is None
    http = client or make_client(timeout)
    started = time.monotonic()
    deadline = started + budget
    per_read = min(timeout, budget)
    watchdog = _Watchdog(budget)
    too_slow = CitraError(
        "the server sent the feed too slowly (over {seconds:g} s); gave up", seconds=budget
    )
    try:
        request_timeout = httpx.Timeout(per_read, connect=min(per_read, 10.0))
        with (
            watchdog,
            http.stream(
                "GET",
                url,
                headers=headers,
                timeout=request_timeout,
                extensions={"trace": watchdog.trace},
            ) as response,
        ):
            result.status = response.status_code
            result.final_url = str(response.url)
            result.content_type = response.headers.get("content-type")
            result.etag = response.headers.get("etag")
            result.last_modified = response.headers.get("last-modified")
            result.headers = dict(response.headers)
            if response.status_code == 304:
                return result
            if response.status_code >= 400:
                result.error = CitraError(
                    "the server answered HTTP {status} ({reason})",
                    status=response.status_code,
                    reason=response.reason_phrase or "error",
                )
                return result
            declared = response.headers.get("content-length", "")
            if (
                declared.isdigit()
                and int(declared) > max_bytes
                and "content-encoding" not in {k.lower() for k in response.headers}
            ):
                raise _TooLarge
            result.body = _read_capped(response, max_bytes, deadline)
    except _TooLarge:
        result.error = CitraError(
            "the feed is larger than the {limit} KB limit; skipped", limit=f"{max_bytes // 1024:,}"
        )
    except _OutOfTime:
        result.error = too_slow
    except httpx.TooManyRedirects:
        result.error = CitraError(
            "too many redirects (more than {limit}, or a redirect loop)", limit=MAX_REDIRECTS
        )
    except (httpx.ConnectError, httpx.ConnectTimeout):
        # One message for a refused address, a closed port and an unreachable host alike.
        result.error = CitraError(net.UNREACHABLE)
    except httpx.TimeoutException:
        result.error = CitraError(
            "the server did not answer in time ({seconds:g} s without data)", seconds=per_read
        )
    except httpx.InvalidURL as exc:
        result.error = CitraError("the address is not a valid URL ({detail})", detail=exc)
    except httpx.UnsupportedProtocol:
        result.error = CitraError("the address must start with http:// or https://")
    except httpx.HTTPError as exc:
        result.error = CitraError(
            "the download failed ({detail})", detail=f"{type(exc).__name__}: {_short(exc)}"
        )
    except ValueError as exc:
        result.error = CitraError(
            "the server used a compression Citra cannot read ({detail})", detail=exc
        )
    except zlib.error as exc:
        result.error = CitraError("the compressed body is corrupt ({detail})", detail=exc)
    finally:
        result.seconds = time.monotonic() - started
        if own_client:
            http.close()
    if watchdog.fired and result.error:
        result.error = too_slow  # whatever broke when the watchdog cut the connection
    if result.error:
        result.body = b""
    return result


def _short(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."
