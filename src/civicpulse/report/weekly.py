"""``civicpulse report``: the weekly (or monthly) report as HTML, XLSX and CSV files.

``report.html`` is one self-contained page (inline CSS, inline SVG charts, no script, no font, no
network), ``report.xlsx`` has an about sheet, a sheet per rating with a native Excel chart and a
sheet of top posts, and each rating is also ``<methodology>.csv`` (UTF-8 with a byte order mark,
so Excel reads Cyrillic; text cells neutralised against formulas). Simulated data is marked in
the page, in the workbook and in its properties.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path

from civicpulse.errors import CivicpulseError, StoreError
from civicpulse.i18n import Language
from civicpulse.periods import Period
from civicpulse.query.engine import Engine
from civicpulse.rating.compute import Rating
from civicpulse.rating.tabular import write_csv
from civicpulse.report import html
from civicpulse.report.build import build
from civicpulse.report.xlsx import write_xlsx


def write_report(
    engine: Engine,
    ratings: list[Rating],
    period: Period,
    out_dir: Path,
    *,
    lang: str = "ru",
    now: dt.datetime | None = None,
) -> list[Path]:
    """Write the report of ``ratings`` for ``period`` into ``out_dir``; returns the files, HTML first.

    Entity cards are fetched through ``engine`` (the lake as the ratings saw it). Each file is
    written under a temporary name and renamed, so a reader never sees half a report.
    """
    if not ratings:
        raise CivicpulseError("nothing to report: no rating was given")
    language = Language(lang)
    report = build(engine, ratings, period, language, now=now)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the report directory {out_dir}: {exc.strerror}") from exc

    files = [out_dir / "report.html", out_dir / "report.xlsx"]
    _atomic(files[0], lambda tmp: tmp.write_text(html.render(report), encoding="utf-8"))
    _atomic(files[1], lambda tmp: write_xlsx(tmp, report, ratings))
    used: set[str] = set()
    for rating in ratings:
        stem, n = rating.methodology.name, 2
        while stem in used:
            stem, n = f"{rating.methodology.name}-{n}", n + 1
        used.add(stem)
        path = out_dir / f"{stem}.csv"
        _atomic(path, partial(_csv, rating=rating))
        files.append(path)
    return files


def _csv(path: Path, *, rating: Rating) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        write_csv(rating, handle)


def _atomic(path: Path, write: Callable[[Path], object]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write(tmp)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"cannot write {path}: {exc.strerror}") from exc
