"""The JSONL writer's pieces: local times with the offset in force, escaping, valid lines."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from civicpulse.importers.canonical import CanonicalJsonl
from civicpulse.records.models import PostRecord
from civicpulse.simulate.activity import POSTS_BODY
from civicpulse.simulate.output import JsonlOutput, LocalTime, json_escape

TS = pa.timestamp("us", tz="UTC")


def micros(text: str) -> int:
    return int(datetime.fromisoformat(text).astimezone(UTC).timestamp()) * 1_000_000


def test_local_time_follows_the_change_of_offset() -> None:
    # Almaty: UTC+6 until 2024-03-01 00:00 local time, UTC+5 since
    column = pa.array(
        [micros("2024-02-29T17:59:59+00:00"), micros("2024-02-29T19:00:00+00:00"), None, micros("2009-07-01T00:00Z")],
        type=TS,
    )
    assert LocalTime("Asia/Almaty").format(column).to_pylist() == [
        "2024-02-29T23:59:59+06:00",
        "2024-03-01T00:00:00+05:00",
        None,
        "2009-07-01T06:00:00+06:00",
    ]
    assert LocalTime("America/St_Johns").format(pa.array([micros("2024-01-15T12:00Z")], type=TS)).to_pylist() == [
        "2024-01-15T08:30:00-03:30"
    ]


def test_escaping_keeps_any_text_valid_json() -> None:
    hostile = ['он сказал "хватит" \\ и ушёл\nвторая строка\tтаб\r', "=1+2", "plain"]
    escaped = json_escape(pa.array(hostile)).to_pylist()
    assert [json.loads(f'"{e}"') for e in escaped] == hostile
    assert json_escape(pa.array(["a\x01b"])).to_pylist() == ["a b"]


def test_lines_are_canonical_records_without_missing_values(tmp_path: Path) -> None:
    table = pa.table(
        {
            "platform": ["vk"],
            "id": ["-1_1"],
            "account": ["-1"],
            "author": pa.array([None], pa.string()),
            "published_at": pa.array([micros("2024-03-05T04:00:00+00:00")], TS),
            "text": ['«Акимат» "quoted"\nnext'],
            "kind": ["post"],
            "likes": [3],
            "comments": [0],
            "reposts": [1],
            "views": pa.array([None], pa.int64()),
            "url": pa.array([None], pa.string()),
            "reply_to": pa.array([None], pa.string()),
            "repost_of": pa.array([None], pa.string()),
            "media": ["photo"],
            "observed_at": pa.array([micros("2024-03-06T00:00:00+00:00")], TS),
        },
        schema=POSTS_BODY,
    )
    out = JsonlOutput(tmp_path / "a.jsonl", "Asia/Almaty")
    out.add("posts", table)
    assert out.close() == {"posts": 1}
    (line,) = (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert record["published_at"] == "2024-03-05T09:00:00+05:00"
    assert "author" not in record and "views" not in record
    (item,) = CanonicalJsonl().items(tmp_path / "a.jsonl")
    assert item.problems == []
    assert isinstance(item.record, PostRecord)
    assert item.record.text == '«Акимат» "quoted"\nnext'


def test_lists_of_strings_become_json_arrays(tmp_path: Path) -> None:
    follows = pa.array([["a.b", 'say "hi"'], [], None, ["x"]], type=pa.list_(pa.string())).slice(0)
    table = pa.table({"platform": ["instagram"] * 4, "id": ["f1", "f2", "f3", "f4"], "follows": follows})
    out = JsonlOutput(tmp_path / "a.jsonl", "Asia/Almaty")
    out.add("authors", table.slice(1))
    out.add("authors", table.slice(0, 1))
    out.close()
    records = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r.get("follows") for r in records] == [[], None, ["x"], ["a.b", 'say "hi"']]
