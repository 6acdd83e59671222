"""One canonical form of a link, so the same article or post is one mention whoever brought it.

Feeds, every export reader and the stable mention id (``citra.store.mentions.mention_id``) all
go through :func:`canonical_url`; nothing else decides when two links are the same page. Pure
functions, no I/O.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

# Parameters that only say how a reader arrived (campaign, click, share ids): never part of what
# the page is. `utm_*` is matched by prefix.
_TRACKING = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "igsh", "mc_cid", "mc_eid", "_ga",
     "_gl", "ref", "ref_src", "cmpid", "amp", "outputtype"}
)  # fmt: skip
# Short share parameters that are tracking on social sites (``x.com/...?s=20``, YouTube's
# ``si``/``t``) but can name the page elsewhere (a forum's ``viewtopic.php?t=55``).
_SOCIAL_TRACKING = frozenset({"s", "t", "si"})
_SOCIAL_HOSTS = ("x.com", "facebook.com", "instagram.com", "youtube.com", "youtu.be", "tiktok.com")
_HOST_ALIASES = {"twitter.com": "x.com", "mobile.twitter.com": "x.com"}
_GOOGLE_HOSTS = frozenset({"google.com", "www.google.com", "google.co.id", "www.google.co.id"})
_AMP_CACHE = re.compile(r"^[a-z0-9-]+\.cdn\.ampproject\.org$")
_AMP_SUFFIX = re.compile(r"\.amp(\.html?)?$")
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_PLAIN_PATH = re.compile(r"[A-Za-z0-9/:@!$&'()*+,;=._~-]*")  # nothing to (re-)encode


def unwrap_google_redirect(url: str) -> str:
    """The publisher URL inside a Google redirect (``google.com/url?...&url=REAL``), as Google
    Alerts feeds link to; any other URL is returned stripped and otherwise unchanged."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        return text
    if host in _GOOGLE_HOSTS and parts.path == "/url":
        query = dict(parse_qsl(parts.query))
        target = query.get("url") or query.get("q")
        if target and target.startswith(("http://", "https://")):
            return target
    return text


def _is_social(host: str) -> bool:
    return any(host == known or host.endswith("." + known) for known in _SOCIAL_HOSTS)


def _unwrap_amp_cache(host: str, path: str) -> str | None:
    """``https://site-id.cdn.ampproject.org/c/s/site.id/path`` -> ``https://site.id/path``."""
    if not _AMP_CACHE.match(host):
        return None
    segments = path.split("/")
    if len(segments) <= 3 or segments[1] not in ("c", "v", "i"):
        return None
    rest = segments[2:]
    secure = rest[0] == "s"
    if secure:
        rest = rest[1:]
    return f"{'https' if secure else 'http'}://{'/'.join(rest)}" if rest else None


def _kept_query(query: str, host: str) -> str:
    social = _is_social(host)
    return urlencode(
        [
            (key, value)
            for key, value in parse_qsl(query, keep_blank_values=True)
            if not (
                key.lower().startswith("utm_")
                or key.lower() in _TRACKING
                or (social and key.lower() in _SOCIAL_TRACKING)
            )
        ]
    )


def canonical_url(url: Any) -> str | None:
    """A stable form of a link for de-duplication; ``None`` when it is not an HTTP(S) link.

    - scheme ``https`` (``http`` folds onto it unless a non-default port names another server),
      host in lower case without ``www.``, a trailing dot or a default port;
      ``twitter.com`` is ``x.com``;
    - Google redirects unwrapped; AMP variants folded onto the article (``amp.`` host, an
      ``/amp`` path segment, ``.amp.html``, ``?amp=1``, the ``cdn.ampproject.org`` cache);
    - tracking parameters dropped (``utm_*``, ``fbclid``, ``gclid``, ``ref``, ... and, on social
      sites only, ``s``/``t``/``si``); the other parameters stay, in the publisher's order;
    - no fragment, no trailing slash (the site root is ``https://host/``), the path's
      percent-encoding made uniform.

    Idempotent: the canonical form of a canonical URL is itself. ``None``, empty, relative,
    ``ftp:``, ``javascript:`` or malformed input gives ``None``.
    """
    if url is None:
        return None
    text = str(url).strip()
    if text in _GIVEN:
        return text
    found = text if _is_canonical(text) else _canonical(text)
    if found is not None:
        if len(_GIVEN) >= _GIVEN_MAX:
            _GIVEN.clear()
        _GIVEN.add(found)
    return found


# The canonical links given out lately: a canonical link is its own canonical form, and a link a
# reader made canonical is made canonical again by the mention id (``mention_id``), so the
# second time is a set look-up (the string's hash is kept on it). Bounded: cleared when full.
_GIVEN: set[str] = set()
_GIVEN_MAX = 4096


# A link already in canonical form, the common case of a large export: ``https``, a lower-case
# host of plain labels, a plain path, no port, query or fragment. What the pattern lets through
# is then checked against each rule of :func:`_canonical` that could still change it.
_CANONICAL_SHAPE = re.compile(r"https://[a-z0-9-]+(?:\.[a-z0-9-]+)+/[A-Za-z0-9/:@!$&'()*+,;=._~-]*")


def _is_canonical(text: str) -> bool:
    """Whether :func:`_canonical` would give ``text`` back unchanged, told cheaply (``False``
    when unsure: the full rules then decide)."""
    if not _CANONICAL_SHAPE.fullmatch(text):
        return False
    host_end = text.index("/", 8)
    host = text[8:host_end]
    path = text[host_end:]
    return not (
        host.startswith(("www.", "amp."))
        or host in _HOST_ALIASES
        or host in _GOOGLE_HOSTS
        or _AMP_CACHE.match(host)
        or (len(path) > 1 and path.endswith("/"))
        or "/amp/" in path + "/"
        or _AMP_SUFFIX.search(path)
    )


@lru_cache(maxsize=4096)
def _canonical(text: str) -> str | None:
    """:func:`canonical_url` of stripped text (cached: a reader makes a link canonical, then the
    mention id makes the canonical link canonical again)."""
    if not re.match(r"(?i)^https?://", text):
        return None
    try:
        parts = urlsplit(unwrap_google_redirect(text))
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not host:
        return None
    path = parts.path or "/"
    inside = _unwrap_amp_cache(host, path)
    if inside is not None:
        return canonical_url(inside)
    # "www." and "amp." name the same site, unless what is left is not a site ("amp.dev").
    while host.startswith(("www.", "amp.")) and "." in host[4:]:
        host = host[4:]
    host = _HOST_ALIASES.get(host, host)
    if port in (80, 443) or (port is None and scheme == "http"):
        scheme, port = "https", None
    segments = [s for i, s in enumerate(path.split("/")) if not (s == "amp" and i > 0)]
    path = _AMP_SUFFIX.sub(lambda m: m.group(1) or "", "/".join(segments) or "/")
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    if not _PLAIN_PATH.fullmatch(path):
        path = quote(unquote(path), safe=_PATH_SAFE)
    query = _kept_query(parts.query, host) if parts.query else ""
    shown = f"[{host}]" if ":" in host else host  # an IPv6 address keeps its brackets
    netloc = f"{shown}:{port}" if port else shown
    return urlunsplit((scheme, netloc, path, query, ""))


def host_of(url: str | None) -> str:
    """The host of ``url`` in lower case without ``www.``; ``""`` when there is none."""
    if not url:
        return ""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")
