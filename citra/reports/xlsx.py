"""The report as an XLSX workbook: a summary sheet (this month, the month before, the same month
a year earlier), the drivers, the daily series, platforms, sources, share of voice, top stories,
risk events, members, and the month's mentions.

Written with XlsxWriter in constant-memory mode (rows go to disk as they are written, so a month
of a hundred thousand mentions never sits in memory): formatted headers, number formats, frozen
header rows, column widths and filters. Texts are always written as strings; formula-looking ones
carry Excel's quote prefix (``citra.reports.cells``), so nothing in a mention is ever evaluated.
Numbers are stored as numbers: Excel shows them with the reader's own separators.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from citra.formatting import format_datetime, format_month, platform_name
from citra.i18n import translate
from citra.reports.cells import local_naive, looks_like_formula
from citra.reports.content import Report
from citra.reports.summary import risk_name

# Formats by name: number formats are Excel's own codes (the reader's locale shows separators).
FORMATS: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 14},
    "bold": {"bold": True},
    "header": {
        "bold": True,
        "bg_color": "#E5E7EB",
        "bottom": 1,
        "text_wrap": True,
        "valign": "top",
    },
    "text": {"valign": "top"},
    "wrap": {"text_wrap": True, "valign": "top"},
    "quoted": {"quote_prefix": True, "valign": "top"},
    "count": {"num_format": "#,##0", "valign": "top"},
    "points": {"num_format": "+0;-0;0", "valign": "top"},
    "points1": {"num_format": "+0.0;-0.0;0.0", "valign": "top"},
    "percent": {"num_format": "0%", "valign": "top"},
    "percent1": {"num_format": "0.0%", "valign": "top"},
    "ratio": {"num_format": "0.00", "valign": "top"},
    "compound": {"num_format": "+0.000;-0.000;0.000", "valign": "top"},
    "day": {"num_format": "dd/mm/yyyy", "valign": "top", "align": "left"},
    "time": {"num_format": "dd/mm/yyyy hh:mm", "valign": "top", "align": "left"},
    "link": {"font_color": "#1D4ED8", "underline": 1, "valign": "top"},
}


class Sheet:
    """One worksheet written row by row: a header row, then rows of typed cells."""

    def __init__(self, book: Any, formats: dict[str, Any], name: str):
        self.book = book
        self.formats = formats
        self.sheet = book.add_worksheet(name[:31])
        self.row = 0

    def widths(self, widths: Sequence[float]) -> None:
        for column, width in enumerate(widths):
            self.sheet.set_column(column, column, width)

    def title(self, text: str, style: str = "title") -> None:
        self.sheet.write_string(self.row, 0, text, self.formats[style])
        self.row += 1

    def blank(self) -> None:
        self.row += 1

    def header(self, names: Sequence[str], *, freeze: bool = False) -> None:
        for column, name in enumerate(names):
            self.sheet.write_string(self.row, column, name, self.formats["header"])
        if freeze:
            self.sheet.freeze_panes(self.row + 1, 0)
        self.row += 1

    def cells(self, values: Iterable[Any], styles: Sequence[str | None]) -> None:
        for column, (value, style) in enumerate(zip(values, styles, strict=False)):
            write(self.sheet, self.formats, self.row, column, value, style)
        self.row += 1


def write(
    sheet: Any, formats: dict[str, Any], row: int, column: int, value: Any, style: Any
) -> None:
    """One cell, by type: empty for ``None``/``NaN``; texts always as strings (quote-prefixed
    when they look like a formula); ``("link", url)`` styles write a hyperlink."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return
    if style == "link":
        url = str(value)
        if url.startswith(("http://", "https://")) and len(url) <= 2079:
            sheet.write_url(row, column, url, formats["link"], string=url[:255])
        else:
            sheet.write_string(row, column, url, formats["text"])
        return
    if isinstance(value, datetime | date):
        sheet.write_datetime(row, column, value, formats[style or "time"])
        return
    if isinstance(value, bool):
        sheet.write_number(row, column, int(value), formats[style or "count"])
        return
    if isinstance(value, int | float):
        sheet.write_number(row, column, value, formats[style or "count"])
        return
    text = str(value)
    fmt = formats["quoted"] if looks_like_formula(text) else formats[style or "text"]
    sheet.write_string(row, column, text[:32767], fmt)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _nan(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def write_xlsx(db: Database, report: Report, path: Path) -> Path:
    """Write ``report`` to ``path`` (the month's mentions are read from ``db`` as they are
    written); returns ``path``."""
    import xlsxwriter

    lang = report.lang

    def _(message: str, **values: object) -> str:
        return translate(message, lang, **values)

    book = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    book.set_properties(
        {
            "title": _("Monthly reputation report"),
            "subject": f"{report.organisation.name} {report.month}",
            "author": "Citra",
        }
    )
    formats = {name: book.add_format(spec) for name, spec in FORMATS.items()}
    _summary_sheet(Sheet(book, formats, _("Summary")), report, _)
    _drivers_sheet(Sheet(book, formats, _("Drivers")), report, _)
    _daily_sheet(Sheet(book, formats, _("Daily")), report, _)
    _totals_sheet(Sheet(book, formats, _("Platforms")), report, _, "platform")
    _totals_sheet(Sheet(book, formats, _("Sources")), report, _, "source")
    _share_sheet(Sheet(book, formats, _("Share of voice")), report, _)
    _top_sheet(Sheet(book, formats, _("Top mentions")), report, _)
    _risk_sheet(Sheet(book, formats, _("Risk events")), report, _)
    _members_sheet(Sheet(book, formats, _("Members")), report, _)
    if report.narratives:
        _narratives_sheet(Sheet(book, formats, _("Narratives")), report, _)
    _mentions_sheet(Sheet(book, formats, _("Mentions")), db, report, _)
    book.close()
    return path


def _summary_sheet(sheet: Sheet, report: Report, _: Any) -> None:
    lang = report.lang
    card, year = report.card, report.year_card
    sheet.widths([30, 16, 16, 16, 16, 16])
    sheet.title(_("Monthly reputation report"))
    sheet.title(report.organisation.name, "bold")
    sheet.title(format_month(report.month, lang), "bold")
    sheet.title(
        _("Generated {when}", when=format_datetime(report.generated_at, lang, report.tz)), "text"
    )
    if report.organisation.is_demo:
        sheet.title(_("Demo data about a fictional coop."), "text")
    sheet.blank()
    sheet.header(
        [
            _("Measure"),
            format_month(report.month, lang),
            format_month(report.previous.first_day, lang),
            format_month(report.year_ago.first_day, lang),
            _("Change against the month before"),
            _("Change against a year earlier"),
        ],
        freeze=True,
    )

    def change(now: float | None, before: float | None, relative: bool) -> float | None:
        if now is None or before is None:
            return None
        if relative:
            return (now - before) / before if before else None
        return now - before

    rows = [
        (
            _("Reputation index"),
            card.index_now,
            card.index_before,
            year.index_before,
            "points1",
            False,
        ),
        (_("Net sentiment"), card.net_now, card.net_before, year.net_before, "points1", False),
        (
            _("Mentions"),
            card.mentions_now,
            card.mentions_before,
            year.mentions_before,
            "count",
            True,
        ),
        (_("Reach"), card.reach_now, card.reach_before, year.reach_before, "count", True),
    ]
    for label, now, before, year_before, style, relative in rows:
        sheet.cells(
            [
                label,
                now,
                before,
                year_before,
                change(now, before, relative),
                change(now, year_before, relative),
            ],
            [
                "bold",
                style,
                style,
                style,
                "percent" if relative else style,
                "percent" if relative else style,
            ],
        )
    share_change = card.share_change_points
    year_share = year.share_change_points
    sheet.cells(
        [
            _("Share of voice"),
            card.share_now,
            card.share_before,
            year.share_before,
            None if share_change is None else share_change / 100,
            None if year_share is None else year_share / 100,
        ],
        ["bold", "percent1", "percent1", "percent1", "percent1", "percent1"],
    )
    sheet.blank()
    sheet.title(_("Summary"), "bold")
    for sentence in report.summary:
        sheet.cells([sentence], ["text"])
    sheet.blank()
    sheet.cells(
        [
            _(
                "Changes of the index and net sentiment are in points; of mentions and reach in per cent; of the share of voice in percentage points."
            )
        ],
        ["text"],
    )


def _drivers_sheet(sheet: Sheet, report: Report, _: Any) -> None:
    lang = report.lang
    names = {
        "story": _("Story"),
        "risk": _("Risk category"),
        "topic": _("Topic"),
        "source": _("Source"),
        "platform": _("Platform"),
    }
    sheet.widths([14, 50, 10, 10, 10, 10, 10, 12, 12, 10, 10, 12, 60, 40])
    sheet.header(
        [
            _("Kind"),
            _("Group"),
            _("Points"),
            _("of which reach"),
            _("of which tone"),
            _("Mentions"),
            _("Mentions before"),
            _("Reach"),
            _("Reach before"),
            _("Tone"),
            _("Tone before"),
            _("First day"),
            _("Mention that moved it most"),
            _("Link"),
        ],
        freeze=True,
    )
    if report.drivers.index_change is None:
        sheet.cells(
            [_("There is no index in one of the two months, so nothing to split.")], ["text"]
        )
        return
    for dimension in ("story", "risk", "topic", "source", "platform"):
        for e in report.drivers.of(dimension):
            label = (
                risk_name(e.key, lang)
                if dimension == "risk"
                else platform_name(e.key, lang)
                if dimension == "platform"
                else e.label
            )
            sheet.cells(
                [
                    names[dimension],
                    label,
                    e.points,
                    e.reach_points,
                    e.sentiment_points,
                    e.mentions_now,
                    e.mentions_before,
                    e.reach_now,
                    e.reach_before,
                    e.net_now,
                    e.net_before,
                    _day(e.first_day),
                    e.top_title,
                    e.top_url,
                ],
                [
                    "text",
                    "wrap",
                    "points1",
                    "points1",
                    "points1",
                    "count",
                    "count",
                    "count",
                    "count",
                    "points",
                    "points",
                    "day",
                    "wrap",
                    "link",
                ],
            )


def _daily_sheet(sheet: Sheet, report: Report, _: Any) -> None:
    sheet.widths([12, 10, 10, 10, 10, 12, 12, 12, 12, 8])
    sheet.header(
        [
            _("Date"),
            _("Mentions"),
            _("Positive"),
            _("Negative"),
            _("Neutral"),
            _("Net sentiment"),
            _("Reputation index"),
            _("Reach"),
            _("Share of voice"),
            _("Risk"),
        ],
        freeze=True,
    )
    for row in report.daily.itertuples(index=False):
        sheet.cells(
            [
                _day(row.day),
                row.mentions,
                row.positive,
                row.negative,
                row.neutral,
                _nan(row.net_sentiment),
                _nan(row.index),
                row.reach,
                _nan(row.share_of_voice),
                row.risk,
            ],
            [
                "day",
                "count",
                "count",
                "count",
                "count",
                "points",
                "points",
                "count",
                "percent",
                "count",
            ],
        )


def _totals_sheet(sheet: Sheet, report: Report, _: Any, by: str) -> None:
    lang = report.lang
    frame = report.platforms if by == "platform" else report.sources
    first = _("Platform") if by == "platform" else _("Source")
    sheet.widths([26, 10, 12, 12, 10, 10, 10, 11, 11, 11, 10, 10, 10])
    sheet.header(
        [
            first,
            _("Mentions"),
            _("Mentions before"),
            _("Reach"),
            _("Positive"),
            _("Neutral"),
            _("Negative"),
            _("Net sentiment"),
            _("Reputation index"),
            _("Index before"),
            _("Points"),
            _("of which reach"),
            _("of which tone"),
        ],
        freeze=True,
    )
    for row in frame.to_dict("records"):
        name = (
            platform_name(row["platform"], lang)
            if by == "platform"
            else row["source"] or _("(no source)")
        )
        sheet.cells(
            [
                name,
                row["mentions"],
                row["mentions_before"],
                row["reach"],
                row["positive"],
                row["neutral"],
                row["negative"],
                _nan(row["net_sentiment"]),
                _nan(row["index"]),
                _nan(row["index_before"]),
                _nan(row["points"]),
                _nan(row["reach_points"]),
                _nan(row["sentiment_points"]),
            ],
            [
                "text",
                "count",
                "count",
                "count",
                "count",
                "count",
                "count",
                "points",
                "points",
                "points",
                "points1",
                "points1",
                "points1",
            ],
        )


def _share_sheet(sheet: Sheet, report: Report, _: Any) -> None:
    sheet.widths([28, 12, 12, 12, 12, 12, 12])
    sheet.header(
        [
            _("Organisation"),
            _("Mentions"),
            _("Share of voice"),
            _("Share before"),
            _("Net sentiment"),
            _("Reputation index"),
            _("Index before"),
        ],
        freeze=True,
    )
    for p in report.peers:
        before = report.peers_before.get(p.organisation_id)
        sheet.cells(
            [
                p.organisation,
                p.mentions,
                p.share_of_voice,
                getattr(before, "share_of_voice", None),
                p.net_sentiment,
                p.reputation_index,
                getattr(before, "reputation_index", None),
            ],
            ["text", "count", "percent1", "percent1", "points", "points", "points"],
        )
    sheet.blank()
    sheet.title(_("Share of voice by week"), "bold")
    sheet.header([_("Week of"), _("Organisation"), _("Mentions"), _("Share of voice")])
    for row in report.weekly_share.itertuples(index=False):
        sheet.cells(
            [_day(row.period), row.organisation, row.mentions, row.share],
            ["day", "text", "count", "percent1"],
        )


def _top_sheet(sheet: Sheet, report: Report, _: Any) -> None:
    lang = report.lang
    sheet.widths([10, 12, 70, 14, 28, 8, 12, 10, 40])
    sheet.header(
        [
            _("Tone"),
            _("Date"),
            _("Story"),
            _("Platform"),
            _("Sources"),
            _("Copies"),
            _("Reach"),
            _("Points"),
            _("Link"),
        ],
        freeze=True,
    )
    for tone, rows in ((_("Negative"), report.top_negative), (_("Positive"), report.top_positive)):
        for row in rows:
            sheet.cells(
                [
                    tone,
                    _day(row["day"]),
                    row["title"],
                    platform_name(row["platform"], lang),
                    ", ".join(row["sources"]),
                    row["copies"],
                    row["reach"],
                    row["points"],
                    row["url"],
                ],
                ["text", "day", "wrap", "text", "wrap", "count", "count", "points1", "link"],
            )


def _risk_sheet(sheet: Sheet, report: Report, _: Any) -> None:
    lang = report.lang
    tz = ZoneInfo(report.tz)
    sheet.widths([30, 12, 12, 12, 12, 12, 10, 60, 40])
    sheet.header(
        [
            _("Risk category"),
            _("Mentions"),
            _("Mentions before"),
            _("First day"),
            _("Last day"),
            _("Reach"),
            _("Points"),
            _("Example"),
            _("Link"),
        ],
        freeze=True,
    )
    for e in report.risk_events:
        sheet.cells(
            [
                risk_name(e["category"], lang),
                e["mentions"],
                e["mentions_before"],
                _day(e["first_day"]),
                _day(e["last_day"]),
                e["reach"],
                e["points"],
                e["example"],
                e["url"],
            ],
            ["text", "count", "count", "day", "day", "count", "points1", "wrap", "link"],
        )
    if not report.risk_events:
        sheet.cells([_("No mention was flagged as a risk.")], ["text"])
    sheet.blank()
    sheet.title(_("Risk mentions"), "bold")
    sheet.header(
        [
            _("Time"),
            _("Risk category"),
            _("Platform"),
            _("Source"),
            _("Mention"),
            _("Reach"),
            _("Link"),
        ]
    )
    for row in report.risk_mentions:
        sheet.cells(
            [
                local_naive(row["published_at"], tz),
                ", ".join(risk_name(c, lang) for c in row["categories"]),
                platform_name(row["platform"], lang),
                row["source"],
                row["title"] or row["text"],
                row["reach"],
                row["url"],
            ],
            ["time", "text", "text", "text", "wrap", "count", "link"],
        )


def _members_sheet(sheet: Sheet, report: Report, _: Any) -> None:
    members = report.members
    sheet.widths([24, 14, 14, 14, 14, 14, 14])
    if not members.get("has_data"):
        sheet.title(_("No member registry is recorded, so no participation figures."), "text")
        return
    columns = [
        _("Period"),
        _("Active members"),
        _("Participants"),
        _("Engaged"),
        _("Participation rate"),
        _("Engagement rate"),
        _("Engaged per participant"),
    ]
    styles = ["text", "count", "count", "count", "percent", "percent", "ratio"]

    def values(period: str, row: dict[str, Any]) -> list[Any]:
        return [
            period,
            row.get("active"),
            row.get("participants"),
            row.get("engaged"),
            row.get("participation_rate"),
            row.get("engagement_rate"),
            row.get("ratio"),
        ]

    sheet.header(columns, freeze=True)
    month = members.get("month") or {
        "active": members["totals"].get("active"),
        "participants": 0,
        "engaged": 0,
    }
    sheet.cells(values(format_month(report.month, report.lang), month), styles)
    sheet.cells(values(str(members["year"]), members["totals"]), styles)
    sheet.blank()
    sheet.title(_("Month by month"), "bold")
    sheet.header(columns)
    for row in members["months"]:
        sheet.cells(values(format_month(row["period"], report.lang), row), styles)
    sheet.blank()
    sheet.title(_("By branch ({year})", year=members["year"]), "bold")
    sheet.header([_("Branch"), *columns[1:]])
    for row in members["branches"]:
        sheet.cells(values(row["group"], row), styles)


def _narratives_sheet(sheet: Sheet, report: Report, _: Any) -> None:
    """The coop's narratives in the month, then the posting plan's lines and gaps."""
    from citra.strategy import gap_text

    found = report.narratives
    sheet.widths([30, 12, 12, 12, 14, 14, 12, 16])
    sheet.header(
        [
            _("Narrative"),
            _("Mentions"),
            _("Share of mentions"),
            _("Net sentiment"),
            _("Reach"),
            _("Mentions without reach"),
            _("Own posts"),
            _("Engagement per own post"),
        ],
        freeze=True,
    )
    for row in found["rows"]:
        sheet.cells(
            [
                row.name,
                row.mentions,
                row.share,
                row.net,
                row.reach,
                row.without_reach,
                row.own_posts,
                row.engagement_per_post,
            ],
            ["text", "count", "percent1", "points", "count", "count", "count", "ratio"],
        )
    if found["lines"]:
        sheet.blank()
        sheet.title(_("Plan"), "bold")
        sheet.header([_("Channel"), _("Narrative"), _("Planned"), _("Published")])
        for line in found["lines"]:
            sheet.cells(
                [platform_name(line.channel, report.lang), line.narrative or _("any"),
                 line.planned, line.published],
                ["text", "text", "count", "count"],
            )  # fmt: skip
    for gap in found["gaps"]:
        sheet.title(gap_text(gap, report.lang), "text")


def _mentions_sheet(sheet: Sheet, db: Database, report: Report, _: Any) -> None:
    from citra.queries.reports import iter_mentions

    lang = report.lang
    tz = ZoneInfo(report.tz)
    labels = {"positive": _("Positive"), "neutral": _("Neutral"), "negative": _("Negative")}
    yes = _("yes")
    sheet.widths([17, 12, 20, 50, 60, 18, 40, 10, 10, 10, 9, 6, 14])
    sheet.header(
        [
            _("Time ({tz})", tz=report.tz),
            _("Platform"),
            _("Source"),
            _("Title"),
            _("Text"),
            _("Author"),
            _("Link"),
            _("Reach"),
            _("Engagement"),
            _("Sentiment"),
            _("Score"),
            _("Risk"),
            _("Story"),
        ],
        freeze=True,
    )
    sheet.sheet.autofilter(sheet.row - 1, 0, sheet.row - 1, 12)
    platforms = {
        p: platform_name(p, lang)
        for p in ("news", "x", "facebook", "instagram", "youtube", "tiktok", "web", "other")
    }
    f = sheet.formats
    out = sheet.sheet
    row = sheet.row
    text_style = wrap = f["text"]
    for m in iter_mentions(db, report.current):
        local = local_naive(m.published_at, tz)
        if local is not None:
            out.write_datetime(row, 0, local, f["time"])
        out.write_string(row, 1, platforms.get(m.platform, m.platform), text_style)
        for column, value in ((2, m.source), (3, m.title), (4, m.text), (5, m.author), (6, m.url)):
            if value:
                value = str(value)[:32767]
                out.write_string(
                    row, column, value, f["quoted"] if looks_like_formula(value) else wrap
                )
        if m.reach is not None:
            out.write_number(row, 7, m.reach, f["count"])
        out.write_number(row, 8, m.engagement, f["count"])
        if m.label:
            out.write_string(row, 9, labels.get(m.label, m.label), text_style)
        if m.compound is not None:
            out.write_number(row, 10, m.compound, f["compound"])
        if m.risk:  # blank is no: a hundred thousand "no" cells would cost a second
            out.write_string(row, 11, yes, text_style)
        if m.story:
            out.write_string(row, 12, str(m.story), text_style)
        row += 1
    sheet.row = row
