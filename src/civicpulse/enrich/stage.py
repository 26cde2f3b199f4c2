"""The enrichment stage contract and the columns stages agree on.

A stage has a name, a version, the columns it requires and the columns it produces, and a pure
function over Arrow record batches: it receives a batch holding (at least) the required columns
and returns a batch of the produced columns, one row per input row, in the same order. Nothing
else: no lake, no engine, no global state, so the same function runs in ``civicpulse enrich``,
in the benchmark, in ``civicpulse eval`` and, unchanged, inside Spark's ``mapInArrow``.

What a function needs beyond its batch (the registry's aliases, a trained model, a setting such
as ``e5_scope``) it builds once in ``prepare(context)`` from the :class:`StageContext`: the
registry and the settings in force (``civicpulse.config.Settings``, those the command line
resolved for the data home in use). Whatever shapes its output besides the post's text must show
in its version: ``fingerprint(context)`` is folded into the *effective version* (e.g. the mentions
stage hashes the aliases, so editing the registry re-runs it; sentiment and topics the e5 scope),
and so are the effective versions of the stages it depends on. A result is reused while the
post's text and the effective version are unchanged (see ``civicpulse.enrich.run``).

Required columns are either post columns (``records/schema.py`` ``POSTS``: ``text``, ``platform``,
``account``, ``author``, ``kind``...) or columns another stage produces; the runner orders stages
so that producers run first.

Standard output columns (:data:`STANDARD`): a stage that produces one of these names must use its
type, so metrics, ``explain`` and ``export posts`` read any implementation the same way:

``lang``             ISO 639-1 code (ru, kk, az, en, tr, uz, ky) or null when the text has no letters
``lang_score``       confidence of ``lang`` in [0, 1]
``entities``         ids of the registry entities the text mentions (the institution, never a bare place)
``matches``          the normalised alias form that matched, one per entity, parallel to ``entities``
``sentiment``        ``positive``, ``neutral`` or ``negative``
``sentiment_score``  confidence of ``sentiment`` in [0, 1]
``topics``           topic labels (see ``TOPICS``)
``flags``            reasons not to count the post as "what people say" (``coordinated``, ``spam``,
                     ``bot_author``, ``duplicate``...)
``flag_reasons``     one human-readable reason per flag, parallel to ``flags``
``cleared_flags``    flags an analyst has overridden for this post (they are removed when reading)

Single-valued columns (all but the three flag columns) may be produced by one installed stage
only; any number of stages may produce flags, and reading merges them (``civicpulse.enrich.read``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

import pyarrow as pa

from civicpulse.config import Settings
from civicpulse.errors import ConfigError
from civicpulse.registry.models import Registry

if TYPE_CHECKING:  # evaluation imports stages, not the other way round
    from civicpulse.enrich.evaluate import Corpus, EvalRow

BatchFunction = Callable[[pa.RecordBatch], pa.RecordBatch]
"""Maps a batch holding the required columns to a batch of the produced columns, row for row."""

SENTIMENTS: Final = ("positive", "neutral", "negative")
TOPICS: Final = (
    "roads",
    "utilities",
    "heating_water",
    "transport",
    "housing",
    "healthcare",
    "education",
    "ecology",
    "social_support",
    "corruption",
    "public_safety",
    "official_work",
    "personal_life",
    "other",
)
"""Topic labels of the labelled corpus and of the topics stage (citizen complaint categories, plus
``official_work`` / ``personal_life`` for posts of personal accounts)."""

_STRINGS = pa.list_(pa.string())
STANDARD: Final[dict[str, pa.DataType]] = {
    "lang": pa.string(),
    "lang_score": pa.float32(),
    "entities": _STRINGS,
    "matches": _STRINGS,
    "sentiment": pa.string(),
    "sentiment_score": pa.float32(),
    "topics": _STRINGS,
    "flags": _STRINGS,
    "flag_reasons": _STRINGS,
    "cleared_flags": _STRINGS,
}
MERGED: Final = ("flags", "flag_reasons", "cleared_flags")
"""Standard columns that several stages may produce; reading concatenates them."""
EXPORTED: Final = ("lang", "entities", "sentiment", "sentiment_score", "topics", "flags", "flag_reasons")
"""The enrichment columns ``export posts`` adds to every post."""


@dataclass(frozen=True)
class StageContext:
    """What ``prepare`` and ``fingerprint`` may use: the registry and the settings in force.

    Picklable: :mod:`civicpulse.enrich.workers` sends it to worker processes as it is, so a worker
    runs with the settings of the calling process, never with those of its own environment.
    """

    registry: Registry
    settings: Settings = field(default_factory=Settings)
    """The settings in force. ``civicpulse enrich``, ``flags detect`` and ``eval`` pass the ones the command
    line resolved (``--home``, ``CIVICPULSE_*``, ``<home>/config.toml``); :func:`civicpulse.enrich.run.run`
    those of the home it runs on; left out, the defaults overridden by ``CIVICPULSE_*`` variables."""


@dataclass(frozen=True)
class Stage:
    """One enrichment stage; see the module docstring for the contract."""

    name: str
    version: str
    requires: tuple[str, ...]
    produces: pa.Schema
    prepare: Callable[[StageContext], BatchFunction]
    description: str
    fingerprint: Callable[[StageContext], str] | None = None
    default: bool = True
    """Part of the default pipeline (``civicpulse enrich`` with no ``--stage``)."""
    languages: tuple[str, ...] = field(default=())
    """Languages the stage is built for (informational; empty means any)."""
    evaluate: Callable[[Corpus], list[EvalRow]] | None = None
    """Its rows in ``civicpulse eval``: precision, recall, F1 on the labelled corpus (see ``enrich.evaluate``)."""

    @property
    def table(self) -> str:
        """The lake table holding this stage's results."""
        return f"enrich_{self.name}"

    def effective_version(self, context: StageContext, upstream: dict[str, str]) -> str:
        """``version`` plus a hash of the fingerprint and the effective versions of ``upstream`` stages."""
        parts = [self.fingerprint(context)] if self.fingerprint else []
        parts += [f"{name}={version}" for name, version in sorted(upstream.items())]
        if not parts:
            return self.version
        digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]
        return f"{self.version}+{digest}"


def check_stage(stage: Stage) -> None:
    """Raise :class:`ConfigError` when ``stage`` breaks the contract's static rules."""
    if not stage.name.isidentifier() or stage.name != stage.name.lower():
        raise ConfigError(f"stage name {stage.name!r} must be a lowercase identifier")
    if len(stage.produces) == 0:
        raise ConfigError(f"stage {stage.name} produces no column")
    for column in stage.produces:
        expected = STANDARD.get(column.name)
        if expected is not None and not column.type.equals(expected):
            raise ConfigError(f"stage {stage.name}: column {column.name} must be {expected}, not {column.type}")
        if column.name in ("platform", "id", "version", "text_md5"):
            raise ConfigError(f"stage {stage.name}: column name {column.name!r} is reserved")
    if "flags" in stage.produces.names and "flag_reasons" not in stage.produces.names:
        raise ConfigError(f"stage {stage.name} produces flags without flag_reasons")


def check_output(stage: Stage, batch: pa.RecordBatch, rows: int) -> pa.RecordBatch:
    """``batch`` as the stage's produced schema; raises :class:`ConfigError` if it is not one row per input row."""
    if batch.num_rows != rows:
        raise ConfigError(f"stage {stage.name} returned {batch.num_rows} rows for {rows}")
    missing = [name for name in stage.produces.names if name not in batch.schema.names]
    if missing:
        raise ConfigError(f"stage {stage.name} did not return {', '.join(missing)}")
    columns = [batch.column(name).cast(stage.produces.field(name).type) for name in stage.produces.names]
    return pa.RecordBatch.from_arrays(columns, schema=stage.produces)
