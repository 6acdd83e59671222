"""Static charts of the report (PNG for the PDF, SVG for the HTML), drawn with matplotlib.

matplotlib renders offline with its bundled fonts (DejaVu Sans) and needs nothing downloaded at
run time (plotly's static export would need a browser). Figures are built on
``matplotlib.figure.Figure`` without pyplot, so no global backend or state is touched. Colours
are the dashboard's palette (``citra.charts.PALETTE``); every series also differs in hatching,
line style or marker, so the charts stay readable printed in black and white.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from citra.charts import PALETTE

Translate = Callable[..., str]
WIDTH_INCHES = 6.7  # 17 cm: the A4 text width
HEIGHT_INCHES = 2.6
DPI = 200
LINE_STYLES = ("-", "--", "-.", ":")
MARKERS = ("o", "s", "^", "D", "v", "x")
GREYS = ("#111827", "#4B5563", "#6B7280", "#9CA3AF")


def _figure(height: float = HEIGHT_INCHES) -> Any:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI, layout="constrained")
    return fig


def _style(ax: Any) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color=PALETTE["grid"], linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=7)


def sentiment_trend(
    daily: pd.DataFrame,
    t: Translate,
    *,
    spike_days: Sequence[str] = (),
    day_label: Callable[[str], str] = str,
) -> Any:
    """Stacked bars of mentions per day (positive, neutral, negative), risk days marked with a
    triangle, unusual days (spikes) with a ring. ``daily`` has ``day, positive, neutral,
    negative, mentions, risk`` for every day (``citra.reports.content.daily_table``)."""
    fig = _figure()
    ax = fig.add_subplot()
    x = list(range(len(daily)))
    bottom = [0] * len(daily)
    styles = {
        "positive": {"color": PALETTE["positive"], "hatch": None},
        "neutral": {"color": "#CBD5E1", "hatch": None},
        "negative": {"color": PALETTE["negative"], "hatch": "////"},
    }
    names = {"positive": t("Positive"), "neutral": t("Neutral"), "negative": t("Negative")}
    for label in ("positive", "neutral", "negative"):
        values = list(daily[label])
        ax.bar(
            x,
            values,
            bottom=bottom,
            width=0.8,
            color=styles[label]["color"],
            hatch=styles[label]["hatch"],
            edgecolor="white" if label != "negative" else "#7F1D1D",
            linewidth=0.3,
            label=names[label],
        )
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    top = max(bottom) if bottom and max(bottom) > 0 else 1
    risky = [i for i, r in enumerate(daily["risk"]) if r > 0]
    if risky:
        ax.scatter(
            risky,
            [bottom[i] + top * 0.06 for i in risky],
            marker="v",
            s=14,
            color=PALETTE["risk"],
            label=t("Risk mentions"),
            zorder=3,
        )
    days = list(daily["day"])
    spikes = [days.index(d) for d in spike_days if d in days]
    if spikes:
        ax.scatter(
            spikes,
            [bottom[i] + top * 0.14 for i in spikes],
            marker="o",
            s=40,
            facecolors="none",
            edgecolors="#111827",
            linewidths=1.2,
            label=t("Spike"),
            zorder=3,
        )
    ticks = [i for i in x if i % 7 == 0]
    ax.set_xticks(ticks, [day_label(days[i]) for i in ticks])
    ax.set_xlim(-0.7, max(len(x), 1) - 0.3)
    ax.set_ylim(0, top * 1.25)
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(t("Mentions per day"), fontsize=7)
    _style(ax)
    ax.legend(fontsize=6.5, ncols=5, loc="upper left", frameon=False)
    return fig


def share_of_voice(
    weekly: pd.DataFrame, t: Translate, *, day_label: Callable[[str], str] = str
) -> Any:
    """Weekly share of voice per organisation (the first, the coop, drawn thickest); ``weekly``
    has ``period, organisation, share`` (``citra.comparison.weekly_share``)."""
    fig = _figure()
    ax = fig.add_subplot()
    periods = sorted(weekly["period"].unique()) if not weekly.empty else []
    position = {p: i for i, p in enumerate(periods)}
    for i, (name, part) in enumerate(weekly.groupby("organisation", sort=False)):
        ax.plot(
            [position[p] for p in part["period"]],
            list(part["share"]),
            linestyle=LINE_STYLES[i % len(LINE_STYLES)],
            marker=MARKERS[i % len(MARKERS)],
            markersize=3.5,
            linewidth=2.4 if i == 0 else 1.2,
            color=PALETTE["teal"] if i == 0 else GREYS[(i - 1) % len(GREYS)],
            label=str(name),
        )
    ax.set_xticks(range(len(periods)), [day_label(p) for p in periods])
    ax.yaxis.set_major_formatter(_percent_formatter())
    ax.set_ylim(0, 1)
    ax.set_ylabel(t("Share of voice, week by week"), fontsize=7)
    _style(ax)
    ax.legend(fontsize=6.5, ncols=4, loc="upper left", frameon=False)
    return fig


def participation_engagement(
    months: Sequence[dict[str, Any]], t: Translate, *, month_label: Callable[[str], str] = str
) -> Any:
    """Members' participation and engagement rates month by month (fractions 0..1)."""
    fig = _figure()
    ax = fig.add_subplot()
    x = list(range(len(months)))
    for key, name, style, marker, color in (
        ("participation_rate", t("Participation"), "-", "o", PALETTE["blue"]),
        ("engagement_rate", t("Engagement"), "--", "s", PALETTE["positive"]),
    ):
        ax.plot(
            x,
            [m.get(key) if m.get(key) is not None else float("nan") for m in months],
            linestyle=style,
            marker=marker,
            markersize=3.5,
            linewidth=1.6,
            color=color,
            label=name,
        )
    ax.set_xticks(x, [month_label(m["period"]) for m in months])
    ax.yaxis.set_major_formatter(_percent_formatter())
    ax.set_ylim(bottom=0)
    ax.set_ylabel(t("Share of active members"), fontsize=7)
    _style(ax)
    ax.legend(fontsize=6.5, ncols=2, loc="upper left", frameon=False)
    return fig


def _percent_formatter() -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _position: f"{value:.0%}")


def png(fig: Any) -> bytes:
    """The figure as PNG bytes at :data:`DPI`."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def svg(fig: Any) -> str:
    """The figure as SVG text, texts kept as text (small, searchable)."""
    from matplotlib import rc_context

    buffer = io.StringIO()
    with rc_context({"svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg")
    text = buffer.getvalue()
    return text[text.index("<svg") :]
