"""Facts made by hand, for testing the wording without a lake."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from civicpulse.i18n import Language
from civicpulse.review.entities import EntityFacts, Move, rank
from civicpulse.review.facts import AccountFacts, MediaFacts
from civicpulse.review.text import Writer

FIRST = date(2017, 12, 16)
LAST = date(2018, 12, 16)


def page(followers_from: int | None = 10_000, followers_to: int | None = 12_000, **kw: Any) -> AccountFacts:
    """A Facebook page with 53 posts, one every week, unless ``kw`` says otherwise."""
    change = pct = ratio = None
    if not kw.get("new") and followers_from is not None and followers_to is not None:
        change = followers_to - followers_from
        pct = round(change / followers_from * 100, 2) if followers_from else None
        ratio = round(followers_to / followers_from, 2) if followers_from else None
    base: dict[str, Any] = {
        "participant": "facebook:p",
        "entity": "e",
        "platform": "facebook",
        "account": "p",
        "name": None,
        "url": None,
        "note": None,
        "active_from": None,
        "active_to": None,
        "first_day": FIRST,
        "last_day": LAST,
        "opened": False,
        "closed": False,
        "followers_from": followers_from,
        "followers_from_at": None,
        "followers_to": followers_to,
        "followers_to_at": None,
        "change": change,
        "change_pct": pct,
        "followers_ratio": ratio,
        "new": False,
        "dormant": False,
        "posts": 53,
        "posts_per_week": 1.01,
        "weeks": 53,
        "weeks_with_posts": 53,
        "regularity": 1.0,
        "longest_silence_days": 7,
        "first_post_at": datetime(2015, 1, 1, tzinfo=UTC),
        "last_post_at": datetime(2018, 12, 15, tzinfo=UTC),
        "likes_per_post": 20.0,
        "comments_per_post": 2.0,
        "reposts_per_post": 1.0,
        "engagement_per_post": 23.0,
        "media": (MediaFacts("text", 53, 1.0, 20.0, 23.0),),
        "live_streams": 0,
        "simulated": False,
    }
    base.update(kw)
    return AccountFacts(**base)


def dormant(last_post_at: datetime | None, first_post_at: datetime | None = None, **kw: Any) -> AccountFacts:
    return page(
        posts=0,
        posts_per_week=0.0,
        weeks_with_posts=0,
        regularity=0.0,
        longest_silence_days=366,
        likes_per_post=None,
        comments_per_post=None,
        reposts_per_post=None,
        engagement_per_post=None,
        media=(),
        dormant=True,
        last_post_at=last_post_at,
        first_post_at=first_post_at or last_post_at,
        **kw,
    )


def body(*pages: AccountFacts, name: str = "Body", moves: tuple[Move, ...] = ()) -> EntityFacts:
    """A body of ``pages`` (main first), its totals summed as the review sums them."""
    known_from = [p.followers_from for p in pages if not p.opened and p.followers_from is not None]
    known_to = [p.followers_to for p in pages if not p.closed and p.followers_to is not None]
    before = sum(known_from) if known_from else None
    after = sum(known_to) if known_to else None
    change = after - before if before is not None and after is not None else None
    pct = round(change / before * 100, 2) if change is not None and before else None
    return EntityFacts(
        entity="e",
        kind="ministry",
        name=name,
        pages=tuple(pages),
        platforms=tuple(sorted({p.platform for p in pages})),
        active_platforms=tuple(sorted({p.platform for p in pages if not p.dormant})),
        followers_from=before,
        followers_to=after,
        change=change,
        change_pct=pct,
        moves=moves,
        posts=sum(p.posts for p in pages),
    )


def ranked(entity: EntityFacts, place: int, of: int) -> EntityFacts:
    return replace(entity, growth_rank=place, ranked=of)


def writer(lang: str) -> Writer:
    return Writer(Language(lang), "Asia/Baku")


def written(lang: str, entity: EntityFacts) -> str:
    return writer(lang).paragraph(rank([entity])[0] if entity.growth_rank is None else entity)
