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

# Each subsystem owns a list of migrations; each entry moves that subsystem's schema one version
# up. Never edit an entry once released; append. Subsystems other than ``core`` register theirs
# with :func:`register_migrations` at import time, so parts of the code evolve independently.
CORE: list[str] = [
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


MIGRATIONS: dict[str, list[str]] = {"core": CORE}


def register_migrations(subsystem: str, migrations: list[str]) -> None:
    """Declare the schema of a subsystem (e.g. ``collect``); applied on the next connect."""
    MIGRATIONS[subsystem] = migrations


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


def _versions(conn: sqlite3.Connection) -> dict[str, int]:
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'schema_versions'").fetchone()
    if not exists:
        return {}
    return {row[0]: row[1] for row in conn.execute("SELECT subsystem, version FROM schema_versions")}


def _migrate(conn: sqlite3.Connection) -> None:
    versions = _versions(conn)
    if all(versions.get(name, 0) >= len(steps) for name, steps in MIGRATIONS.items()):
        return
    with transaction(conn):
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_versions (subsystem TEXT PRIMARY KEY, version INTEGER NOT NULL)"
        )
        # re-read under the write lock: another process may have migrated meanwhile
        versions = _versions(conn)
        for name, steps in MIGRATIONS.items():
            done = versions.get(name, 0)
            for script in steps[done:]:
                for statement in filter(str.strip, script.split(";")):
                    conn.execute(statement)
            if len(steps) > done:
                conn.execute(
                    "INSERT INTO schema_versions (subsystem, version) VALUES (?, ?)"
                    " ON CONFLICT (subsystem) DO UPDATE SET version = excluded.version",
                    (name, len(steps)),
                )


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
