"""``civicpulse rate``, ``explain``, ``runs`` and ``methodology``."""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.table import Table

from civicpulse.cli.context import Context, err, get, out
from civicpulse.errors import CivicpulseError
from civicpulse.metrics.catalogue import CATALOGUE
from civicpulse.periods import Period, current_week, month_period, parse_month, parse_week, zone
from civicpulse.rating import methodology as methodologies
from civicpulse.rating import runs
from civicpulse.rating.compute import RatedRow, Rating, compute
from civicpulse.rating.explain import explain
from civicpulse.rating.tabular import format_value, movement_arrow, write_csv

runs_app = typer.Typer(help="Stored rating runs.", no_args_is_help=True)
methodology_app = typer.Typer(help="Methodologies and the metric catalogue.", no_args_is_help=True)

WeekOpt = Annotated[Optional[str], typer.Option("--week", help="ISO week (2024-W10), last or current.")]  # noqa: UP045
MonthOpt = Annotated[Optional[str], typer.Option("--month", help="Calendar month (2024-03), last or current.")]  # noqa: UP045


def register(app: typer.Typer) -> None:
    app.command("rate")(rate_cmd)
    app.command("explain")(explain_cmd)
    app.add_typer(runs_app, name="runs")
    app.add_typer(methodology_app, name="methodology")


def resolve_period(context: Context, week: str | None, month: str | None) -> Period:
    """The period of ``--week`` or ``--month``; ``last`` is the last complete one, ``current`` this one."""
    tz = context.home.registry().timezone
    if bool(week) == bool(month):
        raise CivicpulseError("give exactly one of --week or --month")
    label = (week or month or "").strip()
    if label in ("last", "current"):
        now = datetime.now(UTC)
        this = current_week(now, tz) if week else month_period(now.astimezone(zone(tz)).date(), tz)
        return this.previous() if label == "last" else this
    return parse_week(label, tz) if week else parse_month(label, tz)


def run_rating(context: Context, spec: str, period: Period, *, store: bool = True) -> Rating:
    """Compute (and store) a rating of the lake as committed now."""
    method = methodologies.load(spec)
    engine = context.engine()
    rating = compute(engine, method, period, registry_sha256=context.home.registry_text().sha256)
    if store:
        runs.save(context.home, rating)
    return rating


def rate_cmd(
    ctx: typer.Context,
    methodology: Annotated[str, typer.Argument(help="A built-in methodology (see methodology list) or a YAML file.")],
    week: WeekOpt = None,
    month: MonthOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
    out_file: Annotated[Optional[Path], typer.Option("--out", help="Write to a file instead of stdout.")] = None,  # noqa: UP045
    store: Annotated[bool, typer.Option("--store/--no-store", help="Keep the run in the data home.")] = True,
) -> None:
    """Rate the participants of a methodology for one week or month."""
    context = get(ctx)
    rating = run_rating(context, methodology, resolve_period(context, week, month), store=store)
    handle = out_file.open("w", encoding="utf-8", newline="") if out_file else sys.stdout
    try:
        if fmt == "json":
            handle.write(json.dumps(rating.to_json(), ensure_ascii=False, indent=1) + "\n")
        elif fmt == "csv":
            write_csv(rating, handle)
        elif fmt == "table":
            print_table(rating)
        else:
            raise CivicpulseError(f"unknown format {fmt!r} (table, json, csv)")
    finally:
        if out_file:
            handle.close()
    if fmt != "table":  # the rows keep their shape; the notes about the whole rating go to stderr
        for note in rating.notes:
            err.print(f"note: {note}", markup=False)


def print_table(rating: Rating) -> None:
    method = rating.methodology
    names = method.metric_names
    kinds = {m.name: CATALOGUE[m.catalogue_name].kind for m in method.spec.metrics}
    title = f"{method.spec.display_title('en')} — {rating.period.label} ({rating.period.tz})"
    if rating.simulated:
        title += " — SIMULATED DATA"
    table = Table("place", "move", "participant", "entity", "points", *names, title=title)
    for r in rating.rows:
        cells = [f"{format_value(r.metrics[n].value, kinds.get(n, 'ratio'))} ({r.metrics[n].rank})" for n in names]
        table.add_row(str(r.place), movement_arrow(r.movement), r.participant, r.entity, str(r.points), *cells)
    out.print(table)
    for u in rating.unrated:
        out.print(f"unrated: {u.participant} ({u.entity}): {u.reason}")
    for note in rating.notes:
        out.print(f"note: {note}", markup=False)
    run = f"run {rating.run_id}, " if rating.run_id else ""
    out.print(
        f"{run}data cut {rating.data_cut}, methodology {method.name} sha256 {method.sha256[:12]}, "
        f"engine {rating.engine}; movement against {rating.previous_period.label if rating.previous_period else '-'}"
    )


def explain_cmd(
    ctx: typer.Context,
    methodology: Annotated[str, typer.Argument(help="A built-in methodology or a YAML file.")],
    participant: Annotated[str, typer.Argument(help="platform:account for account ratings, entity id otherwise.")],
    week: WeekOpt = None,
    month: MonthOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    limit: Annotated[int, typer.Option(help="Posts to list.")] = 20,
) -> None:
    """Why a participant has its place: each metric's value and rank, neighbours, the data behind."""
    context = get(ctx)
    period = resolve_period(context, week, month)
    rating = run_rating(context, methodology, period, store=False)
    result = explain(context.engine(), rating.methodology, rating, participant)
    if fmt == "json":
        body = {
            "participant": participant,
            "period": period.label,
            "notes": rating.notes,
            "row": result.row.to_json() if result.row else None,
            "unrated": result.unrated.reason if result.unrated else None,
            "neighbours": {k: {"above": _name(v.above), "below": _name(v.below)} for k, v in result.neighbours.items()},
            "accounts": [f"{p}:{a}" for p, a in result.accounts],
            "snapshots_end": result.snapshots_end,
            "snapshots_start": result.snapshots_start,
            "posts": result.posts[:limit],
            "posts_total": len(result.posts),
            "worklife": _worklife_counts(result.posts),
            "evidence": {k: {"rows": v[:limit], "total": len(v)} for k, v in result.evidence.items()},
        }
        out.print(json.dumps(body, ensure_ascii=False, indent=1, default=str), markup=False)
        return
    kinds = {m.name: CATALOGUE[m.catalogue_name].kind for m in rating.methodology.spec.metrics}
    out.print(f"{participant} in {rating.methodology.name}, {period.label} ({period.tz})", markup=False)
    for note in rating.notes:
        out.print(f"note: {note}", markup=False)
    if result.unrated:
        out.print(f"unrated: {result.unrated.reason}", markup=False)
    if result.row:
        row = result.row
        total = result.neighbours["total"]
        out.print(
            f"place {row.place} of {len(rating.rows)} with {row.points} points "
            f"({movement_arrow(row.movement)} since {rating.previous_period.label if rating.previous_period else '-'})"
        )
        table = Table("metric", "value", "rank", "above", "below")
        for name in rating.methodology.metric_names:
            mine = row.metrics[name]
            n = result.neighbours[name]
            kind = kinds.get(name, "ratio")

            def side(other: object, name: str = name, kind: str = kind) -> str:
                if other is None:
                    return "-"
                m = other.metrics[name]  # type: ignore[attr-defined]
                return f"{other.participant}: {format_value(m.value, kind)} ({m.rank})"  # type: ignore[attr-defined]

            table.add_row(name, format_value(mine.value, kind), str(mine.rank), side(n.above), side(n.below))
        table.add_row("total", str(row.points), str(row.place), _side_total(total.above), _side_total(total.below))
        out.print(table)
        for note in row.notes:
            out.print(f"note: {note}", markup=False)
    for component, rows in result.evidence.items():
        _print_evidence(component, rows, limit)
    if not result.accounts:
        return
    snaps = Table("account", "followers at end", "observed", "followers at start", "observed", title="snapshots")
    starts = {(s["platform"], s["account"]): s for s in result.snapshots_start}
    for s in result.snapshots_end:
        begin = starts.get((s["platform"], s["account"]))
        snaps.add_row(
            f"{s['platform']}:{s['account']}",
            str(s["followers"]),
            str(s["observed_at"]),
            str(begin["followers"]) if begin else "-",
            str(begin["observed_at"]) if begin else "-",
        )
    out.print(snaps)
    counts = _worklife_counts(result.posts)
    title = f"own posts in the period ({len(result.posts)})"
    if counts is not None:  # the persons rating: each post's work/life label, behind life_share
        title += (
            f": {counts['personal_life']} personal_life, {counts['official_work']} official_work, "
            f"{counts['unlabelled']} not labelled"
        )
    columns = ["post", "published", "likes", "comments", "reposts", "engagement", "views"]
    posts = Table(*columns, *(["work/life"] if counts is not None else []), "text", title=title)
    for p in result.posts[:limit]:
        text = (p["text"] or "").replace("\n", " ")
        label = [p["worklife"] or "-"] if counts is not None else []
        posts.add_row(
            f"{p['platform']}:{p['id']}",
            str(p["published_at"]),
            str(p["likes"]),
            str(p["comments"]),
            str(p["reposts"]),
            str(p["engagement"]),
            str(p["views"] if p["views"] is not None else "-"),
            *label,
            text[:60] + ("…" if len(text) > 60 else ""),
        )
    out.print(posts)


def _worklife_counts(posts: list[dict[str, Any]]) -> dict[str, int] | None:
    """Own posts by work/life label (``life_share`` is personal_life over both labels); None when the
    posts carry no label (a rating without the persons component)."""
    if not posts or "worklife" not in posts[0]:
        return None
    labels = Counter(p["worklife"] for p in posts)
    return {
        "personal_life": labels["personal_life"],
        "official_work": labels["official_work"],
        "unlabelled": labels[None],
    }


def _name(row: RatedRow | None) -> str | None:
    return row.participant if row is not None else None


_EVIDENCE_SHOWN = ("published_at", "counted", "sentiment", "audience", "engagement", "flags", "text")
"""Columns of evidence rows shown in the table, when a component gives them (``--format json`` has all)."""


def _print_evidence(component: str, rows: list[dict[str, Any]], limit: int) -> None:
    """The rows behind a component's values: when, counted or not and why, tone, audience, text."""
    counted = sum(1 for r in rows if r.get("counted", True))
    table = Table(title=f"{component}: {len(rows)} message(s), {counted} counted")
    columns = [c for c in _EVIDENCE_SHOWN if rows and c in rows[0]]
    for name in ["message", *columns]:
        table.add_column(name, overflow="fold")
    for row in rows[:limit]:
        cells = [f"{row.get('platform')}:{row.get('id')}"]
        for column in columns:
            value = row[column]
            if column == "flags":
                reasons = row.get("flag_reasons") or []
                value = "; ".join(f"{f} ({r})" if r else f for f, r in zip(value, reasons, strict=False)) or "-"
            elif column == "sentiment" and value is not None and row.get("sentiment_score") is not None:
                value = f"{value} {row['sentiment_score']:.2f}"
            elif column == "counted":
                value = "yes" if value else "no"
            text = "-" if value is None else str(value).replace("\n", " ")
            cells.append(text[:80] + ("…" if len(text) > 80 else ""))
        table.add_row(*cells)
    out.print(table)


def _side_total(other: object) -> str:
    if other is None:
        return "-"
    return f"{other.participant}: {other.points} (place {other.place})"  # type: ignore[attr-defined]


@runs_app.command("list")
def runs_list(
    ctx: typer.Context,
    methodology: Annotated[Optional[str], typer.Option(help="Only this methodology.")] = None,  # noqa: UP045
) -> None:
    """Stored rating runs, newest first."""
    table = Table("run", "created", "methodology", "period", "engine", "data cut", "methodology sha256", "rated")
    for run in runs.list_runs(get(ctx).home, methodology):
        rated = sum(1 for r in run.result if r.get("place") is not None)
        table.add_row(
            str(run.id),
            run.created_at,
            run.methodology,
            run.period,
            run.engine,
            str(run.data_cut),
            run.methodology_sha256[:12],
            str(rated),
        )
    out.print(table)


@runs_app.command("show")
def runs_show(ctx: typer.Context, run_id: Annotated[int, typer.Argument(help="Run id.")]) -> None:
    """A stored run's result as JSON."""
    run = runs.get(get(ctx).home, run_id)
    if run is None:
        raise CivicpulseError(f"no rating run {run_id}")
    out.print(json.dumps(run.result, ensure_ascii=False, indent=1), markup=False)


@methodology_app.command("list")
def methodology_list() -> None:
    """The built-in methodologies."""
    for name in methodologies.builtin_names():
        method = methodologies.load(name)
        metrics = ", ".join(m.name for m in method.spec.metrics)
        out.print(f"{name}: {method.spec.display_title('en')} [{metrics}]")


@methodology_app.command("metrics")
def methodology_metrics() -> None:
    """The metric catalogue: what each metric means and which way is better."""
    table = Table("metric", "better", "meaning")
    for metric in CATALOGUE.values():
        table.add_row(metric.name, "higher" if metric.direction == "desc" else "lower", metric.description)
    out.print(table)
