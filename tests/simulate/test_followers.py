"""Follower samples of heads' personal accounts: their shape, their bots, and the persons rating they feed."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from civicpulse.cli.main import app
from civicpulse.enrich.bots import BotParams, score_authors
from civicpulse.metrics.persons import MIN_SAMPLE
from civicpulse.periods import week_period
from civicpulse.query.engine import Engine, connect
from civicpulse.store.home import Home
from tests.simulate.conftest import Simulated


def _truth(summary_truth: Path) -> dict[str, Any]:
    return json.loads(summary_truth.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _authors(home: Home, where: str) -> pa.Table:
    con = duckdb.connect()
    files = home.lake.cut().files["authors"]
    return con.execute(f"SELECT * FROM read_parquet({files!r}) WHERE {where}").to_arrow_table()


def test_every_personal_account_has_a_follower_sample(simulated: Simulated) -> None:
    registry = simulated.home.registry()
    truth = _truth(simulated.summary.truth)
    personal = {a.key for a in registry.accounts if a.role == "personal"}
    samples = {s["account"]: s for s in truth["follower_samples"]}
    assert set(samples) == personal
    followers = _authors(simulated.home, "follows IS NOT NULL")
    rows = followers.to_pylist()
    # one author record per follower, following exactly one account, on the account's platform
    assert len({(r["platform"], r["id"]) for r in rows}) == len(rows)
    assert all(len(r["follows"]) == 1 for r in rows)
    sampled = Counter(f"{r['platform']}:{r['follows'][0]}" for r in rows)
    assert {k: s["sampled"] for k, s in samples.items()} == dict(sampled)
    # most samples are large enough to estimate from, some are not (the rating shows them unknown)
    sizes = sorted(sampled.values())
    assert sizes[0] < MIN_SAMPLE <= sizes[len(sizes) // 2]
    assert sum(s >= MIN_SAMPLE for s in sizes) > len(sizes) / 2
    # the bots among them are in the truth's list of bots, a realistic share of the sample
    bots = {(p, i) for p, i in truth["bots"]}
    bot_rows = [r for r in rows if (r["platform"], r["id"]) in bots]
    per_account = Counter(f"{r['platform']}:{r['follows'][0]}" for r in bot_rows)
    assert {k: s["bots"] for k, s in samples.items() if s["bots"]} == dict(per_account)
    assert 0.1 < len(bot_rows) / len(rows) < 0.5
    # observed once, on the first simulated day, so that every simulated week can use the sample
    first_day = simulated.summary.params.first_day
    tz = registry.timezone
    assert all(week_period(first_day, tz).start <= r["observed_at"] < week_period(first_day, tz).end for r in rows)
    # followers are sampled, they do not post
    con = duckdb.connect()
    files = simulated.home.lake.cut().files["posts"]
    ((posting,),) = con.execute(f"SELECT COUNT(*) FROM read_parquet({files!r}) WHERE author LIKE 'sim.f%'").fetchall()
    assert posting == 0


def test_the_bot_score_recognises_the_sampled_bots(simulated: Simulated) -> None:
    truth = _truth(simulated.summary.truth)
    bots = {f"{p}:{i}" for p, i in truth["bots"]}
    params = BotParams()
    scores = score_authors(_authors(simulated.home, "follows IS NOT NULL"), params=params).score
    flagged = {k for k, v in scores.items() if v >= params.threshold}
    sampled_bots = bots & set(scores)
    people = set(scores) - bots
    assert sampled_bots and people
    assert len(flagged & sampled_bots) >= 0.9 * len(sampled_bots)
    assert len(flagged & people) <= 0.02 * len(people)


def _cli(home: Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["--home", str(home), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_simulated_heads_get_real_followers_after_enrich_and_flags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CIVICPULSE_E5_SCOPE", "none")
    home = tmp_path / "home"
    _cli(home, "simulate", "--weeks", "2", "--scale", "0.1", "--seed", "3")
    _cli(home, "enrich", "--workers", "1")
    _cli(home, "flags", "detect", "--week", "last")
    rows = json.loads(_cli(home, "rate", "persons", "--week", "last", "--format", "json", "--no-store"))
    known = {r["participant"]: r["metrics"]["followers_real"]["value"] for r in rows}
    assert len(known) >= 10
    real = {k: v for k, v in known.items() if v is not None}
    assert len(real) >= 0.75 * len(known)
    # fewer than the followers: the sample's bots are taken off
    the_home = Home(home)
    registry = the_home.registry()
    last_day = _truth(home / "simulated" / "truth-3.json")["params"]["last_day"]
    period = week_period(date.fromisoformat(last_day), registry.timezone)
    engine = Engine(connect("duckdb"), the_home.lake.cut(), registry)
    followers = {
        f"{s['platform']}:{s['account']}": s["followers"] for s in engine.to_pylist(engine.snapshots_before(period.end))
    }
    assert all(0 < v < followers[k] for k, v in real.items())
    assert sum(v < 0.95 * followers[k] for k, v in real.items()) >= len(real) / 2
