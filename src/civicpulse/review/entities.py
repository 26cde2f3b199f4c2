"""The facts of a review per body: its pages together, its platforms, its place in growth.

A body's followers at a date are the sum over its official pages that have a snapshot then, and
at the end only over the pages still its own (a page closed in the period no longer counts for
it). So a ministry that moved to a new page after a rename shows the audience it lost or won by
moving, and its old and new pages stand side by side in :attr:`EntityFacts.pages`.

Growth places rank the bodies with a known ``change_pct`` (highest first, ties share the best
place); bodies without one (every page new, or no snapshot at the start) are not placed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from civicpulse.registry.models import Entity
from civicpulse.review.facts import AccountFacts


@dataclass(frozen=True)
class Move:
    """A body left one page for another on the same platform during the review."""

    old: str
    new: str
    on: dt.date
    """The old page's last day."""


@dataclass(frozen=True)
class EntityFacts:
    """What the review says about one body; ``text`` is its paragraph in the review's language."""

    entity: str
    kind: str
    name: str
    pages: tuple[AccountFacts, ...]
    """Main page first; a closed page right after the page that replaced it."""
    platforms: tuple[str, ...]
    """Platforms where it has an official page in the period."""
    active_platforms: tuple[str, ...]
    """Those of them with a post in the period."""
    followers_from: int | None
    followers_to: int | None
    change: int | None
    change_pct: float | None
    moves: tuple[Move, ...]
    posts: int
    """Own posts of all its pages in their days."""
    growth_rank: int | None = None
    ranked: int = 0
    """How many bodies have a growth place."""
    text: str = field(default="")

    @property
    def main(self) -> AccountFacts | None:
        return self.pages[0] if self.pages else None


def _main_first(pages: list[AccountFacts]) -> list[AccountFacts]:
    """The largest open page first, then the other open pages by size, each closed page after its successor."""
    open_pages = sorted((p for p in pages if not p.closed), key=lambda p: -(p.followers_to or -1))
    closed = [p for p in pages if p.closed]
    ordered: list[AccountFacts] = []
    for page in open_pages:
        ordered.append(page)
        for old in [c for c in closed if c.platform == page.platform and page.first_day >= c.last_day]:
            ordered.append(old)
            closed.remove(old)
    return ordered + closed


def _moves(pages: list[AccountFacts]) -> list[Move]:
    moves = []
    for old in (p for p in pages if p.closed):
        successors = [p for p in pages if p.platform == old.platform and not p.closed and p.opened]
        successors = [p for p in successors if p.first_day >= old.last_day]
        if successors:
            new = min(successors, key=lambda p: p.first_day)
            moves.append(Move(old.participant, new.participant, old.last_day))
    return moves


def _sum(values: list[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def entity_facts(entity: Entity, name: str, pages: list[AccountFacts]) -> EntityFacts:
    """The facts of ``entity`` (shown as ``name``) from its pages' facts; its place is set by :func:`rank`."""
    ordered = _main_first(pages)
    followers_from = _sum([p.followers_from for p in pages if not p.opened])
    followers_to = _sum([p.followers_to for p in pages if not p.closed])
    change = change_pct = None
    if followers_from is not None and followers_to is not None:
        change = followers_to - followers_from
        change_pct = round(change / followers_from * 100, 2) if followers_from > 0 else None
    platforms = sorted({p.platform for p in pages})
    active = sorted({p.platform for p in pages if not p.dormant})
    return EntityFacts(
        entity=entity.id,
        kind=entity.kind,
        name=name,
        pages=tuple(ordered),
        platforms=tuple(platforms),
        active_platforms=tuple(active),
        followers_from=followers_from,
        followers_to=followers_to,
        change=change,
        change_pct=change_pct,
        moves=tuple(_moves(pages)),
        posts=sum(p.posts for p in pages),
    )


def rank(entities: list[EntityFacts]) -> list[EntityFacts]:
    """``entities`` with growth places, ordered by growth (unplaced ones last, by name)."""
    placed = sorted((e for e in entities if e.change_pct is not None), key=lambda e: -(e.change_pct or 0.0))
    out: list[EntityFacts] = []
    for i, e in enumerate(placed):
        same = out[-1] if out and out[-1].change_pct == e.change_pct else None
        out.append(replace(e, growth_rank=same.growth_rank if same else i + 1, ranked=len(placed)))
    rest = sorted((e for e in entities if e.change_pct is None), key=lambda e: e.name)
    return out + rest


@dataclass(frozen=True)
class Totals:
    """The bodies with a count at both dates, together."""

    bodies: int
    followers_from: int
    followers_to: int
    change: int
    change_pct: float | None


def totals(entities: list[EntityFacts]) -> Totals | None:
    """The bodies with a count at both dates, summed; None when there is none."""
    counted = [e for e in entities if e.followers_from is not None and e.followers_to is not None]
    if not counted:
        return None
    before = sum(e.followers_from or 0 for e in counted)
    after = sum(e.followers_to or 0 for e in counted)
    pct = round((after - before) / before * 100, 2) if before > 0 else None
    return Totals(len(counted), before, after, after - before, pct)
