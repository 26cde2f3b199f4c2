"""Arrow schemas of the lake's tables.

Every observation row carries ``_batch`` (the import or collection batch that wrote it) and
``_seq`` (its position in that batch), so that "the latest observation wins" has a total order:
``observed_at`` first, then ``_batch``, then ``_seq``.
"""

from __future__ import annotations

from typing import Final

import pyarrow as pa

TS = pa.timestamp("us", tz="UTC")

BOOKKEEPING: Final = [pa.field("_batch", pa.int64(), False), pa.field("_seq", pa.int64(), False)]

SNAPSHOTS = pa.schema(
    [
        pa.field("platform", pa.string(), False),
        pa.field("account", pa.string(), False),
        pa.field("observed_at", TS, False),
        pa.field("followers", pa.int64(), False),
        pa.field("posts_total", pa.int64()),
        *BOOKKEEPING,
    ]
)

POSTS = pa.schema(
    [
        pa.field("platform", pa.string(), False),
        pa.field("id", pa.string(), False),
        pa.field("account", pa.string(), False),
        pa.field("author", pa.string()),
        pa.field("published_at", TS, False),
        pa.field("text", pa.string(), False),
        pa.field("kind", pa.string(), False),
        pa.field("likes", pa.int64(), False),
        pa.field("comments", pa.int64(), False),
        pa.field("reposts", pa.int64(), False),
        pa.field("views", pa.int64()),
        pa.field("url", pa.string()),
        pa.field("reply_to", pa.string()),
        pa.field("repost_of", pa.string()),
        pa.field("media", pa.string()),
        pa.field("observed_at", TS, False),
        *BOOKKEEPING,
    ]
)

AUTHORS = pa.schema(
    [
        pa.field("platform", pa.string(), False),
        pa.field("id", pa.string(), False),
        pa.field("observed_at", TS, False),
        pa.field("name", pa.string()),
        pa.field("handle", pa.string()),
        pa.field("url", pa.string()),
        pa.field("followers", pa.int64()),
        pa.field("following", pa.int64()),
        pa.field("posts_total", pa.int64()),
        pa.field("created_at", TS),
        pa.field("has_avatar", pa.bool_()),
        pa.field("deactivated", pa.string()),
        pa.field("verified", pa.bool_()),
        pa.field("follows", pa.list_(pa.string())),
        pa.field("extra", pa.string()),
        *BOOKKEEPING,
    ]
)

RAW = pa.schema(
    [
        pa.field("source", pa.string(), False),
        pa.field("target", pa.string()),
        pa.field("fetched_at", TS, False),
        pa.field("payload", pa.string(), False),
        *BOOKKEEPING,
    ]
)

TABLES: Final[dict[str, pa.Schema]] = {
    "snapshots": SNAPSHOTS,
    "posts": POSTS,
    "authors": AUTHORS,
    "raw": RAW,
}

# identity of an observed thing per table: the latest observation per key wins
KEYS: Final[dict[str, tuple[str, ...]]] = {
    "snapshots": ("platform", "account", "observed_at"),
    "posts": ("platform", "id"),
    "authors": ("platform", "id"),
}
