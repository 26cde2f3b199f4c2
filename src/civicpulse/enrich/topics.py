"""The ``topics`` stage: citizen complaint categories, and work or life for posts of personal accounts.

Labels (:data:`civicpulse.enrich.stage.TOPICS`): ``roads``, ``utilities``, ``heating_water``,
``transport``, ``housing``, ``healthcare``, ``education``, ``ecology``, ``social_support``,
``corruption``, ``public_safety`` (the likeliest of them or ``other``, plus any other whose
probability reaches 0.3, :data:`civicpulse.enrich.heads.SECOND_TOPIC`), and, for posts of an
account whose registry role is ``personal`` (a head's own page; comments on it
are other people's and do not count), exactly one of ``official_work`` and ``personal_life``:
the persons rating's ``life_share`` counts the latter. A message with none of these is
``other``; a text without words gets no topic.

The models and the e5 scope are those of the ``sentiment`` stage (see its docstring).
"""

from __future__ import annotations

import pyarrow as pa

from civicpulse.enrich import heads, sentiment
from civicpulse.enrich.evaluate import Corpus, EvalRow
from civicpulse.enrich.stage import STANDARD, BatchFunction, Stage, StageContext

VERSION = "1"


def personal_accounts(context: StageContext) -> frozenset[tuple[str, str]]:
    """(platform, account id) of every registry account whose role is ``personal``."""
    return frozenset((a.platform, a.id) for a in context.registry.accounts if a.role == "personal")


def _fingerprint(context: StageContext) -> str:
    accounts = ",".join(f"{p}:{a}" for p, a in sorted(personal_accounts(context)))
    return f"{sentiment.fingerprint(context)} personal={accounts}"


def _prepare(context: StageContext) -> BatchFunction:
    models, scope = sentiment.models_of(context)
    personal = personal_accounts(context)
    list_type = STANDARD["topics"]

    def topics(batch: pa.RecordBatch) -> pa.RecordBatch:
        column = batch.column
        own = [
            (platform, account) in personal and kind != "comment" and author in (None, "", account)
            for platform, account, author, kind in zip(
                column("platform").to_pylist(),
                column("account").to_pylist(),
                column("author").to_pylist(),
                column("kind").to_pylist(),
                strict=True,
            )
        ]
        found = heads.classify_topics(models, column("text").to_pylist(), column("entities").to_pylist(), own, scope)
        return pa.RecordBatch.from_arrays([pa.array(found, type=list_type)], names=["topics"])

    return topics


def _evaluate(corpus: Corpus) -> list[EvalRow]:
    models, _ = sentiment.models_of(corpus.context)
    rows = sentiment.evaluation(sentiment.corpus_split(corpus), models.directory)
    return [r for r in rows if r.stage.startswith("topics")]


STAGE = Stage(
    name="topics",
    version=VERSION,
    requires=("text", "entities", "platform", "account", "author", "kind"),
    produces=pa.schema([pa.field("topics", STANDARD["topics"])]),
    prepare=_prepare,
    fingerprint=_fingerprint,
    description="Complaint topics (roads, utilities, heating and water, transport, housing, healthcare, education, "
    "ecology, social support, corruption, public safety); official work or personal life on heads' own posts.",
    languages=("ru", "kk", "az"),
    evaluate=_evaluate,
)
