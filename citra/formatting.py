"""Numbers, dates and times for people: Indonesian or English conventions, local timezone.

Storage is always UTC ISO 8601 (``2026-11-23T05:00:00Z``); display converts to the configured
timezone (``Asia/Jakarta`` by default) and formats with Babel (``1.234,5`` and ``23 Nov 2026`` in
Indonesian).
"""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_compact_decimal, format_decimal, format_percent

from citra.i18n import translate

DEFAULT_TIMEZONE = "Asia/Jakarta"


def parse_utc(value: str | datetime | None) -> datetime | None:
    """A stored timestamp as an aware UTC datetime (``None`` stays ``None``)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def to_local(value: str | datetime | None, tz: str = DEFAULT_TIMEZONE) -> datetime | None:
    """A stored UTC timestamp in the display timezone."""
    parsed = parse_utc(value)
    return parsed.astimezone(ZoneInfo(tz)) if parsed else None


def format_number(value: float | int | None, lang: str = "id", decimals: int = 0) -> str:
    """``1234.5`` -> ``1.234,5`` (id) or ``1,234.5`` (en); ``None`` -> an en dash."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=lang)


def format_percent_value(value: float | None, lang: str = "id", decimals: int = 0) -> str:
    """``0.256`` -> ``26%``; ``None`` -> an en dash."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    return format_percent(value, format=pattern, locale=lang)


def format_date(
    value: str | date | datetime | None, lang: str = "id", tz: str = DEFAULT_TIMEZONE
) -> str:
    """``23 Nov 2026`` in both languages (Babel's medium format), in the display timezone."""
    if value is None or value == "":
        return "–"
    if isinstance(value, (str, datetime)):
        local = to_local(value, tz)
        assert local is not None
        value = local.date()
    return _babel_date(value, format="d MMM y", locale=lang)


def format_datetime(
    value: str | datetime | None, lang: str = "id", tz: str = DEFAULT_TIMEZONE
) -> str:
    """``23 Nov 2026 12:45``, in the display timezone."""
    local = to_local(value, tz)
    if local is None:
        return "–"
    return _babel_datetime(local, format="d MMM y HH:mm", locale=lang, tzinfo=local.tzinfo)


def format_local_datetime(value: str | datetime | None, lang: str = "id") -> str:
    """A time already in local time with no zone (a chat export's ``2026-11-23T12:45``) as
    ``23 Nov 2026 12:45``, not converted; ``None`` or an unreadable value -> an en dash."""
    if value is None or value == "":
        return "–"
    try:
        local = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    except ValueError:
        return "–"
    return _babel_datetime(local.replace(tzinfo=None), format="d MMM y HH:mm", locale=lang)


# How each platform writes its own name.
PLATFORM_NAMES = {
    "news": "News",
    "x": "X",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "youtube": "YouTube",
    "tiktok": "TikTok",
    "whatsapp": "WhatsApp",
    "web": "Web",
    "other": "Other",
}


def platform_name(platform: str | None, lang: str = "en") -> str:
    """``"tiktok"`` -> ``"TikTok"``: a platform as it writes its own name, in ``lang`` where
    it has one ("News" is "Berita"); ``""`` for none."""
    if not platform:
        return ""
    name = PLATFORM_NAMES.get(platform)
    return translate(name, lang) if name else platform[:1].upper() + platform[1:]


def source_name(source: str | None, lang: str = "en") -> str:
    """A mention's source as shown: a source that is a platform's name in other letters
    ("Tiktok", "YOUTUBE", as exports write them) is that platform's name; others as stored."""
    if not source:
        return ""
    key = source.casefold()
    return platform_name(key, lang) if key in PLATFORM_NAMES else source


MINUS = "\u2212"  # the typographic minus sign, as printed (a hyphen looks like a dash)


def format_points(value: float | None, lang: str = "id", decimals: int = 0) -> str:
    """A change in points with its sign: ``+12``, ``−14`` (a true minus sign), ``0``; in
    Indonesian ``+1,5``; ``None`` -> an en dash. A value that rounds to zero has no sign."""
    if value is None:
        return "–"
    text = format_number(abs(value), lang, decimals)
    if round(abs(value), decimals) == 0:
        return text
    return ("+" if value > 0 else MINUS) + text


def format_month(value: date | str, lang: str = "id", *, short: bool = False) -> str:
    """A calendar month for people: ``November 2026`` (id and en), ``Desember 2026``; ``short``
    gives ``Des 26`` (chart axes). Accepts a date or ``YYYY-MM``."""
    if isinstance(value, str):
        value = date.fromisoformat(value[:7] + "-01")
    return _babel_date(value, format="LLL yy" if short else "LLLL y", locale=lang)


def format_compact(value: float | int | None, lang: str = "id") -> str:
    """A large count in short: ``818.848`` -> ``818,8 rb`` (id) or ``818.8K`` (en); ``None`` ->
    an en dash."""
    if value is None:
        return "–"
    return format_compact_decimal(value, locale=lang, fraction_digits=1)


def format_day_month(value: str | date, lang: str = "id") -> str:
    """A local day without its year, for chart axes: ``1 Nov``, ``23 Des``."""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return _babel_date(value, format="d MMM", locale=lang)


# --- text from outside, shown as text ------------------------------------------------------------

# The marks Markdown (CommonMark, GitHub's extensions, Streamlit's ``:red[...]``,
# ``:material/icon:`` and ``$math$``) reads anywhere in a line: a backslash before one shows the
# mark itself. ``:`` and ``@`` stop bare addresses becoming links (``https://...``, e-mail).
_MARKDOWN_MARKS = re.compile(r"([\\`*_{}\[\]<>!#|~$:@&])")
# Marks that only count at the start of a line: lists, quotes, headings, rules, numbered lists.
_LINE_START = re.compile(r"(?m)^([ \t]*)([-+=>])")
_NUMBERED = re.compile(r"(?m)^([ \t]*\d+)([.)])")
_WWW = re.compile(r"(?i)\b(www)\.")


def plain(text: object) -> str:
    """``text`` (a title, an author, a name, a keyword, a URL from outside) escaped for any
    Streamlit element that renders Markdown (``st.markdown``, ``st.caption``, ``st.write``,
    ``st.subheader``, alerts, widget labels): shown as written, never as a link, an image, a
    heading or HTML. ``None`` gives ``""``."""
    if text is None:
        return ""
    escaped = _MARKDOWN_MARKS.sub(r"\\\1", str(text))
    escaped = _LINE_START.sub(r"\1\\\2", escaped)
    escaped = _NUMBERED.sub(r"\1\\\2", escaped)
    return _WWW.sub(r"\1\\.", escaped)


def markdown_link(label: str, url: object) -> str:
    """A Markdown link to ``url`` when it is a web address (``citra.exports.safe_url``), with
    ``label`` (already safe: a translated word, or :func:`plain` text); else ``label`` alone.
    Parentheses in the address are percent-encoded so it cannot close the link early."""
    from citra.exports import safe_url

    target = safe_url(url)
    if target is None:
        return label
    return f"[{label}]({target.replace('(', '%28').replace(')', '%29')})"


def html_text(text: object) -> str:
    """``text`` escaped for plotly labels and hover texts, which render a subset of HTML
    (``<a href>``, ``<b>``, ``<br>``, ...): shown as written. ``None`` gives ``""``."""
    return html.escape("" if text is None else str(text), quote=False)
