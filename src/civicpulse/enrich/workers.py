"""Stage functions in worker processes: how ``civicpulse enrich`` uses more than one core.

A stage function is pure and takes one Arrow batch (``civicpulse.enrich.stage``), so batches can
be computed anywhere; the stage functions are Python and hold the GIL, so threads would not help.
:class:`StagePool` starts ``workers`` processes (``spawn``: a fresh interpreter, safe whatever
threads DuckDB, Arrow or OpenMP run in the parent), hands each the run's stages and the stage
context once, and each prepares a stage the first time it gets one of its batches.

Batch ``i`` of every stage goes to worker ``i mod workers``. The runner streams a stage's posts in
key order, so when two stages process the same posts (the usual case: a first run, an import),
worker ``k`` sees the same texts for the sentiment stage and then for the topics stage, and the
encoder's cache of embeddings (``civicpulse.enrich.heads.Encoder``) serves the second one as it
does in a single process. At most two batches per worker are in flight, so memory stays bounded
whatever the number of posts, and results come back in the order the batches went out.

Each worker runs one OpenMP thread (``OMP_NUM_THREADS=1`` unless the environment says otherwise):
the workers already share the cores between them.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import replace
from types import TracebackType

import pyarrow as pa

from civicpulse.enrich.stage import BatchFunction, Stage, StageContext, check_output

IN_FLIGHT_PER_WORKER = 2

# the worker's state, set once by _start in each worker process
_stages: dict[str, Stage] = {}
_context: StageContext | None = None
_prepared: dict[str, BatchFunction] = {}


def _start(stages: Sequence[Stage], context: StageContext) -> None:
    # before the encoder's OpenMP runtime is loaded (on the first e5 batch), which reads it once
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    global _context
    _stages.clear()
    _stages.update({s.name: s for s in stages})
    _context = context
    _prepared.clear()


def _apply(name: str, batch: pa.RecordBatch) -> pa.RecordBatch:
    """Run stage ``name`` over ``batch`` in this worker (preparing it on first use)."""
    stage = _stages[name]
    function = _prepared.get(name)
    if function is None:
        assert _context is not None, "worker not started"
        function = _prepared[name] = stage.prepare(_context)
    return check_output(stage, function(batch), batch.num_rows)


def runnable(stage: Stage) -> Stage:
    """``stage`` as a worker needs it: without the hooks only the calling process uses (fingerprint, evaluation)."""
    return replace(stage, fingerprint=None, evaluate=None)


def shippable(stages: Sequence[Stage], context: StageContext) -> bool:
    """Whether ``stages`` and ``context`` can be sent to worker processes (a stage whose ``prepare`` is a
    lambda or a nested function cannot: such stages run in the calling process)."""
    try:
        pickle.dumps(([runnable(s) for s in stages], context))
    except (pickle.PicklingError, AttributeError, TypeError):
        return False
    return True


class StagePool:
    """``workers`` processes running stage functions over batches; use as a context manager."""

    def __init__(self, stages: Sequence[Stage], context: StageContext, workers: int) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        spawn = multiprocessing.get_context("spawn")
        # one single-process executor per worker, so that batch i can be sent to worker i mod n
        self._executors = [
            ProcessPoolExecutor(
                1, mp_context=spawn, initializer=_start, initargs=([runnable(s) for s in stages], context)
            )
            for _ in range(workers)
        ]

    @property
    def workers(self) -> int:
        return len(self._executors)

    def map(self, stage: Stage, chunks: Iterable[pa.RecordBatch]) -> Iterator[tuple[pa.RecordBatch, pa.RecordBatch]]:
        """``(chunk, produced)`` for every chunk, in order; each worker gets the chunk's required columns only."""
        pending: deque[tuple[pa.RecordBatch, Future[pa.RecordBatch]]] = deque()
        limit = IN_FLIGHT_PER_WORKER * self.workers
        for i, chunk in enumerate(chunks):
            executor = self._executors[i % self.workers]
            pending.append((chunk, executor.submit(_apply, stage.name, chunk.select(list(stage.requires)))))
            if len(pending) >= limit:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()

    def close(self) -> None:
        """Stop the workers; batches not started yet are dropped."""
        for executor in self._executors:
            executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> StagePool:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
