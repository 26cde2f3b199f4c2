"""Operational state in SQLite (WAL): batches, the lake's file list, registry versions, runs.

SQLite is the commit point of the lake. A Parquet file becomes visible only when the batch that
wrote it is marked committed here, in one transaction with the list of its files; readers build
their file lists from committed batches only. WAL mode lets readers and one writer work at once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Each entry moves the schema one version up; never edit an entry once released.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE batches (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        source TEXT NOT NULL,
        content_sha256 TEXT,
        simulated INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL CHECK (status IN ('pending', 'committed', 'aborted')),
        commit_seq INTEGER UNIQUE,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        counts TEXT
    );
    CREATE UNIQUE INDEX batches_content ON batches(content_sha256)
        WHERE status = 'committed' AND content_sha256 IS NOT NULL;
    CREATE TABLE lake_files (
        batch_id INTEGER NOT NULL REFERENCES batches(id),
        tbl TEXT NOT NULL,
        path TEXT NOT NULL,
        rows INTEGER NOT NULL,
        PRIMARY KEY (tbl, path)
    );
    CREATE TABLE registry_versions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        loaded_at TEXT NOT NULL,
        source TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        text TEXT NOT NULL
    );
    CREATE TABLE rating_runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at TEXT NOT NULL,
        methodology TEXT NOT NULL,
        methodology_sha256 TEXT NOT NULL,
        period TEXT NOT NULL,
        engine TEXT NOT NULL,
        data_cut INTEGER NOT NULL,
        registry_sha256 TEXT NOT NULL,
        result TEXT NOT NULL
    );
    CREATE INDEX rating_runs_lookup ON rating_runs(methodology, period, id);
    """,
]


def connect(path: Path) -> sqlite3.Connection:
    """Open (and migrate) the state database at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=60.0, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    _migrate(conn)
    return conn


def _migrate(conn: sqlite3.Connection) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version >= len(MIGRATIONS):
        return
    with transaction(conn):
        # re-read under the write lock: another process may have migrated meanwhile
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            for statement in filter(str.strip, script.split(";")):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction that takes the lock at once (``BEGIN IMMEDIATE``)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
