"""The one guard for every request Citra makes to a URL someone typed: feeds, ``feeds test``,
previews and alert webhooks.

Rules (issue 17, item 4):

- only ``http`` and ``https`` (in any case: ``HTTPS://`` is a web address too);
- the *address* is checked, after name resolution, for the first request and after every
  redirect: whatever notation the host is written in (``2130706433``, ``0177.0.0.1``,
  ``0x7f.1``, ``127.1``, ``[::1]``, ``[::ffff:127.0.0.1]``), the system resolver turns it into
  an address and that address is judged. Only public (globally routable, unicast) addresses pass;
- Citra then connects to the address it checked, never to a second resolution of the name, so a
  name that answers "public" to the check and "private" to the connection (DNS rebinding) gets
  nowhere. This is done in the HTTP library's network backend (:class:`GuardedBackend`), the one
  place every connection of a :func:`client` goes through, redirects included;
- at most :data:`MAX_REDIRECTS` redirects; no proxy from the environment (a proxy would be
  connected instead of the checked address);
- a refused address fails with the same error as an unreachable server
  (:data:`UNREACHABLE`), so a fetch cannot be used to map which internal ports are open.

Allowed on purpose, by the server's operator (never from the app's pages, so a user of the
dashboard cannot open the door):

- ``CITRA_ALLOW_PRIVATE_URLS=1``: loopback, private (RFC 1918, IPv6 unique-local) and shared
  (100.64/10) addresses, for a webhook on the office network and for tests on 127.0.0.1.
  Link-local addresses (169.254/16 with the cloud metadata service, fe80::/10), multicast,
  unspecified and reserved addresses stay refused;
- ``CITRA_ALLOWED_NETWORKS=10.1.2.0/24,192.168.5.7``: exactly these networks, and nothing else
  private (narrower than the flag; also how tests allow one address).
"""

from __future__ import annotations

import ipaddress
import os
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from citra.errors import CitraError

ALLOW_PRIVATE_ENV = "CITRA_ALLOW_PRIVATE_URLS"
ALLOWED_NETWORKS_ENV = "CITRA_ALLOWED_NETWORKS"
MAX_REDIRECTS = 5
SCHEMES = ("http", "https")
# One sentence for "refused", "connection refused", "no route" and "connect timed out" alike.
UNREACHABLE = (
    "could not connect to the server: it is unreachable, or its address is on this machine or a "
    "private network, which Citra does not fetch from (see CITRA_ALLOW_PRIVATE_URLS)"
)
NOT_WEB = "'{url}' is not a web address; it must start with http:// or https://"

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Written like an IPv4 address in one of inet_aton's notations (decimal, octal, hex, short).
_IPV4_LIKE = re.compile(r"(?i)^(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}\.?$")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SHARED = ipaddress.ip_network("100.64.0.0/10")


class RefusedAddress(httpcore.ConnectError):
    """A connection Citra did not open because the address is not allowed. A subclass of the
    HTTP library's connect error on purpose: callers see what they see for a closed port."""


@dataclass(frozen=True)
class Policy:
    """Which non-public addresses may be fetched (see the module docstring)."""

    allow_private: bool = False
    networks: tuple[Network, ...] = ()


def policy() -> Policy:
    """The policy from the environment, read at each connection (tests change it).

    Raises :class:`CitraError` for a ``CITRA_ALLOWED_NETWORKS`` entry that is no network."""
    networks: list[Network] = []
    for item in os.environ.get(ALLOWED_NETWORKS_ENV, "").split(","):
        if not item.strip():
            continue
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError as exc:
            raise CitraError(
                "{name} holds '{value}', which is not an address or network (like 10.0.0.0/24).",
                name=ALLOWED_NETWORKS_ENV,
                value=item.strip(),
            ) from exc
    return Policy(os.environ.get(ALLOW_PRIVATE_ENV) == "1", tuple(networks))


def _embedded_ipv4(address: Address) -> Address:
    """The IPv4 address inside an IPv4-mapped, 6to4 or NAT64 IPv6 address (else ``address``)."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
        if address in _NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def is_allowed(address: Address, rules: Policy | None = None) -> bool:
    """Whether Citra may connect to ``address`` under ``rules`` (default: :func:`policy`)."""
    rules = rules or policy()
    if any(address in network for network in rules.networks):
        return True
    # A mapped, 6to4 or NAT64 address is judged by the IPv4 address it carries.
    inner = _embedded_ipv4(address)
    if inner != address and any(inner in network for network in rules.networks):
        return True
    if inner.is_multicast or inner.is_unspecified or inner.is_link_local or inner.is_reserved:
        return False
    if inner.is_loopback or inner.is_private or inner in _SHARED:
        return rules.allow_private
    return inner.is_global


def literal_address(host: str) -> Address | None:
    """``host`` as an IP address when it is written as one, in any notation Citra's resolver
    accepts: ``[::1]``, ``2130706433``, ``0177.0.0.1``, ``0x7f.1``, ``127.1``; else ``None``."""
    host = host.strip().strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _IPV4_LIKE.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host.rstrip(".")))
        except OSError:
            return None
    return None


def resolve(host: str, port: int) -> list[Address]:
    """The addresses ``host`` resolves to (the system resolver; tests replace this function).

    Raises ``OSError`` when the name does not resolve."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[Address] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in seen:
            seen.append(address)
    return seen


def checked_addresses(host: str, port: int) -> list[Address]:
    """The addresses to connect to for ``host``: all of them allowed, else :class:`RefusedAddress`
    (one refused answer refuses the name, so a round-robin record cannot slip one in)."""
    literal = literal_address(host)
    if literal is not None:
        addresses = [literal]
    else:
        try:
            addresses = resolve(host, port)
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(str(exc)) from exc
    rules = policy()
    if not addresses or not all(is_allowed(a, rules) for a in addresses):
        raise RefusedAddress("address not allowed")
    return addresses


def check_url(url: str) -> str:
    """``url`` with its scheme in lower case, checked before it is saved: a web address whose
    host, when it is written as an IP address, is allowed. Names are judged when fetched (the
    guard resolves them then). Raises :class:`CitraError`."""
    url = url.strip()
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in SCHEMES:
        raise CitraError(NOT_WEB, url=url)
    url = f"{scheme.lower()}://{rest}"
    try:
        host = urlsplit(url).hostname
    except ValueError:
        host = None
    if not host:
        raise CitraError(NOT_WEB, url=url)
    literal = literal_address(host)
    if literal is not None and not is_allowed(literal):
        raise CitraError(
            "{host} is on this machine or a private network; Citra does not fetch from there "
            "unless the server is started with CITRA_ALLOW_PRIVATE_URLS=1.",
            host=host,
        )
    return url


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's network backend, connecting only to addresses :func:`checked_addresses`
    allowed, and to exactly those (the name is resolved once, here)."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        last: Exception | None = None
        for address in checked_addresses(host, port):
            try:
                return super().connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        raise RefusedAddress("unix sockets are not fetched")


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with :class:`GuardedBackend` under its connection pool."""

    def __init__(self, *, limits: httpx.Limits, verify: bool = True) -> None:
        super().__init__(limits=limits, verify=verify, trust_env=False)
        pool = self._pool
        if not isinstance(pool, httpcore.ConnectionPool):  # an httpx change: fail, never fetch
            raise RuntimeError("httpx's transport changed; Citra's address guard cannot attach")
        self._pool = httpcore.ConnectionPool(
            ssl_context=pool._ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=GuardedBackend(),
        )


def client(
    *,
    timeout: httpx.Timeout | float,
    headers: dict[str, str] | None = None,
    follow_redirects: bool = True,
    max_connections: int = 20,
) -> httpx.Client:
    """An httpx client whose every connection goes through the guard: public addresses only
    (unless allowed), the checked address connected, at most :data:`MAX_REDIRECTS` redirects,
    no proxy from the environment, no keep-alive (each fetch owns its socket)."""
    limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=0)
    return httpx.Client(
        headers=headers,
        timeout=timeout,
        follow_redirects=follow_redirects,
        max_redirects=MAX_REDIRECTS,
        trust_env=False,
        transport=GuardedTransport(limits=limits),
    )
