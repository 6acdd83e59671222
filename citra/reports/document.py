"""The printed report as a list of blocks (cover, key figures, headings, paragraphs, tables,
charts), built once from a :class:`~citra.reports.content.Report`: the PDF and the HTML writers
render the same blocks, so the two always hold the same content.

Every text is translated (``reports.po``) and every number and date formatted here
(``citra.formatting``); the writers only lay out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from citra.formatting import (
    format_compact,
    format_date,
    format_datetime,
    format_day_month,
    format_month,
    format_number,
    format_percent_value,
    format_points,
    platform_name,
)
from citra.i18n import translate
from citra.reports import figures
from citra.reports.cells import safe_url
from citra.reports.content import Report
from citra.reports.summary import members_sentence, risk_name

RISK_ROWS = 15  # risk mentions listed in the printed report (all of them are in the XLSX)
DRIVER_ROWS = {"risk": 8, "story": 5, "topic": 5, "platform": 8, "source": 5}


@dataclass(frozen=True)
class Link:
    """A text that links to ``url`` (printed with the address beneath it); only web addresses
    become links (``citra.reports.cells.safe_url``)."""

    text: str
    url: str | None

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", safe_url(self.url))


@dataclass(frozen=True)
class Cover:
    title: str
    organisation: str
    month: str
    lines: list[str]


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    small: bool = False


@dataclass(frozen=True)
class Bullets:
    items: list[str]


@dataclass(frozen=True)
class Table:
    """Rows of cells (text or :class:`Link`); ``widths`` are shares of the text width;
    ``numeric`` columns are right-aligned."""

    header: list[str]
    rows: list[list[Any]]
    widths: list[float]
    numeric: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Chart:
    """A matplotlib figure with its caption."""

    figure: Any
    caption: str


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Document:
    title: str
    lang: str
    blocks: list[Any] = field(default_factory=list)


def build_document(report: Report) -> Document:
    """The printed report's blocks, in reading order."""
    lang = report.lang

    def _(message: str, **values: object) -> str:
        return translate(message, lang, **values)

    month = format_month(report.month, lang)
    title = _("Monthly reputation report")
    lines = [
        _(
            "Generated {when} ({tz})",
            when=format_datetime(report.generated_at, lang, report.tz),
            tz=report.tz,
        ),
        _(
            "Period: {first} to {last}, compared with {previous_first} to {previous_last}.",
            first=format_date(report.current.first_day, lang),
            last=format_date(report.current.last_day, lang),
            previous_first=format_date(report.previous.first_day, lang),
            previous_last=format_date(report.previous.last_day, lang),
        ),
    ]
    if report.organisation.is_demo:
        lines.append(_("Demo data about a fictional coop."))
    blocks: list[Any] = [
        Cover(title, report.organisation.name, month, lines),
        _key_figures(report, _),
        Heading(_("Summary")),
        Bullets(report.summary),
    ]
    if report.has_data:
        blocks += [PageBreak(), *_drivers(report, _), *_charts(report, _), *_tables(report, _)]
        blocks += _narratives(report, _)
    blocks += _methods(report, _)
    return Document(f"{title}: {report.organisation.name}, {month}", lang, blocks)


def _key_figures(report: Report, _: Any) -> Table:
    lang = report.lang
    card, year = report.card, report.year_card

    def growth(value: float | None) -> str:
        if value is None:
            return "–"
        return ("+" if value >= 0 else "−") + format_percent_value(abs(value), lang)

    rows = [
        [
            _("Reputation index"),
            format_points(card.index_now, lang),
            format_points(card.index_before, lang),
            format_points(card.index_change, lang),
            format_points(year.index_before, lang),
        ],
        [
            _("Net sentiment"),
            format_points(card.net_now, lang),
            format_points(card.net_before, lang),
            format_points(card.net_change, lang),
            format_points(year.net_before, lang),
        ],
        [
            _("Mentions"),
            format_number(card.mentions_now, lang),
            format_number(card.mentions_before, lang),
            growth(card.mentions_growth),
            format_number(year.mentions_before, lang),
        ],
        [
            _("Reach"),
            format_compact(card.reach_now, lang),
            format_compact(card.reach_before, lang),
            growth(card.reach_growth),
            format_compact(year.reach_before, lang),
        ],
        [
            _("Share of voice"),
            format_percent_value(card.share_now, lang),
            format_percent_value(card.share_before, lang),
            format_points(card.share_change_points, lang),
            format_percent_value(year.share_before, lang),
        ],
    ]
    return Table(
        [
            "",
            format_month(report.month, lang),
            format_month(report.previous.first_day, lang),
            _("Change"),
            format_month(report.year_ago.first_day, lang),
        ],
        rows,
        [0.28, 0.18, 0.18, 0.18, 0.18],
        frozenset({1, 2, 3, 4}),
    )


def _drivers(report: Report, _: Any) -> list[Any]:
    lang = report.lang
    found = report.drivers
    blocks: list[Any] = [Heading(_("What moved the index"))]
    if found.index_change is None:
        blocks.append(
            Paragraph(_("There is no index in one of the two months, so nothing to split."))
        )
        return blocks
    blocks.append(
        Paragraph(
            _(
                "The index changed {change} points. Each row says how many of them a group of "
                "mentions caused, split into reach (its weight in the index moved) and tone (its "
                "own sentiment moved). Platforms add up to the whole change, and so do sources "
                "and stories; topics and risk categories overlap.",
                change=format_points(found.index_change, lang),
            )
        )
    )
    kinds = {
        "story": _("Story"),
        "risk": _("Risk category"),
        "topic": _("Topic"),
        "source": _("Source"),
        "platform": _("Platform"),
    }
    rows: list[list[Any]] = []
    for dimension, limit in DRIVER_ROWS.items():
        for e in found.of(dimension, limit):
            if dimension == "risk":
                what: Any = risk_name(e.key, lang)
            elif dimension == "platform":
                what = platform_name(e.key, lang)
            elif dimension == "story":
                what = Link(e.label, e.top_url)
            else:
                what = e.label or _("(no source)")
            rows.append(
                [
                    kinds[dimension],
                    what,
                    format_points(e.points, lang, 1),
                    format_points(e.reach_points, lang, 1),
                    format_points(e.sentiment_points, lang, 1),
                    f"{format_number(e.mentions_now, lang)} / {format_number(e.mentions_before, lang)}",
                ]
            )
    blocks.append(
        Table(
            [_("Kind"), _("Group"), _("Points"), _("Reach"), _("Tone"), _("Mentions now / before")],
            rows,
            [0.16, 0.38, 0.09, 0.12, 0.09, 0.16],
            frozenset({2, 3, 4, 5}),
        )
    )
    return blocks


def _charts(report: Report, _: Any) -> list[Any]:
    lang = report.lang
    blocks: list[Any] = [
        Heading(_("Sentiment trend")),
        Chart(
            figures.sentiment_trend(
                report.daily,
                _,
                spike_days=report.trend.spike_days,
                day_label=lambda d: format_day_month(d, lang),
            ),
            _(
                "Mentions per day by sentiment; triangles mark days with risk mentions, rings "
                "unusually busy days."
            ),
        ),
        Heading(_("Share of voice and peers")),
    ]
    if not report.weekly_share.empty:
        blocks.append(
            Chart(
                figures.share_of_voice(
                    report.weekly_share, _, day_label=lambda d: format_day_month(d, lang)
                ),
                _(
                    "Each organisation's share of the mentions of the coop and its peers, by week (weeks start on Monday)."
                ),
            )
        )
    rows = []
    for p in report.peers:
        before = report.peers_before.get(p.organisation_id)
        change = (
            None
            if before is None or before.reputation_index is None or p.reputation_index is None
            else p.reputation_index - before.reputation_index
        )
        rows.append(
            [
                p.organisation,
                format_number(p.mentions, lang),
                format_percent_value(p.share_of_voice, lang),
                format_points(p.net_sentiment, lang),
                format_points(p.reputation_index, lang),
                format_points(change, lang),
            ]
        )
    if rows:
        blocks.append(
            Table(
                [
                    _("Organisation"),
                    _("Mentions"),
                    _("Share of voice"),
                    _("Net sentiment"),
                    _("Reputation index"),
                    _("Change"),
                ],
                rows,
                [0.34, 0.13, 0.13, 0.13, 0.14, 0.13],
                frozenset({1, 2, 3, 4, 5}),
            )
        )
    blocks.append(Heading(_("Members: participation and engagement")))
    members = report.members
    if members.get("has_data") and members["months"]:
        blocks.append(
            Chart(
                figures.participation_engagement(
                    members["months"], _, month_label=lambda m: format_month(m, lang, short=True)
                ),
                _(
                    "Participation: active members who attended an event (RAT, meeting, "
                    "training). Engagement: active members who asked, proposed or shared."
                ),
            )
        )
    blocks.append(Paragraph(members_sentence(report)))
    return blocks


def _story_rows(report: Report, rows: list[dict[str, Any]]) -> list[list[Any]]:
    lang = report.lang
    return [
        [
            format_date(row["day"], lang),
            Link(row["title"], row["url"]),
            ", ".join(row["sources"]) or platform_name(row["platform"], lang),
            format_number(row["copies"], lang),
            format_compact(row["reach"], lang),
            format_points(row["points"], lang, 1),
        ]
        for row in rows
    ]


def _tables(report: Report, _: Any) -> list[Any]:
    lang = report.lang
    header = [_("Date"), _("Story"), _("Source"), _("Copies"), _("Reach"), _("Points")]
    widths = [0.12, 0.46, 0.16, 0.08, 0.09, 0.09]
    numeric = frozenset({3, 4, 5})
    blocks: list[Any] = [
        Heading(_("Top negative stories")),
        Paragraph(
            _("Ranked by how many points each took from the index, not by reach alone."), small=True
        ),
    ]
    if report.top_negative:
        blocks.append(Table(header, _story_rows(report, report.top_negative), widths, numeric))
    else:
        blocks.append(Paragraph(_("No negative mentions.")))
    blocks.append(Heading(_("Top positive stories")))
    if report.top_positive:
        blocks.append(Table(header, _story_rows(report, report.top_positive), widths, numeric))
    else:
        blocks.append(Paragraph(_("No positive mentions.")))
    blocks.append(Heading(_("Risk mentions")))
    if not report.risk_events:
        blocks.append(Paragraph(_("No mention was flagged as a risk.")))
        return blocks
    blocks.append(
        Table(
            [
                _("Risk category"),
                _("Mentions"),
                _("First day"),
                _("Last day"),
                _("Reach"),
                _("Points"),
            ],
            [
                [
                    risk_name(e["category"], lang),
                    format_number(e["mentions"], lang),
                    format_date(e["first_day"], lang),
                    format_date(e["last_day"], lang),
                    format_compact(e["reach"], lang),
                    format_points(e["points"], lang, 1),
                ]
                for e in report.risk_events
            ],
            [0.3, 0.12, 0.16, 0.16, 0.12, 0.14],
            frozenset({1, 4, 5}),
        )
    )
    shown = sorted(report.risk_mentions, key=lambda r: -(r["reach"] or 0))[:RISK_ROWS]
    blocks.append(
        Paragraph(
            _(
                "The {shown} risk mentions with the largest reach, of {count} (all are in the "
                "XLSX file).",
                shown=len(shown),
                count=len(report.risk_mentions),
            ),
            small=True,
        )
    )
    blocks.append(
        Table(
            [_("Date"), _("Mention"), _("Risk category"), _("Source"), _("Reach")],
            [
                [
                    format_date(row["published_at"], lang, report.tz),
                    Link(row["title"] or row["text"] or "", row["url"]),
                    ", ".join(risk_name(c, lang) for c in row["categories"]),
                    row["source"] or platform_name(row["platform"], lang),
                    format_compact(row["reach"], lang),
                ]
                for row in shown
            ],
            [0.12, 0.5, 0.16, 0.13, 0.09],
            frozenset({4}),
        )
    )
    return blocks


def _methods(report: Report, _: Any) -> list[Any]:
    return [
        Heading(_("Methods")),
        Paragraph(
            _(
                "Reputation index: reach-weighted net sentiment, 100 × (P − N) / (P + U + N), where "
                "P, U and N are the summed reach weights of the positive, neutral and negative "
                "mentions and a mention's weight is its reach (at least 1); from −100 to +100. Net "
                "sentiment is the same with every mention counted once. Share of voice: the "
                "organisation's share of all mentions of the coop and its peers. Posts of the "
                "coop's own accounts are left out."
            ),
            small=True,
        ),
        Paragraph(
            _(
                "What moved the index: a shift-share split of the change. A group's reach points "
                "are the change of its share of the weight times its tone against the average "
                "index; its tone points are its average share times the change of its own tone. "
                "A story groups the syndicated copies of one article; topics are two-word phrases "
                "and hashtags."
            ),
            small=True,
        ),
        Paragraph(
            _(
                "Sentiment is scored by Citra's lexicon for Indonesian and English (VADER "
                "extended), corrected by hand where the team did. Risk mentions contain a term "
                "from the list of koperasi crisis terms (gagal bayar, PKPU, penipuan, ...). Reach "
                "is what the sources report (followers, readers, views)."
            ),
            small=True,
        ),
        Paragraph(
            _(
                "Months are calendar months in {tz}; the month before is the previous calendar "
                "month. Numbers are rounded; the XLSX file holds them unrounded, with every "
                "mention of the month.",
                tz=report.tz,
            ),
            small=True,
        ),
    ]


def _narratives(report: Report, _: Any) -> list[Any]:
    """The coop's narratives and the posting plan's gaps (``Report.narratives``)."""
    from citra.strategy import gap_text

    found = report.narratives
    if not found:
        return []
    lang = report.lang
    verdicts = {
        "resonates": _("resonates"),
        "steady": _("steady"),
        "ignored": _("ignored"),
        "negative": _("attracts negative talk"),
    }
    blocks: list[Any] = [Heading(_("Narratives and the posting plan"))]
    if found["rows"]:
        blocks.append(
            Table(
                [
                    _("Narrative"),
                    _("Mentions"),
                    _("Share of mentions"),
                    _("Net sentiment"),
                    _("Reach"),
                    _("Mentions without reach"),
                    _("Own posts"),
                    _("Verdict"),
                ],
                [
                    [
                        row.name,
                        format_number(row.mentions, lang),
                        format_percent_value(row.share, lang),
                        format_points(row.net, lang),
                        format_compact(row.reach, lang),
                        format_number(row.without_reach, lang),
                        format_number(row.own_posts, lang),
                        verdicts[row.verdict],
                    ]
                    for row in found["rows"]
                ],
                [0.24, 0.1, 0.1, 0.1, 0.1, 0.12, 0.1, 0.14],
                frozenset({1, 2, 3, 4, 5, 6}),
            )
        )
        blocks.append(
            Paragraph(
                _(
                    "Reach as the sources report it: a mention without a reach figure counts as "
                    "a mention but adds nothing to reach (unknown, not zero).",
                ),
                small=True,
            )
        )
    if found["gaps"]:
        blocks.append(Bullets([gap_text(gap, lang) for gap in found["gaps"]]))
    elif found["lines"]:
        blocks.append(Paragraph(_("Every planned channel is on plan in this period.")))
    return blocks
