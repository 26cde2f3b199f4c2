"""Why a participant has its place: values, ranks, neighbours, and the data behind them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import ibis

from civicpulse.errors import CivicpulseError
from civicpulse.metrics.catalogue import CATALOGUE, EVIDENCE
from civicpulse.metrics.pages import own_posts
from civicpulse.metrics.persons import label_worklife
from civicpulse.periods import Period
from civicpulse.query.engine import Engine
from civicpulse.rating.compute import RatedRow, Rating, UnratedRow, plan
from civicpulse.rating.methodology import LoadedMethodology


@dataclass(frozen=True)
class Neighbours:
    above: RatedRow | None
    below: RatedRow | None


@dataclass
class Explanation:
    rating: Rating
    participant: str
    row: RatedRow | None
    unrated: UnratedRow | None
    neighbours: dict[str, Neighbours] = field(default_factory=dict)
    """Per metric name, and ``"total"`` for the place."""
    accounts: list[tuple[str, str]] = field(default_factory=list)
    snapshots_end: list[dict[str, Any]] = field(default_factory=list)
    snapshots_start: list[dict[str, Any]] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(default_factory=list)
    """Own posts of the period; for a rating with the ``persons`` component each also has ``worklife``
    (``personal_life``, ``official_work`` or None), the label ``life_share`` counts."""
    evidence: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Per component that can show it (``metrics.catalogue.EVIDENCE``): the rows behind its values,
    e.g. the messages that mention the participant, with their tone, audience and flags."""


def _neighbours(rows: list[RatedRow], participant: str, key: Any) -> Neighbours:
    ordered = sorted(rows, key=lambda r: (key(r), r.participant))
    index = next(i for i, r in enumerate(ordered) if r.participant == participant)
    above = ordered[index - 1] if index > 0 else None
    below = ordered[index + 1] if index + 1 < len(ordered) else None
    return Neighbours(above, below)


def explain(engine: Engine, method: LoadedMethodology, rating: Rating, participant: str) -> Explanation:
    """Explain ``participant``'s place in ``rating`` (computed by ``compute`` on ``engine``)."""
    row = rating.row(participant)
    unrated = next((u for u in rating.unrated if u.participant == participant), None)
    if row is None and unrated is None:
        known = ", ".join(r.participant for r in rating.rows[:10])
        raise CivicpulseError(f"{participant!r} does not take part in {method.name} (e.g. {known})")
    result = Explanation(rating, participant, row, unrated)
    if row is not None:
        result.neighbours["total"] = _neighbours(rating.rows, participant, lambda r: r.place)
        for name in method.metric_names:
            result.neighbours[name] = _neighbours(rating.rows, participant, lambda r, n=name: r.metrics[n].rank)
    scope = plan(engine, method, rating.period).scope
    feeds = [(f.platform, f.account) for f in scope.feeds if f.participant == participant]
    result.accounts = feeds
    if feeds:
        _evidence(engine, rating.period, feeds, result)
    entity = row.entity if row is not None else unrated.entity if unrated is not None else participant
    components = sorted({CATALOGUE[m.catalogue_name].component for m in method.spec.metrics})
    for component in components:
        if component in EVIDENCE:
            result.evidence[component] = EVIDENCE[component](engine, rating.period, participant, entity)
    if "persons" in components:
        label_worklife(engine, result.posts)
    return result


def _evidence(engine: Engine, period: Period, feeds: list[tuple[str, str]], result: Explanation) -> None:
    def mine(table: ibis.expr.types.Table) -> ibis.expr.types.Table:
        condition = ibis.or_(*[(table.platform == p) & (table.account == a) for p, a in feeds])
        return table.filter(condition)

    columns = ["platform", "account", "observed_at", "followers"]
    result.snapshots_end = engine.to_pylist(mine(engine.snapshots_before(period.end)).select(*columns))
    result.snapshots_start = engine.to_pylist(mine(engine.snapshots_before(period.start)).select(*columns))
    posts = own_posts(mine(engine.posts_published(period.start, period.end)))
    posts = posts.mutate(engagement=posts.likes + posts.comments + posts.reposts)
    posts = posts.select(
        "platform",
        "account",
        "id",
        "published_at",
        "text",
        "likes",
        "comments",
        "reposts",
        "engagement",
        "views",
        "url",
        "observed_at",
    ).order_by([ibis.desc("engagement"), "published_at", "id"])
    result.posts = engine.to_pylist(posts)
