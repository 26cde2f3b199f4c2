"""Import throughput: ``civicpulse import`` of a canonical JSONL file vs DuckDB reading the same file.

civicpulse runs as the real command in a child process (validation of every line, Parquet
batches, the commit); DuckDB reads the file with ``read_json`` into a table in memory, which
neither validates records against the canonical model nor writes anything durable, so it is a
ceiling rather than a like-for-like rival. The ratio is civicpulse's records per second over
DuckDB's.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from bench.common import Options, Report, human, mib, rate, start, timed, timed_call
from bench.gen import write_canonical_jsonl

RECORDS = 1_000_000
QUICK_RECORDS = 10_000


def civicpulse_command() -> list[str]:
    """The installed ``civicpulse`` console script next to this Python."""
    return [str(Path(sys.executable).with_name("civicpulse"))]


def import_file(home: Path, path: Path) -> None:
    """``civicpulse --home HOME import PATH`` in a child process; raises when it fails."""
    done = subprocess.run(
        [*civicpulse_command(), "--home", str(home), "import", str(path)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"civicpulse import failed ({done.returncode}): {done.stderr[-2000:]}")


def duckdb_read(path: Path) -> int:
    """Rows DuckDB reads from the JSONL file into an in-memory table."""
    con = duckdb.connect()
    try:
        con.execute("CREATE TABLE records AS SELECT * FROM read_json(?, format = 'newline_delimited')", [str(path)])
        row = con.execute("SELECT count(*) FROM records").fetchone()
        return int(row[0]) if row else 0
    finally:
        con.close()


def run(options: Options) -> Report:
    records = QUICK_RECORDS if options.quick else RECORDS
    report = start(f"import throughput: civicpulse import vs DuckDB read_json ({human(records)} records)")
    work = options.data_dir / "import-speed"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        path = work / "records.jsonl"
        generated = timed(lambda: write_canonical_jsonl(path, records=records))
        size = path.stat().st_size
        report.add(f"file: {human(records)} canonical lines, {mib(size)} (generated in {generated:.1f} s)")

        # what every command costs before it reads a byte (left out of a quick run: it is one more start)
        startup = (
            0.0
            if options.quick
            else timed(lambda: subprocess.run([*civicpulse_command(), "--version"], check=True, capture_output=True))
        )
        rows, duck = timed_call(lambda: duckdb_read(path))
        if rows != records:
            raise RuntimeError(f"DuckDB read {rows} rows of {records}")
        ours = timed(lambda: import_file(work / "home", path))
        duck_rate, our_rate = rate(records, duck), rate(records, ours)
        report.add(f"duckdb read_json:  {human(duck_rate):>12} records/s ({duck:.2f} s)")
        started = f", of which {startup:.2f} s start-up" if startup else ""
        report.add(f"civicpulse import: {human(our_rate):>12} records/s ({ours:.2f} s{started})")
        report.add(f"civicpulse import: {size / ours / (1 << 20):.1f} MiB/s of JSONL")
        report.ratio = our_rate / duck_rate
        report.ratio_label = "civicpulse records/s / duckdb records/s"
        report.target = "none set by the issue (tracked for regressions)"
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report.finish()
    return report
