"""Stored rating runs: what was published can be shown and reproduced later.

A run keeps the methodology (name and hash of its validated content), the period, the engine,
the data cut (commit sequence of the lake) and the registry's hash, with the full result.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from civicpulse.rating.compute import Rating
from civicpulse.store import state
from civicpulse.store.home import Home


@dataclass(frozen=True)
class StoredRun:
    id: int
    created_at: str
    methodology: str
    methodology_sha256: str
    period: str
    engine: str
    data_cut: int
    registry_sha256: str
    result: list[dict[str, Any]]


def save(home: Home, rating: Rating) -> int:
    """Store ``rating``; sets and returns its run id."""
    with home.lake.connect() as conn, state.transaction(conn):
        cursor = conn.execute(
            "INSERT INTO rating_runs (created_at, methodology, methodology_sha256, period, engine, data_cut,"
            " registry_sha256, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                rating.computed_at.isoformat(timespec="seconds"),
                rating.methodology.name,
                rating.methodology.sha256,
                rating.period.label,
                rating.engine,
                rating.data_cut,
                rating.registry_sha256,
                json.dumps(rating.to_json(), ensure_ascii=False),
            ),
        )
    rating.run_id = int(cursor.lastrowid or 0)
    return rating.run_id


def _row(row: Any) -> StoredRun:
    return StoredRun(
        id=row["id"],
        created_at=row["created_at"],
        methodology=row["methodology"],
        methodology_sha256=row["methodology_sha256"],
        period=row["period"],
        engine=row["engine"],
        data_cut=row["data_cut"],
        registry_sha256=row["registry_sha256"],
        result=json.loads(row["result"]),
    )


def list_runs(home: Home, methodology: str | None = None, limit: int = 50) -> list[StoredRun]:
    with home.lake.connect() as conn:
        if methodology:
            rows = conn.execute(
                "SELECT * FROM rating_runs WHERE methodology = ? ORDER BY id DESC LIMIT ?", (methodology, limit)
            ).fetchall()
        else:
            rows = conn.execute("SELECT * FROM rating_runs ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
    return [_row(r) for r in rows]


def get(home: Home, run_id: int) -> StoredRun | None:
    with home.lake.connect() as conn:
        row = conn.execute("SELECT * FROM rating_runs WHERE id = ?", (run_id,)).fetchone()
    return _row(row) if row else None
