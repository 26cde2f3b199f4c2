"""``export posts``: canonical posts (latest observation) published in a range of local days."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Literal

import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.parquet as pq
import xlsxwriter

from civicpulse.errors import CivicpulseError
from civicpulse.export.safe import neutralise
from civicpulse.periods import Period
from civicpulse.query.engine import Engine

ExportFormat = Literal["jsonl", "csv", "parquet", "xlsx"]
BOOKKEEPING = ("_batch", "_seq")
XLSX_MAX_ROWS = 1_048_575


def posts_expression(engine: Engine, period: Period) -> ir.Table:
    """Latest observation of each post published in ``period``, ordered by time."""
    posts = engine.posts_published(period.start, period.end).drop(*BOOKKEEPING)
    return posts.order_by(["published_at", "platform", "id"])


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


def write(engine: Engine, period: Period, fmt: ExportFormat, out: IO[str] | Path) -> int:
    """Write the posts of ``period`` as ``fmt``; returns the number of posts written."""
    expr = posts_expression(engine, period)
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
