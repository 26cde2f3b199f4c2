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

from civicpulse.errors import StoreError

# Each subsystem owns a list of migrations; each entry moves that subsystem's schema one version
# up. Never edit an entry once released; append. Subsystems other than ``core`` register theirs
# with :func:`register_migrations` at import time, so parts of the code evolve independently.
# The versions reached are rows of ``schema_versions``; files made before it existed kept the core
# version in ``PRAGMA user_version`` (see :func:`_versions`).
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
    """Open (and migrate) the state database at ``path``.

    Raises :class:`StoreError` naming the file when it cannot be opened or brought to the schema
    this version expects (not a database, made by a newer civicpulse, a migration that fails).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=60.0, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        _migrate(conn, path)
    except sqlite3.OperationalError as exc:
        conn.close()
        if "locked" in str(exc):
            raise StoreError(
                f"{path}: the state database is busy ({exc}); another process is writing it, try again"
            ) from exc
        raise StoreError(f"{path}: cannot open the state database ({exc})") from exc
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(
            f"{path}: not a civicpulse state database ({exc}); restore it from a backup, "
            "or give another data home with --home"
        ) from exc
    except BaseException:
        conn.close()
        raise
    return conn


@contextmanager
def opened(path: Path) -> Iterator[sqlite3.Connection]:
    """:func:`connect`, closed on exit; a query naming a table or column the file lacks becomes a
    :class:`StoreError` naming the file (see :func:`schema_errors`)."""
    conn = connect(path)
    try:
        with schema_errors(path):
            yield conn
    finally:
        conn.close()


@contextmanager
def schema_errors(path: Path) -> Iterator[None]:
    """Turn SQLite's "no such table" / "no such column" inside the block into a :class:`StoreError`.

    After :func:`connect` every known migration is applied, so such an error means the file says it
    is at a version whose tables it does not have: edited by hand or by an incompatible civicpulse.
    """
    try:
        yield
    except sqlite3.OperationalError as exc:
        message = str(exc)
        if not (message.startswith(("no such table", "no such column")) or "has no column named" in message):
            raise
        raise StoreError(
            f"{path}: the state database does not have the schema its recorded versions promise ({exc}); "
            "it was changed by hand or by an incompatible civicpulse version: restore it from a backup"
        ) from exc


def _versions(conn: sqlite3.Connection) -> dict[str, int]:
    """The schema version of every subsystem; a file older than ``schema_versions`` had only the core
    subsystem, whose version it kept in ``PRAGMA user_version``."""
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'schema_versions'").fetchone()
    if not exists:
        legacy = int(conn.execute("PRAGMA user_version").fetchone()[0])
        return {"core": legacy} if legacy else {}
    return {row[0]: row[1] for row in conn.execute("SELECT subsystem, version FROM schema_versions")}


def _check_not_newer(versions: dict[str, int], path: Path) -> None:
    for name, steps in MIGRATIONS.items():
        if versions.get(name, 0) > len(steps):
            raise StoreError(
                f"{path} was written by a newer civicpulse ({name} schema version {versions[name]}, this version "
                f"knows {len(steps)}): upgrade civicpulse to use this data home"
            )


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    versions = _versions(conn)
    _check_not_newer(versions, path)
    if all(versions.get(name, 0) >= len(steps) for name, steps in MIGRATIONS.items()):
        return
    with transaction(conn):
        # re-read under the write lock: another process may have migrated meanwhile
        versions = _versions(conn)
        _check_not_newer(versions, path)
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_versions (subsystem TEXT PRIMARY KEY, version INTEGER NOT NULL)"
        )
        for name, steps in MIGRATIONS.items():
            done = versions.get(name, 0)
            for number, script in enumerate(steps[done:], start=done + 1):
                for statement in filter(str.strip, script.split(";")):
                    try:
                        conn.execute(statement)
                    except sqlite3.Error as exc:
                        raise StoreError(
                            f"{path}: cannot migrate the state database ({name} schema version {number - 1} to "
                            f"{number}: {exc}); the file does not match the version it records, so it was changed "
                            "by hand or by an incompatible civicpulse: restore it from a backup"
                        ) from exc
            conn.execute(
                "INSERT INTO schema_versions (subsystem, version) VALUES (?, ?)"
                " ON CONFLICT (subsystem) DO UPDATE SET version = excluded.version",
                (name, max(done, len(steps))),
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
