"""Canonical import: formats, idempotence, latest observation, malformed input, quarantine."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from civicpulse.errors import AlreadyImported, RecordError
from civicpulse.importers.base import ImportReport, run_import
from civicpulse.importers.canonical import CanonicalCsv, CanonicalJsonl
from civicpulse.store.home import Home
from tests.conftest import engine_of, post, snapshot, write_jsonl

Load = Callable[..., ImportReport]


def posts_of(home: Home) -> list[dict[str, object]]:
    engine = engine_of(home)
    table = engine.latest(engine.table("posts"), ("platform", "id"))
    return sorted(engine.to_pylist(table), key=lambda r: str(r["id"]))


def committed_files(home: Home) -> int:
    return sum(len(files) for files in home.lake.cut().files.values())


def test_jsonl_import_counts_and_utc(load: Load, home: Home) -> None:
    report = load(
        [
            snapshot("vk", "-1", "2024-03-10T12:00:00+05:00", 5000),
            post("vk", "-1_1", "-1", "2024-03-05T09:00:00+05:00", likes=4, comments=1, reposts=2, text="Привет"),
        ]
    )
    assert report.counts == {"snapshots": 1, "posts": 1}
    (row,) = posts_of(home)
    assert row["published_at"].isoformat() == "2024-03-05T04:00:00+00:00"  # type: ignore[union-attr]
    assert row["kind"] == "post"
    assert json.loads(report.report_path.read_text())["counts"] == {"snapshots": 1, "posts": 1}


def test_same_file_twice_changes_nothing(home: Home, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [post("vk", "1", "-1", "2024-03-05T09:00:00Z", likes=3)])
    run_import(home, path, CanonicalJsonl())
    before = (committed_files(home), home.lake.cut().seq, posts_of(home))
    with pytest.raises(AlreadyImported):
        run_import(home, path, CanonicalJsonl())
    assert (committed_files(home), home.lake.cut().seq, posts_of(home)) == before


def test_same_records_in_another_file_keep_results(load: Load, home: Home) -> None:
    records = [post("vk", "1", "-1", "2024-03-05T09:00:00Z", likes=3, observed_at="2024-03-06T00:00:00Z")]
    load(records)
    first = posts_of(home)
    # the same observation again, in a file that differs (another record added): a new batch, same answer
    load([*records, snapshot("vk", "-1", "2024-03-06T00:00:00Z", 10)])
    assert [{k: v for k, v in r.items() if not k.startswith("_")} for r in posts_of(home)] == [
        {k: v for k, v in r.items() if not k.startswith("_")} for r in first
    ]


def test_latest_observation_wins_whatever_the_import_order(load: Load, home: Home) -> None:
    load([post("vk", "1", "-1", "2024-03-05T09:00:00Z", likes=10, observed_at="2024-03-07T00:00:00Z")])
    load([post("vk", "1", "-1", "2024-03-05T09:00:00Z", likes=99, observed_at="2024-03-09T00:00:00Z")])
    # an older observation arriving late does not win
    load([post("vk", "1", "-1", "2024-03-05T09:00:00Z", likes=1, observed_at="2024-03-06T00:00:00Z")])
    (row,) = posts_of(home)
    assert row["likes"] == 99


def test_post_without_observation_time_takes_the_import_time(home: Home, tmp_path: Path) -> None:
    import datetime as dt

    path = write_jsonl(tmp_path / "a.jsonl", [post("vk", "1", "-1", "2024-03-05T09:00:00Z")])
    now = dt.datetime(2024, 3, 8, 12, 0, tzinfo=dt.UTC)
    run_import(home, path, CanonicalJsonl(), now=now)
    assert posts_of(home)[0]["observed_at"] == now


def test_kinds_are_derived(load: Load, home: Home) -> None:
    load(
        [
            post("vk", "1", "-1", "2024-03-05T09:00:00Z"),
            post("vk", "2", "-1", "2024-03-05T09:00:00Z", reply_to="1", author="77"),
            post("vk", "3", "-1", "2024-03-05T09:00:00Z", repost_of="x_5"),
            post("vk", "4", "-1", "2024-03-05T09:00:00Z", kind="comment"),
        ]
    )
    assert [r["kind"] for r in posts_of(home)] == ["post", "comment", "repost", "comment"]


def test_author_records_keep_unknown_profile_fields(load: Load, home: Home) -> None:
    load(
        [
            {
                "record": "author",
                "platform": "vk",
                "id": 77,
                "observed_at": "2024-03-05T09:00:00Z",
                "followers": 3,
                "has_avatar": False,
                "deactivated": "banned",
                "follows": ["-1", "-9"],
                "city": "Атырау",
            }
        ]
    )
    engine = engine_of(home)
    (row,) = engine.to_pylist(engine.table("authors"))
    assert row["id"] == "77"
    assert row["follows"] == ["-1", "-9"]
    assert json.loads(row["extra"]) == {"city": "Атырау"}


def bad_lines_of(error: RecordError) -> list[str]:
    return [str(p) for p in error.problems]


@pytest.mark.parametrize(
    ("line", "field", "reason"),
    [
        ('{"record": "post", "platform": "vk"', "(line)", "Invalid JSON"),
        ('{"record": "snapshot", "platform": "vk", "account": "1", "followers": 3}', "observed_at", "Field required"),
        (
            '{"record": "snapshot", "platform": "vk", "account": "1", "observed_at": "2024-03-05T09:00:00",'
            ' "followers": 3}',
            "observed_at",
            "timezone",
        ),
        (
            '{"record": "snapshot", "platform": "vk", "account": "1", "observed_at": "2024-03-05T09:00:00Z",'
            ' "followers": "many"}',
            "followers",
            "valid integer",
        ),
        (
            '{"record": "snapshot", "platform": "vk", "account": "1", "observed_at": "2024-03-05T09:00:00Z",'
            ' "followers": -5}',
            "followers",
            "greater than or equal to 0",
        ),
        (
            '{"record": "snapshot", "platform": "myspace", "account": "1", "observed_at": "2024-03-05T09:00:00Z",'
            ' "followers": 5}',
            "platform",
            "Input should be 'vk'",
        ),
        ('{"record": "tweet", "platform": "x"}', "record", "unknown record type"),
        ('{"platform": "x"}', "record", "missing"),
        (
            '{"record": "snapshot", "platform": "vk", "account": "1", "observed_at": "2024-03-05T09:00:00Z",'
            ' "followers": 5, "folowers": 6}',
            "folowers",
            "unknown field",
        ),
        ('["not", "an", "object"]', "record", ""),
    ],
)
def test_malformed_jsonl_is_rejected_whole(home: Home, tmp_path: Path, line: str, field: str, reason: str) -> None:
    good = json.dumps(post("vk", "1", "-1", "2024-03-05T09:00:00Z"))
    path = tmp_path / "bad.jsonl"
    path.write_text(good + "\n" + line + "\n" + good + "\n", encoding="utf-8")
    with pytest.raises(RecordError) as caught:
        run_import(home, path, CanonicalJsonl())
    (problem,) = bad_lines_of(caught.value)
    assert problem.startswith(f"{path}:2: {field}: ")
    assert reason in problem
    assert home.lake.cut().seq == 0
    assert committed_files(home) == 0
    assert not list((home.path / "lake").rglob("*.parquet*"))  # nothing half-written either


def test_bom_at_the_start_is_fine(home: Home, tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(post("vk", "1", "-1", "2024-03-05T09:00:00Z")).encode() + b"\n")
    assert run_import(home, path, CanonicalJsonl()).counts == {"posts": 1}


def test_invalid_utf8_line_is_reported_with_its_line(home: Home, tmp_path: Path) -> None:
    path = tmp_path / "latin.jsonl"
    good = json.dumps(post("vk", "1", "-1", "2024-03-05T09:00:00Z")).encode()
    path.write_bytes(good + b"\n" + '{"record": "post", "text": "Ошибка"}'.encode("cp1251") + b"\n")
    with pytest.raises(RecordError) as caught:
        run_import(home, path, CanonicalJsonl())
    assert bad_lines_of(caught.value)[0].startswith(f"{path}:2: ")


def test_at_most_fifty_problems_are_shown_then_a_count(home: Home, tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    path.write_text("".join('{"record": "post"}\n' for _ in range(70)), encoding="utf-8")
    with pytest.raises(RecordError) as caught:
        run_import(home, path, CanonicalJsonl())
    message = str(caught.value)
    assert f"{path}:50: " in message
    assert f"{path}:51: " not in message
    assert "... and " in message.splitlines()[-1]
    assert "70 bad record(s)" in message


def test_skip_bad_imports_the_rest_and_quarantines(home: Home, tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    good = [json.dumps(post("vk", str(i), "-1", "2024-03-05T09:00:00Z")) for i in range(3)]
    bad = '{"record": "post", "platform": "vk", "id": "9", "account": "-1", "published_at": "yesterday"}'
    path.write_text("\n".join([good[0], bad, good[1], good[2]]) + "\n", encoding="utf-8")
    report = run_import(home, path, CanonicalJsonl(), skip_bad=True)
    assert report.counts == {"posts": 3}
    assert report.rejected == 1
    assert report.quarantine_path is not None
    assert report.quarantine_path.parent == report.report_path.parent
    (rejected,) = [json.loads(line) for line in report.quarantine_path.read_text().splitlines()]
    assert rejected["line"] == 2
    assert rejected["raw"] == bad
    assert any("published_at" in e for e in rejected["errors"])


CSV_HEADER = "record,platform,id,account,published_at,text,likes,comments,reposts,views,observed_at,followers\n"


def test_csv_with_semicolons_multiline_text_and_empty_cells(home: Home, tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text(
        CSV_HEADER.replace(",", ";")
        + 'post;vk;1;-1;2024-03-05T09:00:00+05:00;"две\nстроки; и кавычки ""x""";1;2;3;;;\n'
        + "snapshot;vk;;-1;;;;;;;2024-03-06T09:00:00+05:00;5000\n",
        encoding="utf-8",
    )
    report = run_import(home, path, CanonicalCsv())
    assert report.counts == {"posts": 1, "snapshots": 1}
    (row,) = posts_of(home)
    assert row["text"] == 'две\nстроки; и кавычки "x"'
    assert row["views"] is None


def test_csv_line_numbers_count_physical_lines(home: Home, tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text(
        CSV_HEADER
        + 'post,vk,1,-1,2024-03-05T09:00:00Z,"one\ntwo\nthree",1,2,3,,,\n'
        + "post,vk,2,-1,2024-03-05T09:00:00Z,x,lots,2,3,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(RecordError) as caught:
        run_import(home, path, CanonicalCsv())
    assert bad_lines_of(caught.value) == [
        f"{path}:5: likes: Input should be a valid integer, unable to parse string as an integer (got 'lots')"
    ]


def test_csv_in_cp1251_with_bom_free_header(home: Home, tmp_path: Path) -> None:
    path = tmp_path / "win.csv"
    path.write_bytes(
        (CSV_HEADER + "post,vk,1,-1,2024-03-05T09:00:00+05:00,Жалоба на дороги,1,0,0,,,\n").encode("cp1251")
    )
    run_import(home, path, CanonicalCsv())
    assert posts_of(home)[0]["text"] == "Жалоба на дороги"


def test_csv_utf8_with_bom(home: Home, tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (CSV_HEADER + "post,vk,1,-1,2024-03-05T09:00:00Z,Әкімдік,1,0,0,,,\n").encode())
    run_import(home, path, CanonicalCsv())
    assert posts_of(home)[0]["text"] == "Әкімдік"


def test_csv_forced_utf8_on_cp1251_names_the_line(home: Home, tmp_path: Path) -> None:
    path = tmp_path / "win.csv"
    path.write_bytes((CSV_HEADER + "post,vk,1,-1,2024-03-05T09:00:00Z,Жалоба,1,0,0,,,\n").encode("cp1251"))
    with pytest.raises(RecordError) as caught:
        run_import(home, path, CanonicalCsv("utf-8"))
    assert "cannot decode as utf-8" in str(caught.value)


def test_csv_without_record_column(home: Home, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("platform,id\nvk,1\n", encoding="utf-8")
    with pytest.raises(RecordError) as caught:
        run_import(home, path, CanonicalCsv())
    assert bad_lines_of(caught.value) == [f"{path}:1: record: column missing from the header"]


def test_csv_row_with_too_many_cells(home: Home, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(CSV_HEADER + "post,vk,1,-1,2024-03-05T09:00:00Z,x,1,2,3,,,,extra\n", encoding="utf-8")
    with pytest.raises(RecordError) as caught:
        run_import(home, path, CanonicalCsv())
    assert "13 cells for 12 columns" in str(caught.value)


def test_importer_options_are_part_of_the_content_key(home: Home, tmp_path: Path) -> None:
    from civicpulse.importers.base import content_key
    from civicpulse.importers.tdesktop import TdesktopImporter

    path = write_jsonl(tmp_path / "a.jsonl", [post("vk", "1", "-1", "2024-03-05T09:00:00Z")])
    assert content_key(path, CanonicalJsonl()) == content_key(path, CanonicalJsonl())
    assert content_key(path, CanonicalJsonl()) != content_key(path, CanonicalCsv())
    assert content_key(path, TdesktopImporter("one")) != content_key(path, TdesktopImporter("two"))
