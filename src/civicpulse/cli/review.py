"""``civicpulse review``: how every body's official pages changed between two dates, with a paragraph per body."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from civicpulse.cli.context import err, get, out
from civicpulse.i18n import check_lang
from civicpulse.periods import parse_day


def register(app: typer.Typer) -> None:
    app.command("review")(review_cmd)


def review_cmd(
    ctx: typer.Context,
    first: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD, registry's time zone).")],
    last: Annotated[str, typer.Option("--to", help="Last day (YYYY-MM-DD), included.")],
    entities: Annotated[
        Optional[str],  # noqa: UP045 (typer reads the annotation at run time)
        typer.Option("--entities", help="Bodies: kinds or ids, comma-separated (default: every body with a page)."),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the text: ru, az, kk or en.")] = "ru",
    fmt: Annotated[str, typer.Option("--format", help="table, json, markdown, html or xlsx.")] = "table",
    out_file: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--out", help="Write to this file (needed for xlsx) instead of standard output."),
    ] = None,
) -> None:
    """Review the official pages between two dates: followers at both, posting, engagement, a paragraph per body.

    Followers "at" a date are the latest snapshot at or before the end of that day; posts count on
    every day from --from to --to, both included.
    """
    # imported here so that `civicpulse --help` and the other commands do not load the renderers
    from civicpulse.review.build import build_review
    from civicpulse.review.write import check_format, write_review

    check_lang(lang)
    check_format(fmt)
    first_day, last_day = parse_day(first), parse_day(last)
    context = get(ctx)
    review = build_review(context.engine(), first_day, last_day, entities=entities, lang=lang)
    written = write_review(review, fmt, out_file, out)
    if written is not None:
        err.print(str(written), markup=False)
