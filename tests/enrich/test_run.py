"""``civicpulse enrich``: incremental runs, versions, dependencies, invisible until committed, reading."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from civicpulse.enrich import pipeline, read
from civicpulse.enrich import run as runner
from civicpulse.enrich.language import STAGE as LANGUAGE
from civicpulse.enrich.mentions import STAGE as MENTIONS
from civicpulse.enrich.stage import STANDARD, Stage, StageContext
from civicpulse.enrich.workers import StagePool
from civicpulse.errors import ConfigError
from civicpulse.registry.loader import RegistryText, parse
from civicpulse.store.home import Home
from tests.conftest import engine_of, post
from tests.enrich.conftest import REGISTRY


def _posts() -> list[dict[str, Any]]:
    return [
        post(
            "vk", "1", "-9", "2024-03-05T10:00:00+05:00", 5, 1, 0, text="Спасибо акимату Атырауской области", author="5"
        ),
        post(
            "vk", "2", "-9", "2024-03-05T11:00:00+05:00", 2, 0, 1, text="Атырау облысы әкімдігіне рахмет!", author="6"
        ),
        post("vk", "3", "-9", "2024-03-06T11:00:00+05:00", text="в Атырау опять нет воды", author="7"),
        post("vk", "4", "-1", "2024-03-06T12:00:00+05:00", text="Акимат Атырауской области сообщает"),
        post("vk", "5", "-2", "2024-03-06T12:00:00+05:00", text="Реклама: акимат Мангистауской области", author="8"),
        post("vk", "6", "-3", "2024-03-06T13:00:00+05:00", text="Новости: акимат Мангистауской области", author="-1"),
    ]


def _rows(home: Home, stage: Stage) -> dict[str, dict[str, Any]]:
    engine = engine_of(home)
    return {r["id"]: r for r in engine.to_pylist(read.stage_rows(engine, stage))}


def test_first_run_enriches_everything_second_run_nothing(home: Home, load: Callable[..., Any]) -> None:
    load(_posts())
    first = runner.run(home)
    assert [(r.stage, r.todo) for r in first] == [("language", 6), ("mentions", 6), ("sentiment", 6), ("topics", 6)]
    rows = _rows(home, MENTIONS)
    assert rows["1"]["entities"] == ["kz-atyrau"] and rows["2"]["entities"] == ["kz-atyrau"]
    assert rows["3"]["entities"] == []
    assert _rows(home, LANGUAGE)["2"]["lang"] == "kk"
    batches = len(home.lake.batches())
    assert [r.todo for r in runner.run(home)] == [0, 0, 0, 0]
    assert len(home.lake.batches()) == batches  # nothing written


def test_new_and_edited_posts_only(home: Home, load: Callable[..., Any]) -> None:
    load(_posts())
    runner.run(home)
    edited = post(
        "vk",
        "3",
        "-9",
        "2024-03-06T11:00:00+05:00",
        text="акимат Мангистауской области молчит",
        author="7",
        observed_at="2030-01-01T00:00:00+00:00",
    )
    fresh = post("vk", "7", "-9", "2024-03-07T11:00:00+05:00", text="hello")
    load([edited, fresh])
    again = runner.run(home)
    assert [r.todo for r in again] == [2, 2, 2, 2]
    assert _rows(home, MENTIONS)["3"]["entities"] == ["kz-mangystau"]


def test_a_new_registry_alias_reruns_mentions_but_not_language(home: Home, load: Callable[..., Any]) -> None:
    load(_posts())
    runner.run(home)
    text = RegistryText(
        REGISTRY.replace("[акимат Мангистауской области]", "[акимат Мангистауской области, Облакимат]"), "v2.yaml"
    )
    parse(text)
    home.save_registry(text)
    again = runner.run(home)
    # sentiment and topics read the mentions, so they follow
    assert [(r.stage, r.todo) for r in again] == [("language", 0), ("mentions", 6), ("sentiment", 6), ("topics", 6)]


def _upper(context: StageContext) -> Callable[[pa.RecordBatch], pa.RecordBatch]:
    def fn(batch: pa.RecordBatch) -> pa.RecordBatch:
        langs = batch.column("lang").to_pylist()
        flags = [["spam"] if lang == "kk" else [] for lang in langs]
        reasons = [[f"test: language {lang}"] if lang == "kk" else [] for lang in langs]
        return pa.RecordBatch.from_arrays(
            [pa.array(flags, STANDARD["flags"]), pa.array(reasons, STANDARD["flag_reasons"])],
            names=["flags", "flag_reasons"],
        )

    return fn


SPAM = Stage(
    name="kkspam",
    version="1",
    requires=("text", "lang"),
    produces=pa.schema([("flags", STANDARD["flags"]), ("flag_reasons", STANDARD["flag_reasons"])]),
    prepare=_upper,
    description="test: flags Kazakh posts",
)


def test_a_stage_reads_the_output_of_the_stage_it_depends_on(home: Home, load: Callable[..., Any]) -> None:
    load(_posts())
    stages = {"language": LANGUAGE, "mentions": MENTIONS, "kkspam": SPAM}
    reports = runner.run(home, ["kkspam"], stages=stages)
    assert [r.stage for r in reports] == ["language", "kkspam"]  # its producer first, mentions not needed
    assert _rows(home, SPAM)["2"]["flags"] == ["spam"]
    # its effective version follows its producer's
    changed = {**stages, "language": Stage(**{**LANGUAGE.__dict__, "version": "2"})}
    again = runner.run(home, ["kkspam"], stages=changed)
    assert [(r.stage, r.todo) for r in again] == [("language", 6), ("kkspam", 6)]


def test_flags_merge_stage_flags_and_registry_exclusions(home: Home, load: Callable[..., Any]) -> None:
    load(_posts())
    stages = {"language": LANGUAGE, "mentions": MENTIONS, "kkspam": SPAM}
    runner.run(home, stages=stages)
    engine = engine_of(home)
    posts = engine.latest(engine.table("posts"), ("platform", "id"))
    annotated = read.annotate(engine, posts, stages)
    rows = {r["id"]: r for r in engine.to_pylist(annotated.table)}
    assert rows["1"]["flags"] == [] and rows["1"]["lang"] == "ru" and rows["1"]["entities"] == ["kz-atyrau"]
    assert rows["2"]["flags"] == ["spam"]
    assert rows["4"]["flags"] == ["excluded_source"]  # the akimat's own page
    assert "official account of kz-atyrau" in rows["4"]["flag_reasons"][0]
    assert rows["5"]["flags"] == ["excluded_source"]  # paid media
    assert rows["6"]["flags"] == ["excluded_source"]  # written by the official account on a media page
    assert rows["6"]["flag_reasons"] == ["written by vk:-1: official account of kz-atyrau"]
    assert rows["1"]["sentiment"] is None
    assert any(n.startswith("sentiment:") for n in annotated.notes)


def test_cleared_flags_are_removed(home: Home, load: Callable[..., Any]) -> None:
    load(_posts())

    def clear(context: StageContext) -> Callable[[pa.RecordBatch], pa.RecordBatch]:
        def fn(batch: pa.RecordBatch) -> pa.RecordBatch:
            cleared = [["excluded_source"] if "Новости" in t else [] for t in batch.column("text").to_pylist()]
            return pa.RecordBatch.from_arrays([pa.array(cleared, STANDARD["cleared_flags"])], names=["cleared_flags"])

        return fn

    override = Stage("override", "1", ("text",), pa.schema([("cleared_flags", STANDARD["cleared_flags"])]), clear, "t")
    stages = {"language": LANGUAGE, "mentions": MENTIONS, "override": override}
    runner.run(home, stages=stages)
    engine = engine_of(home)
    posts = engine.latest(engine.table("posts"), ("platform", "id"))
    flags = {r["id"]: r["flag"] for r in engine.to_pylist(read.flags_long(engine, posts, stages))}
    assert "6" not in flags and flags["4"] == "excluded_source"


def test_results_are_invisible_until_the_stage_commits(home: Home, load: Callable[..., Any]) -> None:
    load(_posts())

    def broken(context: StageContext) -> Callable[[pa.RecordBatch], pa.RecordBatch]:
        def fn(batch: pa.RecordBatch) -> pa.RecordBatch:
            raise RuntimeError("model crashed")

        return fn

    bad = Stage(**{**MENTIONS.__dict__, "prepare": broken})
    with pytest.raises(RuntimeError):
        runner.run(home, stages={"language": LANGUAGE, "mentions": bad})
    assert read.has_run(engine_of(home), LANGUAGE)
    assert not read.has_run(engine_of(home), MENTIONS)
    assert [b.status for b in home.lake.batches(1)] == ["aborted"]


def test_contract_violations_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="requires 'nothing'"):
        pipeline.check_pipeline({"x": Stage(**{**MENTIONS.__dict__, "name": "x", "requires": ("nothing",)})})
    twin = Stage(**{**MENTIONS.__dict__, "name": "twin"})
    with pytest.raises(ConfigError, match="both produce"):
        pipeline.check_pipeline({"mentions": MENTIONS, "twin": twin})
    wrong = Stage(**{**LANGUAGE.__dict__, "produces": pa.schema([("lang", pa.int64())])})
    with pytest.raises(ConfigError, match="must be string"):
        pipeline.check_pipeline({"language": wrong})
    a = Stage(**{**SPAM.__dict__, "name": "a", "requires": ("b_col",), "produces": pa.schema([("a_col", pa.string())])})
    b = Stage(**{**SPAM.__dict__, "name": "b", "requires": ("a_col",), "produces": pa.schema([("b_col", pa.string())])})
    with pytest.raises(ConfigError, match="cycle"):
        pipeline.check_pipeline({"a": a, "b": b})


def test_builtin_stages_are_installed_through_the_plugin() -> None:
    stages = pipeline.installed()
    assert stages["language"] is LANGUAGE and stages["mentions"] is MENTIONS


def test_the_whole_chain_in_memory_gives_what_the_runner_stores(home: Home, load: Callable[..., Any]) -> None:
    load(_posts())
    stages = {"language": LANGUAGE, "mentions": MENTIONS, "kkspam": SPAM}
    runner.run(home, stages=stages)
    chain = pipeline.order(stages, ["mentions", "kkspam"])
    context = StageContext(home.registry())
    texts = [p["text"] for p in _posts()]
    batch = pa.RecordBatch.from_pydict({"text": pa.array(texts, pa.string())})
    out = runner.apply_chain(chain, [s.prepare(context) for s in chain], batch).to_pylist()
    stored = _rows(home, MENTIONS)
    assert [r["entities"] for r in out] == [stored[p["id"]]["entities"] for p in _posts()]
    assert [r["flags"] for r in out] == [_rows(home, SPAM)[p["id"]]["flags"] for p in _posts()]


def test_worker_processes_store_what_one_process_stores(
    home: Home, load: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[int] = []

    class CountedPool(StagePool):
        def map(self, stage: Stage, chunks: Any) -> Any:
            started.append(self.workers)
            return super().map(stage, chunks)

    monkeypatch.setattr(runner, "StagePool", CountedPool)
    load(_posts())
    twin = Home(tmp_path / "twin")
    shutil.copytree(home.path, twin.path)
    alone = runner.run(home, batch_size=2, workers=1)
    assert started == []
    shared = runner.run(twin, batch_size=2, workers=2)
    assert started == [2, 2, 2, 2]  # every stage's batches went to the two workers
    assert [(r.stage, r.todo) for r in shared] == [(r.stage, r.todo) for r in alone]
    for stage in (LANGUAGE, MENTIONS, *(pipeline.installed()[name] for name in ("sentiment", "topics"))):
        assert _rows(twin, stage) == _rows(home, stage), stage.name
        assert len(_rows(twin, stage)) == len(_posts())


def test_workers_must_be_positive(home: Home) -> None:
    with pytest.raises(ValueError, match="workers"):
        runner.run(home, workers=0)
