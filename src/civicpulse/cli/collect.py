"""``civicpulse collect`` and ``civicpulse collect status``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Optional

import typer
from rich import box
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Column, Table
from rich.text import Text

from civicpulse.cli.context import err, get, out
from civicpulse.collect.base import Target
from civicpulse.collect.run import CollectOptions, RunReport, TargetOutcome, collect
from civicpulse.collect.state import CollectState
from civicpulse.errors import CivicpulseError
from civicpulse.periods import parse_day
from civicpulse.platforms import normalise_platform

collect_app = typer.Typer(
    help="Collect official pages and mentions from the platforms configured in config.toml.",
    invoke_without_command=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(collect_app, name="collect")


@collect_app.callback()
def collect_cmd(
    ctx: typer.Context,
    platform: Annotated[
        Optional[list[str]],  # noqa: UP045 (typer reads the annotation at run time)
        typer.Option(
            "--platform", metavar="PLATFORM", help="Collect only this platform (repeatable); default: all configured."
        ),
    ] = None,
    since: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--since", metavar="YYYY-MM-DD", help="Collect posts published since this local day (YYYY-MM-DD)."
        ),
    ] = None,
    targets: Annotated[str, typer.Option("--targets", metavar="KIND", help="official, mentions or all.")] = "all",
) -> None:
    """Collect now: resumes an interrupted run, then every target from its cursor."""
    if ctx.invoked_subcommand is not None:
        return
    if targets not in ("official", "mentions", "all"):
        raise CivicpulseError(f"--targets: expected official, mentions or all, got {targets!r}")
    try:
        platforms = tuple(dict.fromkeys(normalise_platform(p) for p in platform or []))
    except ValueError as exc:
        raise CivicpulseError(f"--platform: {exc}") from None
    options = CollectOptions(platforms=platforms, since=parse_day(since) if since else None, targets=targets)  # type: ignore[arg-type]
    home = get(ctx).home
    with _Bar() as bar:
        report = collect(home, options, observer=bar)
    _print_report(report)
    if report.platform_errors or any(o.stop is not None for o in report.outcomes):
        raise typer.Exit(1)


@collect_app.command("status")
def status_cmd(ctx: typer.Context, limit: Annotated[int, typer.Option(help="How many runs.")] = 10) -> None:
    """The last collection runs and the open problems (targets skipped until they succeed again)."""
    store = CollectState(get(ctx).home.lake)
    try:
        _print_status(store, limit)
    finally:
        store.close()


def _print_status(store: CollectState, limit: int) -> None:
    runs = Table(
        "run",
        Column("started (UTC)", no_wrap=True),
        "took",
        "status",
        "platforms",
        "ok",
        "skipped",
        "requests",
        title="Collection runs",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        collapse_padding=True,
    )
    for run in store.runs(limit):
        summary = run.summary
        if summary is None:  # unfinished: count what its targets did so far
            rows = store.results(run.id)
            ok = sum(r.status == "ok" for r in rows)
            skipped = len(rows) - ok
            requests = sum(r.requests for r in rows)
        else:
            ok = sum(s["ok"] for s in summary)
            skipped = sum(s["skipped"] for s in summary)
            requests = sum(s["requests"] for s in summary)
        platforms = ", ".join(run.options.get("platforms") or []) or "all"
        runs.add_row(
            str(run.id),
            _minute(run.started_at),
            _took(run.started_at, run.finished_at),
            run.status,
            platforms,
            str(ok),
            str(skipped),
            str(requests),
        )
    out.print(runs)
    problems = store.open_problems()
    if not problems:
        out.print("no open problems")
        return
    out.print("Open problems (the target is skipped until it succeeds again):")
    for p in problems:
        since = f"since {_minute(p.first_seen)}" + (f", {p.times} runs" if p.times > 1 else "")
        out.print(Text(f"  {p.target} ({since}): {p.reason}"))


def _minute(iso: str) -> str:
    return iso.replace("T", " ")[:16]


def _took(started: str, finished: str | None) -> str:
    if not finished:
        return ""
    seconds = int((dt.datetime.fromisoformat(finished) - dt.datetime.fromisoformat(started)).total_seconds())
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class _Bar:
    """A Rich progress bar per platform, advanced as targets finish."""

    def __init__(self) -> None:
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        )
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> _Bar:
        self.progress.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.progress.stop()

    def platform_started(self, platform: str, targets: int) -> None:
        self.tasks[platform] = self.progress.add_task(platform, total=targets)

    def target_started(self, target: Target) -> None:
        self.progress.update(self.tasks[target.platform], description=f"{target.platform} {target.key}")

    def target_finished(self, outcome: TargetOutcome) -> None:
        self.progress.advance(self.tasks[outcome.target.platform])


def _print_report(report: RunReport) -> None:
    resumed = " (resumed an interrupted run)" if report.resumed else ""
    table = Table(
        Column("", no_wrap=True),
        "targets",
        "ok",
        "skipped (why)",
        "new",
        "updated",
        "requests",
        "quota left",
        title=f"Collection run {report.run_id}{resumed}",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        collapse_padding=True,
    )
    for s in report.summaries:
        why = ", ".join(f"{reason} {n}" for reason, n in sorted(s.reasons.items(), key=lambda kv: (-kv[1], kv[0])))
        skipped = f"{s.skipped} ({why})" if s.skipped else "0"
        quota = "–" if s.quota_left is None else str(s.quota_left)
        table.add_row(
            f"{s.platform} {s.kind}",
            str(s.targets),
            str(s.ok),
            Text(skipped),
            str(s.new),
            str(s.updated),
            str(s.requests),
            quota,
        )
    for platform in report.platform_errors:
        table.add_row(platform, "–", "0", "not collected", "0", "0", "0", "–")
    out.print(table)
    for platform, reason in report.platform_errors.items():
        out.print(Text(f"{platform} not collected: {reason}"))
    skipped_targets = [o for o in report.outcomes if o.status != "ok"]
    for o in skipped_targets[:20]:
        out.print(Text(f"skipped {o.target.name}: {o.reason}"))
    notes = [(o.target.name, note) for o in report.outcomes for note in o.notes]
    for name, note in notes[:20]:
        out.print(Text(f"note {name}: {note}"))
    hidden = max(0, len(skipped_targets) - 20) + max(0, len(notes) - 20)
    if hidden:
        out.print(f"... {hidden} more lines: see `civicpulse collect status`")
