"""``civicpulse import``, ``export`` and ``store``: data in and out of the lake."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from civicpulse.cli.context import err, get, out
from civicpulse.errors import AlreadyImported, CivicpulseError, RecordError
from civicpulse.export import posts as export_posts
from civicpulse.importers.base import run_import
from civicpulse.importers.detect import choose
from civicpulse.periods import days_period, parse_day

export_app = typer.Typer(help="Write canonical data out.", no_args_is_help=True)
store_app = typer.Typer(help="The data home: batches, recovery.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("import")(import_cmd)
    app.add_typer(export_app, name="export")
    app.add_typer(store_app, name="store")


def import_cmd(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="Files to import (a directory for instaloader metadata).")],
    fmt: Annotated[
        str,
        typer.Option("--format", help="auto, jsonl, csv, tdesktop, instaloader, crowdtangle or mapped."),
    ] = "auto",
    skip_bad: Annotated[
        bool, typer.Option("--skip-bad", help="Import the good lines; quarantine the bad ones.")
    ] = False,
    encoding: Annotated[str, typer.Option("--encoding", help="CSV encoding: auto, utf-8 or cp1251.")] = "auto",
    mapping: Annotated[
        Optional[Path],  # noqa: UP045 (typer reads the annotation at run time)
        typer.Option("--mapping", help="YAML mapping of an export's columns to canonical fields (format mapped)."),
    ] = None,
    account: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--account", help="Account of an export that does not name it (a Telegram channel's username)."),
    ] = None,
) -> None:
    """Import files of canonical records or known exports; each file is one all-or-nothing batch."""
    home = get(ctx).home
    failed = 0
    if mapping is not None and fmt == "auto":
        fmt = "mapped"
    for path in files:
        if encoding not in ("auto", "utf-8", "cp1251"):
            raise CivicpulseError(f"unknown encoding {encoding!r} (auto, utf-8, cp1251)")
        importer = choose(path, fmt, encoding, mapping=mapping, account=account)  # type: ignore[arg-type]
        try:
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TimeRemainingColumn(),
                console=err,
                transient=True,
            ) as progress:
                size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else None
                task = progress.add_task(f"import {path.name}", total=size or path.stat().st_size)
                report = run_import(
                    home, path, importer, skip_bad=skip_bad, progress=_every_megabyte(partial(progress.advance, task))
                )
        except AlreadyImported as exc:
            out.print(str(exc))
            continue
        except RecordError as exc:
            err.print(str(exc), markup=False)
            failed += 1
            continue
        counts = ", ".join(f"{n} {t}" for t, n in sorted(report.counts.items())) or "no records"
        out.print(f"{path}: imported {counts} (batch {report.batch})")
        if report.rejected:
            out.print(f"{path}: {report.rejected} bad line(s) quarantined in {report.quarantine_path}")
        out.print(f"report: {report.report_path}")
    if failed:
        raise typer.Exit(code=2)


@export_app.command("posts")
def export_posts_cmd(
    ctx: typer.Context,
    date_from: Annotated[str, typer.Option("--from", help="First local day (YYYY-MM-DD).")],
    date_to: Annotated[str, typer.Option("--to", help="Last local day, included (YYYY-MM-DD).")],
    fmt: Annotated[str, typer.Option("--format", help="jsonl, csv, xlsx or parquet.")] = "jsonl",
    out_file: Annotated[Optional[Path], typer.Option("--out", help="Output file (default: stdout).")] = None,  # noqa: UP045
) -> None:
    """Canonical posts (latest observation) published between two local days, both included."""
    from datetime import timedelta

    context = get(ctx)
    engine = context.engine()
    first, last = parse_day(date_from), parse_day(date_to)
    period = days_period(first, last + timedelta(days=1), engine.registry.timezone)
    if fmt not in ("jsonl", "csv", "xlsx", "parquet"):
        raise CivicpulseError(f"unknown export format {fmt!r} (jsonl, csv, xlsx, parquet)")
    count = export_posts.write(
        engine,
        period,
        fmt,  # type: ignore[arg-type]
        out_file if out_file else sys.stdout,
        on_note=lambda note: err.print(f"note: {note}", markup=False),
    )
    if out_file:
        out.print(f"{count} posts written to {out_file}")


@store_app.command("status")
def status_cmd(ctx: typer.Context, limit: Annotated[int, typer.Option(help="How many batches.")] = 20) -> None:
    """The latest batches in the lake and what they hold."""
    lake = get(ctx).home.lake
    table = Table("batch", "kind", "status", "commit", "simulated", "rows", "source", "finished")
    for b in lake.batches(limit):
        rows = ", ".join(f"{n} {t}" for t, n in sorted(b.counts.items()))
        table.add_row(
            str(b.id),
            b.kind,
            b.status,
            str(b.commit_seq or ""),
            "yes" if b.simulated else "",
            rows,
            b.source,
            b.finished_at or "",
        )
    out.print(table)
    out.print(f"data cut: {lake.cut().seq}")


@store_app.command("recover")
def recover_cmd(ctx: typer.Context) -> None:
    """Abort batches whose writer died and delete their files (also done before every write)."""
    ids = get(ctx).home.lake.recover()
    out.print(f"aborted {len(ids)} dead batch(es){': ' + ', '.join(map(str, ids)) if ids else ''}")


def _every_megabyte(advance: Callable[[float], None]) -> Callable[[int], None]:
    """``advance`` called once a mebibyte has been read, not once a line (rich's bar costs more than a line's
    validation); the bar ends with the import either way."""
    pending = 0

    def add(size: int) -> None:
        nonlocal pending
        pending += size
        if pending >= 1 << 20:
            advance(pending)
            pending = 0

    return add
