"""The ``mentions`` component: what people say about each institution (the seed's first rating).

Per participant (an entity) and period it counts the messages published in the period (latest
observation) that the mentions stage links to the entity, leaving out every flagged message
(``excluded_source`` from the registry, and whatever bot, spam or coordination stages flag; see
``civicpulse.enrich.read``). Columns:

- ``mentions``: such messages;
- ``mention_engagement``: their likes + comments + reposts;
- ``population``: the entity's population, from the registry;
- ``positive_audience`` / ``negative_audience``: the summed audience of the messages the sentiment
  stage calls positive / negative. A message's audience is its views where known, else the
  followers of its author (the latest ``author`` observation before the period's end, else the
  latest follower snapshot of that account); a message with neither adds nothing;
- ``toned``: messages with a known tone;
- ``unrated_reason``: set for every participant when the mentions stage has not run on the data.

:func:`mentions_evidence` lists the messages behind a participant's values, the flagged ones too,
with their tone, audience and the reason each was left out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from civicpulse.enrich import read
from civicpulse.enrich.flags import effective_flags
from civicpulse.metrics.base import Scope
from civicpulse.periods import Period
from civicpulse.query.engine import Engine

NOT_ENRICHED = "mentions are not enriched on this data: run `civicpulse enrich`"
NO_STAGE = "no installed stage links messages to entities"


def _audience(engine: Engine, posts: ir.Table, end: dt.datetime) -> ir.Table:
    """``posts`` with ``audience``: views where known, else the followers of the author."""
    authors = engine.table("authors")
    authors = authors.filter(authors.observed_at < ibis.literal(end.astimezone(dt.UTC), type="timestamp('UTC', 6)"))
    followers = engine.latest(authors, ("platform", "id")).select(
        a_platform=ibis._.platform, a_id=ibis._.id, a_followers=ibis._.followers
    )
    snaps = engine.snapshots_before(end).select(
        s_platform=ibis._.platform, s_id=ibis._.account, s_followers=ibis._.followers
    )
    who = posts.mutate(writer=posts.author.fill_null(posts.account))
    joined = who.left_join(followers, [who.platform == followers.a_platform, who.writer == followers.a_id])
    joined = joined.left_join(snaps, [joined.platform == snaps.s_platform, joined.writer == snaps.s_id])
    return joined.mutate(
        author_followers=joined.a_followers.fill_null(joined.s_followers),
        audience=joined.views.fill_null(joined.a_followers.fill_null(joined.s_followers)),
    ).drop("a_platform", "a_id", "a_followers", "s_platform", "s_id", "s_followers")


def _sentiment(engine: Engine, posts: ir.Table) -> ir.Table:
    stage = read.producer_of("sentiment")
    if stage is None or not read.has_run(engine, stage):
        return posts.mutate(sentiment=ibis.null("string"), sentiment_score=ibis.null("float32"))
    rows = read.stage_rows(engine, stage).select("platform", "id", "sentiment", "sentiment_score")
    return posts.left_join(rows, ["platform", "id"]).drop("platform_right", "id_right")


def mentioned_posts(engine: Engine, period: Period, entities: list[str]) -> ir.Table | None:
    """Every message of ``period`` linked to one of ``entities``: post columns, ``entity``, ``match``,
    ``engagement``, ``audience``, ``author_followers``, ``sentiment``, ``sentiment_score``, ``flags``,
    ``flag_reasons`` and ``counted`` (false when flagged); None when no stage links entities."""
    long = read.mentions_long(engine)
    if long is None:
        return None
    wanted = engine.memtable(pa.table({"entity": pa.array(entities, pa.string())}))
    posts = engine.posts_published(period.start, period.end)
    linked = long.semi_join(wanted, "entity")
    hits = posts.inner_join(linked, ["platform", "id"])
    hits = hits.mutate(engagement=(hits.likes + hits.comments + hits.reposts).cast("int64"))
    hits = _sentiment(engine, _audience(engine, hits, period.end))
    # the stages' and the registry's flags, the window stages' (coordination, floods, bots), analysts' overrides
    flags = effective_flags(engine, posts)
    hits = hits.left_join(flags, ["platform", "id"]).drop("platform_right", "id_right")
    empty = ibis.literal([], type="array<string>")
    return hits.mutate(
        flags=hits.flags.fill_null(empty),
        flag_reasons=hits.flag_reasons.fill_null(empty),
        counted=hits.flags.isnull(),
    )


def mentions_component(scope: Scope) -> ir.Table:
    engine, period = scope.engine, scope.period
    participants = scope.participants_table()
    entities = engine.entities.select("entity", "population")
    base = participants.left_join(entities, "entity").drop("entity_right")
    stage = read.producer_of("entities")
    reason = NO_STAGE if stage is None else (None if read.has_run(engine, stage) else NOT_ENRICHED)
    hits = None if reason else mentioned_posts(engine, period, [e for _, e in scope.participants])
    if hits is None:
        return base.mutate(
            mentions=ibis.literal(0, "int64"),
            mention_engagement=ibis.literal(0, "int64"),
            positive_audience=ibis.literal(0, "int64"),
            negative_audience=ibis.literal(0, "int64"),
            toned=ibis.literal(0, "int64"),
            unrated_reason=ibis.literal(reason or NO_STAGE),
        )
    counted = hits.filter(hits.counted)
    # one message naming the entity twice counts once
    counted = counted.select("platform", "id", "entity", "engagement", "audience", "sentiment").distinct()
    audience = counted.audience.fill_null(0)
    per_entity = counted.group_by("entity").aggregate(
        mentions=counted.count(),
        mention_engagement=counted.engagement.sum(),
        positive_audience=(counted.sentiment == "positive").ifelse(audience, 0).sum(),
        negative_audience=(counted.sentiment == "negative").ifelse(audience, 0).sum(),
        toned=counted.sentiment.notnull().sum(),
    )
    joined = base.left_join(per_entity, "entity").drop("entity_right")
    return joined.mutate(
        mentions=joined.mentions.fill_null(0),
        mention_engagement=joined.mention_engagement.fill_null(0),
        positive_audience=joined.positive_audience.fill_null(0),
        negative_audience=joined.negative_audience.fill_null(0),
        toned=joined.toned.fill_null(0),
        unrated_reason=ibis.null("string"),
    )


EVIDENCE_COLUMNS = (
    "platform", "id", "account", "author", "published_at", "counted", "sentiment", "sentiment_score", "audience",
    "engagement", "flags", "flag_reasons", "match", "text", "url",
)  # fmt: skip


def mentions_evidence(engine: Engine, period: Period, participant: str, entity: str) -> list[dict[str, Any]]:
    """The messages that mention ``entity`` in ``period``, counted ones first, by engagement."""
    hits = mentioned_posts(engine, period, [entity])
    if hits is None:
        return []
    hits = hits.filter(hits.entity == entity).select(*EVIDENCE_COLUMNS)
    return engine.to_pylist(hits.order_by([ibis.desc("counted"), ibis.desc("engagement"), "published_at", "id"]))
