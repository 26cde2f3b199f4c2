"""Where simulated records go: the lake (one batch), a canonical JSONL file, and the ground truth.

The JSONL writer turns Arrow tables into lines without a Python loop per record: every field
becomes a string column (``, "likes": 12``, empty when the value is missing) and Arrow joins them.
Times are written in the registry's local time with their offset (``2024-03-05T09:00:00+05:00``),
looked up per hour so a change of offset inside the run is honoured. Both writers keep memory
flat: the lake writer buffers at most a few hundred thousand rows per table, the JSONL writer
none. Files are written under a temporary name and renamed when complete.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import IO, Any, Final
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from civicpulse.platforms import PLATFORMS
from civicpulse.records.schema import TABLES
from civicpulse.simulate.activity import SOURCES, Truth
from civicpulse.simulate.templates import TONES, TOPICS
from civicpulse.simulate.texts import LANGS
from civicpulse.store.lake import BatchWriter

FLUSH_ROWS: Final = 250_000
RECORD_OF: Final = {"posts": "post", "snapshots": "snapshot", "authors": "author"}
# string columns that only ever hold generated ids, names of things or URLs: nothing to escape
_SAFE: Final = {"platform", "id", "account", "author", "kind", "url", "reply_to", "repost_of", "media", "handle"}
_HOUR_S: Final = 3_600
_GROW_HOURS: Final = 60 * 24
_JSONL_ROWS: Final = 100_000


class LakeOutput:
    """Appends tables to a pending lake batch, numbering rows (``_batch``, ``_seq``) as it goes."""

    def __init__(self, writer: BatchWriter) -> None:
        self.writer = writer
        self.buffers: dict[str, list[pa.Table]] = {}
        self.counts: dict[str, int] = {}

    def add(self, table: str, data: pa.Table) -> None:
        if not data.num_rows:
            return
        buffer = self.buffers.setdefault(table, [])
        buffer.append(data)
        if sum(t.num_rows for t in buffer) >= FLUSH_ROWS:
            self._flush(table)

    def _flush(self, table: str) -> None:
        parts = self.buffers.pop(table, [])
        if not parts:
            return
        data = pa.concat_tables(parts)
        n = data.num_rows
        first = self.writer.next_seq(n)
        data = data.append_column("_batch", pa.array(np.full(n, self.writer.id, dtype=np.int64)))
        data = data.append_column("_seq", pa.array(np.arange(first, first + n, dtype=np.int64)))
        self.writer.write(table, data.cast(TABLES[table]))
        self.counts[table] = self.counts.get(table, 0) + n

    def close(self) -> dict[str, int]:
        for table in list(self.buffers):
            self._flush(table)
        return dict(self.counts)


class LocalTime:
    """UTC instants as ISO 8601 strings in a time zone, with the offset in force at each instant.

    Offsets are tabulated per hour over the range seen so far: one zone lookup per day, and per
    hour only on days whose offset changes (the range grows by at least two months at a time).
    """

    def __init__(self, tz: str) -> None:
        self.zone = ZoneInfo(tz)
        self.first_hour = 0
        self.offsets = np.zeros(0, dtype=np.int64)

    def _offset_at(self, hour: int) -> int:
        moment = dt.datetime.fromtimestamp(hour * _HOUR_S, dt.UTC).astimezone(self.zone)
        offset = moment.utcoffset()
        return int(offset.total_seconds()) if offset is not None else 0

    def _cover(self, lo_hour: int, hi_hour: int) -> None:
        last = self.first_hour + len(self.offsets) - 1
        if len(self.offsets) and self.first_hour <= lo_hour and hi_hour <= last:
            return
        if len(self.offsets):
            lo_hour = min(lo_hour, self.first_hour - _GROW_HOURS)
            hi_hour = max(hi_hour, last + _GROW_HOURS)
        first_day, last_day = lo_hour // 24, hi_hour // 24 + 1
        daily = [self._offset_at(day * 24) for day in range(first_day, last_day + 1)]
        hourly = np.repeat(np.asarray(daily, dtype=np.int64), 24)
        for k in range(len(daily) - 1):
            if daily[k] != daily[k + 1]:  # a change of offset on this day: look at every hour
                base = (first_day + k) * 24
                hourly[k * 24 : k * 24 + 24] = [self._offset_at(base + h) for h in range(24)]
        self.first_hour = first_day * 24
        self.offsets = hourly

    def format(self, column: pa.Array) -> pa.Array:
        """``column`` (timestamps, UTC, whole seconds) as local ISO strings; nulls stay null."""
        valid = pc.is_valid(column)
        seconds = pc.cast(pc.fill_null(pc.cast(column, pa.timestamp("s", tz="UTC")), 0), pa.int64()).to_numpy()
        if not len(seconds):
            return pa.array([], type=pa.string())
        hours = seconds // _HOUR_S
        self._cover(int(hours.min()), int(hours.max()))
        offset = self.offsets[hours - self.first_hour]
        # casting a timestamp to text gives "YYYY-MM-DD HH:MM:SS", far faster than strftime
        local = pc.cast(pa.array(seconds + offset, type=pa.timestamp("s")), pa.string())
        local = pc.binary_replace_slice(local, 10, 11, "T")
        if (offset == offset[0]).all():
            suffix: pa.Array | pa.Scalar = pa.scalar(_offset_text(int(offset[0])))
        else:
            distinct, code = np.unique(offset, return_inverse=True)
            suffix = pc.take(pa.array([_offset_text(int(s)) for s in distinct]), pa.array(code.astype(np.int64)))
        text = pc.binary_join_element_wise(local, suffix, "")
        return text if column.null_count == 0 else pc.if_else(valid, text, pa.scalar(None, pa.string()))


def _offset_text(seconds: int) -> str:
    sign = "+" if seconds >= 0 else "-"
    minutes = abs(seconds) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def json_escape(column: pa.Array) -> pa.Array:
    """String contents safe between JSON quotes.

    Most columns need nothing: one scan of the character data decides. The generator emits no
    control characters but newlines and tabs; any other would become a space (a safety net).
    """
    data = column.buffers()[2] if len(column) else None
    if data is None or not _needs_escape(data):
        return column
    for raw, escaped in (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t")):
        column = pc.replace_substring(column, raw, escaped)
    return pc.replace_substring_regex(column, "[\\x00-\\x1f]", " ")


def _needs_escape(data: pa.Buffer) -> bool:
    # a minimum and two byte searches run at memory speed; a regex over the same bytes is 50x slower
    if not data.size:
        return False
    if int(np.frombuffer(data, dtype=np.uint8).min()) < 0x20:
        return True
    raw = data.to_pybytes()
    return b'"' in raw or b"\\" in raw


class JsonlOutput:
    """Writes canonical JSONL records (``snapshot``, ``post``, ``author``), streaming."""

    def __init__(self, path: Path, tz: str) -> None:
        self.path = path
        self.tmp = path.with_name(path.name + ".tmp")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.handle: IO[bytes] = open(self.tmp, "wb")  # noqa: SIM115 (closed in close/abort)
        self.clock = LocalTime(tz)
        self.counts: dict[str, int] = {}

    def add(self, table: str, data: pa.Table) -> None:
        # a slice at a time: the text of one line is ~10 intermediate strings wide
        for start in range(0, data.num_rows, _JSONL_ROWS):
            self.handle.write(_joined(self.lines(RECORD_OF[table], data.slice(start, _JSONL_ROWS))))
        self.counts[table] = self.counts.get(table, 0) + data.num_rows

    def lines(self, record: str, data: pa.Table) -> pa.StringArray:
        """One JSON object per row, each ending in a newline, missing values left out."""
        fields = [pa.scalar('{"record": "' + record + '"', pa.string())]
        for name in data.column_names:
            column = data.column(name).combine_chunks()
            if column.null_count == len(column):
                continue
            fragment = self._fragment(name, column)
            if column.null_count:
                fragment = pc.if_else(pc.is_valid(column), fragment, pa.scalar("", pa.string()))
            fields.append(fragment)
        fields.append(pa.scalar("}\n", pa.string()))
        joined = pc.binary_join_element_wise(*fields, "")
        return joined.combine_chunks() if isinstance(joined, pa.ChunkedArray) else joined

    def _fragment(self, name: str, column: pa.Array) -> pa.Array:
        key = f', "{name}": '
        kind = column.type
        if pa.types.is_timestamp(kind):
            return pc.binary_join_element_wise(f'{key}"', self.clock.format(column), '"', "")
        if pa.types.is_integer(kind):
            return pc.binary_join_element_wise(key, pc.cast(column, pa.string()), "")
        if pa.types.is_boolean(kind):
            return pc.if_else(column, pa.scalar(key + "true"), pa.scalar(key + "false"))
        if pa.types.is_string(kind):
            value = column if name in _SAFE else json_escape(column)
            return pc.binary_join_element_wise(f'{key}"', value, '"', "")
        if pa.types.is_list(kind) and pa.types.is_string(kind.value_type):
            return _string_lists(key, column)
        raise TypeError(f"the JSONL writer cannot write column {name!r} of type {kind}")

    def close(self) -> dict[str, int]:
        self.handle.close()
        self.tmp.replace(self.path)
        return dict(self.counts)

    def abort(self) -> None:
        self.handle.close()
        self.tmp.unlink(missing_ok=True)


class TruthWriter:
    """``truth-<seed>.json``: what the generator knows; the per-text part goes to a Parquet file beside it.

    ::

        {"simulated": true, "content_sha256": ..., "params": {...},
         "texts": {"file": "truth-<seed>-texts.parquet", "rows": N, "columns": [...]},
         "bots": [[platform, id], ...], "coordinated": [[platform, id], ...], "campaigns": [...],
         "pushes": [...], "silent_weeks": [...], "unobserved": [...], "follower_jumps": [...],
         "follower_samples": [{"account", "sampled", "bots", "bot_share"}, ...]}

    ``bots`` lists the bots that wrote something and the bots among the sampled followers of heads'
    personal accounts (who never post); ``follower_samples`` gives each sample's size and true share
    of bots.

    The texts file has one row per text that names an entity: ``platform``, ``post`` (the post id),
    ``entity``, ``mention`` (true: names the akimat; false: only the territory, not a mention),
    ``tone``, ``topic``, ``lang`` and ``source`` (comment, group, bot, campaign, media, excluded).
    It is Parquet because a large run names millions of texts.
    """

    SCHEMA: Final = pa.schema(
        [
            pa.field("platform", pa.dictionary(pa.int32(), pa.string())),
            pa.field("post", pa.string()),
            pa.field("entity", pa.dictionary(pa.int32(), pa.string())),
            pa.field("mention", pa.bool_()),
            pa.field("tone", pa.dictionary(pa.int32(), pa.string())),
            pa.field("topic", pa.dictionary(pa.int32(), pa.string())),
            pa.field("lang", pa.dictionary(pa.int32(), pa.string())),
            pa.field("source", pa.dictionary(pa.int32(), pa.string())),
        ]
    )

    def __init__(self, path: Path, header: dict[str, Any], entity_ids: list[str]) -> None:
        self.path = path
        self.texts_path = path.with_name(path.stem + "-texts.parquet")
        self.tmp = self.texts_path.with_name(self.texts_path.name + ".tmp")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.header = header
        self.writer = pq.ParquetWriter(self.tmp, self.SCHEMA, compression="zstd")
        self.dictionaries = {
            "platform": pa.array(PLATFORMS),
            "entity": pa.array(entity_ids),
            "tone": pa.array(TONES),
            "topic": pa.array(TOPICS),
            "lang": pa.array(LANGS),
            "source": pa.array(SOURCES),
        }
        self.rows = 0
        self.mentions = 0

    def add(self, truth: Truth) -> None:
        for i in range(len(truth.post)):
            if not len(truth.post[i]):
                continue
            coded = {
                "platform": truth.platform[i],
                "entity": truth.entity[i],
                "tone": truth.tone[i],
                "topic": truth.topic[i],
                "lang": truth.lang[i],
                "source": truth.source[i],
            }
            columns = {
                name: pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)), self.dictionaries[name])
                for name, codes in coded.items()
            }
            columns["post"] = truth.post[i]
            columns["mention"] = pa.array(truth.mention[i].astype(bool))
            self.writer.write_table(pa.table(columns).select(self.SCHEMA.names).cast(self.SCHEMA))
            self.rows += len(truth.post[i])
            self.mentions += int(truth.mention[i].sum())

    def close(self, tail: dict[str, Any]) -> None:
        self.writer.close()
        self.tmp.replace(self.texts_path)
        texts = {
            "file": self.texts_path.name,
            "rows": self.rows,
            "mentions": self.mentions,
            "places_only": self.rows - self.mentions,
            "columns": self.SCHEMA.names,
        }
        body = {**self.header, "texts": texts, **tail}
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(self.path)

    def abort(self) -> None:
        self.writer.close()
        self.tmp.unlink(missing_ok=True)


def _string_lists(key: str, column: pa.Array) -> pa.Array:
    """``, "follows": ["a", "b"]`` per row of a list-of-strings column (a null list is the caller's)."""
    lengths = pc.fill_null(pc.list_value_length(column), 0).to_numpy(zero_copy_only=False)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    values = json_escape(pc.list_flatten(column))
    quoted = pa.ListArray.from_arrays(pa.array(offsets), values)
    inner = pc.binary_join(quoted, pa.scalar('", "'))
    listed = pc.binary_join_element_wise(f'{key}["', inner, '"]', "")
    return pc.if_else(pc.equal(pa.array(lengths), 0), pa.scalar(f"{key}[]"), listed)


def _joined(rows: pa.Array) -> memoryview:
    """The concatenated contents of a string array (no nulls), without copying."""
    rows = rows.combine_chunks() if isinstance(rows, pa.ChunkedArray) else rows
    if not len(rows):
        return memoryview(b"")
    offsets = np.frombuffer(rows.buffers()[1], dtype=np.int32, count=rows.offset + len(rows) + 1)
    start, stop = int(offsets[rows.offset]), int(offsets[-1])
    return memoryview(rows.buffers()[2])[start:stop]
