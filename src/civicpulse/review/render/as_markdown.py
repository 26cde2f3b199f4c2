"""The review as a Markdown article: title, lead, table, chart, a section per body with its pages.

Text from the registry may hold anything, so every cell and paragraph is escaped: CommonMark's
punctuation that could start emphasis, links, code, HTML or a table cell is backslash-escaped and
line breaks become spaces. The chart is the HTML article's inline SVG (Markdown renderers that
allow HTML show it; its texts are escaped by the same template).
"""

from __future__ import annotations

import re
from typing import Final

from civicpulse.review.render.as_html import render_svg
from civicpulse.review.render.view import ArticleView, BodyView

_SPECIAL: Final = re.compile(r"([\\`*_\[\]<>|#~&])")
_SPACE: Final = re.compile(r"\s+")


def md(text: str) -> str:
    """``text`` as inline Markdown that shows exactly ``text`` (one line, no markup)."""
    return _SPECIAL.sub(r"\\\1", _SPACE.sub(" ", text).strip())


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(md(c) for c in cells) + " |"


def _align(n_text: int, n_num: int) -> str:
    return "|" + "---|" * n_text + "---:|" * n_num


def _pages(view: ArticleView, body: BodyView) -> list[str]:
    h = view.headings
    lines = [
        _row(
            [
                h["platform"],
                h["page"],
                view.followers_from_heading,
                view.followers_to_heading,
                h["change_pct"],
                h["posts"],
                h["posts_per_week"],
                h["last_post"],
                h["status"],
            ]
        ),
        _align(2, 5) + "---|---|",
    ]
    for p in body.pages:
        lines.append(
            _row(
                [
                    p.platform,
                    p.name,
                    p.followers_from,
                    p.followers_to,
                    p.change_pct,
                    p.posts,
                    p.posts_per_week,
                    p.last_post,
                    p.status,
                ]
            )
        )
    return lines


def render_markdown(view: ArticleView) -> str:
    """The Markdown article of ``view``."""
    h = view.headings
    out = [f"# {md(view.title)}", ""]
    if view.subtitle:
        out += [f"*{md(view.subtitle)}*", ""]
    if view.simulated:
        out += [f"> **{md(view.simulated_label)}.** {md(view.warning)}", ""]
    out += [md(" ".join(view.lead)), ""]
    out.append(
        _row(
            [
                h["place"],
                h["body"],
                h["pages"],
                view.followers_from_heading,
                view.followers_to_heading,
                h["change"],
                h["change_pct"],
                h["posts"],
            ]
        )
    )
    out.append("|---:|---|" + "---:|" * 6)
    for b in view.bodies:
        out.append(_row([b.place, b.name, b.pages, b.followers_from, b.followers_to, b.change, b.change_pct, b.posts]))
    svg = "\n".join(line for line in render_svg(view.chart, view.lang).splitlines() if line.strip())
    out += [
        "",
        "<figure>",
        svg,
        "</figure>",
        "",
        f"*{md(view.chart.title)}: {md(view.followers_from_heading)}, {md(view.followers_to_heading)}.*",
        "",
    ]
    for body in view.details:
        out += [f"## {md(body.name)}", "", md(body.text), ""]
        if body.pages:
            out += [*_pages(view, body), ""]
    out += ["---", "", md(view.footer) + (f" **{md(view.simulated_label)}.**" if view.simulated else ""), ""]
    return "\n".join(out)
