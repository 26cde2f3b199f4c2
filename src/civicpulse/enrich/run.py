"""``civicpulse enrich``: run the stages over the posts that need them.

A post needs a stage when the latest observation of the post has no result of that stage with
the stage's current effective version and the MD5 of the post's current text. So a first run
enriches everything, a second run does nothing, a new import enriches only the new posts (and
posts whose text was edited), and a new stage version (or an edited alias) re-runs that stage
and the stages that depend on it.

Stages run in dependency order, each as its own lake batch (``kind = enrich``) committed when the
stage is done; a stage reads the committed results of the stages it depends on. The selection
and the reading run in DuckDB, in key order; stage functions get Arrow batches of ``batch_size``
posts. When a stage has more than one batch to do, the batches go to ``workers`` processes
(:mod:`civicpulse.enrich.workers`) and their results are written in order, so the stored rows are
the same as with one process; a smaller run stays in the calling process, where starting workers
would cost more than it saves. The stage functions are also the unit a distributed runner
(Spark's ``mapInArrow``) would take as they are.

Stages get the registry and the settings in force in their
:class:`~civicpulse.enrich.stage.StageContext` (the same context in the worker processes): the
settings given, else those of the home the run works on (``CIVICPULSE_*`` variables, then
``<home>/config.toml``), whatever the current directory.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass

import ibis.expr.types as ir
import pyarrow as pa

from civicpulse.config import Settings, home_settings
from civicpulse.enrich import pipeline
from civicpulse.enrich.read import KEY, stage_rows
from civicpulse.enrich.stage import BatchFunction, Stage, StageContext, check_output
from civicpulse.enrich.workers import StagePool, shippable
from civicpulse.query.engine import Engine, connect
from civicpulse.records.schema import POSTS
from civicpulse.store.home import Home

BATCH_SIZE = 8192
MAX_WORKERS = 4
"""Default cap on worker processes: each holds its own models (a few hundred MB with the encoder)."""
Progress = Callable[[str, int, int], None]
"""Called with (stage name, posts done so far, posts to do)."""


@dataclass(frozen=True)
class StageRun:
    """What one stage did in one run."""

    stage: str
    version: str
    todo: int
    batch: int | None
    seconds: float

    @property
    def per_second(self) -> float | None:
        return self.todo / self.seconds if self.todo and self.seconds > 0 else None


def text_md5(text: ir.StringValue) -> ir.StringValue:
    """The first 16 hex digits of the MD5 of ``text`` (empty text for a null one)."""
    return text.fill_null("").hexdigest("md5").substr(0, 16)


def todo(engine: Engine, stage: Stage, version: str, stages: Mapping[str, Stage]) -> ir.Table:
    """The posts ``stage`` must (re)process at ``version``, with its required columns, key and ``text_md5``."""
    posts = engine.latest(engine.table("posts"), KEY)
    post_columns = [c for c in stage.requires if c in POSTS.names and c not in KEY]
    base = posts.select(*KEY, *post_columns, text_md5=text_md5(posts.text))
    made = pipeline.producers(stages)
    for dep in pipeline.upstream(stage, stages):
        wanted = [c for c in stage.requires if made.get(c) == dep]
        rows = stage_rows(engine, stages[dep]).select(*KEY, *wanted)
        base = base.left_join(rows, list(KEY)).drop("platform_right", "id_right")
    done = stage_rows(engine, stage)
    done = done.filter(done.version == version).select(*KEY, "text_md5")
    return base.anti_join(done, [*KEY, "text_md5"])


def default_workers() -> int:
    """Worker processes when none are asked for: one per core, at most :data:`MAX_WORKERS`."""
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def run(
    home: Home,
    selected: Sequence[str] | None = None,
    *,
    stages: Mapping[str, Stage] | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    workers: int | None = None,
    settings: Settings | None = None,
) -> list[StageRun]:
    """Run ``selected`` stages (default: every default stage) and what they depend on; returns one report per stage.

    ``workers`` (default :func:`default_workers`) processes share the batches of a stage that has
    more than one; ``workers=1`` keeps everything in this process. The stored results do not depend on it.
    ``settings`` (default: those of ``home``, :func:`civicpulse.config.home_settings`) reach every stage
    through its context.
    """
    stages = pipeline.installed() if stages is None else stages
    pipeline.check_pipeline(stages)
    names = list(selected) if selected else [s.name for s in stages.values() if s.default]
    ordered = pipeline.order(stages, names)
    registry = home.registry()
    context = StageContext(registry, home_settings(home.path) if settings is None else settings)
    versions = pipeline.effective_versions(ordered, stages, context)
    workers = default_workers() if workers is None else workers
    if workers < 1:
        raise ValueError("workers must be at least 1")
    reports = []
    pool: StagePool | None = None
    with ExitStack() as cleanup:
        for stage in ordered:
            started = time.perf_counter()
            # a fresh data cut per stage: it sees what the stages before it have just committed
            engine = Engine(connect("duckdb"), home.lake.cut(), registry)
            version = versions[stage.name]
            pending = todo(engine, stage, version, stages)
            total = int(engine.con.to_pyarrow(pending.count()).as_py())
            if progress is not None:
                progress(stage.name, 0, total)
            if total == 0:
                reports.append(StageRun(stage.name, version, 0, None, time.perf_counter() - started))
                continue
            # started once, for the first stage with batches to share, and kept for the stages after it
            if pool is None and workers > 1 and total > batch_size and shippable(ordered, context):
                pool = cleanup.enter_context(StagePool(ordered, context, workers))
            batch_id = _run_stage(home, engine, stage, version, pending, total, batch_size, context, progress, pool)
            reports.append(StageRun(stage.name, version, total, batch_id, time.perf_counter() - started))
    return reports


def _results(
    stage: Stage, chunks: Iterator[pa.RecordBatch], context: StageContext, pool: StagePool | None
) -> Iterator[tuple[pa.RecordBatch, pa.RecordBatch]]:
    """``(chunk, produced)`` in order: in the pool's workers, or here."""
    if pool is not None:
        yield from pool.map(stage, chunks)
        return
    function = stage.prepare(context)
    for chunk in chunks:
        yield chunk, check_output(stage, function(chunk.select(list(stage.requires))), chunk.num_rows)


def _run_stage(
    home: Home,
    engine: Engine,
    stage: Stage,
    version: str,
    pending: ir.Table,
    total: int,
    batch_size: int,
    context: StageContext,
    progress: Progress | None,
    pool: StagePool | None = None,
) -> int:
    schema = pipeline.table_schema(stage)
    done = 0
    with home.lake.begin("enrich", f"stage {stage.name} {version}") as batch:
        # key order: the same posts fall in the same batch for every stage (see civicpulse.enrich.workers)
        stream = engine.con.to_pyarrow_batches(pending.order_by(list(KEY)), chunk_size=batch_size)
        chunks = (chunk for chunk in stream if chunk.num_rows)
        for chunk, produced in _results(stage, chunks, context, pool):
            first = batch.next_seq(chunk.num_rows)
            columns = [
                chunk.column("platform"),
                chunk.column("id"),
                chunk.column("text_md5"),
                pa.array([version] * chunk.num_rows, type=pa.string()),
                *produced.columns,
                pa.array([batch.id] * chunk.num_rows, type=pa.int64()),
                pa.array(range(first, first + chunk.num_rows), type=pa.int64()),
            ]
            batch.write(stage.table, pa.RecordBatch.from_arrays(columns, schema=schema), schema=schema)
            done += chunk.num_rows
            if progress is not None:
                progress(stage.name, done, total)
        batch.commit({stage.table: done})
    return batch.id


def apply_chain(stages: Sequence[Stage], functions: Sequence[BatchFunction], batch: pa.RecordBatch) -> pa.RecordBatch:
    """Run prepared stage ``functions`` (in dependency order) over one batch in memory: each stage sees
    the batch's columns plus everything the stages before it produced. Returns all those columns.

    This is the whole pipeline as one function of a batch: what a distributed runner would map
    over its partitions (Spark's ``mapInArrow``) instead of committing stage by stage."""
    current = batch
    for stage, function in zip(stages, functions, strict=True):
        produced = check_output(stage, function(current.select(list(stage.requires))), current.num_rows)
        names = [*current.schema.names, *produced.schema.names]
        current = pa.RecordBatch.from_arrays([*current.columns, *produced.columns], names=names)
    return current


def needs(
    engine: Engine, stages: Mapping[str, Stage] | None = None, *, settings: Settings | None = None
) -> dict[str, int]:
    """How many posts each installed stage would process now (``civicpulse enrich --dry-run``), with
    ``settings`` (default: those of the home the engine reads, :func:`civicpulse.config.home_settings`)."""
    stages = pipeline.installed() if stages is None else stages
    ordered = pipeline.order(stages, list(stages))
    settings = home_settings(engine.cut.home) if settings is None else settings
    versions = pipeline.effective_versions(ordered, stages, StageContext(engine.registry, settings))
    return {
        s.name: int(engine.con.to_pyarrow(todo(engine, s, versions[s.name], stages).count()).as_py()) for s in ordered
    }
