"""Window stages in a data home, effective flags, analysts' overrides and the ``civicpulse flags`` commands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from civicpulse.cli.main import app
from civicpulse.enrich import flagging, flags, scenarios, window
from civicpulse.enrich.coordination import CoordinationParams
from civicpulse.enrich.run import run as enrich_run
from civicpulse.errors import ConfigError
from civicpulse.metrics.mentions import mentions_evidence
from civicpulse.periods import parse_week
from civicpulse.query.engine import Engine
from civicpulse.rating import methodology
from civicpulse.rating.compute import compute
from civicpulse.store.home import Home
from tests.conftest import engine_of, post

WEEK = "2024-W10"
runner = CliRunner()


def _records(scenario: scenarios.Scenario) -> list[dict[str, Any]]:
    """The scenario's posts as canonical records, plus one post of the registry's official page."""
    out = []
    for row in scenario.posts.to_pylist():
        published: dt.datetime = row["published_at"]
        out.append(post("vk", row["id"], row["account"], published.isoformat(), text=row["text"], author=row["author"]))
    out.append(post("vk", "official_1", "-1", "2024-03-05T10:00:00+05:00", text="https://news.kz/akimat"))
    return out


@pytest.fixture
def loaded(home: Home, load: Callable[..., Any]) -> scenarios.Scenario:
    scenario = scenarios.generate(scenarios.reference(2))
    load(_records(scenario))
    return scenario


def _flagged(engine: Engine, flag: str) -> dict[str, str]:
    """Post id -> reason of ``flag``, for the posts of the week."""
    period = parse_week(WEEK, engine.registry.timezone)
    rows = engine.to_pylist(flags.effective_flags(engine, engine.posts_published(period.start, period.end)))
    return {r["id"]: r["flag_reasons"][r["flags"].index(flag)] for r in rows if flag in r["flags"]}


def _authors_of(scenario: scenarios.Scenario, ids: set[str]) -> set[str]:
    author = dict(
        zip(scenario.posts.column("id").to_pylist(), scenario.posts.column("author").to_pylist(), strict=True)
    )
    return {f"vk:{author[i]}" for i in ids}


def test_window_stages_flag_the_campaign_and_merge_with_registry_exclusions(
    home: Home, loaded: scenarios.Scenario
) -> None:
    period = parse_week(WEEK, home.registry().timezone)
    reports = {r.stage: r for r in window.run(home, period)}
    assert set(reports) == {"coordination", "floods", "bots"}
    assert reports["coordination"].version.startswith("1+")
    engine = engine_of(home)
    coordinated = _flagged(engine, "coordinated")
    assert _authors_of(loaded, set(coordinated)) == loaded.coordinated
    assert any(reason.startswith("shared ") and "within " in reason for reason in coordinated.values())
    assert "official_1" not in coordinated  # registry accounts are never coordinated actors
    assert _flagged(engine, "excluded_source")["official_1"].startswith("published on vk:-1")
    assert "interval" in reports["coordination"].summary


def test_overrides_apply_from_their_data_cut_on(home: Home, loaded: scenarios.Scenario) -> None:
    period = parse_week(WEEK, home.registry().timezone)
    window.run(home, period, ["coordination"])
    before = engine_of(home)
    member = sorted(loaded.coordinated)[0].split(":")[1]
    cleared = flags.add_override(home, "author", "vk", member, "coordinated", "clear", "a known journalist", "ana")
    assert cleared.commit_seq == before.cut.seq + 1
    after = engine_of(home)
    remaining = _flagged(after, "coordinated")
    assert f"vk:{member}" not in _authors_of(loaded, set(remaining))
    assert len(_flagged(before, "coordinated")) > len(remaining)  # an older data cut keeps its answer
    # a post's own override beats its author's
    one = next(i for i in _flagged(before, "coordinated") if f"vk:{member}" in _authors_of(loaded, {i}))
    flags.add_override(home, "post", "vk", one, "coordinated", "set", "this one was paid", "bek")
    latest = _flagged(engine_of(home), "coordinated")
    assert latest[one].startswith("set by bek (override #2): this one was paid")
    assert [o.id for o in flags.list_overrides(home)] == [1, 2]
    assert [o.id for o in flags.list_overrides(home, upto_seq=cleared.commit_seq)] == [1]


def test_rerunning_with_other_settings_replaces_the_rows(home: Home, loaded: scenarios.Scenario) -> None:
    period = parse_week(WEEK, home.registry().timezone)
    window.run(home, period, ["coordination"])
    assert _flagged(engine_of(home), "coordinated")
    strict = flagging.coordination_stage(CoordinationParams(interval_s=0.001))
    report = window.run(home, period, stages={"coordination": strict})[0]
    assert report.version != flagging.STAGES["coordination"].version
    assert report.flagged == 0
    assert _flagged(engine_of(home), "coordinated") == {}


def test_override_arguments_are_checked(home: Home) -> None:
    with pytest.raises(ConfigError, match="not a flag name"):
        flags.add_override(home, "post", "vk", "1", "Coordinated!", "set", "why", "ana")
    with pytest.raises(ConfigError, match="say why"):
        flags.add_override(home, "post", "vk", "1", "spam", "set", "  ", "ana")
    with pytest.raises(ConfigError, match="expected PLATFORM:ID"):
        flags.parse_target("12345", "--post")
    with pytest.raises(ConfigError, match="unknown platform"):
        flags.parse_target("myspace:1", "--author")
    assert flags.parse_target("VK:-100:5", "--post") == ("vk", "-100:5")


def test_unknown_window_stage(home: Home) -> None:
    with pytest.raises(ConfigError, match="unknown window stage 'nope'"):
        window.run(home, parse_week(WEEK, "UTC"), ["nope"])


def _cli(home: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--home", str(home), *args], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def test_the_flags_commands(home: Home, loaded: scenarios.Scenario) -> None:
    code, out, _ = _cli(home.path, "flags", "detect", "--week", WEEK, "--stage", "coordination")
    assert code == 0 and out.startswith("coordination 1+") and "6 accounts" in out
    member = sorted(loaded.coordinated)[0]
    code, out, _ = _cli(
        home.path, "flags", "override", "--author", member, "--flag", "coordinated", "--clear",
        "--reason", "[bold]verified[/bold] journalist", "--by", "ana",
    )  # fmt: skip
    assert code == 0 and out.startswith(f"override #1: clear coordinated on author {member} by ana")
    code, out, _ = _cli(home.path, "flags", "list")
    assert code == 0 and "[bold]verified[/bold] journalist" in out  # shown as written, not as markup
    code, _, err = _cli(home.path, "flags", "override", "--post", "vk:1", "--author", "vk:2", "--flag", "spam",
                        "--set", "--reason", "x")  # fmt: skip
    assert code == 2 and "exactly one of --post or --author" in err
    code, _, err = _cli(home.path, "flags", "override", "--post", "vk:1", "--flag", "spam", "--reason", "x")
    assert code == 2 and "exactly one of --set or --clear" in err


def test_the_mentions_rating_leaves_out_coordinated_posts_until_an_analyst_clears_them(
    home: Home, load: Callable[..., Any]
) -> None:
    scenario = scenarios.generate(scenarios.reference(5))
    records = _records(scenario)
    members = {m.split(":")[1] for m in scenario.coordinated}
    for record in records:  # the campaign attacks the akimat by name
        if record.get("author") in members and "https://" in record["text"]:
            record["text"] = "Акимат Атырауской области опять молчит " + record["text"].split()[-1]
    load(records)
    enrich_run(home, ["mentions"])
    period = parse_week(WEEK, home.registry().timezone)
    method = methodology.load("mentions")
    pushed = sum(1 for r in records if r["text"].startswith("Акимат Атырауской"))
    before = compute(engine_of(home), method, period, previous=False).row("kz-atyrau")
    assert before is not None and before.metrics["mentions"].value == pushed  # counted until flagged
    window.run(home, period, ["coordination"])
    member = sorted(members)[0]
    evidence = mentions_evidence(engine_of(home), period, "kz-atyrau", "kz-atyrau")
    assert len(evidence) == pushed and not any(r["counted"] for r in evidence)
    assert all("coordinated" in r["flags"] for r in evidence)
    flags.add_override(home, "author", "vk", member, "coordinated", "clear", "checked by hand", "ana")
    row = compute(engine_of(home), method, period, previous=False).row("kz-atyrau")
    assert row is not None
    mine = sum(1 for r in records if r.get("author") == member and r["text"].startswith("Акимат Атырауской"))
    assert row.metrics["mentions"].value == mine > 0
