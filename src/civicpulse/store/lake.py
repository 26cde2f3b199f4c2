"""The append-only Parquet lake and the batches that write to it.

A batch is one import, simulation or collection run. It writes Parquet files under
``lake/<table>/`` (each written to a ``.tmp`` name, then renamed), and becomes visible in one
SQLite transaction that records its files and marks it committed. A crash before that commit
leaves files nobody reads; the next writer deletes them. Readers take a *data cut*, the highest
commit sequence at the moment they start, and read exactly the files committed up to it, so a
rating is reproducible from its stored cut.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import pyarrow as pa
import pyarrow.parquet as pq

from civicpulse.errors import AlreadyImported, StoreError
from civicpulse.records.schema import TABLES
from civicpulse.store import state

ROWS_PER_FILE = 2_000_000
ROW_GROUP = 256 * 1024


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class BatchInfo:
    id: int
    kind: str
    source: str
    status: str
    simulated: bool
    commit_seq: int | None
    started_at: str
    finished_at: str | None
    counts: dict[str, int]


@dataclass(frozen=True)
class DataCut:
    """What a reader sees: files committed up to ``seq``."""

    seq: int
    files: dict[str, list[str]]
    simulated: bool
    """True when any visible batch holds simulated data."""
    home: Path | None = None
    """The data home the cut was taken from (state that lives beside the lake, e.g. flag overrides)."""


class Lake:
    """The lake under ``home`` with its SQLite commit log."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.root = home / "lake"
        self.state_path = home / "state.sqlite"

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """The state database, migrated, closed on exit (see :func:`civicpulse.store.state.opened`)."""
        with state.opened(self.state_path) as conn:
            yield conn

    # -- writing -----------------------------------------------------------------------------

    def begin(
        self, kind: str, source: str, *, content_sha256: str | None = None, simulated: bool = False
    ) -> BatchWriter:
        """Start a batch; raises :class:`AlreadyImported` when the same content is committed."""
        self.recover()
        with self.connect() as conn, state.transaction(conn):
            if content_sha256 is not None:
                done = conn.execute(
                    "SELECT id FROM batches WHERE content_sha256 = ? AND status = 'committed'",
                    (content_sha256,),
                ).fetchone()
                if done is not None:
                    raise AlreadyImported(f"{source}: already imported (batch {done['id']}), nothing to do")
            cursor = conn.execute(
                "INSERT INTO batches (kind, source, content_sha256, simulated, status, pid, host, started_at)"
                " VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)",
                (kind, source, content_sha256, int(simulated), os.getpid(), socket.gethostname(), _now()),
            )
            batch_id = cursor.lastrowid
        assert batch_id is not None
        return BatchWriter(self, batch_id)

    def recover(self) -> list[int]:
        """Abort batches whose writer died on this host, deleting their files; returns their ids."""
        host = socket.gethostname()
        with self.connect() as conn:
            pending = conn.execute(
                "SELECT id, pid FROM batches WHERE status = 'pending' AND host = ?", (host,)
            ).fetchall()
            dead = [row["id"] for row in pending if not _alive(row["pid"])]
            for batch_id in dead:
                self._delete_files(batch_id)
                with state.transaction(conn):
                    conn.execute(
                        "UPDATE batches SET status = 'aborted', finished_at = ? WHERE id = ? AND status = 'pending'",
                        (_now(), batch_id),
                    )
        return dead

    def _delete_files(self, batch_id: int) -> None:
        if not self.root.exists():
            return
        for table_dir in self.root.iterdir():
            for path in table_dir.glob(f"{_prefix(batch_id)}-*"):
                path.unlink(missing_ok=True)

    # -- reading -----------------------------------------------------------------------------

    def cut(self, seq: int | None = None) -> DataCut:
        """The committed files up to commit sequence ``seq`` (default: everything committed now)."""
        with self.connect() as conn:
            if seq is None:
                seq = conn.execute("SELECT COALESCE(MAX(commit_seq), 0) FROM batches").fetchone()[0]
            rows = conn.execute(
                "SELECT f.tbl, f.path FROM lake_files f JOIN batches b ON b.id = f.batch_id"
                " WHERE b.status = 'committed' AND b.commit_seq <= ? ORDER BY b.commit_seq, f.path",
                (seq,),
            ).fetchall()
            simulated = conn.execute(
                "SELECT COUNT(*) FROM batches WHERE status = 'committed' AND commit_seq <= ? AND simulated = 1",
                (seq,),
            ).fetchone()[0]
        files: dict[str, list[str]] = {name: [] for name in TABLES}
        for row in rows:
            files.setdefault(row["tbl"], []).append(str(self.home / row["path"]))
        return DataCut(seq=int(seq or 0), files=files, simulated=bool(simulated), home=self.home)

    def batches(self, limit: int = 50) -> list[BatchInfo]:
        with self.connect() as conn:
            rows = conn.execute("SELECT * FROM batches ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [
            BatchInfo(
                id=row["id"],
                kind=row["kind"],
                source=row["source"],
                status=row["status"],
                simulated=bool(row["simulated"]),
                commit_seq=row["commit_seq"],
                started_at=row["started_at"],
                finished_at=row["finished_at"],
                counts=json.loads(row["counts"] or "{}"),
            )
            for row in rows
        ]


def _prefix(batch_id: int) -> str:
    return f"b{batch_id:09d}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class _TableFile:
    path: Path
    writer: pq.ParquetWriter
    rows: int = 0


@dataclass
class BatchWriter:
    """Writes one batch's Parquet files; nothing is visible until :meth:`commit`.

    Use as a context manager: leaving the block by an exception aborts the batch.
    """

    lake: Lake
    id: int
    _open: dict[str, _TableFile] = field(default_factory=dict)
    _done: list[tuple[str, Path, int]] = field(default_factory=list)
    _parts: dict[str, int] = field(default_factory=dict)
    _seq: int = 0
    finished: bool = False

    def next_seq(self, n: int) -> int:
        """Reserve ``n`` row sequence numbers; returns the first."""
        first = self._seq
        self._seq += n
        return first

    def write(self, table: str, batch: pa.RecordBatch | pa.Table, schema: pa.Schema | None = None) -> None:
        """Append rows (already in the table's schema, bookkeeping columns included).

        ``schema`` is for tables outside :data:`TABLES` whose schema is declared elsewhere (the
        enrichment stages' tables, one per stage, see ``civicpulse.enrich.pipeline.table_schema``).
        """
        schema = TABLES[table] if schema is None else schema
        table_data = batch if isinstance(batch, pa.Table) else pa.Table.from_batches([batch])
        if not table_data.schema.equals(schema):
            table_data = table_data.select(schema.names).cast(schema)
        current = self._open.get(table)
        if current is None or current.rows >= ROWS_PER_FILE:
            if current is not None:
                self._close(table)
            current = self._start(table, schema)
        current.writer.write_table(table_data, row_group_size=ROW_GROUP)
        current.rows += table_data.num_rows

    def _start(self, table: str, schema: pa.Schema) -> _TableFile:
        part = self._parts.get(table, 0)
        self._parts[table] = part + 1
        folder = self.lake.root / table
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{_prefix(self.id)}-p{part:04d}.parquet"
        tmp = path.with_suffix(".parquet.tmp")
        writer = pq.ParquetWriter(tmp, schema, compression="zstd")
        handle = _TableFile(path=path, writer=writer)
        self._open[table] = handle
        return handle

    def _close(self, table: str) -> None:
        handle = self._open.pop(table)
        handle.writer.close()
        tmp = handle.path.with_suffix(".parquet.tmp")
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        tmp.replace(handle.path)
        self._done.append((table, handle.path, handle.rows))

    def commit(self, counts: dict[str, int] | None = None) -> int:
        """Make the batch visible; returns its commit sequence number."""
        for table in list(self._open):
            self._close(table)
        rows = counts if counts is not None else _sum_rows(self._done)
        with self.lake.connect() as conn, state.transaction(conn):
            seq = conn.execute("SELECT COALESCE(MAX(commit_seq), 0) + 1 FROM batches").fetchone()[0]
            conn.executemany(
                "INSERT INTO lake_files (batch_id, tbl, path, rows) VALUES (?, ?, ?, ?)",
                [(self.id, t, str(p.relative_to(self.lake.home)), n) for t, p, n in self._done],
            )
            updated = conn.execute(
                "UPDATE batches SET status = 'committed', commit_seq = ?, finished_at = ?, counts = ?"
                " WHERE id = ? AND status = 'pending'",
                (seq, _now(), json.dumps(rows), self.id),
            ).rowcount
            if updated != 1:
                raise StoreError(f"batch {self.id} was aborted by another process before it could commit")
        self.finished = True
        return int(seq)

    def abort(self) -> None:
        """Forget everything this batch wrote."""
        for handle in self._open.values():
            handle.writer.close()
        self._open.clear()
        self.lake._delete_files(self.id)
        with self.lake.connect() as conn, state.transaction(conn):
            conn.execute(
                "UPDATE batches SET status = 'aborted', finished_at = ? WHERE id = ? AND status = 'pending'",
                (_now(), self.id),
            )
        self.finished = True

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self.finished:
            self.abort()


def _sum_rows(done: list[tuple[str, Path, int]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for table, _, rows in done:
        out[table] = out.get(table, 0) + rows
    return out
