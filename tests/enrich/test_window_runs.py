"""Which periods the window stages covered: ratings that leave flagged messages out say when a period's
flags were never detected; ``flags detect`` runs every installed window stage, a plugin's too."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from civicpulse import builtin, plugins
from civicpulse.cli.main import app
from civicpulse.enrich import flagging, flags, window
from civicpulse.enrich.floods import FloodParams
from civicpulse.enrich.run import run as enrich_run
from civicpulse.i18n import Language
from civicpulse.periods import days_period, parse_month, parse_week
from civicpulse.rating import methodology
from civicpulse.rating.compute import FLAGS_NOT_DETECTED, compute, flags_notes
from civicpulse.report.build import build
from civicpulse.report.html import render
from civicpulse.store.home import Home
from tests.conftest import engine_of, post

WEEK = "2024-W10"
NOTE = (
    "flags not detected for 2024-W10: bots, spam and coordinated accounts are counted"
    " (run civicpulse flags detect --week 2024-W10)"
)
runner = CliRunner()


def _records() -> list[dict[str, Any]]:
    """Citizens naming the akimat during the week, one of them shouting."""
    texts = ["Акимат Атырауской области, почините дорогу", "АКИМАТ АТЫРАУСКОЙ ОБЛАСТИ, ГДЕ АВТОБУСЫ"]
    return [
        post("vk", f"p{i}", "-3", f"2024-03-0{5 + i % 3}T10:00:00+05:00", text=texts[i % 2], author=f"{100 + i}")
        for i in range(6)
    ]


@pytest.fixture
def enriched(home: Home, load: Callable[..., Any]) -> Home:
    load(_records())
    enrich_run(home, ["mentions"])
    return home


def _cli(home: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--home", str(home), *args], env={"COLUMNS": "250"})
    return result.exit_code, result.stdout, result.stderr


def _shouting(given: window.WindowInput) -> window.Flagged:
    texts = given.posts.column("text").to_pylist()
    loud = [bool(t) and t == t.upper() for t in texts]
    return window.Flagged(
        [["shouting"] if yes else [] for yes in loud],
        [["written in capitals"] if yes else [] for yes in loud],
        f"{sum(loud)} shouting",
    )


SHOUTING = window.WindowStage("shouting", "1", ("shouting",), _shouting, "test: posts in capitals")


@pytest.fixture
def with_plugin(monkeypatch: pytest.MonkeyPatch) -> plugins.Plugin:
    """A third-party plugin providing a window stage, installed beside the built-in one."""
    fake = plugins.Plugin(name="fake", window_stages={"shouting": SHOUTING})
    monkeypatch.setattr(plugins, "plugins", lambda: (builtin.plugin, fake))
    return fake


def test_a_rating_says_when_its_period_had_no_flags_detected(enriched: Home) -> None:
    home = enriched
    tz = home.registry().timezone
    period = parse_week(WEEK, tz)
    mentions = methodology.load("mentions")
    rating = compute(engine_of(home), mentions, period, previous=False)
    assert rating.rows and rating.notes == [NOTE]
    assert flags_notes(engine_of(home), methodology.load("persons"), period) == [NOTE]
    assert flags_notes(engine_of(home), methodology.load("pages"), period) == []  # no flag matters to pages
    before = engine_of(home)

    window.run(home, period, ["coordination"])
    assert compute(engine_of(home), mentions, period, previous=False).notes == [
        "flags of bots, floods not detected for 2024-W10: what they flag is counted"
        " (run civicpulse flags detect --week 2024-W10 --stage bots --stage floods)"
    ]
    window.run(home, period, ["bots", "floods"])
    assert compute(engine_of(home), mentions, period, previous=False).notes == []
    assert compute(before, mentions, period, previous=False).notes == [NOTE]  # an older data cut keeps its answer

    # a month's run covers the weeks inside it, not the week that straddles its start
    window.run(home, parse_month("2024-03", tz))
    assert flags_notes(engine_of(home), mentions, parse_week("2024-W11", tz)) == []
    assert flags_notes(engine_of(home), mentions, parse_week("2024-W09", tz)) == [
        FLAGS_NOT_DETECTED % {"period": "2024-W09", "command": "civicpulse flags detect --week 2024-W09"}
    ]
    # weeks' runs together cover a run of days; a gap shows with the command for each week it overlaps
    covered = days_period(parse_week(WEEK, tz).first_day, parse_week("2024-W11", tz).end_day, tz)
    assert flags_notes(engine_of(home), mentions, covered) == []
    gap = days_period(parse_week("2024-W09", tz).first_day, period.end_day, tz)
    assert flags_notes(engine_of(home), mentions, gap)[0].endswith(
        "(run civicpulse flags detect --week 2024-W09; civicpulse flags detect --week 2024-W10)"
    )


def test_rate_explain_and_the_report_show_the_note_until_flags_detect_runs(enriched: Home) -> None:
    path = enriched.path
    code, out, _ = _cli(path, "rate", "mentions", "--week", WEEK, "--no-store")
    assert code == 0 and f"note: {NOTE}" in out
    code, out, err = _cli(path, "rate", "mentions", "--week", WEEK, "--format", "json", "--no-store")
    assert code == 0 and json.loads(out)[0]["participant"] == "kz-atyrau"  # the rows keep their shape
    assert f"note: {NOTE}" in err
    code, out, _ = _cli(path, "explain", "mentions", "kz-atyrau", "--week", WEEK)
    assert code == 0 and f"note: {NOTE}" in out
    code, out, _ = _cli(path, "explain", "mentions", "kz-atyrau", "--week", WEEK, "--format", "json")
    assert code == 0 and json.loads(out)["notes"] == [NOTE]
    code, out, err = _cli(path, "report", "--week", WEEK, "--out", str(path / "report"), "-m", "mentions")
    assert code == 0 and f"note: mentions: {NOTE}" in err
    page = (path / "report" / "report.html").read_text(encoding="utf-8")
    assert "пометки не расставлены за 2024-W10: боты, спам и скоординированные аккаунты учтены в подсчёте" in page
    assert "civicpulse flags detect --week 2024-W10" in page

    assert _cli(path, "flags", "detect", "--week", WEEK)[0] == 0
    for args in (("rate", "mentions"), ("explain", "mentions", "kz-atyrau")):
        code, out, err = _cli(path, *args, "--week", WEEK)
        assert code == 0 and "flags not detected" not in out + err and "flags detect" not in out + err


def test_the_report_translates_the_note(enriched: Home) -> None:
    period = parse_week(WEEK, enriched.registry().timezone)
    engine = engine_of(enriched)
    rating = compute(engine, methodology.load("mentions"), period)
    for lang, start in (("en", "flags not detected for 2024-W10"), ("kk", "2024-W10 үшін белгілер қойылмаған")):
        view = build(engine, [rating], period, Language(lang)).ratings[0]
        assert len(view.notes) == 1 and view.notes[0].startswith(start), view.notes
        assert view.notes[0].endswith("civicpulse flags detect --week 2024-W10 іске қосыңыз)" if lang == "kk" else ")")
    page = render(build(engine, [rating], period, Language("az")))
    assert "2024-W10 üçün işarələr qoyulmayıb" in page


def test_flags_detect_runs_every_installed_window_stage_a_plugins_too(
    enriched: Home, with_plugin: plugins.Plugin
) -> None:
    path = enriched.path
    code, out, _ = _cli(path, "flags", "detect", "--week", WEEK, "--stage", "shouting")
    assert code == 0 and out.startswith("shouting 1: 3 of 6 post(s) of 2024-W10 flagged") and "3 shouting" in out
    engine = engine_of(enriched)
    period = parse_week(WEEK, engine.registry.timezone)
    rows = engine.to_pylist(flags.effective_flags(engine, engine.posts_published(period.start, period.end)))
    assert sorted(r["id"] for r in rows if "shouting" in r["flags"]) == ["p1", "p3", "p5"]
    assert {r["flag_reasons"][r["flags"].index("shouting")] for r in rows} == {"written in capitals"}
    # the built-in stages have not run: the rating says which
    assert compute(engine, methodology.load("mentions"), period, previous=False).notes == [
        "flags of bots, coordination, floods not detected for 2024-W10: what they flag is counted (run civicpulse"
        " flags detect --week 2024-W10 --stage bots --stage coordination --stage floods)"
    ]
    mentions = compute(engine, methodology.load("mentions"), period, previous=False).row("kz-atyrau")
    assert mentions is not None and mentions.metrics["mentions"].value == 3  # the shouting posts are left out

    code, out, _ = _cli(path, "flags", "detect", "--week", WEEK, "--min-copies", "7")
    assert code == 0
    ran = {line.split(" ")[0]: line.split(" ")[1].rstrip(":") for line in out.splitlines()}
    assert set(ran) == {"bots", "coordination", "floods", "shouting"}
    assert ran["floods"] == flagging.floods_stage(FloodParams(min_copies=7)).effective_version
    assert ran["floods"] != flagging.STAGES["floods"].effective_version  # the options reach the built-in stages
    assert compute(engine_of(enriched), methodology.load("mentions"), period, previous=False).notes == []

    code, _, err = _cli(path, "flags", "detect", "--week", WEEK, "--stage", "nope")
    assert code == 2
    assert "unknown window stage 'nope' (installed: bots, coordination, floods, shouting)" in err


def test_options_rebuild_only_the_built_in_stages(with_plugin: plugins.Plugin) -> None:
    stages = flagging.configured(window.installed(), floods=FloodParams(min_copies=9))
    assert set(stages) == {"bots", "coordination", "floods", "shouting"}
    assert stages["shouting"] is SHOUTING
    assert stages["floods"].settings == repr(FloodParams(min_copies=9))
    assert stages["bots"].effective_version == flagging.STAGES["bots"].effective_version
