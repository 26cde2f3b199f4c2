"""``civicpulse report`` and ``simulate``: publishing and the demo data."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from civicpulse.cli.context import err, get, out
from civicpulse.cli.rate import MonthOpt, WeekOpt, resolve_period, run_rating
from civicpulse.errors import CivicpulseError
from civicpulse.periods import parse_day
from civicpulse.rating.methodology import builtin_names

REPORT_FAMILIES = ("pages", "mentions", "persons")
"""The built-in families in reading order: the official pages (the weekly rating people know), what
people say about the institutions, then the heads' own accounts."""


def report_order(names: list[str]) -> list[str]:
    """Ratings in reading order: the families of :data:`REPORT_FAMILIES`, each regional before district
    (``pages``, ``district-pages``, ``mentions``, ``district-mentions``, ``persons``), then any other by name."""

    def key(name: str) -> tuple[int, str, bool]:
        family = name.removeprefix("district-")
        place = REPORT_FAMILIES.index(family) if family in REPORT_FAMILIES else len(REPORT_FAMILIES)
        return place, family, name.startswith("district-")

    return sorted(names, key=key)


def register(app: typer.Typer) -> None:
    app.command("report")(report_cmd)
    app.command("simulate")(simulate_cmd)


def report_cmd(
    ctx: typer.Context,
    out_dir: Annotated[Path, typer.Option("--out", help="Directory for report.html, report.xlsx and CSVs.")],
    week: WeekOpt = None,
    month: MonthOpt = None,
    lang: Annotated[str, typer.Option("--lang", help="Report language: ru, en, kk or az.")] = "ru",
    methodology: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--methodology", "-m", help="Ratings to include (default: every built-in with participants)."),
    ] = None,
) -> None:
    """Write the weekly report: a self-contained HTML page, an XLSX workbook and CSVs."""
    from civicpulse.report.weekly import write_report

    context = get(ctx)
    period = resolve_period(context, week, month)
    ratings = [run_rating(context, spec, period) for spec in (methodology or report_order(builtin_names()))]
    ratings = [r for r in ratings if r.rows or r.unrated or methodology]
    if not ratings:
        raise CivicpulseError("no rating has participants: load a registry with official accounts")
    for rating in ratings:
        for note in rating.notes:
            err.print(f"note: {rating.methodology.name}: {note}", markup=False)
    files = write_report(context.engine(), ratings, period, out_dir, lang=lang)
    for path in files:
        out.print(str(path))


def simulate_cmd(
    ctx: typer.Context,
    weeks: Annotated[int, typer.Option(help="How many weeks of activity.")] = 4,
    scale: Annotated[float, typer.Option(help="Activity multiplier (1 = a realistic region-level volume).")] = 1.0,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same data.")] = 1,
    end: Annotated[Optional[str], typer.Option(help="Last simulated day (default: last Sunday).")] = None,  # noqa: UP045
    registry: Annotated[str, typer.Option(help="Registry to simulate (loaded into the home).")] = "bundled:kz",
    out_file: Annotated[
        Optional[Path], typer.Option("--out", help="Write canonical JSONL here instead of into the lake.")  # noqa: UP045
    ] = None,
) -> None:
    """Generate realistic simulated activity for a registry (marked as simulated everywhere)."""
    from civicpulse.simulate.run import simulate

    if weeks < 1 or scale <= 0:
        raise CivicpulseError("--weeks must be at least 1 and --scale positive")
    context = get(ctx)
    last_day: date | None = parse_day(end) if end else None
    summary = simulate(
        context.home, weeks=weeks, scale=scale, seed=seed, end=last_day, registry=registry, out=out_file, console=err
    )
    out.print(str(summary))
