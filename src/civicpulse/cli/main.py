"""``civicpulse``: the command line entry point and the global options."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from civicpulse import __version__
from civicpulse.cli import collect, data, enrich, flags, rate, registry, report, review
from civicpulse.cli.context import Context, err, out
from civicpulse.config import load_settings
from civicpulse.errors import AlreadyImported, CivicpulseError


class _UserErrors(TyperGroup):
    """The command group that prints a user error's message and exits with its code.

    Doing it here rather than only in :func:`run` means every way of calling the app (the console script,
    ``typer.testing.CliRunner``, ``python -m``) reports errors the same way.
    """

    def invoke(self, ctx: Any) -> Any:  # Any: the parent's Context type lives in typer's private click copy
        try:
            return super().invoke(ctx)
        except AlreadyImported as exc:
            err.print(str(exc), markup=False)
            raise typer.Exit(exc.exit_code) from exc
        except CivicpulseError as exc:
            err.print(f"error: {exc}", markup=False)
            raise typer.Exit(exc.exit_code) from exc


app = typer.Typer(
    cls=_UserErrors,
    name="civicpulse",
    help="Weekly ratings, reviews and work queues of how public authorities communicate in social media.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        out.print(f"civicpulse {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    home: Annotated[
        Optional[Path],  # noqa: UP045 (typer reads the annotation at run time)
        typer.Option("--home", help="Data home directory (env CIVICPULSE_HOME, default ./civicpulse-home)."),
    ] = None,
    engine: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--engine", help="Query engine: duckdb (default) or spark (env CIVICPULSE_ENGINE)."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Global options apply to every command."""
    ctx.obj = Context(load_settings(home=home, engine=engine))


registry.register(app)
data.register(app)
rate.register(app)
report.register(app)
review.register(app)
enrich.register(app)
flags.register(app)
collect.register(app)


def run() -> None:
    """Console entry point: user errors print their message and exit with their code."""
    try:
        app()
    except AlreadyImported as exc:
        err.print(str(exc))
        sys.exit(exc.exit_code)
    except CivicpulseError as exc:
        err.print(f"error: {exc}", markup=False)
        sys.exit(exc.exit_code)
