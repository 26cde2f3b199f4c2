"""The collector's operational state: runs, cursors, per-target results, open problems, quota.

Cursors are committed *with* the data they describe, without a shared transaction: a cursor row
names the lake batch that holds the pages fetched up to it, and a cursor counts only once that
batch is committed (``batch_id IS NULL`` for rows that carry no data). A process killed between
writing the cursor and committing the batch leaves a pending batch, which the next writer
aborts, and so the cursor is ignored: the rerun fetches those pages again, and nothing is stored
twice or lost.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from civicpulse.errors import StoreError
from civicpulse.store import state
from civicpulse.store.lake import Lake

MIGRATIONS = [
    """
    CREATE TABLE collect_runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'interrupted')),
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        options TEXT NOT NULL,
        summary TEXT
    );
    CREATE TABLE collect_cursors (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        platform TEXT NOT NULL,
        target TEXT NOT NULL,
        run_id INTEGER NOT NULL,
        batch_id INTEGER,
        finished INTEGER NOT NULL,
        state TEXT NOT NULL,
        saved_at TEXT NOT NULL
    );
    CREATE INDEX collect_cursors_target ON collect_cursors(platform, target, id);
    CREATE TABLE collect_batches (
        batch_id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL,
        platform TEXT NOT NULL,
        target TEXT NOT NULL,
        kind TEXT NOT NULL
    );
    CREATE INDEX collect_batches_run ON collect_batches(run_id);
    CREATE TABLE collect_results (
        run_id INTEGER NOT NULL,
        platform TEXT NOT NULL,
        target TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        reason TEXT,
        requests INTEGER NOT NULL,
        pages INTEGER NOT NULL,
        finished_at TEXT NOT NULL,
        PRIMARY KEY (run_id, platform, target)
    );
    CREATE TABLE collect_problems (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        platform TEXT NOT NULL,
        target TEXT NOT NULL,
        error TEXT NOT NULL,
        reason TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        times INTEGER NOT NULL,
        run_id INTEGER NOT NULL,
        resolved_at TEXT
    );
    CREATE UNIQUE INDEX collect_problems_open ON collect_problems(platform, target) WHERE resolved_at IS NULL;
    CREATE TABLE collect_quota (
        platform TEXT NOT NULL,
        token TEXT NOT NULL,
        day TEXT NOT NULL,
        used INTEGER NOT NULL,
        PRIMARY KEY (platform, token, day)
    )
    """,
]

state.register_migrations("collect", MIGRATIONS)


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class StoredCursor:
    run_id: int
    finished: bool
    state: dict[str, Any]


@dataclass(frozen=True)
class RunRow:
    id: int
    started_at: str
    finished_at: str | None
    status: str
    options: dict[str, Any]
    summary: list[dict[str, Any]] | None


@dataclass(frozen=True)
class ResultRow:
    platform: str
    target: str
    kind: str
    status: str
    reason: str | None
    requests: int
    pages: int


@dataclass(frozen=True)
class ProblemRow:
    platform: str
    target: str
    error: str
    reason: str
    first_seen: str
    last_seen: str
    times: int


class CollectState:
    """Reads and writes the collector's tables in the home's state database.

    Holds one connection for its lifetime (a run makes a few writes per request, and opening a
    connection costs more than the write); :meth:`close` releases it.
    """

    def __init__(self, lake: Lake) -> None:
        self.lake = lake
        self._conn: sqlite3.Connection | None = None

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        if self._conn is None:
            self._conn = state.connect(self.lake.state_path)
        with state.schema_errors(self.lake.state_path):
            yield self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # -- runs --------------------------------------------------------------------------------

    def begin_run(self, options: dict[str, Any], now: dt.datetime, resume_within: dt.timedelta) -> tuple[int, bool]:
        """Start a run, or resume the latest one when it was interrupted recently with the same options.

        Returns ``(run id, resumed)``. Raises :class:`StoreError` when another collection is
        running on this home.
        """
        host, pid = socket.gethostname(), os.getpid()
        text = json.dumps(options, sort_keys=True)
        with self._connect() as conn, state.transaction(conn):
            for row in conn.execute("SELECT id, pid, host FROM collect_runs WHERE status = 'running'").fetchall():
                if row["host"] == host and not _alive(row["pid"]):
                    conn.execute("UPDATE collect_runs SET status = 'interrupted' WHERE id = ?", (row["id"],))
                else:
                    raise StoreError(
                        f"another collection (run {row['id']}, pid {row['pid']} on {row['host']}) is running on "
                        f"this home; wait for it to finish"
                    )
            last = conn.execute("SELECT id, status, options, started_at FROM collect_runs ORDER BY id DESC LIMIT 1")
            row = last.fetchone()
            if (
                row is not None
                and row["status"] == "interrupted"
                and row["options"] == text
                and now - dt.datetime.fromisoformat(row["started_at"]) <= resume_within
            ):
                conn.execute(
                    "UPDATE collect_runs SET status = 'running', pid = ?, host = ? WHERE id = ?", (pid, host, row["id"])
                )
                return int(row["id"]), True
            cursor = conn.execute(
                "INSERT INTO collect_runs (started_at, status, pid, host, options) VALUES (?, 'running', ?, ?, ?)",
                (_iso(now), pid, host, text),
            )
            return int(cursor.lastrowid or 0), False

    def finish_run(self, run_id: int, now: dt.datetime, summary: list[dict[str, Any]]) -> None:
        with self._connect() as conn, state.transaction(conn):
            conn.execute(
                "UPDATE collect_runs SET status = 'finished', finished_at = ?, summary = ? WHERE id = ?",
                (_iso(now), json.dumps(summary, ensure_ascii=False), run_id),
            )

    def interrupt_run(self, run_id: int) -> None:
        """Mark a run stopped by an exception (a killed process is noticed by the next run instead)."""
        with self._connect() as conn, state.transaction(conn):
            conn.execute(
                "UPDATE collect_runs SET status = 'interrupted' WHERE id = ? AND status = 'running'", (run_id,)
            )

    def runs(self, limit: int = 10) -> list[RunRow]:
        with self._connect() as conn:
            rows = conn.execute("SELECT * FROM collect_runs ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
            host = socket.gethostname()
            return [
                RunRow(
                    id=r["id"],
                    started_at=r["started_at"],
                    finished_at=r["finished_at"],
                    # a run whose process died says so even before the next run notices
                    status="interrupted"
                    if r["status"] == "running" and r["host"] == host and not _alive(r["pid"])
                    else r["status"],
                    options=json.loads(r["options"]),
                    summary=json.loads(r["summary"]) if r["summary"] else None,
                )
                for r in rows
            ]

    # -- cursors -----------------------------------------------------------------------------

    def cursor(self, platform: str, target: str) -> StoredCursor | None:
        """The latest cursor of a target whose data is committed (or that carries no data)."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT c.run_id, c.finished, c.state FROM collect_cursors c"
                " LEFT JOIN batches b ON b.id = c.batch_id"
                " WHERE c.platform = ? AND c.target = ? AND (c.batch_id IS NULL OR b.status = 'committed')"
                " ORDER BY c.id DESC LIMIT 1",
                (platform, target),
            ).fetchone()
        if row is None:
            return None
        return StoredCursor(int(row["run_id"]), bool(row["finished"]), json.loads(row["state"]))

    def save_cursor(
        self,
        platform: str,
        target: str,
        run_id: int,
        batch_id: int | None,
        cursor_state: dict[str, Any],
        finished: bool,
        now: dt.datetime,
    ) -> None:
        """Record a cursor; with ``batch_id`` it counts only once that batch commits."""
        with self._connect() as conn, state.transaction(conn):
            conn.execute(
                "INSERT INTO collect_cursors (platform, target, run_id, batch_id, finished, state, saved_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    platform,
                    target,
                    run_id,
                    batch_id,
                    int(finished),
                    json.dumps(cursor_state, ensure_ascii=False),
                    _iso(now),
                ),
            )

    def prune_cursors(self, platform: str, target: str) -> None:
        """Forget the cursors older than the one in force (history is not needed to resume)."""
        with self._connect() as conn, state.transaction(conn):
            row = conn.execute(
                "SELECT c.id FROM collect_cursors c LEFT JOIN batches b ON b.id = c.batch_id"
                " WHERE c.platform = ? AND c.target = ? AND (c.batch_id IS NULL OR b.status = 'committed')"
                " ORDER BY c.id DESC LIMIT 1",
                (platform, target),
            ).fetchone()
            if row is not None:
                conn.execute(
                    "DELETE FROM collect_cursors WHERE platform = ? AND target = ? AND id < ?",
                    (platform, target, row["id"]),
                )

    def add_batch(self, batch_id: int, run_id: int, platform: str, target: str, kind: str) -> None:
        with self._connect() as conn, state.transaction(conn):
            conn.execute(
                "INSERT INTO collect_batches (batch_id, run_id, platform, target, kind) VALUES (?, ?, ?, ?, ?)",
                (batch_id, run_id, platform, target, kind),
            )

    def run_batches(self, run_id: int) -> list[tuple[int, str, str]]:
        """``(batch id, platform, kind)`` of the run's committed batches."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT c.batch_id, c.platform, c.kind FROM collect_batches c JOIN batches b ON b.id = c.batch_id"
                " WHERE c.run_id = ? AND b.status = 'committed' ORDER BY c.batch_id",
                (run_id,),
            ).fetchall()
        return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]

    def platform_batches(self, platform: str, after: int) -> list[int]:
        """Committed batches of a platform's page and mention targets with an id above ``after``."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT c.batch_id FROM collect_batches c JOIN batches b ON b.id = c.batch_id"
                " WHERE c.platform = ? AND c.kind != 'authors' AND c.batch_id > ? AND b.status = 'committed'"
                " ORDER BY c.batch_id",
                (platform, after),
            ).fetchall()
        return [int(r[0]) for r in rows]

    # -- results and problems ----------------------------------------------------------------

    def record_result(self, run_id: int, result: ResultRow, now: dt.datetime) -> None:
        """Store a target's outcome; requests and pages add up over the resumptions of a run."""
        with self._connect() as conn, state.transaction(conn):
            conn.execute(
                "INSERT INTO collect_results"
                " (run_id, platform, target, kind, status, reason, requests, pages, finished_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (run_id, platform, target) DO UPDATE SET status = excluded.status,"
                " reason = excluded.reason, requests = requests + excluded.requests,"
                " pages = pages + excluded.pages, finished_at = excluded.finished_at",
                (
                    run_id,
                    result.platform,
                    result.target,
                    result.kind,
                    result.status,
                    result.reason,
                    result.requests,
                    result.pages,
                    _iso(now),
                ),
            )

    def results(self, run_id: int) -> list[ResultRow]:
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT platform, target, kind, status, reason, requests, pages FROM collect_results"
                " WHERE run_id = ? ORDER BY platform, kind, target",
                (run_id,),
            ).fetchall()
        return [ResultRow(*row) for row in rows]

    def open_problem(self, platform: str, target: str, error: str, reason: str, run_id: int, now: dt.datetime) -> None:
        """Record (or refresh) the open problem of a target."""
        with self._connect() as conn, state.transaction(conn):
            updated = conn.execute(
                "UPDATE collect_problems SET error = ?, reason = ?, last_seen = ?, times = times + 1, run_id = ?"
                " WHERE platform = ? AND target = ? AND resolved_at IS NULL",
                (error, reason, _iso(now), run_id, platform, target),
            ).rowcount
            if not updated:
                conn.execute(
                    "INSERT INTO collect_problems (platform, target, error, reason, first_seen, last_seen, times,"
                    " run_id) VALUES (?, ?, ?, ?, ?, ?, 1, ?)",
                    (platform, target, error, reason, _iso(now), _iso(now), run_id),
                )

    def resolve_problem(self, platform: str, target: str, now: dt.datetime) -> None:
        with self._connect() as conn, state.transaction(conn):
            conn.execute(
                "UPDATE collect_problems SET resolved_at = ? WHERE platform = ? AND target = ? AND resolved_at IS NULL",
                (_iso(now), platform, target),
            )

    def open_problems(self) -> list[ProblemRow]:
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT platform, target, error, reason, first_seen, last_seen, times FROM collect_problems"
                " WHERE resolved_at IS NULL ORDER BY platform, target"
            ).fetchall()
        return [ProblemRow(*row) for row in rows]

    # -- quota (the HTTP layer's QuotaLedger) ------------------------------------------------

    def quota_used(self, platform: str, key: str, day: str) -> int:
        with self._connect() as conn:
            row = conn.execute(
                "SELECT used FROM collect_quota WHERE platform = ? AND token = ? AND day = ?", (platform, key, day)
            ).fetchone()
        return int(row[0]) if row else 0

    def charge_quota(self, platform: str, key: str, day: str, units: int) -> None:
        with self._connect() as conn, state.transaction(conn):
            conn.execute(
                "INSERT INTO collect_quota (platform, token, day, used) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (platform, token, day) DO UPDATE SET used = used + excluded.used",
                (platform, key, day, units),
            )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
