"""Turning what feeds say into clean values: plain text, canonical URLs, UTC times, a language.

Pure functions, no I/O; every one accepts ``None`` or junk and answers with a usable value.
"""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from dateutil import parser as dateutil_parser

# --- HTML to text -------------------------------------------------------------------------------

_SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "iframe", "svg", "template", "head", "object"}
)
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
     "blockquote", "section", "article", "figure", "figcaption", "table", "hr"}
)  # fmt: skip


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip_depth += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS and self.skip_depth:
            self.skip_depth -= 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.parts.append(data)


def html_to_text(value: str | None) -> str:
    """Plain text of an HTML fragment: entities decoded, tags, images, scripts and styles
    dropped, whitespace collapsed. ``None`` or empty gives ``""``."""
    if not value:
        return ""
    if "<" not in value and "&" not in value:
        return " ".join(value.split())
    extractor = _TextExtractor()
    extractor.feed(value)
    extractor.close()
    return " ".join("".join(extractor.parts).split())


# --- URLs ---------------------------------------------------------------------------------------

_TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "_ga", "_gl",
     "ref_src", "cmpid", "amp", "outputtype"}
)  # fmt: skip
_GOOGLE_HOSTS = frozenset({"google.com", "www.google.com", "google.co.id", "www.google.co.id"})
_AMP_CACHE = re.compile(r"^[a-z0-9-]+\.cdn\.ampproject\.org$")


def unwrap_google_redirect(url: str) -> str:
    """The publisher URL inside a Google redirect (``google.com/url?...&url=REAL``), as Google
    Alerts feeds link to; any other URL is returned unchanged."""
    parts = urlsplit(url.strip())
    if parts.hostname in _GOOGLE_HOSTS and parts.path == "/url":
        query = dict(parse_qsl(parts.query))
        target = query.get("url") or query.get("q")
        if target and target.startswith(("http://", "https://")):
            return target
    return url.strip()


def canonical_url(url: str | None) -> str | None:
    """A stable form of an article URL for de-duplication.

    Lower-case scheme and host, default port dropped, Google redirects unwrapped, tracking
    parameters (``utm_*``, ``fbclid``, ``gclid``, ...) and the fragment removed, AMP variants
    folded onto the article (``amp.`` host, ``/amp`` path segment, ``?amp=1``, the
    ``cdn.ampproject.org`` cache), trailing slash dropped. ``None``, empty or non-HTTP input
    gives ``None``.
    """
    if not url or not url.strip():
        return None
    try:
        url = unwrap_google_redirect(url)
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if scheme not in ("http", "https") or not host:
        return None
    path = parts.path or "/"
    if _AMP_CACHE.match(host):
        # /c/s/example.com/path (s = https) or /c/example.com/path
        segments = path.split("/")
        if len(segments) > 3 and segments[1] in ("c", "v", "i"):
            rest = segments[2:]
            secure = rest[0] == "s"
            if secure:
                rest = rest[1:]
            if rest:
                return canonical_url(f"{'https' if secure else 'http'}://{'/'.join(rest)}")
    if host.startswith("amp."):
        host = host[4:]
    segments = [s for s in path.split("/")]
    segments = [s for i, s in enumerate(segments) if not (s == "amp" and i > 0)]
    path = "/".join(segments) or "/"
    path = re.sub(r"\.amp(\.html?)?$", lambda m: m.group(1) or "", path)
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    path = quote(unquote(path), safe="/%:@!$&'()*+,;=-._~")
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.lower().startswith("utm_") and k.lower() not in _TRACKING_PARAMS
        ]
    )
    netloc = host
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        netloc = f"{host}:{port}"
    return urlunsplit((scheme, netloc, path, query, ""))


def host_of(url: str | None) -> str:
    """The host of ``url`` without ``www.``; ``""`` when there is none."""
    if not url:
        return ""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


# --- Google News titles -------------------------------------------------------------------------


def split_source_title(title: str, source: str | None = None) -> tuple[str, str | None]:
    """Split a Google News title ``"Headline - Source"`` into ``(headline, source)``.

    With ``source`` given (from ``<source>``), only that exact suffix is removed; without it the
    last ``" - "`` splits, provided both halves are non-empty.
    """
    title = " ".join(title.split())
    if source:
        suffix = f" - {source.strip()}"
        if title.endswith(suffix) and len(title) > len(suffix):
            return title[: -len(suffix)].strip(), source.strip()
        return title, source.strip()
    head, sep, tail = title.rpartition(" - ")
    if sep and head.strip() and tail.strip() and len(tail) <= 60:
        return head.strip(), tail.strip()
    return title, None


# --- Dates --------------------------------------------------------------------------------------

INDONESIAN_ZONES = {
    "WIB": timezone(timedelta(hours=7)),
    "WITA": timezone(timedelta(hours=8)),
    "WIT": timezone(timedelta(hours=9)),
}
LOCAL_ZONE = INDONESIAN_ZONES["WIB"]
_ZONE_WORD = re.compile(r"\b(WITA|WIB|WIT)\b", re.IGNORECASE)
_EPOCH = re.compile(r"^\d{9,13}(\.\d+)?$")
_ZERO_DATE = re.compile(r"^0{4}-0{2}-0{2}")
EARLIEST_PLAUSIBLE = datetime(1995, 1, 1, tzinfo=UTC)


class _IndonesianDates(dateutil_parser.parserinfo):
    """dateutil's English names plus Indonesian day and month names (``Senin``, ``Mei``)."""

    WEEKDAYS = [
        ("Mon", "Monday", "Sen", "Senin"),
        ("Tue", "Tuesday", "Sel", "Selasa"),
        ("Wed", "Wednesday", "Rab", "Rabu"),
        ("Thu", "Thursday", "Kam", "Kamis"),
        ("Fri", "Friday", "Jum", "Jumat", "Jum'at"),
        ("Sat", "Saturday", "Sab", "Sabtu"),
        ("Sun", "Sunday", "Min", "Minggu", "Ahad"),
    ]
    MONTHS = [
        ("Jan", "January", "Januari"),
        ("Feb", "February", "Februari", "Peb", "Pebruari"),
        ("Mar", "March", "Maret"),
        ("Apr", "April"),
        ("May", "Mei"),
        ("Jun", "June", "Juni"),
        ("Jul", "July", "Juli"),
        ("Aug", "August", "Agu", "Agt", "Agustus"),
        ("Sep", "Sept", "September"),
        ("Oct", "October", "Okt", "Oktober"),
        ("Nov", "November", "Nop", "Nopember"),
        ("Dec", "December", "Des", "Desember"),
    ]


_DATE_INFO = _IndonesianDates()


def to_utc_iso(value: datetime) -> str:
    """An aware datetime as stored: ISO 8601 UTC with a trailing ``Z``."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_date(
    raw: str | float | int | None, now: datetime | None = None
) -> tuple[str | None, str | None]:
    """Parse a feed's date text into ``(utc_iso, problem)``.

    Understands RFC 822 and ISO 8601, the Indonesian zones ``WIB``/``WITA``/``WIT`` (UTC+7/+8/+9),
    Indonesian day and month names, and epoch numbers (seconds or milliseconds). A time without a
    zone is taken as WIB, where Indonesian sites mean it; ``03/11/2025`` is day first. Returns ``(None, "missing")`` for no
    date, ``(None, "invalid")`` for ``0000-00-00``, unreadable text or an implausible date
    (before 1995 or more than two days ahead of ``now``).
    """
    now = now or datetime.now(UTC)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, "missing"
    text = str(raw).strip()
    parsed: datetime | None = None
    if _ZERO_DATE.match(text):
        return None, "invalid"
    if _EPOCH.match(text):
        number = float(text)
        if number > 1e11:
            number /= 1000.0
        parsed = datetime.fromtimestamp(number, UTC)
    else:
        # "10:00 WITA": remember the zone, parse the rest, then apply the zone to a naive result.
        zone = LOCAL_ZONE
        found = _ZONE_WORD.search(text)
        if found:
            zone = INDONESIAN_ZONES[found.group(1).upper()]
            text = (text[: found.start()] + text[found.end() :]).strip()
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            try:
                parsed = email.utils.parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                try:
                    parsed = dateutil_parser.parse(
                        text, parserinfo=_DATE_INFO, fuzzy=True, dayfirst=True
                    )
                except (ValueError, OverflowError, TypeError):
                    return None, "invalid"
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=zone)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=LOCAL_ZONE)
    try:
        if parsed < EARLIEST_PLAUSIBLE or parsed > now + timedelta(days=2):
            return None, "invalid"
    except OverflowError:
        return None, "invalid"
    return to_utc_iso(parsed), None


# --- Language -----------------------------------------------------------------------------------


@cache
def _detector():  # type: ignore[no-untyped-def]
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.INDONESIAN, Language.ENGLISH).build()


_ISO = {"INDONESIAN": "id", "ENGLISH": "en"}


def detect_languages(texts: list[str]) -> list[str | None]:
    """ISO 639-1 code (``"id"`` or ``"en"``) of each text, ``None`` where it cannot tell (empty
    or too short). The detector is built once per process; texts are detected in one batch."""
    if not texts:
        return []
    found = _detector().detect_languages_in_parallel_of([t[:400] for t in texts])
    return [_ISO.get(lang.name) if lang is not None and text.strip() else None
            for lang, text in zip(found, texts, strict=True)]  # fmt: skip
