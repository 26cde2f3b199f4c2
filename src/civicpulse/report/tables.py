"""The report's sections as flat rows: what their CSV files and workbook sheets are made of.

Columns have machine names (as the rating CSVs do); the workbook shows them under translated
titles (:func:`titles`). Values are numbers or text as they are, missing ones None; text from
social media and the registry is neutralised only when written to CSV (:func:`write_csv`).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import IO, Any

from civicpulse.enrich.stage import SENTIMENTS
from civicpulse.export.safe import neutralise
from civicpulse.i18n import Language, terms
from civicpulse.report.listening import COMPLAINTS
from civicpulse.report.model import MetricColumn
from civicpulse.report.sections import ListeningView, PersonView

Table = tuple[list[str], list[list[Any]]]


def tone_table(view: ListeningView) -> Table:
    """One row per entity: mentions and audience by tone and, when topics are known, negative mentions by topic."""
    with_topics = any(line.complaints is not None for line in view.tone)
    header = [
        "entity",
        "name",
        *SENTIMENTS,
        "untoned",
        *[f"{t}_audience" for t in SENTIMENTS],
    ]
    if with_topics:
        header += [f"negative_{t}" for t in COMPLAINTS]
    rows = []
    for line in view.tone:
        tone = line.tone
        row: list[Any] = [
            tone.entity,
            line.who.name,
            *[tone.messages[t] for t in SENTIMENTS],
            tone.untoned,
            *[tone.audience[t] for t in SENTIMENTS],
        ]
        if with_topics:
            counts = dict(line.complaints.topics) if line.complaints else {}
            row += [counts.get(t, 0) for t in COMPLAINTS]
        rows.append(row)
    return header, rows


def persons_table(persons: list[PersonView], columns: list[MetricColumn]) -> Table:
    """The top places of a rating of heads' accounts with their metrics and example post."""
    names = [c.name for c in columns]
    header = [
        "place",
        "participant",
        "entity",
        "person",
        "name",
        *names,
        "example_published_at",
        "example_likes",
        "example_comments",
        "example_reposts",
        "example_topic",
        "example_text",
        "example_url",
    ]
    rows = []
    for person in persons:
        card, example = person.source, person.example
        post = example.source if example else None
        rows.append(
            [
                card.place,
                card.participant,
                card.entity,
                card.person,
                person.name,
                *[card.metrics.get(n) for n in names],
                post.published_at if post else None,
                post.likes if post else None,
                post.comments if post else None,
                post.reposts if post else None,
                _work_or_life(post.life) if post else None,
                post.text if post else None,
                example.url if example else None,
            ]
        )
    return header, rows


def _work_or_life(life: bool | None) -> str | None:
    return None if life is None else "personal_life" if life else "official_work"


def titles(header: list[str], lang: Language, metrics: Sequence[MetricColumn] = ()) -> list[str]:
    """The columns of :func:`tone_table` or :func:`persons_table` as people read them in ``lang``."""
    metric_titles = {c.name: c.title for c in metrics}
    fixed = {
        "entity": lang.gettext("Entity id"),
        "name": lang.gettext("Participant"),
        "untoned": lang.gettext("No tone"),
        "place": lang.gettext("Place"),
        "participant": lang.gettext("Participant id"),
        "person": lang.gettext("Person id"),
        "example_published_at": lang.gettext("Example post: published"),
        "example_likes": lang.gettext("Example post: likes"),
        "example_comments": lang.gettext("Example post: comments"),
        "example_reposts": lang.gettext("Example post: reposts"),
        "example_topic": lang.gettext("Example post: work or life"),
        "example_text": lang.gettext("Example post: text"),
        "example_url": lang.gettext("Example post: link"),
    }
    out = []
    for column in header:
        if column in fixed:
            out.append(fixed[column])
        elif column in metric_titles:
            out.append(metric_titles[column])
        elif column in SENTIMENTS:
            out.append(terms.tone_title(column, lang.code))
        elif column.endswith("_audience") and column.removesuffix("_audience") in SENTIMENTS:
            tone = terms.tone_title(column.removesuffix("_audience"), lang.code)
            out.append(lang.gettext("Audience: %(tone)s") % {"tone": tone})
        elif column.startswith("negative_"):
            topic = terms.topic_title(column.removeprefix("negative_"), lang.code)
            out.append(lang.gettext("Negative: %(topic)s") % {"topic": topic})
        else:
            out.append(column)
    return out


def write_csv(table: Table, handle: IO[str]) -> None:
    """``table`` as CSV: text cells neutralised against spreadsheet formulas, times in ISO 8601."""
    header, rows = table
    writer = csv.writer(handle)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) if isinstance(v, str) else _plain(v) for v in row])


def _plain(value: Any) -> Any:
    isoformat = getattr(value, "isoformat", None)
    return isoformat() if callable(isoformat) else value
