"""The facts of a review per page: followers at both dates, posting, regularity, engagement by media type.

Every number a review prints (in a table, a chart or a paragraph) is one of these fields, or one of
:class:`civicpulse.review.entities.EntityFacts`, as computed here; the text only words them.
Ratios are fractions (``regularity`` 0.75 = three weeks in four) except ``change_pct``, a
percentage (100.0 = doubled), as the JSON output promises.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final

from civicpulse.query.engine import Engine
from civicpulse.review import queries
from civicpulse.review.scope import PageScope, Scope

SECONDS_PER_DAY: Final = 86_400
Key = tuple[str, str]


@dataclass(frozen=True)
class MediaFacts:
    """A page's posts of one media type in its days."""

    media: str
    posts: int
    share: float
    """Of the page's posts in its days (0..1)."""
    likes_per_post: float
    engagement_per_post: float


@dataclass(frozen=True)
class AccountFacts:
    """Everything the review knows about one official page."""

    participant: str
    entity: str
    platform: str
    account: str
    name: str | None
    url: str | None
    note: str | None
    active_from: dt.date | None
    active_to: dt.date | None
    first_day: dt.date
    """The page's first day in the review (its ``active_from`` when opened in the period)."""
    last_day: dt.date
    """The page's last day in the review (its ``active_to`` when closed in the period)."""
    opened: bool
    closed: bool
    followers_from: int | None
    followers_from_at: dt.datetime | None
    followers_to: int | None
    followers_to_at: dt.datetime | None
    change: int | None
    change_pct: float | None
    followers_ratio: float | None
    """``followers_to / followers_from``, two decimals (2.0 = doubled)."""
    new: bool
    dormant: bool
    posts: int
    posts_per_week: float
    weeks: int
    weeks_with_posts: int
    regularity: float | None
    """Share of the page's weeks with a post (0..1)."""
    longest_silence_days: int
    first_post_at: dt.datetime | None
    last_post_at: dt.datetime | None
    likes_per_post: float | None
    comments_per_post: float | None
    reposts_per_post: float | None
    engagement_per_post: float | None
    media: tuple[MediaFacts, ...]
    live_streams: int
    simulated: bool

    def media_of(self, media: str) -> MediaFacts | None:
        return next((m for m in self.media if m.media == media), None)


def _per(total: int | None, n: int) -> float | None:
    return round((total or 0) / n, 2) if n else None


def _weeks(page: PageScope, scope: Scope) -> int:
    """ISO weeks of the review that overlap the page's days."""
    return sum(1 for w in scope.period.weeks() if w.first_day <= page.last_day and w.end_day > page.first_day)


def _longest_silence(page: PageScope, row: dict[str, Any] | None) -> int:
    """Whole days of the longest stretch without a post inside the page's days, edges included."""
    if row is None:
        return page.days
    gaps = [
        (row["first_in"] - page.start).total_seconds(),
        (page.end - row["last_in"]).total_seconds(),
        float(row["longest_gap"] or 0),
    ]
    return int(max(gaps) // SECONDS_PER_DAY)


def account_facts(
    page: PageScope,
    scope: Scope,
    start: dict[str, Any] | None,
    end: dict[str, Any] | None,
    edges: dict[str, Any] | None,
    stats: dict[str, Any] | None,
    media_rows: list[dict[str, Any]],
    weeks_hit: int,
) -> AccountFacts:
    """The facts of one page from its rows of each query (None where a query has no row for it)."""
    account = page.account
    followers_from = int(start["followers"]) if start else None
    followers_to = int(end["followers"]) if end else None
    new = page.opened or (followers_from is None and followers_to is not None and not account.active_from)
    change = change_pct = ratio = None
    if not new and followers_from is not None and followers_to is not None:
        change = followers_to - followers_from
        if followers_from > 0:
            change_pct = round(change / followers_from * 100, 2)
            ratio = round(followers_to / followers_from, 2)
    posts = int(stats["posts"]) if stats else 0
    weeks = _weeks(page, scope)
    media = tuple(
        MediaFacts(
            media=str(r["media_type"]),
            posts=int(r["posts"]),
            share=round(int(r["posts"]) / posts, 4) if posts else 0.0,
            likes_per_post=round(int(r["likes"]) / int(r["posts"]), 2),
            engagement_per_post=round(int(r["engagement"]) / int(r["posts"]), 2),
        )
        for r in sorted(media_rows, key=lambda r: _media_order(str(r["media_type"])))
    )
    live = next((m.posts for m in media if m.media == "live"), 0)
    return AccountFacts(
        participant=account.key,
        entity=account.entity,
        platform=account.platform,
        account=account.id,
        name=account.name,
        url=account.url,
        note=account.note,
        active_from=account.active_from,
        active_to=account.active_to,
        first_day=page.first_day,
        last_day=page.last_day,
        opened=page.opened,
        closed=page.closed,
        followers_from=followers_from,
        followers_from_at=start["observed_at"] if start else None,
        followers_to=followers_to,
        followers_to_at=end["observed_at"] if end else None,
        change=change,
        change_pct=change_pct,
        followers_ratio=ratio,
        new=new,
        dormant=posts == 0,
        posts=posts,
        posts_per_week=round(posts / page.days * 7, 2),
        weeks=weeks,
        weeks_with_posts=weeks_hit,
        regularity=round(weeks_hit / weeks, 4) if weeks else None,
        longest_silence_days=_longest_silence(page, stats),
        first_post_at=edges["first_post_at"] if edges else None,
        last_post_at=edges["last_post_at"] if edges else None,
        likes_per_post=_per(stats["likes"], posts) if stats else None,
        comments_per_post=_per(stats["comments"], posts) if stats else None,
        reposts_per_post=_per(stats["reposts"], posts) if stats else None,
        engagement_per_post=_per(stats["engagement"], posts) if stats else None,
        media=media,
        live_streams=live,
        simulated=account.simulated,
    )


def _media_order(media: str) -> int:
    order = (*queries.MEDIA, queries.OTHER)
    return order.index(media) if media in order else len(order)


def _by_key(rows: queries.Rows) -> dict[Key, dict[str, Any]]:
    return {(str(r["platform"]), str(r["account"])): r for r in rows}


def compute_accounts(engine: Engine, scope: Scope) -> list[AccountFacts]:
    """The facts of every page of ``scope``, in the scope's order, from the lake as ``engine`` sees it."""
    if not scope.pages:
        return []
    pages = queries.pages_table(engine, scope.pages)
    start = _by_key(queries.followers_at(engine, pages, "from_cut"))
    end = _by_key(queries.followers_at(engine, pages, "to_cut"))
    own = queries.own_posts_of(engine, pages)
    edges = _by_key(queries.post_edges(engine, own))
    stats = _by_key(queries.activity(engine, own))
    hit = queries.weeks_with_posts(engine, own, scope.period)
    media_rows = queries.by_media(engine, own)
    weeks = {k: int(r["weeks_with_posts"]) for k, r in _by_key(hit).items()}
    media: dict[Key, list[dict[str, Any]]] = {}
    for row in media_rows:
        media.setdefault((str(row["platform"]), str(row["account"])), []).append(row)
    out = []
    for page in scope.pages:
        key = (page.account.platform, page.account.id)
        out.append(
            account_facts(
                page,
                scope,
                start.get(key),
                end.get(key),
                edges.get(key),
                stats.get(key),
                media.get(key, []),
                weeks.get(key, 0),
            )
        )
    return out
