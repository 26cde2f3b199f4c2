"""Writing a review in the format asked for, to a file (written whole, then renamed) or to standard output."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Final

from rich.console import Console

from civicpulse.errors import CivicpulseError, StoreError
from civicpulse.review.build import Review
from civicpulse.review.render.as_html import render_html
from civicpulse.review.render.as_json import render_json
from civicpulse.review.render.as_markdown import render_markdown
from civicpulse.review.render.as_table import print_table
from civicpulse.review.render.as_xlsx import write_xlsx
from civicpulse.review.render.view import article

FORMATS: Final = ("table", "json", "markdown", "html", "xlsx")
TABLE_WIDTH: Final = 140


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise CivicpulseError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    return fmt


def text_of(review: Review, fmt: str) -> str:
    """The review as text in ``fmt`` (every format but ``xlsx``)."""
    if fmt == "json":
        return render_json(review)
    if fmt == "markdown":
        return render_markdown(article(review))
    if fmt == "html":
        return render_html(article(review))
    if fmt == "table":
        buffer = io.StringIO()
        print_table(article(review), Console(file=buffer, width=TABLE_WIDTH, no_color=True, highlight=False))
        return buffer.getvalue()
    raise CivicpulseError(f"format {fmt!r} is not text")


def _atomic(path: Path, write: Callable[[Path], object]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        if path.parent != Path():
            path.parent.mkdir(parents=True, exist_ok=True)
        write(tmp)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"cannot write {path}: {exc.strerror}") from exc


def write_review(review: Review, fmt: str, out: Path | None, console: Console) -> Path | None:
    """Write ``review`` as ``fmt`` to ``out``, or show it on ``console`` when ``out`` is None.

    XLSX needs a file. Returns the file written, if any.
    """
    check_format(fmt)
    if out is None:
        if fmt == "xlsx":
            raise CivicpulseError("--format xlsx needs --out FILE")
        if fmt == "table":
            print_table(article(review), console)
        else:
            console.file.write(text_of(review, fmt))
            console.file.flush()
        return None
    if fmt == "xlsx":
        _atomic(out, lambda tmp: write_xlsx(tmp, review))
    else:
        text = text_of(review, fmt)
        _atomic(out, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return out
