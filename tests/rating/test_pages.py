"""The pages rating end to end: values, ranks, places, week edges, unrated, movement, runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from civicpulse.errors import MethodologyError
from civicpulse.importers.base import ImportReport
from civicpulse.periods import parse_week
from civicpulse.rating import methodology, runs
from civicpulse.rating.compute import Rating, compute
from civicpulse.store.home import Home
from tests.conftest import engine_of, post, snapshot

Load = Callable[..., ImportReport]
TZ = "Asia/Almaty"
W10 = parse_week("2024-W10", TZ)  # Monday 2024-03-04 .. Sunday 2024-03-10, UTC+5


def rate(home: Home, spec: str = "pages", week: str = "2024-W10", previous: bool = True) -> Rating:
    method = methodology.load(spec)
    return compute(engine_of(home), method, parse_week(week, TZ), previous=previous)


def value(rating: Rating, participant: str, metric: str) -> object:
    row = rating.row(participant)
    assert row is not None, f"{participant} not rated"
    return row.metrics[metric].value


def places(rating: Rating) -> dict[str, int]:
    return {r.participant: r.place for r in rating.rows}


def test_three_pages_by_hand(load: Load, home: Home) -> None:
    # north has two pages (vk and instagram), south one (telegram), east one (facebook)
    load(
        [
            snapshot("vk", "-1", "2024-03-10T12:00:00+05:00", 5000),
            snapshot("instagram", "north_gov", "2024-03-10T12:00:00+05:00", 20000),
            snapshot("telegram", "south_gov", "2024-03-10T12:00:00+05:00", 8000),
            snapshot("facebook", "east.gov", "2024-03-09T12:00:00+05:00", 8000),
            post("vk", "-1_1", "-1", "2024-03-05T09:00:00+05:00", likes=40, comments=5, reposts=5),
            post("instagram", "ig1", "north_gov", "2024-03-06T09:00:00+05:00", likes=300, comments=20),
            post("telegram", "t1", "south_gov", "2024-03-07T09:00:00+05:00", likes=150, comments=10, reposts=40),
            post("facebook", "f1", "east.gov", "2024-03-08T09:00:00+05:00", likes=100, comments=60, reposts=40),
        ]
    )
    rating = rate(home)
    assert value(rating, "vk:-1", "engagement") == 50
    assert value(rating, "instagram:north_gov", "er") == pytest.approx(320 / 20000)
    assert value(rating, "telegram:south_gov", "er_population") == pytest.approx(200 / 2_000_000)
    # followers 20000, 8000, 8000, 5000 -> ranks 1, 2, 2, 4 (ties share the smaller place)
    ranks = {r.participant: r.metrics["followers"].rank for r in rating.rows}
    assert ranks == {"instagram:north_gov": 1, "telegram:south_gov": 2, "facebook:east.gov": 2, "vk:-1": 4}
    # engagement 320, 200, 200, 50: the same shape
    assert {r.participant: r.metrics["engagement"].rank for r in rating.rows} == ranks
    # er: .016, .025, .025, .01 -> east and south share 1, north 3, vk 4
    assert {r.participant: r.metrics["er"].rank for r in rating.rows} == {
        "facebook:east.gov": 1,
        "telegram:south_gov": 1,
        "instagram:north_gov": 3,
        "vk:-1": 4,
    }
    # er_population: north 320/500k=6.4e-4, vk 50/500k=1e-4, south 200/2M=1e-4, east 200/1M=2e-4
    assert {r.participant: r.metrics["er_population"].rank for r in rating.rows} == {
        "instagram:north_gov": 1,
        "facebook:east.gov": 2,
        "vk:-1": 3,
        "telegram:south_gov": 3,
    }
    points = {r.participant: r.points for r in rating.rows}
    assert points == {"instagram:north_gov": 6, "facebook:east.gov": 7, "telegram:south_gov": 8, "vk:-1": 15}
    assert places(rating) == {"instagram:north_gov": 1, "facebook:east.gov": 2, "telegram:south_gov": 3, "vk:-1": 4}
    assert [r.participant for r in rating.rows] == [
        "instagram:north_gov",
        "facebook:east.gov",
        "telegram:south_gov",
        "vk:-1",
    ]


def test_equal_totals_share_the_smaller_place(load: Load, home: Home) -> None:
    load(
        [
            snapshot("vk", "-1", "2024-03-10T12:00:00Z", 100),
            snapshot("instagram", "north_gov", "2024-03-10T12:00:00Z", 100),
            snapshot("telegram", "south_gov", "2024-03-10T12:00:00Z", 50),
            snapshot("facebook", "east.gov", "2024-03-10T12:00:00Z", 10),
        ]
    )
    rating = rate(home)
    assert places(rating) == {"vk:-1": 1, "instagram:north_gov": 1, "telegram:south_gov": 3, "facebook:east.gov": 4}


def test_week_is_cut_in_local_time_not_utc(load: Load, home: Home) -> None:
    load(
        [
            snapshot("vk", "-1", "2024-03-03T00:00:00Z", 1000),
            # Monday 00:10 in Almaty is still Sunday in UTC: belongs to W10
            post("vk", "early", "-1", "2024-03-04T00:10:00+05:00", likes=1),
            # Sunday 23:50 in Almaty is Sunday 18:50 UTC: W10
            post("vk", "late", "-1", "2024-03-10T23:50:00+05:00", likes=10),
            # Monday 00:30 in Almaty is Sunday 19:30 UTC, which a UTC week would count in W10: it is W11
            post("vk", "next", "-1", "2024-03-10T19:30:00Z", likes=100),
            # Sunday 23:00 UTC of the week before is Monday 04:00 in Almaty: W10
            post("vk", "utc-before", "-1", "2024-03-03T23:00:00Z", likes=1000),
            # 18:59 UTC on 03-03 is 23:59 Sunday in Almaty: W09
            post("vk", "prev", "-1", "2024-03-03T18:59:00Z", likes=10000),
        ]
    )
    rating = rate(home, previous=False)
    assert value(rating, "vk:-1", "engagement") == 1 + 10 + 1000
    assert rate(home, week="2024-W11", previous=False).row("vk:-1").metrics["engagement"].value == 100  # type: ignore[union-attr]


def test_week_edges_follow_the_2024_offset_change() -> None:
    # Kazakhstan moved from UTC+6 to UTC+5 on 2024-03-01: W09 starts at +06 and ends at +05
    w09 = parse_week("2024-W09", TZ)
    assert w09.start.isoformat() == "2024-02-25T18:00:00+00:00"
    assert w09.end.isoformat() == "2024-03-03T19:00:00+00:00"


def test_followers_are_the_latest_snapshot_before_the_end(load: Load, home: Home) -> None:
    load(
        [
            snapshot("vk", "-1", "2024-03-04T10:00:00+05:00", 100),
            snapshot("vk", "-1", "2024-03-10T23:00:00+05:00", 150),
            snapshot("vk", "-1", "2024-03-11T01:00:00+05:00", 999),  # after the week
            snapshot("vk", "-1", "2024-03-01T01:00:00+05:00", 90),  # before the week's start
        ]
    )
    rating = rate(home, spec=str(write_method(home.path.parent, ["followers", "follower_growth"])), previous=False)
    assert value(rating, "vk:-1", "followers") == 150
    assert value(rating, "vk:-1", "follower_growth") == 60


def test_only_own_posts_count_with_their_latest_counts(load: Load, home: Home) -> None:
    load(
        [
            snapshot("vk", "-1", "2024-03-05T00:00:00Z", 1000),
            post("vk", "own", "-1", "2024-03-05T09:00:00Z", likes=5, observed_at="2024-03-05T10:00:00Z"),
            post("vk", "own", "-1", "2024-03-05T09:00:00Z", likes=50, observed_at="2024-03-09T10:00:00Z"),
            post("vk", "self-authored", "-1", "2024-03-05T09:00:00Z", likes=7, author="-1"),
            post("vk", "comment", "-1", "2024-03-05T10:00:00Z", likes=1000, reply_to="own", author="42"),
            post("vk", "guest", "-1", "2024-03-05T10:00:00Z", likes=2000, author="43"),
            post("vk", "share", "-1", "2024-03-05T11:00:00Z", likes=3, repost_of="-5_1"),
        ]
    )
    rating = rate(home, spec=str(write_method(home.path.parent, ["posts", "engagement"])), previous=False)
    assert value(rating, "vk:-1", "engagement") == 50 + 7 + 3
    assert value(rating, "vk:-1", "posts") == 3


def test_silent_page_takes_part_and_page_without_snapshot_is_unrated(load: Load, home: Home) -> None:
    load(
        [
            snapshot("vk", "-1", "2024-03-05T00:00:00Z", 1000),
            snapshot("instagram", "north_gov", "2024-03-05T00:00:00Z", 10),
            snapshot("telegram", "south_gov", "2024-03-11T00:00:00+05:00", 10),  # only after the week
            post("instagram", "p", "north_gov", "2024-03-06T09:00:00Z", likes=1),
            post("facebook", "f", "east.gov", "2024-03-06T09:00:00Z", likes=100),
        ]
    )
    rating = rate(home)
    assert value(rating, "vk:-1", "engagement") == 0
    assert value(rating, "vk:-1", "er") == 0
    unrated = {u.participant: u.reason for u in rating.unrated}
    assert set(unrated) == {"telegram:south_gov", "facebook:east.gov"}
    assert "no follower snapshot before" in unrated["telegram:south_gov"]
    assert "2024-03-11 00:00 Asia/Almaty" in unrated["telegram:south_gov"]
    assert {r.participant for r in rating.rows} == {"vk:-1", "instagram:north_gov"}
    # the excluded page of the south never takes part
    assert all("-9" not in r.participant for r in rating.rows)


def test_unknown_values_rank_last_with_a_note(load: Load, home: Home) -> None:
    load(
        [
            snapshot("vk", "-1", "2024-03-05T00:00:00Z", 100),
            snapshot("instagram", "north_gov", "2024-03-05T00:00:00Z", 100),
            snapshot("telegram", "south_gov", "2024-03-05T00:00:00Z", 100),
            post("vk", "v", "-1", "2024-03-06T09:00:00Z", likes=10, views=1000),
            post("telegram", "t", "south_gov", "2024-03-06T09:00:00Z", likes=10, views=100),
            post("instagram", "i", "north_gov", "2024-03-06T09:00:00Z", likes=10),
        ]
    )
    rating = rate(home, spec=str(write_method(home.path.parent, ["er_views"])), previous=False)
    assert value(rating, "telegram:south_gov", "er_views") == pytest.approx(0.1)
    north = rating.row("instagram:north_gov")
    assert north is not None
    assert north.metrics["er_views"].value is None
    assert north.metrics["er_views"].rank == 3
    assert north.notes == ["er_views: no views known"]


def test_movement_against_the_previous_week(load: Load, home: Home) -> None:
    load(
        [
            snapshot("vk", "-1", "2024-03-01T00:00:00Z", 100),
            snapshot("instagram", "north_gov", "2024-03-01T00:00:00Z", 50),
            snapshot("instagram", "north_gov", "2024-03-08T00:00:00Z", 500),
            snapshot("telegram", "south_gov", "2024-03-08T00:00:00Z", 300),
        ]
    )
    rating = rate(home, spec=str(write_method(home.path.parent, ["followers"])))
    moves = {r.participant: (r.place, r.previous_place, r.movement) for r in rating.rows}
    assert moves == {"instagram:north_gov": (1, 2, 1), "telegram:south_gov": (2, None, None), "vk:-1": (3, 1, -2)}
    assert rating.previous_period is not None and rating.previous_period.label == "2024-W09"


def test_runs_are_stored_with_hash_and_data_cut(load: Load, home: Home) -> None:
    load([snapshot("vk", "-1", "2024-03-05T00:00:00Z", 100)])
    rating = rate(home)
    run_id = runs.save(home, rating)
    stored = runs.get(home, run_id)
    assert stored is not None
    assert stored.methodology == "pages" and stored.period == "2024-W10"
    assert stored.methodology_sha256 == methodology.load("pages").sha256
    assert stored.data_cut == home.lake.cut().seq == 1
    assert stored.result == rating.to_json()


def write_method(folder: Path, metrics: list[str], **extra: object) -> Path:
    import yaml

    body = {"name": "custom", "participants": {"level": "account", "kind": "region"}, "metrics": metrics, **extra}
    path = folder / "custom.yaml"
    path.write_text(yaml.safe_dump(body, allow_unicode=True), encoding="utf-8")
    return path


def test_methodology_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        "name: m\nparticipants: {kind: region}\nmetrics:\n  - followers\n  - likes_total\n"
        "tie_break: [er]\nrank_method: best\n",
        encoding="utf-8",
    )
    with pytest.raises(MethodologyError) as caught:
        methodology.load(str(path))
    assert f"{path}:7: rank_method:" in str(caught.value)
    path.write_text(
        "name: m\nparticipants: {kind: region}\nmetrics:\n  - followers\n  - likes_total\ntie_break: [er]\n",
        encoding="utf-8",
    )
    with pytest.raises(MethodologyError) as caught:
        methodology.load(str(path))
    message = str(caught.value)
    assert f"{path}:5: metrics[1]: unknown metric 'likes_total'" in message
    assert f"{path}:6: tie_break[0]: 'er' is not one of this methodology's metrics" in message
