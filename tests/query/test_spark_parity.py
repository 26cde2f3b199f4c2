"""The same ratings on PySpark and on DuckDB, over the same lake, give the same answer.

One Spark session serves the whole module (it takes seconds to start). The lake is small but has
everything a rating must get right: several regions and accounts, ties, a participant without a
snapshot (unrated), an entity without an official account, comments and posts by other authors
that must not count, re-observed posts where the latest observation wins (also when it arrives in
an earlier batch), snapshots after the period's end, and posts on both sides of the local week's
edges. Both engines rate it with the built-in ``pages`` methodology and with a custom one that
uses ``dense`` ranks, fractional weights, a tie-break and expert scores.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from civicpulse.cli.main import app
from civicpulse.importers.base import run_import
from civicpulse.importers.canonical import CanonicalJsonl
from civicpulse.periods import Period, parse_week
from civicpulse.query.engine import Engine, connect
from civicpulse.rating import methodology
from civicpulse.rating.compute import Rating, compute
from civicpulse.registry.loader import RegistryText, parse
from civicpulse.store.home import Home
from tests.conftest import post, snapshot, write_jsonl

pyspark = pytest.importorskip("pyspark", reason="needs the spark extra: uv sync --extra spark")
pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(shutil.which("java") is None, reason="needs a Java runtime for Spark"),
]

TZ = "Asia/Almaty"
WEEK = "2024-W10"
REGISTRY = """\
timezone: Asia/Almaty
entities:
  - {id: kz, kind: country}
  - {id: r-akmola, kind: region, parent: kz, population: 780000}
  - {id: r-almaty, kind: region, parent: kz, population: 1500000}
  - {id: r-atyrau, kind: region, parent: kz, population: 690000}
  - {id: r-kostanay, kind: region, parent: kz}
  - {id: r-mangystau, kind: region, parent: kz, population: 770000}
  - {id: r-pavlodar, kind: region, parent: kz, population: 750000}
  - {id: r-turkistan, kind: region, parent: kz, population: 2100000}
accounts:
  - {platform: instagram, id: akmola_gov, entity: r-akmola, role: official}
  - {platform: telegram, id: akmola_news, entity: r-akmola, role: official}
  - {platform: instagram, id: almaty_gov, entity: r-almaty, role: official}
  - {platform: vk, id: "-300", entity: r-atyrau, role: official}
  - {platform: facebook, id: kostanay.gov, entity: r-kostanay, role: official}
  - {platform: telegram, id: mangystau_gov, entity: r-mangystau, role: official}
  - {platform: instagram, id: pavlodar_gov, entity: r-pavlodar, role: official}
  - {platform: telegram, id: pavlodar_media, entity: r-pavlodar, role: media}
  - {platform: telegram, id: turkistan_media, entity: r-turkistan, role: media}
"""
# (platform, account, followers at the start of W09) for every account that has snapshots;
# mangystau_gov has none, so it is unrated, and r-turkistan has no official account at all
PAGES = [
    ("instagram", "akmola_gov", 12_000),
    ("telegram", "akmola_news", 3_000),
    ("instagram", "almaty_gov", 40_000),
    ("vk", "-300", 12_000),
    ("facebook", "kostanay.gov", 9_000),
    ("instagram", "pavlodar_gov", 40_000),
    ("telegram", "pavlodar_media", 90_000),
]
CUSTOM = """\
name: parity-custom
participants: {level: entity, kind: region, roles: [official]}
metrics:
  - followers
  - {name: er, weight: 0.3}
  - {name: growth, metric: follower_growth, weight: 2.5}
  - {name: views_rate, metric: er_views, direction: asc, weight: 0.1}
  - er_post
  - {name: per_capita, metric: er_population, weight: 0.7}
rank_method: dense
tie_break: [er, followers]
expert_scores: {file: experts.csv, weight: 0.35}
"""
EXPERTS = "participant,score\nr-akmola,4.5\nr-almaty,3\nr-atyrau,4.5\nr-pavlodar,2.25\n"


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


def _records(weeks: list[Period], seed: int = 7) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Canonical lines in two batches: the second re-observes posts of the first (some later, some earlier)."""
    rng = random.Random(seed)
    first: list[dict[str, Any]] = []
    second: list[dict[str, Any]] = []
    start, end = weeks[0].start, weeks[-1].end
    for platform, account, followers in PAGES:
        # a snapshot a day, growing, and one after the last week that must never count
        for day in range((end - start).days + 2):
            count = followers + day * rng.randrange(0, 40)
            first.append(snapshot(platform, account, _iso(start + dt.timedelta(days=day, hours=3)), count))
        for week in weeks:
            for n in range(rng.randrange(3, 7)):
                published = week.start + dt.timedelta(minutes=rng.randrange(0, 7 * 24 * 60))
                views = rng.choice([None, rng.randrange(100, 5000)])
                line = post(
                    platform,
                    f"{account}-{week.label}-{n}",
                    account,
                    _iso(published),
                    likes=rng.randrange(0, 300),
                    comments=rng.randrange(0, 40),
                    reposts=rng.randrange(0, 20),
                    text="пост",
                    views=views,
                    observed_at=_iso(published + dt.timedelta(hours=1)),
                )
                first.append(line)
                if n % 2 == 0:  # re-observed a day later with more likes: the later observation wins
                    second.append(
                        {**line, "likes": line["likes"] + 1000, "observed_at": _iso(published + dt.timedelta(days=1))}
                    )
                if n % 3 == 1:  # an older observation arriving late loses to the one already there
                    second.append({**line, "likes": 0, "observed_at": _iso(published)})
            # a comment on the page and a post by another author on the page must not count
            first.append(
                post(
                    platform,
                    f"{account}-{week.label}-c",
                    account,
                    _iso(week.start + dt.timedelta(days=2)),
                    likes=10_000,
                    kind="comment",
                    reply_to=f"{account}-{week.label}-0",
                )
            )
            first.append(
                post(
                    platform,
                    f"{account}-{week.label}-a",
                    account,
                    _iso(week.start + dt.timedelta(days=3)),
                    likes=10_000,
                    author="someone_else",
                )
            )
            # the last instant of the week before (local time) and the first of this one
            first.append(
                post(
                    platform,
                    f"{account}-{week.label}-edge-before",
                    account,
                    _iso(week.start - dt.timedelta(microseconds=1)),
                    likes=777,
                )
            )
            first.append(post(platform, f"{account}-{week.label}-edge-start", account, _iso(week.start), likes=555))
    # ties: two accounts with the same followers and the same engagement in the rated week
    week = weeks[-1]
    for account in ("akmola_gov", "-300"):
        platform = "vk" if account == "-300" else "instagram"
        second.append(snapshot(platform, account, _iso(week.end - dt.timedelta(hours=1)), 15_000))
        second.append(
            post(
                platform,
                f"{account}-tie",
                account,
                _iso(week.start + dt.timedelta(days=4)),
                likes=50_000,
                comments=0,
                reposts=0,
                views=100_000,
            )
        )
    return first, second


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """A data home with the registry and two committed import batches."""
    root = tmp_path_factory.mktemp("parity")
    home = Home(root / "home")
    text = RegistryText(REGISTRY, "parity.yaml")
    parse(text)
    home.save_registry(text)
    period = parse_week(WEEK, TZ)
    first, second = _records([period.previous().previous(), period.previous(), period])
    imported_at = dt.datetime(2024, 3, 20, tzinfo=dt.UTC)
    for name, records in (("first.jsonl", first), ("second.jsonl", second)):
        run_import(home, write_jsonl(root / name, records), CanonicalJsonl(), now=imported_at)
    (root / "custom.yaml").write_text(CUSTOM, encoding="utf-8")
    (root / "experts.csv").write_text(EXPERTS, encoding="utf-8")
    return home


@pytest.fixture(scope="module")
def spark(lake: Home) -> Iterator[Engine]:
    """The module's one Spark session, as an engine over the lake."""
    con = connect("spark")
    yield Engine(con, lake.lake.cut(), lake.registry(), name="spark")


def _duckdb(home: Home) -> Engine:
    return Engine(connect("duckdb"), home.lake.cut(), home.registry())


def _shape(rating: Rating) -> dict[str, Any]:
    """Everything a rating says, floats kept as floats for a tolerant comparison."""
    rows = {
        r.participant: {
            "entity": r.entity,
            "place": r.place,
            "points": r.points,
            "previous_place": r.previous_place,
            "metrics": {name: (m.value, m.rank) for name, m in r.metrics.items()},
            "notes": r.notes,
        }
        for r in rating.rows
    }
    unrated = {u.participant: u.reason for u in rating.unrated}
    return {"rows": rows, "unrated": unrated, "previous": rating.previous_period}


def _same(left: object, right: object, where: str = "") -> None:
    """Equal, except that floats may differ by 1e-12 relative (the engines sum in different orders)."""
    if isinstance(left, float) or isinstance(right, float):
        assert type(left) is type(right), f"{where}: {left!r} != {right!r}"
        assert math.isclose(left, right, rel_tol=1e-12, abs_tol=0.0), f"{where}: {left!r} != {right!r}"
    elif isinstance(left, dict) and isinstance(right, dict):
        assert left.keys() == right.keys(), f"{where}: keys {sorted(left)} != {sorted(right)}"
        for key in left:
            _same(left[key], right[key], f"{where}/{key}")
    elif isinstance(left, list | tuple) and isinstance(right, list | tuple):
        assert len(left) == len(right), f"{where}: {left!r} != {right!r}"
        for i, (a, b) in enumerate(zip(left, right, strict=True)):
            _same(a, b, f"{where}[{i}]")
    else:
        assert left == right, f"{where}: {left!r} != {right!r}"
        assert type(left) is type(right), f"{where}: {type(left).__name__} != {type(right).__name__}"


def test_pages_rating_is_the_same_on_spark(lake: Home, spark: Engine) -> None:
    method = methodology.load("pages")
    period = parse_week(WEEK, TZ)
    on_duckdb = compute(_duckdb(lake), method, period)
    on_spark = compute(spark, method, period)
    assert on_spark.engine == "spark"
    expected = _shape(on_duckdb)
    # the lake exercises what it claims to: ties, an unrated page, movement from the week before
    assert "telegram:mangystau_gov" in expected["unrated"]
    assert any(
        r.metrics["followers"].rank == r2.metrics["followers"].rank
        for r in on_duckdb.rows
        for r2 in on_duckdb.rows
        if r is not r2
    )
    assert all(r.previous_place is not None for r in on_duckdb.rows)
    assert "telegram:pavlodar_media" not in expected["rows"]
    _same(expected, _shape(on_spark))


def test_custom_methodology_is_the_same_on_spark(lake: Home, spark: Engine) -> None:
    method = methodology.load(str(lake.path.parent / "custom.yaml"))
    period = parse_week(WEEK, TZ)
    # movement is covered above: one period is enough here (Spark runs each query in seconds)
    on_duckdb = compute(_duckdb(lake), method, period, previous=False)
    on_spark = compute(spark, method, period, previous=False)
    expected = _shape(on_duckdb)
    assert expected["unrated"].keys() == {"r-mangystau", "r-turkistan"}
    assert any(r.metrics["expert"].value is None for r in on_duckdb.rows)  # r-kostanay has no score
    assert any(isinstance(r.points, float) and not r.points.is_integer() for r in on_duckdb.rows)
    _same(expected, _shape(on_spark))


def test_cli_rates_on_spark(lake: Home, spark: Engine) -> None:
    runner = CliRunner()
    outputs = {}
    for engine in ("duckdb", "spark"):
        args = [
            "--home",
            str(lake.path),
            "--engine",
            engine,
            "rate",
            "pages",
            "--week",
            WEEK,
            "--format",
            "json",
            "--no-store",
        ]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        outputs[engine] = json.loads(result.stdout)
    rated = [row for row in outputs["duckdb"] if row["place"] is not None]
    assert len(rated) == 6 and len(outputs["duckdb"]) == 7  # six official pages with snapshots, one without
    _same(outputs["duckdb"], outputs["spark"])
