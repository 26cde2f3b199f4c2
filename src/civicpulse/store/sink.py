"""Turning canonical records into Arrow batches of the lake's tables."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa

from civicpulse.records.models import AuthorRecord, PostRecord, SnapshotRecord
from civicpulse.records.schema import TABLES
from civicpulse.store.lake import BatchWriter

FLUSH_ROWS = 50_000
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICRO = dt.timedelta(microseconds=1)


def micros(value: dt.datetime) -> int:
    """Microseconds since the epoch (UTC) of an aware datetime: the lake's timestamp encoding.

    Arrow would convert aware datetimes itself, but only through pandas, which costs a second
    to import and more per row than this.
    """
    return (value - _EPOCH) // _MICRO


def _opt_micros(value: dt.datetime | None) -> int | None:
    return None if value is None else micros(value)


def _opt_str(value: str | int | None) -> str | None:
    return None if value is None else str(value)


def snapshot_row(rec: SnapshotRecord) -> dict[str, Any]:
    return {
        "platform": rec.platform,
        "account": str(rec.account),
        "observed_at": micros(rec.observed_at),
        "followers": rec.followers,
        "posts_total": rec.posts_total,
    }


def post_row(rec: PostRecord, observed_at: int) -> dict[str, Any]:
    return {
        "platform": rec.platform,
        "id": str(rec.id),
        "account": str(rec.account),
        "author": _opt_str(rec.author),
        "published_at": micros(rec.published_at),
        "text": rec.text,
        "kind": rec.resolved_kind(),
        "likes": rec.likes,
        "comments": rec.comments,
        "reposts": rec.reposts,
        "views": rec.views,
        "url": rec.url,
        "reply_to": _opt_str(rec.reply_to),
        "repost_of": _opt_str(rec.repost_of),
        "media": rec.media,
        "observed_at": micros(rec.observed_at) if rec.observed_at else observed_at,
    }


def author_row(rec: AuthorRecord) -> dict[str, Any]:
    return {
        "platform": rec.platform,
        "id": str(rec.id),
        "observed_at": micros(rec.observed_at),
        "name": rec.name,
        "handle": rec.handle,
        "url": rec.url,
        "followers": rec.followers,
        "following": rec.following,
        "posts_total": rec.posts_total,
        "created_at": _opt_micros(rec.created_at),
        "has_avatar": rec.has_avatar,
        "deactivated": rec.deactivated,
        "verified": rec.verified,
        "follows": None if rec.follows is None else [str(f) for f in rec.follows],
        "extra": rec.extra_json(),
    }


class RecordSink:
    """Buffers records per table and writes them to a batch in Arrow chunks.

    ``observed_at`` is what a post without its own observation time is stamped with (the import
    or collection time).
    """

    def __init__(self, writer: BatchWriter, observed_at: dt.datetime) -> None:
        self.writer = writer
        self.observed_at = micros(observed_at)
        self.buffers: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
        self.counts: dict[str, int] = {}

    def add(self, record: SnapshotRecord | PostRecord | AuthorRecord) -> None:
        if isinstance(record, PostRecord):
            self._push("posts", post_row(record, self.observed_at))
        elif isinstance(record, SnapshotRecord):
            self._push("snapshots", snapshot_row(record))
        else:
            self._push("authors", author_row(record))

    def add_raw(self, source: str, target: str | None, fetched_at: dt.datetime, payload: str) -> None:
        """Keep an untouched payload so parsers can be fixed and re-run."""
        row = {"source": source, "target": target, "fetched_at": micros(fetched_at), "payload": payload}
        self._push("raw", row)

    def _push(self, table: str, row: dict[str, Any]) -> None:
        buffer = self.buffers[table]
        buffer.append(row)
        if len(buffer) >= FLUSH_ROWS:
            self.flush(table)

    def flush(self, table: str) -> None:
        rows = self.buffers[table]
        if not rows:
            return
        first = self.writer.next_seq(len(rows))
        for offset, row in enumerate(rows):
            row["_batch"] = self.writer.id
            row["_seq"] = first + offset
        self.writer.write(table, pa.RecordBatch.from_pylist(rows, schema=TABLES[table]))
        self.counts[table] = self.counts.get(table, 0) + len(rows)
        self.buffers[table] = []

    def close(self) -> dict[str, int]:
        """Write what is buffered; returns rows written per table."""
        for table in self.buffers:
            self.flush(table)
        return dict(self.counts)
