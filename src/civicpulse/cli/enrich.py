"""``civicpulse enrich`` and ``civicpulse eval``: run the enrichment stages, measure them."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn
from rich.table import Table

from civicpulse.cli.context import err, get, out
from civicpulse.enrich import evaluate, pipeline
from civicpulse.enrich import run as runner


def register(app: typer.Typer) -> None:
    app.command("enrich")(enrich_cmd)
    app.command("eval")(eval_cmd)


def enrich_cmd(
    ctx: typer.Context,
    stage: Annotated[
        Optional[list[str]],  # noqa: UP045 (typer reads the annotation at run time)
        typer.Option("--stage", help="Run only this stage (and what it depends on); repeatable."),
    ] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Posts per Arrow batch.")] = runner.BATCH_SIZE,
    workers: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(
            "--workers",
            min=1,
            help="Processes sharing a stage's batches (default: one per core, at most 4; 1: this process only).",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only say how many posts each stage would process.")
    ] = False,
) -> None:
    """Run the enrichment stages over posts that are new, edited, or enriched by an older stage version."""
    context = get(ctx)
    stages = pipeline.installed()
    if dry_run:
        for name, count in runner.needs(context.engine(), stages, settings=context.settings).items():
            out.print(f"{name}: {count} post(s) to process")
        return
    tasks: dict[str, TaskID] = {}
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    ) as progress:

        def report(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = progress.add_task(f"enrich {name}", total=total)
            progress.update(tasks[name], completed=done)

        reports = runner.run(
            context.home,
            stage,
            stages=stages,
            batch_size=batch_size,
            progress=report,
            workers=workers,
            settings=context.settings,
        )
    for r in reports:
        if r.todo == 0:
            out.print(f"{r.stage} {r.version}: up to date")
        else:
            rate = f", {r.per_second:,.0f} posts/s" if r.per_second else ""
            out.print(f"{r.stage} {r.version}: {r.todo} post(s) in {r.seconds:.1f} s{rate} (batch {r.batch})")


def eval_cmd(
    ctx: typer.Context,
    stage: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--stage", help="Evaluate only this stage; repeatable."),
    ] = None,
    split: Annotated[str, typer.Option("--split", help="Corpus split: test (held out) or train.")] = "test",
    seeds: Annotated[
        int, typer.Option("--seeds", min=1, help="Seeds per kind of simulated week (coordination, bots).")
    ] = 10,
) -> None:
    """Precision, recall and F1 per stage and language on the shipped labelled corpus (held-out split)."""
    wanted = list(stage or [])
    corpus_stages = [s for s in wanted if s not in WINDOW_EVAL]
    if not wanted or corpus_stages:
        rows = evaluate.run(corpus_stages or None, split=split, settings=get(ctx).settings)
        _corpus_table(rows, f"{split} split")
    if not wanted or len(corpus_stages) < len(wanted):
        # imported here: it loads the simulator, which no other command of this module needs
        from civicpulse.enrich import coordination_eval

        results = coordination_eval.run([s for s in wanted if s in WINDOW_EVAL] or None, seeds=seeds)
        _corpus_table(coordination_eval.eval_rows(results), "coordinated accounts and bots vs ground truth")
        lines = coordination_eval.summary(results)
        table = Table(*(lines[0] if lines else ["week"]), title="coordinated accounts: ours vs CooRnet and CooRTweet")
        for line in lines:
            table.add_row(*(str(v) for v in line.values()))
        out.print(table)


WINDOW_EVAL = ("coordination", "bots")
"""Window stages measured on seeded weeks (``civicpulse.enrich.coordination_eval``), not on the corpus."""


def _corpus_table(rows: list[evaluate.EvalRow], title: str) -> None:
    table = Table("stage", "lang", "items", "precision", "recall", "F1", "target", "note", title=f"eval ({title})")
    for row in rows:
        target = "-" if row.target is None else f"{row.target:.2f} {'ok' if row.meets_target else 'MISSED'}"
        table.add_row(
            row.stage,
            row.lang,
            str(row.items),
            f"{row.precision:.3f}",
            f"{row.recall:.3f}",
            f"{row.f1:.3f}",
            target,
            row.note,
        )
    out.print(table)
