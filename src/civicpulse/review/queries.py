"""The review's questions to the lake, as Ibis expressions over :class:`Engine` (DuckDB or Spark alike).

Every query starts from ``pages``: one row per official page with its own cut-offs (see
:mod:`civicpulse.review.scope`), so pages opened or closed in the period are measured on their own
days in the same query as the others. A post counts once, as last observed, and only if it is the
page's own (no replies, comments or other authors: :func:`civicpulse.metrics.pages.own_posts`).
"""

from __future__ import annotations

from typing import Any, Final

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from civicpulse.metrics.pages import own_posts
from civicpulse.periods import Period
from civicpulse.query.engine import Engine
from civicpulse.records.schema import TS
from civicpulse.review.scope import PageScope

MEDIA: Final = ("text", "photo", "video", "live")
OTHER: Final = "other"
"""Links, audio, polls, documents and posts whose media type is not known."""

PAGES_SCHEMA = pa.schema(
    [
        pa.field("platform", pa.string()),
        pa.field("account", pa.string()),
        pa.field("from_cut", TS),
        pa.field("to_cut", TS),
        pa.field("start", TS),
        pa.field("end", TS),
    ]
)
WEEKS_SCHEMA = pa.schema([pa.field("week", pa.string()), pa.field("week_start", TS), pa.field("week_end", TS)])
KEYS: Final = ("platform", "account")
Rows = list[dict[str, Any]]


def pages_table(engine: Engine, pages: list[PageScope]) -> ir.Table:
    rows = [
        {
            "platform": p.account.platform,
            "account": p.account.id,
            "from_cut": p.from_cut,
            "to_cut": p.to_cut,
            "start": p.start,
            "end": p.end,
        }
        for p in pages
    ]
    return engine.memtable(pa.Table.from_pylist(rows, schema=PAGES_SCHEMA))


def followers_at(engine: Engine, pages: ir.Table, cut: str) -> Rows:
    """Per page, the latest snapshot observed before its ``cut`` column: ``followers`` and ``observed_at``."""
    snaps = engine.table("snapshots")
    joined = snaps.join(pages.select(*KEYS, cut=pages[cut]), list(KEYS))
    latest = engine.latest(joined.filter(joined.observed_at < joined.cut), KEYS)
    return engine.to_pylist(latest.select(*KEYS, "followers", "observed_at"))


def own_posts_of(engine: Engine, pages: ir.Table) -> ir.Table:
    """The pages' own posts published before the end of each page's days, latest observation, with its days.

    Whether a post is the page's own (not a reply, comment or another author's) does not change between
    observations, so the filter runs before picking the latest observation, on far fewer rows. The
    caller caches the result: every post query below starts from it.
    """
    posts = engine.table("posts")
    mine = own_posts(posts.semi_join(pages, list(KEYS)))
    latest = engine.latest(mine, ("platform", "id"))
    joined = latest.join(pages.select(*KEYS, "start", "end"), list(KEYS))
    return joined.filter(joined.published_at < joined.end).mutate(
        media_type=joined.media.isin(MEDIA).ifelse(joined.media, OTHER),
        engagement=(joined.likes + joined.comments + joined.reposts).cast("int64"),
    )


def post_edges(engine: Engine, own: ir.Table) -> Rows:
    """Per page, its first and last own post before the end of its days (also before the period)."""
    edges = own.group_by(*KEYS).aggregate(first_post_at=own.published_at.min(), last_post_at=own.published_at.max())
    return engine.to_pylist(edges)


def _in_days(own: ir.Table) -> ir.Table:
    return own.filter(own.published_at >= own.start)


def activity(engine: Engine, own: ir.Table) -> Rows:
    """Per page with posts in its days: counts, sums, first and last post, and the longest gap in seconds.

    Gaps are measured between consecutive posts (ordered by time, then id); the silences before the
    first and after the last post of the days are added by the caller, who knows the days' edges.
    """
    posts = _in_days(own)
    order = ibis.window(group_by=[posts.platform, posts.account], order_by=[posts.published_at, posts.id])
    paired = posts.mutate(previous_at=posts.published_at.lag().over(order))
    gap = paired.published_at.delta(paired.previous_at, unit="second")
    stats = paired.group_by(*KEYS).aggregate(
        posts=paired.count(),
        likes=paired.likes.sum(),
        comments=paired.comments.sum(),
        reposts=paired.reposts.sum(),
        engagement=paired.engagement.sum(),
        first_in=paired.published_at.min(),
        last_in=paired.published_at.max(),
        longest_gap=gap.max(),
    )
    return engine.to_pylist(stats)


def by_media(engine: Engine, own: ir.Table) -> Rows:
    """Per page and media type (text, photo, video, live, other): posts, likes and engagement."""
    posts = _in_days(own)
    grouped = posts.group_by(*KEYS, "media_type").aggregate(
        posts=posts.count(), likes=posts.likes.sum(), engagement=posts.engagement.sum()
    )
    return engine.to_pylist(grouped)


def weeks_with_posts(engine: Engine, own: ir.Table, period: Period) -> Rows:
    """Per page, how many ISO weeks of ``period`` (cut in its zone, edge weeks clipped) have a post."""
    rows = [
        {"week": w.label, "week_start": max(w.start, period.start), "week_end": min(w.end, period.end)}
        for w in period.weeks()
    ]
    weeks = engine.memtable(pa.Table.from_pylist(rows, schema=WEEKS_SCHEMA))
    posts = _in_days(own)
    hits = posts.join(weeks, (posts.published_at >= weeks.week_start) & (posts.published_at < weeks.week_end))
    counted = hits.group_by(*KEYS).aggregate(weeks_with_posts=hits.week.nunique())
    return engine.to_pylist(counted)
