"""CrowdTangle CSV exports: pages, groups, Instagram lists, zones, counts, located problems."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest

from civicpulse.errors import AlreadyImported, CivicpulseError, RecordError
from civicpulse.importers.base import run_import
from civicpulse.importers.crowdtangle import FACEBOOK_REACTIONS, CrowdTangleImporter
from civicpulse.importers.detect import choose
from civicpulse.importers.instaloader import InstaloaderImporter
from civicpulse.store.home import Home
from tests.conftest import engine_of

CASES = Path(__file__).parents[1] / "cases"
PAGE = CASES / "facebook" / "crowdtangle_page.csv"
GROUP = CASES / "facebook" / "crowdtangle_group.csv"
INSTAGRAM = CASES / "instagram" / "crowdtangle_instagram.csv"
INSTALOADER = CASES / "instagram" / "instaloader" / "north_gov"


def table(home: Home, name: str) -> list[dict[str, Any]]:
    engine = engine_of(home)
    return engine.to_pylist(engine.table(name))


def posts_of(home: Home) -> dict[str, dict[str, Any]]:
    engine = engine_of(home)
    rows = engine.to_pylist(engine.latest(engine.table("posts"), ("platform", "id")))
    return {str(r["id"]): r for r in rows}


def rows_of(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def rewrite(path: Path, target: Path, change: Any = None, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    rows = rows_of(path)
    if change is not None:
        change(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    target.write_bytes(out.getvalue().encode(encoding))
    return target


def problems(home: Home, path: Path, **options: Any) -> list[str]:
    with pytest.raises(RecordError) as caught:
        run_import(home, path, CrowdTangleImporter(**options))
    assert home.lake.cut().seq == 0
    return [str(p) for p in caught.value.problems]


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC)


def test_page_export(home: Home) -> None:
    report = run_import(home, PAGE, CrowdTangleImporter())
    source = rows_of(PAGE)
    assert report.counts["posts"] == len(source) == report.counts["snapshots"]
    posts = posts_of(home)
    photo = posts["100064000000001_123456789012345"]
    assert photo["account"] == "east.gov"
    assert photo["likes"] == sum(int(source[0][k].replace(",", "")) for k in FACEBOOK_REACTIONS if k in source[0])
    assert (photo["comments"], photo["reposts"], photo["views"], photo["media"]) == (120, 50, None, "photo")
    assert photo["published_at"] == utc("2024-03-05T09:00:00-05:00")  # EST
    assert photo["text"] == source[0]["Message"]  # two lines, markup and all

    video = posts["100064000000001_987654321098765"]
    assert (video["media"], video["views"]) == ("video", 12500)
    assert video["published_at"] == utc("2024-03-06T14:30:00+01:00")  # CET

    status = posts["100064000000001_123456789099999"]
    assert status["published_at"] == utc("2024-03-07T08:00:00+06:00")
    assert status["text"] == "=cmd|' /C calc'!A0"

    followers = {s["observed_at"]: s["followers"] for s in table(home, "snapshots")}
    assert followers == {
        utc("2024-03-05T09:00:00-05:00"): 18004,
        utc("2024-03-06T14:30:00+01:00"): 18020,
        utc("2024-03-07T08:00:00+06:00"): 15240,  # followers N/A: the page's likes stand in
    }


def test_every_reaction_kind_is_kept_raw(home: Home) -> None:
    run_import(home, PAGE, CrowdTangleImporter())
    raw = {r["target"]: json.loads(r["payload"]) for r in table(home, "raw")}
    kept = raw["facebook:100064000000001_123456789012345"]
    assert {k: kept[k] for k in FACEBOOK_REACTIONS if k in kept} == {
        k: rows_of(PAGE)[0][k] for k in FACEBOOK_REACTIONS if k in rows_of(PAGE)[0]
    }


def test_group_export(home: Home) -> None:
    report = run_import(home, GROUP, CrowdTangleImporter())
    (post,) = posts_of(home).values()
    assert post["id"] == "200000000000001_300000000000002"
    assert post["account"] == "200000000000001"  # a group has no user name
    assert (post["likes"], post["comments"], post["reposts"], post["media"]) == (1252, 250, 0, "link")
    assert "snapshots" not in report.counts  # N/A followers: nothing to observe


def test_instagram_export_meets_instaloader_on_the_shortcode(home: Home) -> None:
    run_import(home, INSTALOADER, InstaloaderImporter(), now=dt.datetime(2024, 3, 8, tzinfo=dt.UTC))
    run_import(home, INSTAGRAM, CrowdTangleImporter(), now=dt.datetime(2024, 3, 9, tzinfo=dt.UTC))
    posts = posts_of(home)
    own = {k: v for k, v in posts.items() if v["kind"] == "post"}
    assert sorted(own) == ["C4aBcDeFgHi", "C4bVideo123"]
    assert own["C4bVideo123"]["views"] == 5400
    assert own["C4aBcDeFgHi"]["account"] == "north_gov"
    assert {s["followers"] for s in table(home, "snapshots")} == {48100, 48150}


def test_detection(tmp_path: Path) -> None:
    for path in (PAGE, GROUP, INSTAGRAM):
        assert choose(path).name == "crowdtangle"
    semicolons = rewrite(PAGE, tmp_path / "semi.csv", delimiter=";")
    assert choose(semicolons).name == "crowdtangle"
    canonical = tmp_path / "records.csv"
    canonical.write_text("record,platform,id\npost,vk,1\n", encoding="utf-8")
    assert choose(canonical).name == "csv"


def test_semicolons_and_cp1251(home: Home, tmp_path: Path) -> None:
    path = rewrite(GROUP, tmp_path / "group.csv", encoding="cp1251", delimiter=";")
    run_import(home, path, CrowdTangleImporter())
    (post,) = posts_of(home).values()
    assert post["text"] == rows_of(GROUP)[0]["Message"]


def test_the_same_export_twice_changes_nothing(home: Home) -> None:
    run_import(home, PAGE, CrowdTangleImporter())
    before = (home.lake.cut().seq, posts_of(home))
    with pytest.raises(AlreadyImported):
        run_import(home, PAGE, CrowdTangleImporter())
    assert (home.lake.cut().seq, posts_of(home)) == before


# -- malformed exports --------------------------------------------------------------------------------


def set_cell(row: int, column: str, value: str) -> Any:
    def change(rows: list[dict[str, str]]) -> None:
        rows[row][column] = value

    return change


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("Post Created", "2024-03-05 09:00:00 XYZ", "unknown time zone 'XYZ'"),
        ("Post Created", "2024-03-05 09:00:00 IST", "unknown time zone 'IST'"),
        ("Post Created", "05/03/2024 09:00 EST", "expected 'YYYY-MM-DD HH:MM:SS ZONE'"),
        ("Post Created", "2024-02-30 09:00:00 EST", "not a real date and time"),
        ("Post Created", "2024-03-05 09:00:00", "expected 'YYYY-MM-DD HH:MM:SS ZONE'"),
        ("Likes", "lots", "not a count: 'lots'"),
        ("Love", "1,5", "not a whole count"),
        ("Shares", "-3", "cannot be negative"),
        ("Total Interactions", "1.234.5", "not a whole count"),
        ("Followers at Posting", "many", "not a count"),
        ("URL", "", "empty: the post cannot be identified"),
    ],
)
def test_a_bad_cell_names_file_line_and_column(
    home: Home, tmp_path: Path, column: str, value: str, reason: str
) -> None:
    path = rewrite(PAGE, tmp_path / "page.csv", set_cell(1, column, value))
    # the first row's message spans two lines, so the second row starts on line 4
    (problem,) = problems(home, path)
    assert problem.startswith(f"{path}:4: {column}: "), problem
    assert reason in problem


def test_a_missing_column(home: Home, tmp_path: Path) -> None:
    def drop(rows: list[dict[str, str]]) -> None:
        for row in rows:
            del row["Facebook Id"]

    path = rewrite(PAGE, tmp_path / "page.csv", drop)
    (problem,) = problems(home, path)
    assert problem.startswith(f"{path}:1: (header): column(s) missing from the header: ")
    assert problem.endswith(": Facebook Id")


def test_an_unknown_delimiter(home: Home, tmp_path: Path) -> None:
    path = rewrite(PAGE, tmp_path / "page.csv", delimiter="|")
    with pytest.raises(CivicpulseError, match="format not recognised"):
        choose(path)
    (problem,) = problems(home, path)
    assert problem.startswith(f"{path}:1: (header): column(s) missing")
    assert "one column" in problem


def test_cp1251_forced_as_utf8(home: Home, tmp_path: Path) -> None:
    path = rewrite(GROUP, tmp_path / "group.csv", encoding="cp1251")
    (problem,) = problems(home, path, encoding="utf-8")
    # the header's "Overperforming Score (weighted — ...)" already holds a non-ASCII dash
    assert problem.startswith(f"{path}:1: (file): cannot decode as utf-8-sig"), problem

    ascii_header = rewrite(GROUP, tmp_path / "plain.csv", lambda rows: None, encoding="utf-8")
    text = ascii_header.read_text(encoding="utf-8").replace("\u2014", "-")
    ascii_header.write_bytes(text.encode("cp1251"))
    (problem,) = problems(home, ascii_header, encoding="utf-8")
    assert problem.startswith(f"{ascii_header}:2: (file): cannot decode as utf-8-sig"), problem


def test_a_row_with_extra_cells(home: Home, tmp_path: Path) -> None:
    path = tmp_path / "page.csv"
    path.write_text(PAGE.read_text(encoding="utf-8") + "a,b\n", encoding="utf-8")
    (problem,) = problems(home, path)
    assert "2 cells for 40 columns" in problem
