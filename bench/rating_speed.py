"""The weekly ``pages`` rating over a lake of 10M simulated post rows vs hand-written DuckDB SQL.

Both read the same Parquet files and compute the same rating of one week (the results are
compared before anything is timed). civicpulse runs ``compute(..., previous=False)``: one
period, like the SQL; the full command also rates the week before, for movement, which is
reported beside it. Both are warmed up, then timed in turns; medians are reported, with a
breakdown of civicpulse's time (building the Ibis expression, compiling it to SQL, running it).
"""

from __future__ import annotations

import math
import shutil
import statistics
from collections.abc import Callable
from typing import Any

import duckdb
import pyarrow as pa

from bench.common import Options, Report, human, interleaved, start, timed, timed_call
from bench.gen import build_lake
from civicpulse.query.engine import Engine, connect
from civicpulse.rating import methodology
from civicpulse.rating.compute import Rating, compute, plan
from civicpulse.store.home import Home

POSTS = 10_000_000
QUICK_POSTS = 50_000
TARGET = 1.3

# The pages rating by hand: latest observation of each post published in the week, own posts only,
# latest snapshot before the week's end, min ranks (nulls last, sharing the place after the known
# values), points = sum of ranks, place = min rank of points. Participants without a snapshot are
# unrated (place NULL).
SQL = """
WITH latest AS (
    SELECT * FROM read_parquet($posts)
    WHERE published_at >= $start AND published_at < $end
    QUALIFY row_number() OVER (PARTITION BY platform, id ORDER BY observed_at DESC, _batch DESC, _seq DESC) = 1
),
activity AS (
    SELECT platform, account, sum(likes + comments + reposts) AS engagement
    FROM latest
    WHERE reply_to IS NULL AND kind <> 'comment' AND (author IS NULL OR author = account)
    GROUP BY platform, account
),
snapshot AS (
    SELECT platform, account, followers FROM read_parquet($snapshots)
    WHERE observed_at < $end
    QUALIFY row_number() OVER (PARTITION BY platform, account ORDER BY observed_at DESC, _batch DESC, _seq DESC) = 1
),
base AS (
    SELECT f.participant, f.entity, s.followers, coalesce(a.engagement, 0) AS engagement, e.population
    FROM feeds f
    LEFT JOIN snapshot s ON s.platform = f.platform AND s.account = f.account
    LEFT JOIN activity a ON a.platform = f.platform AND a.account = f.account
    LEFT JOIN entities e ON e.entity = f.entity
),
metrics AS (
    SELECT participant, entity, followers, engagement,
        CASE WHEN followers > 0 THEN engagement::DOUBLE / followers END AS er,
        CASE WHEN population > 0 THEN engagement::DOUBLE / population END AS er_population
    FROM base WHERE followers IS NOT NULL
),
ranked AS (
    SELECT *,
        rank() OVER (ORDER BY followers DESC NULLS LAST) AS r_followers,
        rank() OVER (ORDER BY engagement DESC NULLS LAST) AS r_engagement,
        rank() OVER (ORDER BY er DESC NULLS LAST) AS r_er,
        rank() OVER (ORDER BY er_population DESC NULLS LAST) AS r_er_population
    FROM metrics
),
pointed AS (SELECT *, r_followers + r_engagement + r_er + r_er_population AS points FROM ranked)
SELECT participant, entity, followers, engagement, er, er_population,
    r_followers, r_engagement, r_er, r_er_population, points, rank() OVER (ORDER BY points) AS place
FROM pointed
UNION ALL
SELECT participant, entity, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM base WHERE followers IS NULL
"""
METRICS = ("followers", "engagement", "er", "er_population")


def _registry_tables(engine: Engine) -> tuple[pa.Table, pa.Table]:
    """The participants of ``pages`` (official pages of regions) and the regions' populations."""
    registry = engine.registry
    regions = {e.id: e for e in registry.entities if e.kind == "region"}
    feeds = [
        {"participant": a.key, "entity": a.entity, "platform": a.platform, "account": a.id}
        for a in registry.accounts
        if a.entity in regions and a.role == "official"
    ]
    entities = [{"entity": e.id, "population": e.population} for e in regions.values()]
    return pa.Table.from_pylist(feeds), pa.Table.from_pylist(
        entities, schema=pa.schema([("entity", pa.string()), ("population", pa.int64())])
    )


def _same_rating(rating: Rating, rows: list[dict[str, Any]]) -> None:
    """Raise unless the SQL rows say exactly what the civicpulse rating says."""
    by_sql = {r["participant"]: r for r in rows}
    unrated_sql = {p for p, r in by_sql.items() if r["place"] is None}
    unrated_ours = {u.participant for u in rating.unrated}
    if unrated_sql != unrated_ours:
        raise AssertionError(f"unrated differ: sql {sorted(unrated_sql)} vs civicpulse {sorted(unrated_ours)}")
    if len(rating.rows) != len(by_sql) - len(unrated_sql):
        raise AssertionError(f"rated differ: {len(rating.rows)} vs {len(by_sql) - len(unrated_sql)}")
    for ours in rating.rows:
        sql = by_sql[ours.participant]
        if (ours.place, ours.points) != (sql["place"], sql["points"]):
            raise AssertionError(f"{ours.participant}: place/points {ours.place}/{ours.points} vs {sql}")
        for name in METRICS:
            value, rank = ours.metrics[name].value, ours.metrics[name].rank
            theirs = sql[name]
            close = (value is None and theirs is None) or (
                value is not None and theirs is not None and math.isclose(value, theirs, rel_tol=1e-12)
            )
            if not close or rank != sql[f"r_{name}"]:
                raise AssertionError(f"{ours.participant} {name}: {value} ({rank}) vs {theirs} ({sql[f'r_{name}']})")


def run(options: Options) -> Report:
    posts = QUICK_POSTS if options.quick else POSTS
    report = start(
        f"weekly pages rating: civicpulse (Ibis on DuckDB) vs hand-written DuckDB SQL ({human(posts)} posts)"
    )
    work = options.data_dir / "rating-speed"
    shutil.rmtree(work, ignore_errors=True)
    try:
        lake, seconds = timed_call(lambda: build_lake(Home(work / "home"), posts))
        cut = lake.home.lake.cut()
        report.add(
            f"lake: {human(posts)} post rows, {human(lake.snapshots)} snapshots in "
            f"{len(cut.files['posts'])} + {len(cut.files['snapshots'])} Parquet files (written in {seconds:.1f} s)"
        )
        engine = Engine(connect("duckdb"), cut, lake.home.registry())
        method = methodology.load("pages")
        period = lake.period

        con = duckdb.connect()
        feeds, entities = _registry_tables(engine)
        con.register("feeds", feeds)
        con.register("entities", entities)
        params = {"posts": cut.files["posts"], "snapshots": cut.files["snapshots"], "start": period.start,
                  "end": period.end}  # fmt: skip

        def by_hand() -> list[dict[str, Any]]:
            rows: list[dict[str, Any]] = con.execute(SQL, params).to_arrow_table().to_pylist()
            return rows

        def one_period() -> Rating:
            return compute(engine, method, period, previous=False)

        expected = by_hand()
        _same_rating(one_period(), expected)
        report.add(f"same answer: {len(expected)} participants, places, points, values and ranks agree")

        contenders: dict[str, Callable[[], object]] = {"sql": by_hand, "civicpulse": one_period}
        if not options.quick:
            contenders["with_previous"] = lambda: compute(engine, method, period)
        # both already ran once (the comparison above): that was the warm-up
        times = interleaved(contenders, runs=options.runs, warmup=0)
        sql, ours = times["sql"], times["civicpulse"]
        for label, got in (("hand-written SQL:      ", sql), ("civicpulse, one period:", ours)):
            report.add(f"{label} {got.median_wall:.3f} s (runs {_list(got.wall)}), CPU {got.median_cpu:.3f} s")
        if "with_previous" in times:
            full = times["with_previous"]
            report.add(
                f"civicpulse, with previous: {full.median_wall:.3f} s, CPU {full.median_cpu:.3f} s "
                "(two periods, as `civicpulse rate` runs it)"
            )
        report.add(f"CPU-time ratio (steadier on a busy machine): {ours.median_cpu / sql.median_cpu:.3f}")
        _breakdown(report, engine, method, period, min(options.runs, 3))
        report.ratio = ours.median_wall / sql.median_wall
        report.ratio_label = "civicpulse one-period median seconds / SQL median seconds"
        report.target = f"civicpulse within {TARGET}x of the SQL"
        report.met = report.ratio <= TARGET
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report.finish()
    return report


def _breakdown(report: Report, engine: Engine, method: methodology.LoadedMethodology, period: Any, runs: int) -> None:
    """Where civicpulse's time goes: building the expression, compiling it to SQL, running it."""
    builds = [timed_call(lambda: plan(engine, method, period)) for _ in range(runs)]
    build = statistics.median(seconds for _, seconds in builds)
    expr = builds[0][0].everyone
    compile_s = statistics.median(timed(lambda: engine.con.compile(expr)) for _ in range(runs))
    # running compiles again: what is left after compiling is DuckDB's work and the Arrow transfer
    run_s = statistics.median(timed(lambda: engine.to_pylist(expr)) for _ in range(runs)) - compile_s
    report.add(
        f"civicpulse breakdown: build the Ibis expression {build:.3f} s, compile it to SQL {compile_s:.3f} s, "
        f"run it {run_s:.3f} s"
    )


def _list(values: list[float]) -> str:
    return ", ".join(f"{v:.3f}" for v in values)
