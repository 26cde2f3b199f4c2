"""Horizontal bar charts as geometry for an inline SVG template (no script, no font, no network).

Charts are drawn by ``templates/_chart.svg.j2`` from the numbers computed here, so every label
passes through Jinja2's autoescaping like the rest of the page, the text stays selectable and
printable, and a chart weighs a few kilobytes instead of the tens that path-rendered text costs.
"""

from __future__ import annotations

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
