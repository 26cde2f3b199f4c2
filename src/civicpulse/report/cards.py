"""What an entity's card shows, fetched with Ibis through the query engine.

For the accounts that take part in the report's ratings it fetches, in two queries on the
chosen backend: each account's followers at the period's end, its own posts and their engagement
in the period; and the three own posts of each entity with the most engagement.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from civicpulse.metrics.base import Feed
from civicpulse.metrics.pages import own_posts
from civicpulse.periods import Period
from civicpulse.query.engine import Engine

TOP_POSTS = 3

_ACCOUNTS_SCHEMA = pa.schema(
    [pa.field("platform", pa.string()), pa.field("account", pa.string()), pa.field("entity", pa.string())]
)


@dataclass(frozen=True)
class AccountActivity:
    platform: str
    account: str
    entity: str
    followers: int | None
    posts: int
    engagement: int


@dataclass(frozen=True)
class TopPost:
    entity: str
    platform: str
    id: str
    account: str
    published_at: dt.datetime
    text: str
    url: str | None
    likes: int
    comments: int
    reposts: int
    views: int | None

    @property
    def engagement(self) -> int:
        return self.likes + self.comments + self.reposts


@dataclass(frozen=True)
class CardData:
    activity: dict[tuple[str, str], AccountActivity]
    """Per ``(platform, account)``."""
    top_posts: dict[str, list[TopPost]]
    """Per entity, best first."""


def _accounts(engine: Engine, feeds: list[Feed]) -> ir.Table:
    unique = sorted({(f.platform, f.account, f.entity) for f in feeds})
    rows = [{"platform": p, "account": a, "entity": e} for p, a, e in unique]
    return engine.memtable(pa.Table.from_pylist(rows, schema=_ACCOUNTS_SCHEMA))


def activity_expr(engine: Engine, feeds: list[Feed], period: Period) -> ir.Table:
    """One row per account: followers at the period's end, own posts and their engagement in it."""
    accounts = _accounts(engine, feeds)
    keys = ["platform", "account"]
    snaps = engine.snapshots_before(period.end).select("platform", "account", "followers")
    posts = own_posts(engine.posts_published(period.start, period.end))
    per_account = posts.group_by(keys).aggregate(
        posts=posts.count(),
        engagement=(posts.likes + posts.comments + posts.reposts).cast("int64").sum(),
    )
    return (
        accounts.left_join(snaps, keys)
        .drop("platform_right", "account_right")
        .left_join(per_account, keys)
        .drop("platform_right", "account_right")
        .mutate(posts=ibis._.posts.fill_null(0), engagement=ibis._.engagement.fill_null(0))
    )


def top_posts_expr(engine: Engine, feeds: list[Feed], period: Period, limit: int = TOP_POSTS) -> ir.Table:
    """The ``limit`` own posts of each entity with the most engagement (newer first on ties)."""
    accounts = _accounts(engine, feeds)
    posts = own_posts(engine.posts_published(period.start, period.end))
    mine = posts.join(accounts, ["platform", "account"]).mutate(
        engagement=(ibis._.likes + ibis._.comments + ibis._.reposts).cast("int64")
    )
    order = [ibis.desc(mine.engagement), ibis.desc(mine.published_at), mine.platform, mine.id]
    ranked = mine.mutate(_n=ibis.row_number().over(group_by=[mine.entity], order_by=order))
    return ranked.filter(ranked._n < limit).select(
        "entity",
        "platform",
        "id",
        "account",
        "published_at",
        "text",
        "url",
        "likes",
        "comments",
        "reposts",
        "views",
        "engagement",
        "_n",
    )


def fetch(engine: Engine, feeds: list[Feed], period: Period) -> CardData:
    """Run both queries for the accounts in ``feeds``."""
    if not feeds:
        return CardData({}, {})
    activity = {}
    for row in engine.to_pylist(activity_expr(engine, feeds, period)):
        item = AccountActivity(
            platform=row["platform"],
            account=row["account"],
            entity=row["entity"],
            followers=row["followers"],
            posts=int(row["posts"]),
            engagement=int(row["engagement"]),
        )
        activity[(item.platform, item.account)] = item
    top: dict[str, list[TopPost]] = {}
    for row in sorted(engine.to_pylist(top_posts_expr(engine, feeds, period)), key=lambda r: (r["entity"], r["_n"])):
        top.setdefault(row["entity"], []).append(
            TopPost(
                entity=row["entity"],
                platform=row["platform"],
                id=row["id"],
                account=row["account"],
                published_at=row["published_at"],
                text=row["text"] or "",
                url=row["url"],
                likes=int(row["likes"]),
                comments=int(row["comments"]),
                reposts=int(row["reposts"]),
                views=row["views"],
            )
        )
    return CardData(activity, top)
