"""Plotly figure builders for the dashboard; no Streamlit, no SQL.

One sentiment palette for every chart (the same colours as ``.streamlit/config.toml``'s
``chartCategoricalColors``). Every builder takes a translator ``t`` for its labels and writes
hover texts that say what a point is ("12 Mar 2026: 14 negative mentions").
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from babel.dates import format_date as babel_format_date

from citra.formatting import (
    format_date,
    format_month,
    format_number,
    format_percent_value,
    format_points,
    html_text,
    platform_name,
)
from citra.metrics import Spike

Translate = Callable[..., str]

# The one palette. Sentiment colours first, in the order of ``.streamlit/config.toml``'s
# ``chartCategoricalColors`` (positive, neutral, negative, then series colours).
PALETTE: dict[str, str] = {
    "positive": "#16A34A",
    "neutral": "#94A3B8",
    "negative": "#DC2626",
    "blue": "#2563EB",
    "amber": "#F59E0B",
    "violet": "#7C3AED",
    "teal": "#0F766E",
    "pink": "#DB2777",
    "cyan": "#0891B2",
    "risk": "#7F1D1D",
    "grid": "#E5E7EB",
}
SENTIMENT_COLORS: dict[str, str] = {k: PALETTE[k] for k in ("positive", "neutral", "negative")}
SERIES_COLORS: tuple[str, ...] = tuple(
    PALETTE[k] for k in ("teal", "blue", "amber", "violet", "pink", "cyan")
)
RISK_COLOR = PALETTE["risk"]
# Members: participation, engagement, their ratio, and the funnel's four stages.
PARTICIPATION_COLOR = PALETTE["blue"]
ENGAGEMENT_COLOR = PALETTE["positive"]
RATIO_COLOR = PALETTE["amber"]
FUNNEL_COLORS = tuple(PALETTE[k] for k in ("neutral", "blue", "positive", "violet"))
LABEL_NAMES = {"positive": "Positive", "neutral": "Neutral", "negative": "Negative"}


def _layout(fig: go.Figure, *, height: int = 340, y_title: str = "") -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hovermode="closest",
        yaxis_title=y_title,
        plot_bgcolor="rgba(0,0,0,0)",
    )
    fig.update_yaxes(gridcolor=PALETTE["grid"], rangemode="tozero")
    return fig


def sentiment_trend(
    daily: pd.DataFrame,
    t: Translate,
    *,
    spikes: Sequence[Spike] = (),
    spike_days: Sequence[str] = (),
    day_labels: Callable[[str], str] = str,
) -> go.Figure:
    """Stacked bars of mentions per day and label, spikes marked with a ring, days with
    risk-flagged mentions marked with a red triangle.

    ``daily`` has ``day, label, mentions, risk`` (one row per day and label, as
    ``citra.queries.mentions.daily_by_label`` returns); ``spike_days`` are the days of
    ``spikes``; ``day_labels`` formats a day for hover texts. Empty input: an empty chart.
    """
    fig = go.Figure()
    totals = daily.groupby("day")["mentions"].sum() if not daily.empty else pd.Series(dtype=int)
    for label in ("positive", "neutral", "negative"):
        part = daily[daily["label"] == label] if not daily.empty else daily
        name = t(LABEL_NAMES[label])
        fig.add_bar(
            x=list(part["day"]) if not part.empty else [],
            y=list(part["mentions"]) if not part.empty else [],
            name=name,
            marker_color=SENTIMENT_COLORS[label],
            hovertext=[
                t("{day}: {count} {label} mentions", day=day_labels(d), count=n, label=name.lower())
                for d, n in zip(part.get("day", []), part.get("mentions", []), strict=False)
            ],
            hoverinfo="text",
        )
    if not daily.empty:
        risk = daily.groupby("day")["risk"].sum()
        risk = risk[risk > 0]
        fig.add_scatter(
            x=list(risk.index),
            y=[float(totals[d]) * 1.08 + 0.5 for d in risk.index],
            mode="markers",
            marker={"symbol": "triangle-down", "size": 9, "color": RISK_COLOR},
            name=t("Risk mentions"),
            hovertext=[
                t("{day}: {count} risk-flagged mentions", day=day_labels(d), count=int(n))
                for d, n in risk.items()
            ],
            hoverinfo="text",
        )
    if spikes:
        fig.add_scatter(
            x=list(spike_days),
            y=[
                float(totals.get(d, s.value)) * 1.2 + 1
                for d, s in zip(spike_days, spikes, strict=True)
            ],
            mode="markers",
            marker={"symbol": "circle-open", "size": 16, "line": {"width": 3}, "color": "#111827"},
            name=t("Spike"),
            hovertext=[
                t(
                    "{day}: spike, {count} negative mentions against about {usual} a day before",
                    day=day_labels(d),
                    count=int(s.value),
                    usual=round(s.baseline),
                )
                for d, s in zip(spike_days, spikes, strict=True)
            ],
            hoverinfo="text",
        )
    fig.update_layout(barmode="stack")
    return _layout(fig, y_title=t("Mentions per day"))


def organisations_over_time(
    frame: pd.DataFrame,
    t: Translate,
    *,
    value: str,
    y_title: str,
    percent: bool = False,
    index: bool = False,
) -> go.Figure:
    """One line per organisation: ``frame`` has ``period, organisation`` and the ``value``
    column. ``percent`` formats values as shares (0..1); ``index`` as signed points on a fixed
    -100..+100 axis with the zero line marked (missing values are gaps). Empty input: an empty
    chart."""
    fig = go.Figure()
    lang = getattr(t, "lang", "id")
    for i, (name, part) in enumerate(frame.groupby("organisation", sort=False)):
        fig.add_scatter(
            x=list(part["period"]),
            y=list(part[value]),
            mode="lines+markers",
            name=str(name),
            line={"color": SERIES_COLORS[i % len(SERIES_COLORS)], "width": 3 if i == 0 else 2},
            hovertext=[
                f"{name}, {t('week of')} {format_date(date.fromisoformat(str(p)), lang)}: "
                + (
                    format_percent_value(v, getattr(t, "lang", "id"))
                    if percent
                    else format_points(_number(v), getattr(t, "lang", "id"))
                    if index
                    else format_number(v, getattr(t, "lang", "id"))
                )
                for p, v in zip(part["period"], part[value], strict=True)
            ],
            hoverinfo="text",
        )
    if percent:
        fig.update_yaxes(tickformat=".0%")
    fig = _layout(fig, y_title=y_title)
    if index:
        fig.update_yaxes(range=[-100, 100], rangemode="normal", zeroline=True)
        fig.add_hline(y=0, line={"color": PALETTE["neutral"], "width": 1})
    return fig


def _number(value: Any) -> float | None:
    # pandas gives NaN for a missing value in a float column; the formatters want None.
    return None if value is None or value != value else float(value)


def net_sentiment_bars(
    names: Sequence[str], values: Sequence[float | None], t: Translate
) -> go.Figure:
    """Horizontal bars of net sentiment (-100..100) per organisation, coloured by sign."""
    shown = [v if v is not None else 0 for v in values]
    fig = go.Figure(
        go.Bar(
            x=shown,
            y=list(names),
            orientation="h",
            marker_color=[
                SENTIMENT_COLORS["positive"] if v >= 0 else SENTIMENT_COLORS["negative"]
                for v in shown
            ],
            hovertext=[
                t(
                    "{name}: net sentiment {value}",
                    name=n,
                    value=format_points(v, getattr(t, "lang", "id")),
                )
                for n, v in zip(names, values, strict=True)
            ],
            hoverinfo="text",
        )
    )
    fig.update_xaxes(range=[-100, 100], title=t("Net sentiment (-100 to 100)"))
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, height=60 + 45 * max(len(names), 1))


def own_activity(monthly: pd.DataFrame, t: Translate) -> go.Figure:
    """Own-account posts per month, one bar series per platform; ``monthly`` has ``month,
    platform, posts, engagement``. Empty input: an empty chart."""
    fig = go.Figure()
    for i, (platform, part) in enumerate(monthly.groupby("platform")):
        fig.add_bar(
            x=list(part["month"]),
            y=list(part["posts"]),
            name=platform_name(str(platform), getattr(t, "lang", "id")),
            marker_color=SERIES_COLORS[i % len(SERIES_COLORS)],
            hovertext=[
                t(
                    "{platform}, {month}: {posts} posts, {per_post} engagement per post",
                    platform=platform_name(str(platform), getattr(t, "lang", "id")),
                    month=format_month(str(m), getattr(t, "lang", "id")),
                    posts=p,
                    per_post=round(e / p) if p else 0,
                )
                for m, p, e in zip(part["month"], part["posts"], part["engagement"], strict=True)
            ],
            hoverinfo="text",
        )
    fig.update_layout(barmode="group")
    return _layout(fig, y_title=t("Posts per month"))


def rising_terms(
    terms: Sequence[str],
    scores: Sequence[float],
    label: str,
    t: Translate,
    *,
    now: Sequence[int] = (),
    before: Sequence[int] = (),
) -> go.Figure:
    """Horizontal bars of the most rising terms, coloured by the sentiment ``label`` they were
    computed for (``all`` uses the brand colour). A bar's length is the term's rise (its
    z-score), which no reader needs as a number: the axis says what the length means in words
    and carries no numbers; the hover says in how many mentions the term was, now and before
    (``now``/``before``, the counts per term)."""
    color = SENTIMENT_COLORS.get(label, SERIES_COLORS[0])
    lang = getattr(t, "lang", "id")
    counts = list(zip(now, before, strict=True)) if now else [None] * len(terms)
    fig = go.Figure(
        go.Bar(
            x=list(scores),
            y=list(terms),
            orientation="h",
            marker_color=color,
            hovertext=[
                t(
                    "'{term}': in {now} mentions, against {before} in the period before",
                    term=w,
                    now=format_number(c[0], lang),
                    before=format_number(c[1], lang),
                )
                if c
                else w
                for w, c in zip(terms, counts, strict=True)
            ],
            hoverinfo="text",
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(
        title=t("Rise against the period before"),
        showticklabels=False,
        rangemode="tozero",
    )
    return _layout(fig, height=80 + 26 * max(len(terms), 1))


# --- members (rows computed by citra.engagement) ---------------------------------------------


def _member_layout(fig: go.Figure, *, percent: bool = True) -> go.Figure:
    fig.update_layout(
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": -0.2},
        height=320,
    )
    if percent:
        fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    return fig


def _years_as_labels(fig: go.Figure, xs: Sequence[Any]) -> None:
    # Plotly reads 2024, 2025 as numbers and ticks "2,024.5" between them; years are labels.
    if xs and all(len(str(x)) == 4 and str(x).isdigit() for x in xs):
        fig.update_xaxes(type="category")


def member_rates(rows: Sequence[dict[str, Any]], _: Translate, *, x: str = "period") -> go.Figure:
    """Participation and engagement rates per period (or per event with ``x="name"``)."""
    xs = [row[x] for row in rows]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=[row["participation_rate"] for row in rows],
            name=_("Participation"),
            mode="lines+markers",
            line={"color": PARTICIPATION_COLOR},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=[row["engagement_rate"] for row in rows],
            name=_("Engagement"),
            mode="lines+markers",
            line={"color": ENGAGEMENT_COLOR},
        )
    )
    _years_as_labels(fig, xs)
    return _member_layout(fig)


def member_ratio(rows: Sequence[dict[str, Any]], _: Translate) -> go.Figure:
    """The engagement-to-participation ratio per period."""
    fig = go.Figure(
        go.Scatter(
            x=[row["period"] for row in rows],
            y=[row["ratio"] for row in rows],
            name=_("Engaged per participant"),
            mode="lines+markers",
            line={"color": RATIO_COLOR},
        )
    )
    fig.update_yaxes(rangemode="tozero")
    _years_as_labels(fig, [row["period"] for row in rows])
    return _member_layout(fig, percent=False)


def member_funnel(stages: Sequence[dict[str, Any]], _: Translate) -> go.Figure:
    """The funnel members -> participants -> engaged -> advocates."""
    labels = {
        "members": _("Active members"),
        "participants": _("Participants"),
        "engaged": _("Engaged"),
        "advocates": _("Advocates"),
    }
    fig = go.Figure(
        go.Funnel(
            y=[labels[s["stage"]] for s in stages],
            x=[s["count"] for s in stages],
            textinfo="value+percent initial",
            marker={"color": list(FUNNEL_COLORS[: len(stages)])},
        )
    )
    return _member_layout(fig, percent=False)


def member_groups(rows: Sequence[dict[str, Any]], _: Translate) -> go.Figure:
    """Participation and engagement rates side by side per group (branch, membership age)."""
    groups = [row["group"] for row in rows]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=groups,
            y=[row["participation_rate"] for row in rows],
            name=_("Participation"),
            marker={"color": PARTICIPATION_COLOR},
        )
    )
    fig.add_trace(
        go.Bar(
            x=groups,
            y=[row["engagement_rate"] for row in rows],
            name=_("Engagement"),
            marker={"color": ENGAGEMENT_COLOR},
        )
    )
    fig.update_layout(barmode="group")
    return _member_layout(fig)


# --- the reader's language on every chart ------------------------------------------------------

# Plotly's number separators: decimal mark, then thousands separator.
SEPARATORS = {"id": ",.", "en": ".,"}
MAX_DATE_TICKS = 6  # six "13 Nov" labels still fit a phone-wide chart
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")


def _date_ticks(values: Sequence[str], lang: str) -> tuple[list[str], list[str]] | None:
    """Tick positions and their labels in ``lang`` for an axis of ISO days or months; ``None``
    when the values are not dates."""
    if not values:
        return None
    if all(_DAY.match(v) for v in values):
        days = [date.fromisoformat(v) for v in values]
        pattern = "d MMM"
    elif all(_MONTH.match(v) for v in values):
        days = [date.fromisoformat(f"{v}-01") for v in values]
        pattern = "MMM"
    else:
        return None
    step = max(1, math.ceil(len(days) / MAX_DATE_TICKS))
    chosen = days[::step]
    labels, year = [], None
    for day in chosen:
        text = babel_format_date(day, pattern, locale=lang)
        if day.year != year:  # the year once, where it starts or changes
            text = f"{text}<br>{day.year}"
            year = day.year
        labels.append(text)
    raw = [d.isoformat() if pattern == "d MMM" else d.isoformat()[:7] for d in chosen]
    return raw, labels


_TEXT_ATTRIBUTES = ("name", "text", "hovertext", "labels", "x", "y")


def as_text(fig: go.Figure) -> go.Figure:
    """``fig`` with every trace's names, labels, hover texts and category values HTML-escaped
    (:func:`citra.formatting.html_text`): plotly renders a subset of HTML in them, and names,
    titles and terms come from outside (a peer called ``<a href=...>`` stays text)."""
    for trace in fig.data:
        for attribute in _TEXT_ATTRIBUTES:
            value = getattr(trace, attribute, None) if attribute in trace else None
            if isinstance(value, str):
                trace[attribute] = html_text(value)
            elif isinstance(value, list | tuple) and any(isinstance(v, str) for v in value):
                trace[attribute] = [html_text(v) if isinstance(v, str) else v for v in value]
    return fig


def localise(fig: go.Figure, lang: str) -> go.Figure:
    """``fig`` in the reader's language: Indonesian or English number separators, and date axes
    labelled with Babel's month names (plotly's own are English only); its texts from outside
    escaped (:func:`as_text`)."""
    as_text(fig)
    fig.update_layout(separators=SEPARATORS.get(lang, SEPARATORS["en"]))
    values = sorted(
        {
            str(x)
            for trace in fig.data
            if getattr(trace, "orientation", None) != "h" and getattr(trace, "x", None) is not None
            for x in trace.x
        }
    )
    ticks = _date_ticks(values, lang)
    if ticks is not None:
        fig.update_xaxes(tickmode="array", tickvals=ticks[0], ticktext=ticks[1])
    return fig


def narrative_sentiment(rows: Sequence[Any], t: Translate) -> go.Figure:
    """Stacked horizontal bars per narrative: its public mentions by sentiment label (``rows``
    are ``citra.strategy.NarrativeRow``); the hover says the share of all mentions."""
    lang = getattr(t, "lang", "id")
    names = [row.name for row in rows]
    fig = go.Figure()
    for label in ("positive", "neutral", "negative"):
        fig.add_bar(
            x=[getattr(row, label) for row in rows],
            y=names,
            orientation="h",
            name=t(LABEL_NAMES[label]),
            marker_color=SENTIMENT_COLORS[label],
            hovertext=[
                t(
                    "{name}: {count} {label} mentions; the narrative has {share} of all mentions",
                    name=row.name,
                    count=format_number(getattr(row, label), lang),
                    label=t(LABEL_NAMES[label]).lower(),
                    share=format_percent_value(row.share, lang),
                )
                for row in rows
            ],
            hoverinfo="text",
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title=t("Mentions"))
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, height=90 + 45 * max(len(names), 1))
