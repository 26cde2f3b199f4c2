"""Enrichment throughput: each stage, the whole default pipeline, and the alias automaton alone (the limit).

``main(quick)`` prints messages per second on the labelled corpus's messages, repeated and
varied (emoji, case, a suffix of ordinary words), for:

- ``automaton``: the Aho-Corasick automaton of every alias form scanning the lower-cased texts,
  nothing else: the limit any mention linking can reach;
- ``language`` and ``mentions``: each stage's batch function alone (Arrow batches of 8,192);
- ``pipeline``: both in a row in one process, and on two processes (``pipeline x2``, the
  machine's two cores, each process running the stages over its share of the batches);
- ``installed``: every default stage the installed plugins provide (sentiment and topics too,
  when installed), chained in memory, one process;
- ``enrich``: ``civicpulse enrich`` end to end on a fresh data home (DuckDB selection of the posts
  to do, every installed default stage, Parquet writes, commits), on two worker processes
  (``--workers 2``) with ``e5_scope = "none"``: the linear sentiment and topics heads read every
  message, e5 reads none. This is the figure the target applies to. ``bench.models`` measures
  what e5 costs on top, by the share of messages it reads.

Each figure is printed with its ratio to the automaton. Run inside ``python -m bench`` or alone:
``python -m bench.enrich [--quick]``.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pyarrow as pa
import yaml

from civicpulse.enrich import evaluate, pipeline
from civicpulse.enrich import run as runner
from civicpulse.enrich.language import STAGE as LANGUAGE
from civicpulse.enrich.mentions import STAGE as MENTIONS
from civicpulse.enrich.mentions import matcher_for
from civicpulse.enrich.stage import BatchFunction, StageContext
from civicpulse.importers.base import run_import
from civicpulse.importers.canonical import CanonicalJsonl
from civicpulse.records.schema import POSTS
from civicpulse.registry.loader import RegistryText
from civicpulse.registry.models import Registry
from civicpulse.store.home import Home

TARGET = 5_000
BATCH = runner.BATCH_SIZE
SCOPE = "CIVICPULSE_E5_SCOPE"
_TAILS = ["", "", " 👍", " !!!", " ну и дела", " рахмет", " təşəkkürlər", " #Атырау", " когда уже?", " 😡😡"]


def texts(count: int, seed: int = 7) -> list[str]:
    """``count`` corpus messages, varied so that repeats are not identical strings."""
    base = [i.text for i in evaluate.load()]
    rng = random.Random(seed)
    out = []
    for n in range(count):
        text = base[n % len(base)] + rng.choice(_TAILS)
        out.append(text.lower() if rng.random() < 0.1 else text)
    return out


def _batches(items: Sequence[str]) -> list[pa.RecordBatch]:
    return [
        pa.RecordBatch.from_pydict({"text": pa.array(items[i : i + BATCH], pa.string())})
        for i in range(0, len(items), BATCH)
    ]


def _best(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def _post_batch(items: Sequence[str]) -> pa.RecordBatch:
    """``items`` as a batch with every post column (stages may require more than the text)."""
    n = len(items)
    when = pa.array([1_709_618_400_000_000] * n, pa.timestamp("us", tz="UTC"))
    columns = {
        "platform": pa.array(["vk"] * n), "id": pa.array([str(i) for i in range(n)]), "account": pa.array(["-1"] * n),
        "author": pa.array([str(i % 997) for i in range(n)]), "published_at": when, "text": pa.array(list(items)),
        "kind": pa.array(["post"] * n), "likes": pa.array([i % 7 for i in range(n)], pa.int64()),
        "comments": pa.array([0] * n, pa.int64()), "reposts": pa.array([0] * n, pa.int64()), "observed_at": when,
    }  # fmt: skip
    fields = [f for f in POSTS if f.name not in ("_batch", "_seq")]
    arrays = [columns[f.name] if f.name in columns else pa.nulls(n, f.type) for f in fields]
    return pa.RecordBatch.from_arrays(arrays, schema=pa.schema(fields))


_WORKER: list[BatchFunction] = []


def _worker_init() -> None:
    context = StageContext(evaluate.bundled_registry())
    _WORKER[:] = [LANGUAGE.prepare(context), MENTIONS.prepare(context)]


def _worker_run(batch: pa.RecordBatch) -> int:
    for function in _WORKER:
        function(batch)
    return batch.num_rows


def _enrich_end_to_end(items: Sequence[str]) -> float:
    """Seconds of ``civicpulse enrich`` (every default stage, two workers, no e5) over ``items`` in a fresh home."""
    folder = Path(tempfile.mkdtemp(prefix="bench-enrich-"))
    try:
        home = Home(folder / "home")
        registry = evaluate.bundled_registry()
        home.save_registry(RegistryText(_registry_yaml(registry), "bench"))
        source = folder / "posts.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for n, text in enumerate(items):
                record = {"record": "post", "platform": "vk", "id": str(n), "account": "-1", "author": str(n % 997),
                          "published_at": "2024-03-05T10:00:00+05:00", "text": text, "likes": n % 7, "comments": 0,
                          "reposts": 0}  # fmt: skip
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        run_import(home, source, CanonicalJsonl())
        before = os.environ.get(SCOPE)
        os.environ[SCOPE] = "none"  # read by the stages here and in the workers they start
        try:
            started = time.perf_counter()
            runner.run(home, workers=2)
            return time.perf_counter() - started
        finally:
            if before is None:
                os.environ.pop(SCOPE, None)
            else:
                os.environ[SCOPE] = before
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _registry_yaml(registry: Registry) -> str:
    """The bundled registries as one YAML file."""
    data = registry.model_dump(mode="json", exclude_none=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def main(quick: bool = False) -> dict[str, float]:
    """Measure and print; returns messages per second by path."""
    count = 16_384 if quick else 131_072
    repeat = 1 if quick else 3
    items = texts(count)
    batches = _batches(items)
    context = StageContext(evaluate.bundled_registry())
    matcher = matcher_for(context)
    language = LANGUAGE.prepare(context)
    mentions = MENTIONS.prepare(context)
    automaton = matcher.automaton

    def scan() -> None:
        for _ in automaton.iter("\n".join(items).lower()):
            pass

    def run_all(functions: Sequence[BatchFunction]) -> Callable[[], None]:
        def go() -> None:
            for batch in batches:
                for function in functions:
                    function(batch)

        return go

    print(f"enrichment throughput on {count:,} corpus messages (batches of {BATCH:,}):", flush=True)
    figures: dict[str, float] = {}

    def record(name: str, value: float) -> None:
        figures[name] = value
        print(f"  {name:12s} {value:>12,.0f} msg/s   {value / figures['automaton']:.3f} of the automaton", flush=True)

    record("automaton", count / _best(scan, repeat))
    record("language", count / _best(run_all([language]), repeat))
    record("mentions", count / _best(run_all([mentions]), repeat))
    record("pipeline", count / _best(run_all([language, mentions]), repeat))
    with multiprocessing.get_context("fork").Pool(2, initializer=_worker_init) as pool:
        pool.map(_worker_run, batches[:2])  # warm up both workers

        def parallel() -> None:
            pool.map(_worker_run, batches, chunksize=1)

        record("pipeline x2", count / _best(parallel, repeat))
    end_to_end = items[: 8_192 if quick else count]
    record("enrich", len(end_to_end) / _enrich_end_to_end(end_to_end))
    installed = pipeline.installed()
    chain = pipeline.order(installed, [s.name for s in installed.values() if s.default])
    if [s.name for s in chain] != ["language", "mentions"]:
        # other stages (sentiment, topics...) may be far slower: a sample is enough
        functions = [s.prepare(context) for s in chain]
        sample = [_post_batch(items[: 256 if quick else 2_048])]
        runner.apply_chain(chain, functions, _post_batch(items[:8]))  # models that load lazily load here
        seconds = _best(lambda: [runner.apply_chain(chain, functions, b) for b in sample], 1)
        print(f"  installed default stages: {', '.join(s.name for s in chain)}", flush=True)
        record("installed", sum(b.num_rows for b in sample) / seconds)
    verdict = "met" if figures["enrich"] >= TARGET else "NOT met"
    print(
        f"  target: civicpulse enrich, every default stage (e5_scope none), >= {TARGET:,} msg/s on 2 cores:"
        f" {figures['enrich']:,.0f} ({verdict}); e5's cost on top: python -m bench models",
        flush=True,
    )
    return figures


if __name__ == "__main__":
    main("--quick" in sys.argv[1:])
