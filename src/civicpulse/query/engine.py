"""An Ibis connection with the lake's tables (as of one data cut) and the registry's tables.

Metrics and ratings are written once, as Ibis expressions over these tables, and run on DuckDB
by default or on PySpark (``--engine spark``) over the very same Parquet files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cached_property
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from civicpulse.errors import EngineError
from civicpulse.records.schema import TABLES
from civicpulse.registry.models import Registry
from civicpulse.store.lake import DataCut

ENTITY_SCHEMA = pa.schema(
    [
        pa.field("entity", pa.string()),
        pa.field("kind", pa.string()),
        pa.field("parent", pa.string()),
        pa.field("population", pa.float64()),
    ]
)
ACCOUNT_SCHEMA = pa.schema(
    [
        pa.field("platform", pa.string()),
        pa.field("account", pa.string()),
        pa.field("entity", pa.string()),
        pa.field("role", pa.string()),
        pa.field("person", pa.string()),
        pa.field("paid", pa.bool_()),
    ]
)


def connect(engine: str, *, spark_master: str = "local[2]") -> ibis.BaseBackend:
    """A fresh Ibis backend for ``engine`` (``duckdb`` or ``spark``)."""
    if engine == "duckdb":
        return ibis.duckdb.connect()
    if engine == "spark":
        try:
            from civicpulse.query.spark import spark_backend
        except ImportError as exc:  # the optional extra is not installed
            raise EngineError("the spark engine needs the extra: pip install 'civicpulse[spark]'") from exc
        return spark_backend(spark_master)
    raise EngineError(f"unknown engine {engine!r} (known: duckdb, spark)")


class Engine:
    """The lake's tables as of ``cut``, plus ``entities`` and ``accounts`` from the registry."""

    def __init__(self, con: ibis.BaseBackend, cut: DataCut, registry: Registry, name: str = "duckdb") -> None:
        self.con = con
        self.cut = cut
        self.registry = registry
        self.name = name
        self._tables: dict[str, ir.Table] = {}

    def table(self, name: str) -> ir.Table:
        """All observations of a lake table (``posts``, ``snapshots``, ``authors``, ``raw``)."""
        if name not in self._tables:
            files = self.cut.files.get(name, [])
            if files:
                table = self.con.read_parquet(files, table_name=f"lake_{name}_{self.cut.seq}")
                # Spark reads the lake's UTC instants as zone-less timestamps (in its UTC session zone):
                # label them UTC so that every backend gives the same types and the same answers
                naive = {c: _UTC for c, t in table.schema().items() if t.is_timestamp() and t.timezone is None}
                self._tables[name] = table.cast(naive) if naive else table
            else:
                self._tables[name] = self.memtable(TABLES[name].empty_table())
        return self._tables[name]

    def memtable(self, data: pa.Table) -> ir.Table:
        """A small in-memory table usable in expressions on this backend."""
        return ibis.memtable(data)

    @cached_property
    def entities(self) -> ir.Table:
        rows = [
            {"entity": e.id, "kind": e.kind, "parent": e.parent, "population": _float(e.population)}
            for e in self.registry.entities
        ]
        return self.memtable(pa.Table.from_pylist(rows, schema=ENTITY_SCHEMA))

    @cached_property
    def accounts(self) -> ir.Table:
        rows = [
            {
                "platform": a.platform,
                "account": a.id,
                "entity": a.entity,
                "role": a.role,
                "person": a.person,
                "paid": a.paid,
            }
            for a in self.registry.accounts
        ]
        return self.memtable(pa.Table.from_pylist(rows, schema=ACCOUNT_SCHEMA))

    def latest(self, table: ir.Table, keys: Sequence[str]) -> ir.Table:
        """One row per ``keys``: the latest observation (by ``observed_at``, then write order)."""
        order = [ibis.desc(table.observed_at), ibis.desc(table._batch), ibis.desc(table._seq)]
        ranked = table.mutate(_n=ibis.row_number().over(group_by=[table[k] for k in keys], order_by=order))
        return ranked.filter(ranked._n == 0).drop("_n")

    def posts_published(self, start: dt.datetime, end: dt.datetime) -> ir.Table:
        """Posts published in ``[start, end)``, latest observation of each."""
        posts = self.table("posts")
        window = posts.filter((posts.published_at >= _ts(start)) & (posts.published_at < _ts(end)))
        return self.latest(window, ("platform", "id"))

    def snapshots_before(self, end: dt.datetime) -> ir.Table:
        """The latest snapshot of every account observed before ``end``."""
        snaps = self.table("snapshots")
        return self.latest(snaps.filter(snaps.observed_at < _ts(end)), ("platform", "account"))

    def to_pylist(self, expr: ir.Table) -> list[dict[str, Any]]:
        """Run ``expr`` and return its rows as dicts."""
        rows: list[dict[str, Any]] = self.con.to_pyarrow(expr).to_pylist()
        return rows


_UTC = "timestamp('UTC', 6)"


def _ts(value: dt.datetime) -> ir.Value:
    # a UTC timestamp literal typed like the lake's columns
    return ibis.literal(value.astimezone(dt.UTC), type=_UTC)


def _float(value: int | None) -> float | None:
    return float(value) if value is not None else None
