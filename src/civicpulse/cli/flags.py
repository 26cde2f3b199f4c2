"""``civicpulse flags``: run the window stages (coordination, floods, bots, and any a plugin installs) and
override flags."""

from __future__ import annotations

import getpass
from dataclasses import replace
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from civicpulse.cli.context import get, out
from civicpulse.cli.rate import MonthOpt, WeekOpt, resolve_period
from civicpulse.enrich import flagging, flags, window
from civicpulse.enrich.bots import BotParams
from civicpulse.enrich.coordination import CoordinationParams
from civicpulse.enrich.floods import FloodParams
from civicpulse.errors import ConfigError

flags_app = typer.Typer(
    help="Coordination, floods and bot flags over a period's posts, and analysts' overrides.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(flags_app, name="flags")


def _analyst() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name known to the system
        return ""


@flags_app.command("detect")
def detect_cmd(
    ctx: typer.Context,
    week: WeekOpt = None,
    month: MonthOpt = None,
    stage: Annotated[
        Optional[list[str]],  # noqa: UP045 (typer reads the annotation at run time)
        typer.Option(
            "--stage",
            help="An installed window stage (built in: coordination, floods, bots); repeatable (default: all).",
        ),
    ] = None,
    lookback: Annotated[
        int, typer.Option("--lookback", min=0, help="Days before the period counted as evidence.")
    ] = 28,
    interval: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option(
            "--interval", min=1.0, help="Fixed co-sharing interval in seconds (default: chosen from the data)."
        ),
    ] = None,
    min_links: Annotated[int, typer.Option("--min-links", min=1, help="Distinct links a pair must co-share.")] = 2,
    alpha: Annotated[
        float, typer.Option("--alpha", min=1e-12, max=1.0, help="Chance of one false pair per run.")
    ] = 0.01,
    bot_threshold: Annotated[
        float, typer.Option("--bot-threshold", min=0.0, max=1.0, help="Bot score threshold.")
    ] = 0.6,
    min_copies: Annotated[int, typer.Option("--min-copies", min=2, help="Copies of one text that make a flood.")] = 5,
) -> None:
    """Flag the period's posts: coordinated link sharing, text floods and spam, bot authors, and whatever
    the window stages of installed plugins flag."""
    context = get(ctx)
    period = resolve_period(context, week, month)
    # every installed window stage, the built-in ones (from the builtin plugin) with the options above
    tuned = flagging.configured(
        window.installed(),
        CoordinationParams(interval_s=interval, min_links=min_links, alpha=alpha),
        FloodParams(min_copies=min_copies),
        BotParams(threshold=bot_threshold),
    )
    stages = {name: replace(s, lookback_days=lookback) for name, s in tuned.items()}
    reports = window.run(context.home, period, stage, stages=stages, engine=context.engine(), settings=context.settings)
    for r in reports:
        out.print(
            f"{r.stage} {r.version}: {r.flagged} of {r.posts} post(s) of {period.label} flagged"
            f" ({r.window_posts} in the window, {r.seconds:.1f} s); {r.summary}"
        )


@flags_app.command("override")
def override_cmd(
    ctx: typer.Context,
    flag: Annotated[str, typer.Option("--flag", help="The flag, e.g. coordinated, spam, bot_author.")],
    reason: Annotated[str, typer.Option("--reason", help="Why; shown wherever the flag is.")],
    post: Annotated[Optional[str], typer.Option("--post", help="One post: PLATFORM:ID.")] = None,  # noqa: UP045
    author: Annotated[Optional[str], typer.Option("--author", help="Every post of an author: PLATFORM:ID.")] = None,  # noqa: UP045
    set_flag: Annotated[bool, typer.Option("--set", help="Add the flag.")] = False,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the flag.")] = False,
    by: Annotated[Optional[str], typer.Option("--by", help="Who decides (default: the system user).")] = None,  # noqa: UP045
) -> None:
    """Set or clear a flag on a post or on every post of an author, with who and why."""
    context = get(ctx)
    if bool(post) == bool(author):
        raise ConfigError("give exactly one of --post or --author")
    if set_flag == clear:
        raise ConfigError("give exactly one of --set or --clear")
    kind: flags.TargetKind = "post" if post else "author"
    platform, target = flags.parse_target(post or author or "", f"--{kind}")
    decided = flags.add_override(
        context.home, kind, platform, target, flag, "set" if set_flag else "clear", reason, by or _analyst()
    )
    out.print(
        f"override #{decided.id}: {decided.action} {decided.flag} on {kind} {platform}:{target}"
        f" by {decided.analyst} (from data cut {decided.commit_seq})",
        markup=False,
    )


@flags_app.command("list")
def list_cmd(ctx: typer.Context) -> None:
    """Every analyst override, oldest first."""
    context = get(ctx)
    table = Table("#", "when", "by", "target", "flag", "action", "reason", "cut", title="flag overrides")
    for o in flags.list_overrides(context.home):
        # Text(): an analyst's words are shown as written, never read as console markup
        cells = [str(o.id), o.created_at, o.analyst, f"{o.target_kind} {o.platform}:{o.target}", o.flag, o.action]
        table.add_row(*(Text(c) for c in [*cells, o.reason, str(o.commit_seq)]))
    out.print(table)
