"""The review as an XLSX workbook: the bodies with two native charts, every page, the paragraphs.

Numbers are written as numbers (percentages as Excel percentages) so they sort and sum; every
text cell is a string cell and the workbook never turns strings into formulas or links, so a name
such as ``=HYPERLINK(...)`` stays text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from civicpulse.i18n import Language
from civicpulse.i18n.terms import platform_title
from civicpulse.periods import zone
from civicpulse.report.xlsx import put, sheet_name
from civicpulse.review.build import Review
from civicpulse.review.numbers import Style
from civicpulse.review.render.view import followers_on, heading, status

HEADER_ROW = 4


def _pct(value: float | None) -> float | None:
    return None if value is None else value / 100


class _Book:
    def __init__(self, path: Path) -> None:
        self.book = xlsxwriter.Workbook(
            str(path), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
        )
        add = self.book.add_format
        self.title = add({"bold": True, "font_size": 14})
        self.warn = add({"bold": True, "font_color": "#8A3B00", "bg_color": "#FFF4E5"})
        self.header = add({"bold": True, "bg_color": "#F4F6F9", "bottom": 1, "text_wrap": True, "valign": "top"})
        self.count = add({"num_format": "#,##0"})
        self.signed = add({"num_format": "+#,##0;-#,##0;0"})
        self.pct = add({"num_format": "+0.0%;-0.0%;0.0%"})
        self.share = add({"num_format": "0%"})
        self.decimal = add({"num_format": "0.0#"})
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.day = add({"num_format": "yyyy-mm-dd"})


def _header(b: _Book, ws: Worksheet, row: int, titles: list[str]) -> None:
    for c, text in enumerate(titles):
        put(ws, row, c, text, b.header)
    ws.set_row(row, 32)


def _bodies(b: _Book, ws: Worksheet, review: Review, lang: Language, style: Style) -> None:
    put(ws, 0, 0, review.title, b.title)
    if review.simulated:
        put(
            ws,
            1,
            0,
            lang.gettext("SIMULATED DATA")
            + ": "
            + lang.gettext(
                "This report is built from generated data, not from real social media. "
                "Its figures and places describe no real account."
            ),
            b.warn,
        )
    ws.merge_range(2, 0, 2, 7, " ".join(review.lead)[:32_000], b.wrap)
    ws.set_row(2, 90)
    titles = [
        heading("place", lang),
        heading("body", lang),
        heading("pages", lang),
        followers_on(review.first_day, style),
        followers_on(review.last_day, style),
        heading("change", lang),
        heading("change_pct", lang),
        heading("posts", lang),
    ]
    _header(b, ws, HEADER_ROW, titles)
    for r, e in enumerate(review.entities, start=HEADER_ROW + 1):
        cells: list[tuple[Any, Any]] = [
            (e.growth_rank, b.count),
            (e.name, b.wrap),
            (len(e.pages), b.count),
            (e.followers_from, b.count),
            (e.followers_to, b.count),
            (e.change, b.signed),
            (_pct(e.change_pct), b.pct),
            (e.posts, b.count),
        ]
        for c, (value, fmt) in enumerate(cells):
            put(ws, r, c, value, fmt)
    widths = [9, 44, 8, 16, 16, 12, 11, 10]
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    ws.freeze_panes(HEADER_ROW + 1, 0)
    if review.entities:
        _charts(b, ws, review, lang, titles)


def _charts(b: _Book, ws: Worksheet, review: Review, lang: Language, titles: list[str]) -> None:
    """Native charts: followers at both dates (clustered bars) and the change in per cent."""
    first, last = HEADER_ROW + 1, HEADER_ROW + len(review.entities)
    names = [ws.name, first, 1, last, 1]
    height = max(260, 60 + 30 * len(review.entities))
    chart = b.book.add_chart({"type": "bar"})
    for col, colour in ((3, "#9DB8E0"), (4, "#2457A6")):
        chart.add_series(
            {
                "name": [ws.name, HEADER_ROW, col],
                "categories": names,
                "values": [ws.name, first, col, last, col],
                "fill": {"color": colour},
                "gap": 60,
            }
        )
    chart.set_title({"name": lang.gettext("Followers at both dates"), "name_font": {"size": 12}})
    chart.set_x_axis({"reverse": True})  # a bar chart's category axis is its x axis: first body on top
    chart.set_y_axis({"major_gridlines": {"visible": True}, "num_format": "#,##0"})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 760, "height": height})
    ws.insert_chart(last + 3, 1, chart)

    growth = b.book.add_chart({"type": "bar"})
    growth.add_series(
        {
            "name": titles[6],
            "categories": names,
            "values": [ws.name, first, 6, last, 6],
            "fill": {"color": "#2457A6"},
            "invert_if_negative": False,
            "data_labels": {"value": True, "num_format": "+0%;-0%;0%"},
        }
    )
    growth.set_title({"name": titles[6], "name_font": {"size": 12}})
    growth.set_x_axis({"reverse": True})
    growth.set_y_axis({"num_format": "0%", "major_gridlines": {"visible": True}})
    growth.set_legend({"none": True})
    growth.set_size({"width": 760, "height": height})
    ws.insert_chart(last + 3 + height // 20 + 2, 1, growth)


def _pages(b: _Book, ws: Worksheet, review: Review, lang: Language, style: Style) -> None:
    titles = [
        heading("body", lang),
        heading("platform", lang),
        heading("page", lang),
        "participant",
        followers_on(review.first_day, style),
        followers_on(review.last_day, style),
        heading("change", lang),
        heading("change_pct", lang),
        heading("status", lang),
        heading("posts", lang),
        heading("posts_per_week", lang),
        heading("weeks", lang),
        heading("silence", lang),
        heading("last_post", lang),
        heading("likes", lang),
        heading("live", lang),
    ]
    _header(b, ws, 0, titles)
    tz = zone(review.tz)
    row = 0
    for e in review.entities:
        for p in e.pages:
            row += 1
            last = p.last_post_at.astimezone(tz).replace(tzinfo=None) if p.last_post_at else None
            cells: list[tuple[Any, Any]] = [
                (e.name, b.wrap),
                (platform_title(p.platform), None),
                (p.name, b.wrap),
                (p.participant, None),
                (p.followers_from, b.count),
                (p.followers_to, b.count),
                (p.change, b.signed),
                (_pct(p.change_pct), b.pct),
                (status(p, style) or None, b.wrap),
                (p.posts, b.count),
                (p.posts_per_week, b.decimal),
                (p.regularity, b.share),
                (p.longest_silence_days, b.count),
                (last, b.day),
                (p.likes_per_post, b.decimal),
                (p.live_streams, b.count),
            ]
            for c, (value, fmt) in enumerate(cells):
                put(ws, row, c, value, fmt)
    widths = [36, 12, 28, 30, 14, 14, 10, 10, 18, 8, 9, 9, 10, 12, 9, 8]
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(row, 1), len(titles) - 1)


def _texts(b: _Book, ws: Worksheet, review: Review, lang: Language) -> None:
    _header(b, ws, 0, [heading("body", lang), heading("text", lang)])
    for r, e in enumerate(review.entities, start=1):
        put(ws, r, 0, e.name, b.wrap)
        put(ws, r, 1, e.text, b.wrap)
    ws.set_column(0, 0, 36)
    ws.set_column(1, 1, 120)


def write_xlsx(path: Path, review: Review) -> None:
    """Write the workbook of ``review`` to ``path``."""
    lang = Language(review.lang)
    style = Style(lang)
    b = _Book(path)
    b.book.set_properties(
        {
            "title": review.title,
            "comments": lang.gettext("SIMULATED DATA") if review.simulated else "",
            "created": review.generated_at.replace(tzinfo=None),
        }
    )
    taken: set[str] = set()
    _bodies(b, b.book.add_worksheet(sheet_name(lang.gettext("Review"), taken)), review, lang, style)
    _pages(b, b.book.add_worksheet(sheet_name(heading("pages", lang), taken)), review, lang, style)
    _texts(b, b.book.add_worksheet(sheet_name(heading("text", lang), taken)), review, lang)
    b.book.close()
