"""A chart of every body's followers at both dates, as geometry for an inline SVG (no script, no font).

Two bars per body on one scale, the start in a light colour and the end in a dark one, so growth
and falls read at a glance; a missing count draws no bar and says ``–``. The SVG itself is drawn
by ``templates/_followers.svg.j2`` through Jinja2's autoescaping, so names stay text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

WIDTH: Final = 860
LABEL_WIDTH: Final = 300
VALUE_ROOM: Final = 190
ROW_HEIGHT: Final = 34
BAR_HEIGHT: Final = 12
TOP: Final = 44
BOTTOM: Final = 8
LABEL_CHARS: Final = 46


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    known: bool


@dataclass(frozen=True)
class Row:
    label: str
    """Shortened to fit; ``full_label`` goes in the tooltip."""
    full_label: str
    before: Bar
    after: Bar
    text: str
    """The two counts and the change, as the reader sees them (``11 400 → 22 800 (+100 %)``)."""
    text_x: float
    text_y: float


@dataclass(frozen=True)
class FollowersChart:
    title: str
    legend_before: str
    legend_after: str
    rows: list[Row]
    width: int
    height: int
    label_x: int
    plot_left: int
    bar_height: int


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def followers_chart(
    title: str, legend_before: str, legend_after: str, items: list[tuple[str, int | None, int | None, str]]
) -> FollowersChart:
    """A chart of ``(label, followers before, followers after, text)`` rows in the given order."""
    known = [v for _, a, b, _ in items for v in (a, b) if v is not None]
    top = max([1, *known])
    plot = WIDTH - LABEL_WIDTH - VALUE_ROOM
    rows = []
    for i, (label, before, after, text) in enumerate(items):
        y = TOP + i * ROW_HEIGHT + (ROW_HEIGHT - 2 * BAR_HEIGHT) / 2

        def bar(value: int | None, y: float) -> Bar:
            width = 0.0 if value is None else max(value, 0) / top * plot
            return Bar(x=LABEL_WIDTH, y=round(y, 1), width=round(width, 1), known=value is not None)

        first, second = bar(before, y), bar(after, y + BAR_HEIGHT)
        rows.append(
            Row(
                label=shorten(label),
                full_label=label,
                before=first,
                after=second,
                text=text,
                text_x=round(LABEL_WIDTH + max(first.width, second.width) + 6, 1),
                text_y=round(y + BAR_HEIGHT, 1),
            )
        )
    return FollowersChart(
        title=title,
        legend_before=legend_before,
        legend_after=legend_after,
        rows=rows,
        width=WIDTH,
        height=TOP + len(items) * ROW_HEIGHT + BOTTOM,
        label_x=LABEL_WIDTH - 8,
        plot_left=LABEL_WIDTH,
        bar_height=BAR_HEIGHT,
    )
