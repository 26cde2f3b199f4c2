"""What the report shows of "what people say": the tone of each entity's mentions and the topics of the negative ones.

Both read exactly the messages the ``mentions`` rating counts (:func:`civicpulse.metrics.mentions.mentioned_posts`:
messages of the period linked to the entity by the mentions stage, flagged ones and excluded sources left out,
one message naming the entity twice counted once), so the charts and the rating cannot disagree:

- **tone**: per entity, how many of those messages the sentiment stage calls positive, neutral or
  negative, and their audience (views where known, else the author's followers, as the rating's
  ``audience_balance``); messages without a tone (no words to judge) are counted apart;
- **complaints**: per entity, the negative messages by complaint topic of the topics stage (roads,
  utilities...; ``other`` and the work/life labels of heads' own posts are not complaints).

Nothing is made up for a stage that is not installed or has not run on the data: each part then
says so through its :class:`Status`, and the report prints one line instead of an empty chart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

import ibis

from civicpulse.enrich import read
from civicpulse.enrich.stage import SENTIMENTS, TOPICS
from civicpulse.metrics.mentions import mentioned_posts
from civicpulse.periods import Period
from civicpulse.query.engine import Engine

Status = Literal["ok", "no_stage", "not_run"]
"""``ok``: results are there; ``no_stage``: no installed stage produces the column; ``not_run``: one
is installed but the data cut holds none of its results (``civicpulse enrich`` has not run)."""

NOT_COMPLAINTS: Final = ("official_work", "personal_life", "other")
COMPLAINTS: Final = tuple(t for t in TOPICS if t not in NOT_COMPLAINTS)
"""The citizen complaint categories of the topics stage, in its order."""


def status(engine: Engine, column: str) -> Status:
    """Whether the standard ``column`` (``entities``, ``sentiment``, ``topics``) has results on this data."""
    stage = read.producer_of(column)
    if stage is None:
        return "no_stage"
    return "ok" if read.has_run(engine, stage) else "not_run"


@dataclass(frozen=True)
class Tone:
    """The tone of the counted mentions of one entity in the period."""

    entity: str
    messages: dict[str, int]
    """Per tone of :data:`~civicpulse.enrich.stage.SENTIMENTS`."""
    audience: dict[str, int]
    """Per tone: summed audience (views, else the author's followers; unknown counts nothing)."""
    untoned: int
    """Counted mentions the sentiment stage gave no tone (a text without words)."""

    @property
    def toned(self) -> int:
        return sum(self.messages.values())


@dataclass(frozen=True)
class Complaints:
    """The negative mentions of one entity in the period, by complaint topic."""

    entity: str
    negative: int
    """Counted negative mentions, with or without a complaint topic."""
    topics: list[tuple[str, int]]
    """``(topic, negative mentions)`` for every complaint topic that has any, most first (then by name)."""


@dataclass
class Listening:
    """Tone and complaints for the entities asked about, with the status of each stage behind them."""

    mentions: Status
    sentiment: Status
    topics: Status
    tone: dict[str, Tone] = field(default_factory=dict)
    """Per entity asked about (all of them) when mentions and sentiment are ``ok``; else empty."""
    complaints: dict[str, Complaints] = field(default_factory=dict)
    """Per entity asked about (all of them) when mentions, sentiment and topics are ``ok``; else empty."""


def fetch(engine: Engine, period: Period, entities: list[str]) -> Listening:
    """Tone and complaints of ``entities`` in ``period`` (two queries on the engine's backend)."""
    found = Listening(status(engine, "entities"), status(engine, "sentiment"), status(engine, "topics"))
    if found.mentions != "ok" or found.sentiment != "ok" or not entities:
        return found
    hits = mentioned_posts(engine, period, entities)
    if hits is None:  # no stage links entities: status() said so already
        return found
    counted = hits.filter(hits.counted).select("platform", "id", "entity", "sentiment", "audience").distinct()
    per_tone = counted.group_by("entity", "sentiment").aggregate(
        messages=counted.count(), audience=counted.audience.fill_null(0).sum()
    )
    messages: dict[str, dict[str, int]] = {e: dict.fromkeys(SENTIMENTS, 0) for e in entities}
    audience: dict[str, dict[str, int]] = {e: dict.fromkeys(SENTIMENTS, 0) for e in entities}
    untoned = dict.fromkeys(entities, 0)
    for row in engine.to_pylist(per_tone):
        entity, tone = row["entity"], row["sentiment"]
        if tone in SENTIMENTS:
            messages[entity][tone] = int(row["messages"])
            audience[entity][tone] = int(row["audience"])
        else:  # no tone (null), or a label outside the standard three: not shown as one of them
            untoned[entity] += int(row["messages"])
    found.tone = {e: Tone(e, messages[e], audience[e], untoned[e]) for e in entities}
    if found.topics != "ok":
        return found
    stage = read.producer_of("topics")
    assert stage is not None  # status() found it
    topics = read.stage_rows(engine, stage).select("platform", "id", "topics")
    negative = counted.filter(counted.sentiment == "negative").select("platform", "id", "entity")
    labelled = negative.left_join(topics, ["platform", "id"]).select("entity", topic=ibis._.topics.unnest())
    wanted = labelled.filter(labelled.topic.isin(COMPLAINTS))
    per_topic = wanted.group_by("entity", "topic").aggregate(messages=wanted.count())
    by_entity: dict[str, list[tuple[str, int]]] = {e: [] for e in entities}
    for row in engine.to_pylist(per_topic):
        by_entity[row["entity"]].append((row["topic"], int(row["messages"])))
    found.complaints = {
        e: Complaints(e, messages[e]["negative"], sorted(by_entity[e], key=lambda p: (-p[1], p[0]))) for e in entities
    }
    return found
