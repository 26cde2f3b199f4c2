"""``export posts``: canonical posts (latest observation) published in a range of local days.

Every post carries the enrichment columns too (``lang``, ``entities``, ``sentiment``,
``sentiment_score``, ``topics``, ``flags``, ``flag_reasons``; see ``civicpulse.enrich.read``): a
column no installed stage fills, or whose stage has not run, is empty, and :func:`write` says so
through ``on_note``. Re-importing an export ignores these columns (enrichment is recomputed).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, Literal

import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.parquet as pq
import xlsxwriter

from civicpulse.enrich.read import annotate
from civicpulse.enrich.stage import EXPORTED
from civicpulse.errors import CivicpulseError
from civicpulse.export.safe import neutralise
from civicpulse.periods import Period
from civicpulse.query.engine import Engine

ExportFormat = Literal["jsonl", "csv", "parquet", "xlsx"]
BOOKKEEPING = ("_batch", "_seq")
XLSX_MAX_ROWS = 1_048_575


def posts_expression(engine: Engine, period: Period, notes: list[str] | None = None) -> ir.Table:
    """Latest observation of each post published in ``period`` with its enrichment, ordered by time.

    What the enrichment cannot supply is appended to ``notes``."""
    posts = engine.posts_published(period.start, period.end).drop(*BOOKKEEPING)
    annotated = annotate(engine, posts)
    if notes is not None:
        notes.extend(annotated.notes)
    table = annotated.table.select(*posts.columns, *EXPORTED)
    return table.order_by(["published_at", "platform", "id"])


def batches(engine: Engine, expr: ir.Table) -> Iterator[pa.RecordBatch]:
    yield from engine.con.to_pyarrow_batches(expr)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return str(_jsonable(value))
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def write(
    engine: Engine, period: Period, fmt: ExportFormat, out: IO[str] | Path, on_note: Callable[[str], None] | None = None
) -> int:
    """Write the posts of ``period`` as ``fmt``; returns the number of posts written.

    ``on_note`` hears what the export could not fill (e.g. no sentiment stage installed)."""
    notes: list[str] = []
    expr = posts_expression(engine, period, notes)
    if on_note is not None:
        for note in notes:
            on_note(note)
    schema = expr.schema().to_pyarrow()
    names = list(schema.names)
    count = 0
    if fmt == "parquet":
        if not isinstance(out, Path):
            raise CivicpulseError("parquet export needs --out FILE")
        with pq.ParquetWriter(out, schema, compression="zstd") as writer:
            for batch in batches(engine, expr):
                writer.write_batch(batch)
                count += batch.num_rows
        return count
    if fmt == "xlsx":
        if not isinstance(out, Path):
            raise CivicpulseError("xlsx export needs --out FILE")
        return _write_xlsx(engine, expr, names, out)
    handle = out.open("w", encoding="utf-8", newline="") if isinstance(out, Path) else out
    try:
        if fmt == "jsonl":
            for batch in batches(engine, expr):
                for row in batch.to_pylist():
                    record = {"record": "post", **{k: _jsonable(v) for k, v in row.items() if v is not None}}
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                    count += 1
        else:
            writer = csv.writer(handle)
            writer.writerow(["record", *names])
            for batch in batches(engine, expr):
                for row in batch.to_pylist():
                    writer.writerow(["post", *(neutralise(_cell(row[n])) for n in names)])
                    count += 1
    finally:
        if isinstance(out, Path):
            handle.close()
    return count


def _write_xlsx(engine: Engine, expr: ir.Table, names: list[str], out: Path) -> int:
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False})
    sheet = workbook.add_worksheet("posts")
    for col, name in enumerate(names):
        sheet.write_string(0, col, name)
    count = 0
    try:
        for batch in batches(engine, expr):
            for row in batch.to_pylist():
                if count >= XLSX_MAX_ROWS:
                    raise CivicpulseError(f"more than {XLSX_MAX_ROWS} posts: use csv or parquet")
                count += 1
                for col, name in enumerate(names):
                    value = row[name]
                    if isinstance(value, int | float) and not isinstance(value, bool):
                        sheet.write_number(count, col, value)
                    elif value is not None:
                        sheet.write_string(count, col, _cell(value))
    finally:
        workbook.close()
    return count
