"""The report's sections beyond the rating tables, as plain data in one language.

- ratings of what people say (metrics of the ``mentions`` component): a tone chart with a bar per
  entity and the top negative topics of each entity, from :mod:`civicpulse.report.listening`;
  when the messages are not enriched, one line says so instead of an empty table and charts;
- ratings of heads' accounts (metrics of the ``persons`` component): the top three with an
  example post each (:func:`civicpulse.metrics.persons.top_persons`).

Like :mod:`civicpulse.report.model`, nothing here is escaped: the template escapes, the workbook
writes typed cells. Links are kept only for http(s) addresses (:func:`~civicpulse.report.model.safe_url`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from civicpulse.enrich.stage import SENTIMENTS
from civicpulse.i18n import Language, terms
from civicpulse.metrics.catalogue import CATALOGUE
from civicpulse.metrics.persons import ExamplePost, PersonCard, top_persons
from civicpulse.query.engine import Engine
from civicpulse.rating.compute import Rating
from civicpulse.rating.methodology import LoadedMethodology
from civicpulse.registry.models import Registry
from civicpulse.report import listening as listening_data
from civicpulse.report.charts import StackedChart, stacked_chart
from civicpulse.report.listening import Complaints, Listening, Status, Tone
from civicpulse.report.model import MetricColumn, Who, excerpt, format_metric, safe_url, who

TOP_TOPICS: Final = 3
TOP_PERSONS: Final = 3
TONE_COLOURS: Final = {"positive": "#17803d", "neutral": "#9aa3b2", "negative": "#b42318"}


def components(method: LoadedMethodology) -> set[str]:
    """The metric components a methodology reads (``pages``, ``mentions``, ``persons``)."""
    return {CATALOGUE[m.catalogue_name].component for m in method.spec.metrics}


def entities_of(rating: Rating) -> list[str]:
    """The rating's entities: rated ones by place, then unrated ones, each once."""
    seen: dict[str, None] = {}
    for row in rating.rows:
        seen.setdefault(row.entity, None)
    for unrated in rating.unrated:
        seen.setdefault(unrated.entity, None)
    return list(seen)


# ------------------------------------------------------------------------------------- what people say


@dataclass(frozen=True)
class ToneLine:
    """One entity's tone (and its negative mentions by topic, when known), for the chart and the tables."""

    who: Who
    card: str | None
    tone: Tone
    complaints: Complaints | None = None


@dataclass(frozen=True)
class ComplaintLine:
    who: Who
    card: str | None
    negative: str
    topics: list[str]
    """The top topics as ``roads: 5`` in the report's language."""
    source: Complaints


@dataclass(frozen=True)
class ListeningView:
    tone_notice: str | None
    """Why there is no tone chart (sentiment not installed or not run), else None."""
    tone_chart: StackedChart | None
    tone: list[ToneLine]
    complaints_notice: str | None
    """Why there are no topics (topics stage not installed or not run), else None."""
    complaints: list[ComplaintLine]
    """Entities with negative mentions, most first."""


def not_enriched(state: Status, lang: Language) -> str:
    """The one line a rating of mentions shows when there are no mentions to rate."""
    if state == "no_stage":
        return lang.gettext("No installed enrichment stage links messages to entities: there are no mentions to rate.")
    return lang.gettext(
        "Messages are not enriched on this data yet, so there are no mentions, tone or topics to show "
        "(run `civicpulse enrich`)."
    )


def _missing(part: str, state: Status, lang: Language) -> str:
    if part == "tone":
        if state == "no_stage":
            return lang.gettext("Tone is not shown: no installed stage gives messages a tone.")
        return lang.gettext(
            "Tone is not shown: the sentiment stage has not run on this data (run `civicpulse enrich`)."
        )
    if state == "no_stage":
        return lang.gettext("Topics are not shown: no installed stage gives messages topics.")
    return lang.gettext("Topics are not shown: the topics stage has not run on this data (run `civicpulse enrich`).")


def tone_chart(lines: list[ToneLine], lang: Language) -> StackedChart:
    """A stacked bar per entity: its counted mentions by tone, on one scale (the tooltips give the audience)."""
    series = [(terms.tone_title(t, lang.code), TONE_COLOURS[t]) for t in SENTIMENTS]
    items = []
    for line in lines:
        values = []
        for t in SENTIMENTS:
            tip = lang.gettext("%(tone)s: %(messages)s messages, audience %(audience)s") % {
                "tone": terms.tone_title(t, lang.code),
                "messages": lang.number(line.tone.messages[t]),
                "audience": lang.number(line.tone.audience[t]),
            }
            values.append((line.tone.messages[t], tip))
        total = " / ".join(lang.number(line.tone.messages[t]) for t in SENTIMENTS)
        items.append((line.who.text, values, total))
    untoned = sum(line.tone.untoned for line in lines)
    caption = lang.gettext(
        "The messages the rating counts, by tone: positive / neutral / negative. Hover a bar for its audience."
    )
    if untoned:
        caption += " " + lang.gettext("Messages without a tone (no words to judge): %(num)s.") % {
            "num": lang.number(untoned)
        }
    return stacked_chart(lang.gettext("Tone of the mentions"), caption, series, items)


def listening_view(
    data: Listening, rating: Rating, registry: Registry, lang: Language, cards: dict[str, str]
) -> ListeningView:
    """Tone chart and top negative topics of the entities of ``rating`` (``data`` fetched for them)."""
    entities = entities_of(rating)
    tone: list[ToneLine] = []
    tone_notice = None if data.sentiment == "ok" else _missing("tone", data.sentiment, lang)
    if tone_notice is None:
        tone = [
            ToneLine(who(e, e, registry, lang.code), cards.get(e), data.tone[e], data.complaints.get(e))
            for e in entities
            if e in data.tone
        ]
    complaints: list[ComplaintLine] = []
    complaints_notice = None
    if tone_notice is not None:
        complaints_notice = tone_notice
    elif data.topics != "ok":
        complaints_notice = _missing("topics", data.topics, lang)
    else:
        order = {e: i for i, e in enumerate(entities)}
        found = [data.complaints[e] for e in entities if e in data.complaints and data.complaints[e].negative]
        for item in sorted(found, key=lambda c: (-c.negative, order[c.entity])):
            complaints.append(
                ComplaintLine(
                    who=who(item.entity, item.entity, registry, lang.code),
                    card=cards.get(item.entity),
                    negative=lang.number(item.negative),
                    topics=[
                        f"{terms.topic_title(t, lang.code)}: {lang.number(n)}" for t, n in item.topics[:TOP_TOPICS]
                    ],
                    source=item,
                )
            )
    return ListeningView(
        tone_notice=tone_notice,
        tone_chart=tone_chart(tone, lang) if tone else None,
        tone=tone,
        complaints_notice=complaints_notice,
        complaints=complaints,
    )


def fetch_listening(engine: Engine, rating: Rating) -> Listening:
    """The tone and complaints behind a rating of mentions, for its entities and period."""
    return listening_data.fetch(engine, rating.period, entities_of(rating))


def card_lines(tone: Tone | None, complaints: Complaints | None, lang: Language) -> list[str]:
    """What an entity's card says of its mentions: their tone, and its top negative topics."""
    lines = []
    if tone is not None:
        counts = ", ".join(f"{terms.tone_title(t, lang.code)} {lang.number(tone.messages[t])}" for t in SENTIMENTS)
        lines.append(
            lang.gettext("Mentions of the period: %(num)s (%(tones)s).")
            % {"num": lang.number(tone.toned + tone.untoned), "tones": counts}
        )
    if complaints is not None and complaints.topics:
        topics = ", ".join(
            f"{terms.topic_title(t, lang.code)} {lang.number(n)}" for t, n in complaints.topics[:TOP_TOPICS]
        )
        lines.append(lang.gettext("Top negative topics: %(topics)s.") % {"topics": topics})
    return lines


# ------------------------------------------------------------------------------------- heads' accounts


@dataclass(frozen=True)
class ExampleView:
    excerpt: str
    url: str | None
    published: str
    engagement: str
    likes: str
    comments: str
    reposts: str
    label: str | None
    """``personal life`` or ``official work`` when the topics stage labelled the post."""
    source: ExamplePost


@dataclass(frozen=True)
class PersonView:
    place: int
    name: str
    """The person's name in the report's language (else in any), else the account's name."""
    entity_name: str
    who: Who
    metrics: list[tuple[str, str]]
    """``(metric title, value)`` in the methodology's order."""
    example: ExampleView | None
    card: str | None
    source: PersonCard


def _person_name(card: PersonCard, account: Who, lang: str) -> str:
    names = card.names
    return names.get(lang) or names.get("ru") or next(iter(names.values()), "") or (account.account or account.name)


def example_view(post: ExamplePost, tz: str, lang: Language) -> ExampleView:
    label = (
        None if post.life is None else terms.topic_title("personal_life" if post.life else "official_work", lang.code)
    )
    return ExampleView(
        excerpt=excerpt(post.text or ""),
        url=safe_url(post.url),
        published=lang.moment(post.published_at, tz),
        engagement=lang.number(post.likes + post.comments + post.reposts),
        likes=lang.number(post.likes),
        comments=lang.number(post.comments),
        reposts=lang.number(post.reposts),
        label=label,
        source=post,
    )


def persons_view(
    engine: Engine, rating: Rating, columns: list[MetricColumn], lang: Language, cards: dict[str, str]
) -> list[PersonView]:
    """The first :data:`TOP_PERSONS` places of a rating of heads' accounts, each with an example post."""
    registry = engine.registry
    kinds = {c.name: c.kind for c in columns}
    views = []
    for card in top_persons(engine, rating, n=TOP_PERSONS):
        account = who(card.participant, card.entity, registry, lang.code)
        views.append(
            PersonView(
                place=card.place,
                name=_person_name(card, account, lang.code),
                entity_name=account.name,
                who=account,
                metrics=[
                    (c.title, format_metric(card.metrics.get(c.name), kinds[c.name], lang))
                    for c in columns
                    if c.name in card.metrics
                ],
                example=example_view(card.example, rating.period.tz, lang) if card.example else None,
                card=cards.get(card.entity),
                source=card,
            )
        )
    return views
