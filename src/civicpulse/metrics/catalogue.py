"""Every metric a methodology can rank, with its component, direction and meaning.

A metric is an Ibis expression over the columns of one component (see ``metrics/pages.py``).
``direction`` says which way is better: ``desc`` (more is better, the default) or ``asc``.
Ratios are plain ratios, not percentages. A value that cannot be computed (no followers, no
population, no views) is null: it ranks after every known value, and the rating says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import ibis
import ibis.expr.types as ir

from civicpulse.metrics.base import Component, Evidence
from civicpulse.metrics.mentions import mentions_component, mentions_evidence
from civicpulse.metrics.pages import pages_component
from civicpulse.metrics.persons import persons_component, persons_evidence

Direction = Literal["desc", "asc"]


@dataclass(frozen=True)
class Metric:
    name: str
    component: str
    value: Callable[[ir.Table], ir.Value]
    description: str
    direction: Direction = "desc"
    kind: Literal["count", "ratio"] = "count"
    null_reason: str | None = None
    """Why the value may be unknown, shown next to a null."""


def _ratio(numerator: ir.NumericValue, denominator: ir.NumericValue) -> ir.Value:
    den = denominator.cast("float64")
    return (den > 0).ifelse(numerator.cast("float64") / den, ibis.null("float64"))


COMPONENTS: dict[str, Component] = {
    "pages": pages_component,
    "mentions": mentions_component,
    "persons": persons_component,
}
EVIDENCE: dict[str, Evidence] = {"mentions": mentions_evidence, "persons": persons_evidence}
"""Components whose ``explain`` goes down to the messages behind the values."""
WINDOW_FLAGGED: frozenset[str] = frozenset({"mentions", "persons"})
"""Components that leave out messages flagged by the window stages (``civicpulse flags detect``): their
ratings say so when those stages have not run over the period (``civicpulse.rating.compute.flags_notes``)."""

CATALOGUE: dict[str, Metric] = {
    m.name: m
    for m in [
        Metric(
            "followers",
            "pages",
            lambda t: t.followers,
            "Followers at the period's end: the latest snapshot before it, summed over the participant's accounts.",
        ),
        Metric(
            "follower_growth",
            "pages",
            lambda t: t.growth,
            "Followers at the period's end minus followers at its start (accounts with both snapshots).",
            null_reason="no snapshot before the period's start",
        ),
        Metric(
            "posts",
            "pages",
            lambda t: t.posts,
            "Own posts published in the period (no replies, comments or posts by other authors).",
        ),
        Metric(
            "engagement",
            "pages",
            lambda t: t.engagement,
            "Likes + comments + reposts of own posts published in the period, latest observation.",
        ),
        Metric(
            "er",
            "pages",
            lambda t: _ratio(t.engagement, t.followers),
            "Engagement rate: engagement / followers.",
            kind="ratio",
            null_reason="no followers",
        ),
        Metric(
            "er_post",
            "pages",
            lambda t: (t.posts > 0).ifelse(_ratio(t.engagement / t.posts, t.followers), 0.0),
            "Average engagement per post / followers (0 when nothing was posted).",
            kind="ratio",
            null_reason="no followers",
        ),
        Metric(
            "er_views",
            "pages",
            lambda t: _ratio(t.engagement_viewed, t.views),
            "Engagement / views, over the posts whose views are known.",
            kind="ratio",
            null_reason="no views known",
        ),
        Metric(
            "er_population",
            "pages",
            lambda t: _ratio(t.engagement, t.population),
            "Engagement / population of the participant's entity.",
            kind="ratio",
            null_reason="no population in the registry",
        ),
        Metric(
            "mentions",
            "mentions",
            lambda t: t.mentions,
            "Messages published in the period that name the institution (mentions stage), by anyone but excluded"
            " sources (official pages, paid media, excluded sources) and flagged authors or messages (bots, spam,"
            " coordination).",
        ),
        Metric(
            "mention_engagement",
            "mentions",
            lambda t: t.mention_engagement,
            "Likes + comments + reposts of those messages, latest observation.",
        ),
        Metric(
            "engagement_population",
            "mentions",
            lambda t: _ratio(t.mention_engagement * 1000, t.population),
            "Engagement on those messages per 1,000 residents of the entity.",
            kind="ratio",
            null_reason="no population in the registry",
        ),
        Metric(
            "audience_balance",
            "mentions",
            lambda t: _ratio(t.positive_audience - t.negative_audience, t.positive_audience + t.negative_audience),
            "(positive audience - negative audience) / (positive + negative audience), from -1 to 1; a message's"
            " audience is its views where known, else its author's followers; tone from the sentiment stage.",
            kind="ratio",
            null_reason="no positive or negative message with a known audience (or no sentiment stage)",
        ),
        Metric(
            "followers_real",
            "persons",
            lambda t: t.followers_real,
            "Followers at the period's end minus the estimated bot share: the share of bots (bot score) in the"
            " account's follower sample (author records whose follows list it, at least 30).",
            null_reason="no follower sample of at least 30 accounts (import author records with follows)",
        ),
        Metric(
            "engaged_users",
            "persons",
            lambda t: t.engaged_users,
            "Distinct real users who liked or commented in the period, a lower bound: the larger of the unflagged"
            " commenters and the likes of the most liked own post (less the bot share when known).",
        ),
        Metric(
            "life_share",
            "persons",
            lambda t: _ratio(t.life_posts, t.typed_posts),
            "Share of own posts of the period the topics stage labels personal life (of those labelled personal"
            " life or official work).",
            kind="ratio",
            null_reason="no own post labelled work or life (topics stage not installed or not run, or no posts)",
        ),
    ]
}
