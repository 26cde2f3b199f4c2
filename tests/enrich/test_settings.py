"""The settings in force (``--home``, ``CIVICPULSE_*``, ``<home>/config.toml``) reach every stage through
its context: in ``civicpulse enrich`` and its dry run, in worker processes, in the stage fingerprint, in
the window stages of ``flags detect`` and in ``eval``, whatever the current directory."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from civicpulse.cli import enrich as enrich_cli
from civicpulse.cli import flags as flags_cli
from civicpulse.cli.main import app
from civicpulse.config import Settings
from civicpulse.enrich import evaluate, pipeline, window
from civicpulse.enrich import run as runner
from civicpulse.enrich.mentions import STAGE as MENTIONS
from civicpulse.enrich.stage import Stage, StageContext
from civicpulse.enrich.workers import StagePool, shippable
from civicpulse.periods import parse_week
from civicpulse.store.home import Home
from tests.conftest import engine_of
from tests.enrich.test_run import _posts, _rows

NONE = Settings(e5_scope="none")


@pytest.fixture(autouse=True)
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from a directory without a data home or config, with no ``CIVICPULSE_*`` variable set."""
    for name in Settings.model_fields:
        monkeypatch.delenv(f"CIVICPULSE_{name.upper()}", raising=False)
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return cwd


def _configure(home: Home, text: str) -> None:
    (home.path / "config.toml").write_text(text, encoding="utf-8")


def _versions(home: Home, settings: Settings) -> dict[str, str]:
    stages = pipeline.installed()
    ordered = pipeline.order(stages, list(stages))
    return pipeline.effective_versions(ordered, stages, StageContext(home.registry(), settings))


def _cli(home: Home, *args: str) -> str:
    result = CliRunner().invoke(app, ["--home", str(home.path), *args])
    assert result.exit_code == 0, result.output
    return result.output


def _scope_probe(context: StageContext) -> Callable[[pa.RecordBatch], pa.RecordBatch]:
    scope = context.settings.e5_scope

    def probe(batch: pa.RecordBatch) -> pa.RecordBatch:
        return pa.RecordBatch.from_arrays([pa.array([scope] * batch.num_rows, pa.string())], names=["scope"])

    return probe


PROBE = Stage(
    name="probe",
    version="1",
    requires=("text",),
    produces=pa.schema([("scope", pa.string())]),
    prepare=_scope_probe,
    fingerprint=lambda context: context.settings.e5_scope,
    description="Writes the e5 scope its context carries (module level, so worker processes can take it).",
)


def test_the_e5_scope_of_the_home_config_is_the_fingerprint_of_enrich_and_its_dry_run(
    home: Home, load: Callable[..., Any]
) -> None:
    _configure(home, 'e5_scope = "none"\n')
    load(_posts())
    none, default = _versions(home, NONE), _versions(home, Settings())
    for name in ("sentiment", "topics"):
        assert none[name] != default[name]
    output = _cli(home, "enrich", "--workers", "1")
    assert f"sentiment {none['sentiment']}: 6 post(s)" in output
    assert f"topics {none['topics']}: 6 post(s)" in output
    dry = _cli(home, "enrich", "--dry-run")
    assert "sentiment: 0 post(s) to process" in dry and "topics: 0 post(s) to process" in dry
    # changing the scope in the home's config.toml re-runs sentiment and topics, and only them
    _configure(home, 'e5_scope = "all"\n')
    dry = _cli(home, "enrich", "--dry-run")
    assert "sentiment: 6 post(s) to process" in dry and "topics: 6 post(s) to process" in dry
    assert "mentions: 0 post(s) to process" in dry and "language: 0 post(s) to process" in dry


def test_the_runner_and_its_worker_processes_use_the_settings_of_the_home(
    home: Home, load: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[int] = []

    class CountedPool(StagePool):
        def map(self, stage: Stage, chunks: Any) -> Any:
            started.append(self.workers)
            return super().map(stage, chunks)

    monkeypatch.setattr(runner, "StagePool", CountedPool)
    _configure(home, 'e5_scope = "none"\n')
    load(_posts())
    stages = {**pipeline.installed(), "probe": PROBE}
    reports = {r.stage: r for r in runner.run(home, stages=stages, workers=2, batch_size=2)}
    assert started and set(started) == {2}  # the batches went to worker processes
    assert {r["scope"] for r in _rows(home, PROBE).values()} == {"none"}  # what the workers' context carried
    none = _versions(home, NONE)
    assert reports["sentiment"].version == none["sentiment"] and reports["topics"].version == none["topics"]
    assert runner.needs(engine_of(home), pipeline.installed()) == dict.fromkeys(pipeline.installed(), 0)


def test_settings_given_win_over_the_home_config(home: Home, load: Callable[..., Any]) -> None:
    _configure(home, 'e5_scope = "none"\n')
    load(_posts())
    runner.run(home, stages={"probe": PROBE}, workers=1, settings=Settings(e5_scope="all"))
    assert {r["scope"] for r in _rows(home, PROBE).values()} == {"all"}


def test_the_stage_context_carries_settings_and_pickles(home: Home, elsewhere: Path) -> None:
    context = StageContext(home.registry(), NONE)
    again = pickle.loads(pickle.dumps(context))
    assert again.settings == NONE and again.registry == context.registry
    assert shippable([*pipeline.installed().values()], context)
    # without settings, a library caller gets the defaults (and CIVICPULSE_* variables), never a file
    # found from the current directory
    (elsewhere / "civicpulse-home").mkdir()
    (elsewhere / "civicpulse-home" / "config.toml").write_text('e5_scope = "all"\n', encoding="utf-8")
    assert StageContext(home.registry()).settings.e5_scope == "mentions"


def test_flags_detect_gives_the_window_stages_the_settings_of_the_home(
    home: Home, load: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _configure(home, 'e5_scope = "none"\nlang = "az"\n')
    load(_posts())
    seen: list[Settings] = []

    def record(given: window.WindowInput) -> window.Flagged:
        seen.append(given.settings)
        assert given.context.settings == given.settings and given.context.registry == given.registry
        rows = given.posts.num_rows
        return window.Flagged([[] for _ in range(rows)], [[] for _ in range(rows)])

    probe = window.WindowStage("probe", "1", (), record, "records the settings it sees")
    period = parse_week("2024-W10", home.registry().timezone)
    window.run(home, period, stages={"probe": probe})
    assert [(s.e5_scope, s.lang) for s in seen] == [("none", "az")]

    given: dict[str, Any] = {}
    real = window.run

    def spy(*args: Any, **kwargs: Any) -> list[window.WindowRun]:
        given.update(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(flags_cli.window, "run", spy)
    _cli(home, "flags", "detect", "--week", "2024-W10", "--stage", "floods")
    assert given["settings"].e5_scope == "none" and given["settings"].home == home.path


def test_eval_runs_with_the_settings_of_the_home(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    _configure(home, 'e5_scope = "none"\n')
    monkeypatch.setattr(pipeline, "installed", lambda: {"mentions": MENTIONS})
    given: list[Settings] = []
    real = evaluate.run

    def spy(*args: Any, **kwargs: Any) -> list[evaluate.EvalRow]:
        given.append(kwargs["settings"])
        return real(*args, **kwargs)

    monkeypatch.setattr(enrich_cli.evaluate, "run", spy)
    assert "mentions" in _cli(home, "eval", "--stage", "mentions")
    assert [s.e5_scope for s in given] == ["none"]
    # and the corpus hands them to the stages it runs
    assert evaluate.Corpus([], evaluate.bundled_registry(), NONE).context.settings == NONE
