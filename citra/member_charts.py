"""Plotly figures for the Members page; no Streamlit import.

Each builder takes the rows ``citra.members`` computes and a translating callable ``_`` for its
labels, and returns a ``plotly.graph_objects.Figure``. Empty input gives an empty figure with the
same axes, never an error. Rates are fractions drawn as percentages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import plotly.graph_objects as go

# The project's categorical colours (same order as .streamlit/config.toml chartCategoricalColors).
PARTICIPATION_COLOUR = "#2563EB"
ENGAGEMENT_COLOUR = "#16A34A"
RATIO_COLOUR = "#F59E0B"
FUNNEL_COLOURS = ("#94A3B8", "#2563EB", "#16A34A", "#7C3AED")

Translate = Callable[..., str]


def _layout(fig: go.Figure, *, percent: bool = True) -> go.Figure:
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


def rates_figure(rows: Sequence[dict[str, Any]], _: Translate, *, x: str = "period") -> go.Figure:
    """Participation and engagement rates per period (or per event with ``x="name"``)."""
    xs = [row[x] for row in rows]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=[row["participation_rate"] for row in rows],
            name=_("Participation"),
            mode="lines+markers",
            line={"color": PARTICIPATION_COLOUR},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=[row["engagement_rate"] for row in rows],
            name=_("Engagement"),
            mode="lines+markers",
            line={"color": ENGAGEMENT_COLOUR},
        )
    )
    _years_as_labels(fig, xs)
    return _layout(fig)


def ratio_figure(rows: Sequence[dict[str, Any]], _: Translate) -> go.Figure:
    """The engagement-to-participation ratio per period."""
    fig = go.Figure(
        go.Scatter(
            x=[row["period"] for row in rows],
            y=[row["ratio"] for row in rows],
            name=_("Engaged per participant"),
            mode="lines+markers",
            line={"color": RATIO_COLOUR},
        )
    )
    fig.update_yaxes(rangemode="tozero")
    _years_as_labels(fig, [row["period"] for row in rows])
    return _layout(fig, percent=False)


def funnel_figure(stages: Sequence[dict[str, Any]], _: Translate) -> go.Figure:
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
            marker={"color": list(FUNNEL_COLOURS[: len(stages)])},
        )
    )
    return _layout(fig, percent=False)


def groups_figure(rows: Sequence[dict[str, Any]], _: Translate) -> go.Figure:
    """Participation and engagement rates side by side per group (branch, membership age)."""
    groups = [row["group"] for row in rows]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=groups,
            y=[row["participation_rate"] for row in rows],
            name=_("Participation"),
            marker={"color": PARTICIPATION_COLOUR},
        )
    )
    fig.add_trace(
        go.Bar(
            x=groups,
            y=[row["engagement_rate"] for row in rows],
            name=_("Engagement"),
            marker={"color": ENGAGEMENT_COLOUR},
        )
    )
    fig.update_layout(barmode="group")
    return _layout(fig)
