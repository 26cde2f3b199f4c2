"""Horizontal bar charts (plain and stacked) as geometry for an inline SVG template (no script, no font, no network).

Charts are drawn by ``templates/_chart.svg.j2`` from the numbers computed here, so every label
passes through Jinja2's autoescaping like the rest of the page, the text stays selectable and
printable, and a chart weighs a few kilobytes instead of the tens that path-rendered text costs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 860
LABEL_WIDTH = 340
VALUE_ROOM = 90
ROW_HEIGHT = 24
BAR_HEIGHT = 16
TOP = 8
BOTTOM = 8
LABEL_CHARS = 52


@dataclass(frozen=True)
class Bar:
    label: str
    """Shown to the left, shortened to fit; ``full_label`` goes in the tooltip."""
    full_label: str
    value_text: str
    x: float
    width: float
    y: float
    height: float
    text_y: float
    value_x: float
    known: bool


@dataclass(frozen=True)
class BarChart:
    title: str
    caption: str
    bars: list[Bar]
    width: int
    height: int
    zero_x: float
    plot_top: float
    plot_bottom: float

    @property
    def label_x(self) -> int:
        return LABEL_WIDTH - 8


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(title: str, caption: str, items: list[tuple[str, float | int | None, str]]) -> BarChart:
    """A chart of ``(label, value, value as text)`` in the given order; None values get no bar.

    Values may be negative (follower growth): bars then grow left of a zero line placed where the
    data needs it.
    """
    known = [float(v) for _, v, _ in items if v is not None]
    low = min([0.0, *known])
    high = max([0.0, *known])
    span = (high - low) or 1.0
    plot = WIDTH - LABEL_WIDTH - VALUE_ROOM
    zero_x = LABEL_WIDTH + (-low) / span * plot
    bars = []
    for i, (label, value, text) in enumerate(items):
        y = TOP + i * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
        if value is None:
            x, width = zero_x, 0.0
        else:
            end = LABEL_WIDTH + (float(value) - low) / span * plot
            x, width = min(zero_x, end), abs(end - zero_x)
        bars.append(
            Bar(
                label=shorten(label),
                full_label=label,
                value_text=text,
                x=round(x, 1),
                width=round(width, 1),
                y=round(y, 1),
                height=BAR_HEIGHT,
                text_y=round(y + BAR_HEIGHT / 2, 1),
                value_x=round(max(x + width, zero_x) + 6, 1),
                known=value is not None,
            )
        )
    height = TOP + len(items) * ROW_HEIGHT + BOTTOM
    return BarChart(
        title=title,
        caption=caption,
        bars=bars,
        width=WIDTH,
        height=height,
        zero_x=round(zero_x, 1),
        plot_top=TOP,
        plot_bottom=height - BOTTOM,
    )


@dataclass(frozen=True)
class Segment:
    """One part of a stacked bar: a series' share of one row."""

    series: int
    """Index into :attr:`StackedChart.series`."""
    x: float
    width: float
    tip: str


@dataclass(frozen=True)
class StackedRow:
    label: str
    full_label: str
    total_text: str
    segments: list[Segment]
    y: float
    height: float
    text_y: float
    value_x: float


@dataclass(frozen=True)
class Series:
    name: str
    color: str
    legend_x: float


@dataclass(frozen=True)
class StackedChart:
    """Horizontal bars split into series (e.g. positive, neutral, negative), all drawn on one scale."""

    title: str
    caption: str
    series: list[Series]
    rows: list[StackedRow]
    width: int
    height: int
    zero_x: float
    plot_top: float
    plot_bottom: float
    legend_y: float

    @property
    def label_x(self) -> int:
        return LABEL_WIDTH - 8


LEGEND_HEIGHT = 22
LEGEND_STEP = 150


def stacked_chart(
    title: str,
    caption: str,
    series: Sequence[tuple[str, str]],
    items: Sequence[tuple[str, Sequence[tuple[float, str]], str]],
) -> StackedChart:
    """A chart of ``(label, [(value, tooltip) per series], total as text)`` rows in the given order.

    ``series`` are ``(name, colour)`` pairs, drawn left to right in that order and named in a
    legend above the rows. Every row shares the scale of the largest total, so rows compare by
    volume as well as by mix; a row whose values are all zero gets no segment. Values must not
    be negative (these are counts and audiences).
    """
    totals = [sum(float(v) for v, _ in values) for _, values, _ in items]
    if any(float(v) < 0 for _, values, _ in items for v, _ in values):
        raise ValueError("stacked chart values must not be negative")
    high = max([0.0, *totals]) or 1.0
    plot = WIDTH - LABEL_WIDTH - VALUE_ROOM
    top = TOP + LEGEND_HEIGHT
    rows = []
    for i, (label, values, total_text) in enumerate(items):
        y = top + i * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
        x = float(LABEL_WIDTH)
        segments = []
        for n, (value, tip) in enumerate(values):
            width = float(value) / high * plot
            if width > 0:
                segments.append(Segment(series=n, x=round(x, 1), width=round(width, 1), tip=tip))
            x += width
        rows.append(
            StackedRow(
                label=shorten(label),
                full_label=label,
                total_text=total_text,
                segments=segments,
                y=round(y, 1),
                height=BAR_HEIGHT,
                text_y=round(y + BAR_HEIGHT / 2, 1),
                value_x=round(x + 6, 1),
            )
        )
    height = top + len(items) * ROW_HEIGHT + BOTTOM
    return StackedChart(
        title=title,
        caption=caption,
        series=[Series(name, color, LABEL_WIDTH + n * LEGEND_STEP) for n, (name, color) in enumerate(series)],
        rows=rows,
        width=WIDTH,
        height=height,
        zero_x=float(LABEL_WIDTH),
        plot_top=top,
        plot_bottom=height - BOTTOM,
        legend_y=TOP + BAR_HEIGHT / 2,
    )
