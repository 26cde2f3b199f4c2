"""The report as an XLSX workbook: an about sheet, a sheet per rating with a native bar chart, top posts.

Ratings of mentions add a sheet of the tone of each entity's mentions (a native stacked bar chart)
and its negative mentions by topic; ratings of heads' accounts add a sheet of their top three with
an example post each.

Every text cell is written with ``write_string`` (and the workbook refuses to turn strings into
formulas or links anyway), so a post or a name such as ``=HYPERLINK(...)`` stays text. Numbers
are numbers with formats, so they sort and sum in Excel.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from civicpulse.enrich.stage import SENTIMENTS
from civicpulse.i18n import Language, terms
from civicpulse.periods import zone
from civicpulse.rating import tabular
from civicpulse.rating.compute import Rating
from civicpulse.report import tables
from civicpulse.report.model import RatingView, ReportView
from civicpulse.report.sections import TONE_COLOURS, ListeningView

MAX_CELL = 32_000  # Excel keeps at most 32,767 characters in a cell
TITLE_ROW, HEADER_ROW = 0, 2
FIRST_DATA = HEADER_ROW + 1
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_name(wanted: str, taken: set[str]) -> str:
    """A valid, unused sheet name close to ``wanted`` (31 characters, none of ``[]:*?/\\``)."""
    base = _BAD_SHEET_CHARS.sub("_", wanted).strip("'") or "sheet"
    base = base[:31]
    name, n = base, 2
    while name.lower() in {t.lower() for t in taken} or name.lower() == "history":
        suffix = f" {n}"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name)
    return name


class _Book:
    """A workbook with the report's cell formats."""

    def __init__(self, path: Path) -> None:
        self.book = xlsxwriter.Workbook(
            str(path), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
        )
        add = self.book.add_format
        self.title = add({"bold": True, "font_size": 14})
        self.warn = add({"bold": True, "font_color": "#8A3B00", "bg_color": "#FFF4E5"})
        self.header = add({"bold": True, "bg_color": "#F4F6F9", "bottom": 1, "text_wrap": True, "valign": "top"})
        self.label = add({"bold": True})
        self.count = add({"num_format": "#,##0"})
        self.decimal = add({"num_format": "General"})  # no trailing dot on whole numbers
        self.moved = add({"num_format": '"▲"0;"▼"0;"="', "align": "center"})
        self.text = add({"valign": "top"})
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.when = add({"num_format": "yyyy-mm-dd hh:mm"})
        self._ratios: dict[int, Format] = {}

    def ratio(self, values: list[Any]) -> Format:
        """A format showing four significant digits of the largest value of a column."""
        known = [abs(v) for v in values if isinstance(v, int | float) and v]
        decimals = 4 if not known else min(10, max(2, 3 - math.floor(math.log10(max(known)))))
        if decimals not in self._ratios:
            self._ratios[decimals] = self.book.add_format({"num_format": "0." + "0" * decimals})
        return self._ratios[decimals]


def put(ws: Worksheet, row: int, col: int, value: Any, fmt: Format | None = None) -> None:
    """One typed cell: numbers as numbers, text always as a string cell, nothing as blank."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, fmt)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value)[:MAX_CELL], fmt)


def _column_titles(columns: list[str], view: RatingView, lang: Language) -> list[str]:
    metric_titles = {c.name: c.title for c in view.columns}
    fixed = {
        "place": lang.gettext("Place"),
        "previous_place": lang.gettext("Previous place"),
        "movement": lang.gettext("Change"),
        "participant": lang.gettext("Participant id"),
        "name": lang.gettext("Participant"),
        "entity": lang.gettext("Entity id"),
        "points": lang.gettext("Points"),
        "unrated": lang.gettext("Not rated because"),
        "notes": lang.gettext("Notes"),
    }
    titles = []
    for col in columns:
        if col in fixed:
            titles.append(fixed[col])
        elif col in metric_titles:
            titles.append(metric_titles[col])
        elif col.endswith("_rank") and col.removesuffix("_rank") in metric_titles:
            titles.append(lang.gettext("%(metric)s: place") % {"metric": metric_titles[col.removesuffix("_rank")]})
        else:
            titles.append(col)
    return titles


def _rating_sheet(
    b: _Book, ws: Worksheet, rating: Rating, view: RatingView, report: ReportView, lang: Language
) -> None:
    columns = tabular.header(rating)
    at = columns.index("participant") + 1
    columns.insert(at, "name")
    table = tabular.rows(rating)
    names = [r.who.text for r in view.rows] + [u.who.text for u in view.unrated]
    notes = ["; ".join(r.notes) or None for r in view.rows] + [None] * len(view.unrated)
    reasons = [None] * len(view.rows) + [u.reason for u in view.unrated]
    for i, row in enumerate(table):
        row.insert(at, names[i])
        row[columns.index("notes")] = notes[i]
        row[columns.index("unrated")] = reasons[i]
        if i < len(view.rows) and row[columns.index("movement")] is None:
            row[columns.index("movement")] = lang.gettext("new")

    title = f"{view.title} — {report.period_label} ({report.period_days}, {report.tz})"
    put(ws, TITLE_ROW, 0, title, b.title)
    warnings = []
    if view.simulated:
        warnings.append(
            lang.gettext("SIMULATED DATA")
            + ": "
            + lang.gettext(
                "This report is built from generated data, not from real social media. "
                "Its figures and places describe no real account."
            )
        )
    if view.notice:
        warnings.append(view.notice)
    warnings.extend(view.notes)
    if warnings:
        put(ws, TITLE_ROW + 1, 0, " ".join(warnings), b.warn)
    for c, text in enumerate(_column_titles(columns, view, lang)):
        put(ws, HEADER_ROW, c, text, b.header)

    kinds = {c.name: c.kind for c in view.columns}
    formats: dict[int, Format | None] = {}
    for c, col in enumerate(columns):
        values = [row[c] for row in table]
        if col in ("place", "previous_place") or col.endswith("_rank"):
            formats[c] = b.count
        elif col == "movement":
            formats[c] = b.moved
        elif col == "points":
            formats[c] = b.count if all(isinstance(v, int) or v is None for v in values) else b.decimal
        elif kinds.get(col) == "ratio":
            formats[c] = b.ratio(values)
        elif col in kinds:
            formats[c] = b.count if kinds[col] == "count" else b.decimal
        else:
            formats[c] = b.wrap if col in ("notes", "unrated", "name") else b.text
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            put(ws, FIRST_DATA + r, c, value, formats[c])

    widths = {"name": 44, "participant": 26, "entity": 18, "notes": 40, "unrated": 40}
    for c, col in enumerate(columns):
        ws.set_column(c, c, widths.get(col, 12))
    ws.set_row(HEADER_ROW, 30)
    ws.freeze_panes(FIRST_DATA, 0)
    last_row = FIRST_DATA + max(len(table), 1) - 1
    ws.autofilter(HEADER_ROW, 0, last_row, len(columns) - 1)

    if view.rows:
        _points_chart(b, ws, view, columns, lang)


def _points_chart(b: _Book, ws: Worksheet, view: RatingView, columns: list[str], lang: Language) -> None:
    """A native Excel bar chart of the points of the rated participants, place 1 on top."""
    first, last = FIRST_DATA, FIRST_DATA + len(view.rows) - 1
    name_col, points_col = columns.index("name"), columns.index("points")
    chart = b.book.add_chart({"type": "bar"})
    chart.add_series(
        {
            "name": lang.gettext("Points"),
            "categories": [ws.name, first, name_col, last, name_col],
            "values": [ws.name, first, points_col, last, points_col],
            "fill": {"color": "#2457A6"},
            "data_labels": {"value": True},
        }
    )
    chart.set_title({"name": f"{view.title}: {lang.gettext('Points')}", "name_font": {"size": 12}})
    # a bar chart's category axis is its x axis; reversed, place 1 is drawn at the top
    chart.set_x_axis({"reverse": True})
    chart.set_y_axis({"name": lang.gettext("Fewer points is better"), "major_gridlines": {"visible": True}})
    chart.set_legend({"none": True})
    chart.set_size({"width": 720, "height": max(240, 60 + 22 * len(view.rows))})
    ws.insert_chart(last + 3, 0, chart)


def _table_sheet(
    b: _Book, ws: Worksheet, title: str, table: tables.Table, column_titles: list[str], notes: list[str], tz: str
) -> int:
    """A titled sheet holding ``table`` under ``column_titles`` (times in ``tz``); returns the row after it."""
    header, rows = table
    put(ws, TITLE_ROW, 0, title, b.title)
    if notes:
        put(ws, TITLE_ROW + 1, 0, " ".join(notes), b.warn)
    for c, text in enumerate(column_titles):
        put(ws, HEADER_ROW, c, text, b.header)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.datetime):
                put(ws, FIRST_DATA + r, c, value.astimezone(zone(tz)).replace(tzinfo=None), b.when)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                put(ws, FIRST_DATA + r, c, value, b.count if isinstance(value, int) else b.decimal)
            else:
                put(ws, FIRST_DATA + r, c, value, b.wrap if header[c] in ("name", "example_text") else b.text)
    for c, column in enumerate(header):
        ws.set_column(c, c, {"name": 36, "example_text": 70, "example_url": 30, "participant": 26}.get(column, 13))
    ws.set_row(HEADER_ROW, 30)
    ws.freeze_panes(FIRST_DATA, 0)
    ws.autofilter(HEADER_ROW, 0, FIRST_DATA + max(len(rows), 1) - 1, len(header) - 1)
    return FIRST_DATA + len(rows)


def _tone_sheet(b: _Book, ws: Worksheet, view: RatingView, listening: ListeningView, report: ReportView) -> None:
    """Mentions by tone (and negative mentions by topic) per entity, with a native stacked bar chart."""
    lang = Language(report.lang)
    heading = lang.gettext("Tone of the mentions")
    title = f"{view.title}: {heading} — {report.period_label}"
    notes = [n for n in (listening.tone_notice, listening.complaints_notice) if n]
    if view.simulated:
        notes.insert(0, lang.gettext("SIMULATED DATA"))
    table = tables.tone_table(listening)
    end = _table_sheet(b, ws, title, table, tables.titles(table[0], lang), notes, report.tz)
    if not listening.tone:
        return
    first, last = FIRST_DATA, end - 1
    chart = b.book.add_chart({"type": "bar", "subtype": "stacked"})
    for n, tone in enumerate(SENTIMENTS, start=2):  # columns 2-4: positive, neutral, negative
        chart.add_series(
            {
                "name": [ws.name, HEADER_ROW, n],
                "categories": [ws.name, first, 1, last, 1],
                "values": [ws.name, first, n, last, n],
                "fill": {"color": TONE_COLOURS[tone]},
                "gap": 60,
            }
        )
    chart.set_title({"name": heading, "name_font": {"size": 12}})
    chart.set_x_axis({"reverse": True})  # the rating's first entity on top, as in the table
    chart.set_y_axis({"name": lang.gettext("Messages"), "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "top"})
    chart.set_size({"width": 720, "height": max(260, 80 + 22 * len(listening.tone))})
    ws.insert_chart(end + 2, 0, chart)


def _persons_sheet(b: _Book, ws: Worksheet, view: RatingView, report: ReportView) -> None:
    lang = Language(report.lang)
    header, rows = tables.persons_table(view.persons, view.columns)
    label = header.index("example_topic")
    for row in rows:  # the workbook says "personal life" where the CSV keeps the label
        row[label] = terms.topic_title(row[label], lang.code) if row[label] else None
    table = (header, rows)
    top = lang.gettext("Top 3")
    title = f"{view.title}: {top} — {report.period_label}"
    notes = [lang.gettext("SIMULATED DATA")] if view.simulated else []
    _table_sheet(b, ws, title, table, tables.titles(table[0], lang, view.columns), notes, report.tz)


def _about_sheet(b: _Book, ws: Worksheet, report: ReportView, lang: Language) -> None:
    yes, no = lang.gettext("yes"), lang.gettext("no")
    cuts = sorted({r.data_cut for r in report.ratings})
    engines = sorted({r.engine for r in report.ratings})
    put(ws, 0, 0, f"{report.title}: {report.period_label}", b.title)
    simulated = (yes, b.warn) if report.simulated else (no, b.text)
    facts: list[tuple[str, Any, Format]] = [
        (lang.gettext("Period"), report.period_label, b.text),
        (lang.gettext("Dates"), report.period_days, b.text),
        (lang.gettext("Time zone"), report.tz, b.text),
        (lang.gettext("Simulated data"), *simulated),
        (lang.gettext("Data cut"), ", ".join(str(c) for c in cuts), b.text),
        (lang.gettext("Engine"), ", ".join(engines), b.text),
        (lang.gettext("Generated"), f"{report.generated_at} ({report.tz})", b.text),
        (lang.gettext("Movement is against"), report.previous_label or "–", b.text),
        (lang.gettext("Language"), report.lang, b.text),
    ]
    row = 2
    for label, value, fmt in facts:
        put(ws, row, 0, label, b.label)
        put(ws, row, 1, value, fmt)
        row += 1
    if report.simulated:
        put(
            ws,
            row,
            1,
            lang.gettext(
                "This report is built from generated data, not from real social media. "
                "Its figures and places describe no real account."
            ),
            b.warn,
        )
        row += 1
    row += 1
    head = [
        lang.gettext("Methodology"),
        lang.gettext("Title"),
        lang.gettext("Methodology sha256"),
        lang.gettext("Data cut"),
        lang.gettext("Registry sha256"),
        lang.gettext("Rated"),
        lang.gettext("Not rated"),
        lang.gettext("Rating run"),
        lang.gettext("Simulated data"),
    ]
    for c, text in enumerate(head):
        put(ws, row, c, text, b.header)
    for r in report.ratings:
        row += 1
        cells = [
            r.name,
            r.title,
            r.sha256,
            r.data_cut,
            r.registry_sha256 or None,
            len(r.rows),
            len(r.unrated),
            r.run_id,
            yes if r.simulated else no,
        ]
        for c, value in enumerate(cells):
            put(ws, row, c, value)
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 48)
    ws.set_column(2, 8, 18)


def _posts_sheet(b: _Book, ws: Worksheet, report: ReportView, lang: Language) -> None:
    head = [
        lang.gettext("Entity"),
        lang.gettext("Account"),
        lang.gettext("Published"),
        lang.gettext("Likes"),
        lang.gettext("Comments"),
        lang.gettext("Reposts"),
        lang.gettext("Views"),
        lang.gettext("Engagement"),
        lang.gettext("Text"),
        lang.gettext("Link"),
    ]
    for c, text in enumerate(head):
        put(ws, 0, c, text, b.header)
    tz = zone(report.tz)
    row = 0
    for card in report.cards:
        for post in card.posts:
            row += 1
            p = post.source
            local = p.published_at.astimezone(tz).replace(tzinfo=None)
            cells = [
                (card.name, b.text),
                (post.account, b.text),
                (local, b.when),
                (p.likes, b.count),
                (p.comments, b.count),
                (p.reposts, b.count),
                (p.views, b.count),
                (p.engagement, b.count),
                (p.text, b.wrap),
                (p.url, b.text),
            ]
            for c, (value, fmt) in enumerate(cells):
                put(ws, row, c, value, fmt)
    widths = [36, 26, 16, 9, 9, 9, 9, 11, 80, 30]
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(row, 1), len(head) - 1)


def write_xlsx(path: Path, report: ReportView, ratings: list[Rating]) -> None:
    """Write the workbook of ``report`` (whose rating views follow ``ratings``) to ``path``."""
    lang = Language(report.lang)
    b = _Book(path)
    b.book.set_properties(
        {
            "title": f"{report.title}: {report.period_label}",
            "comments": lang.gettext("SIMULATED DATA") if report.simulated else "",
            "created": report.generated_at_utc.replace(tzinfo=None),
        }
    )
    taken: set[str] = set()
    _about_sheet(b, b.book.add_worksheet(sheet_name(lang.gettext("About"), taken)), report, lang)
    for rating, view in zip(ratings, report.ratings, strict=True):
        ws = b.book.add_worksheet(sheet_name(rating.methodology.name, taken))
        _rating_sheet(b, ws, rating, view, report, lang)
        # gettext outside f-strings, where the message extractor finds it
        if view.listening is not None:
            name = sheet_name(rating.methodology.name + " · " + lang.gettext("tone"), taken)
            _tone_sheet(b, b.book.add_worksheet(name), view, view.listening, report)
        if view.persons:
            name = sheet_name(rating.methodology.name + " · " + lang.gettext("top 3"), taken)
            _persons_sheet(b, b.book.add_worksheet(name), view, report)
    _posts_sheet(b, b.book.add_worksheet(sheet_name(lang.gettext("Top posts"), taken)), report, lang)
    b.book.close()
