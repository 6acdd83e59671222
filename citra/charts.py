"""Plotly figure builders for the dashboard; no Streamlit, no SQL.

One sentiment palette for every chart (the same colours as ``.streamlit/config.toml``'s
``chartCategoricalColors``). Every builder takes a translator ``t`` for its labels and writes
hover texts that say what a point is ("12 Mar 2026: 14 negative mentions").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import plotly.graph_objects as go

from citra.metrics import Spike

Translate = Callable[..., str]

SENTIMENT_COLORS: dict[str, str] = {
    "positive": "#16A34A",
    "neutral": "#94A3B8",
    "negative": "#DC2626",
}
SERIES_COLORS: tuple[str, ...] = ("#0F766E", "#2563EB", "#F59E0B", "#7C3AED", "#DB2777", "#0891B2")
RISK_COLOR = "#7F1D1D"
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
    fig.update_yaxes(gridcolor="#E5E7EB", rangemode="tozero")
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
            y=[s.value * 1.2 + 1 for s in spikes],
            mode="markers",
            marker={"symbol": "circle-open", "size": 16, "line": {"width": 3}, "color": "#111827"},
            name=t("Spike"),
            hovertext=[
                t(
                    "{day}: spike, {count} mentions against about {usual} on the days before",
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
    frame: pd.DataFrame, t: Translate, *, value: str, y_title: str, percent: bool = False
) -> go.Figure:
    """One line per organisation: ``frame`` has ``period, organisation`` and the ``value``
    column. ``percent`` formats values as shares (0..1). Empty input: an empty chart."""
    fig = go.Figure()
    for i, (name, part) in enumerate(frame.groupby("organisation", sort=False)):
        fig.add_scatter(
            x=list(part["period"]),
            y=list(part[value]),
            mode="lines+markers",
            name=str(name),
            line={"color": SERIES_COLORS[i % len(SERIES_COLORS)], "width": 3 if i == 0 else 2},
            hovertext=[
                f"{name}, {t('week of')} {p}: "
                + (f"{v:.0%}" if percent else f"{v:,.0f}".replace(",", "."))
                for p, v in zip(part["period"], part[value], strict=True)
            ],
            hoverinfo="text",
        )
    if percent:
        fig.update_yaxes(tickformat=".0%")
    return _layout(fig, y_title=y_title)


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
                t("{name}: net sentiment {value}", name=n, value="–" if v is None else f"{v:+.0f}")
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
            name=str(platform).capitalize(),
            marker_color=SERIES_COLORS[i % len(SERIES_COLORS)],
            hovertext=[
                t(
                    "{platform}, {month}: {posts} posts, {per_post} engagement per post",
                    platform=str(platform).capitalize(),
                    month=m,
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
    terms: Sequence[str], scores: Sequence[float], label: str, t: Translate
) -> go.Figure:
    """Horizontal bars of the most rising terms (z-scores), coloured by the sentiment
    ``label`` they were computed for (``all`` uses the brand colour)."""
    color = SENTIMENT_COLORS.get(label, SERIES_COLORS[0])
    fig = go.Figure(
        go.Bar(
            x=list(scores),
            y=list(terms),
            orientation="h",
            marker_color=color,
            hovertext=[
                t(
                    "'{term}' rose {z} standard errors against the previous period",
                    term=w,
                    z=f"{z:.1f}",
                )
                for w, z in zip(terms, scores, strict=True)
            ],
            hoverinfo="text",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title=t("Rise (z-score)"))
    return _layout(fig, height=80 + 26 * max(len(terms), 1))
