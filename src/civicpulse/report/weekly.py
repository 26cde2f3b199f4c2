"""``civicpulse report``: the weekly (or monthly) report as HTML, XLSX and CSV files.

``report.html`` is one self-contained page (inline CSS, inline SVG charts, no script, no font, no
network), ``report.xlsx`` has an about sheet, a sheet per rating with a native Excel chart and a
sheet of top posts, and each rating is also ``<methodology>.csv`` (UTF-8 with a byte order mark,
so Excel reads Cyrillic; text cells neutralised against formulas). A rating of mentions adds
``<methodology>-tone.csv`` (each entity's mentions and audience by tone, negative mentions by topic)
and a rating of heads' accounts ``<methodology>-top.csv`` (its top three with an example post each),
with a sheet each in the workbook. Simulated data is marked in the page, in the workbook and in its
properties.
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
from civicpulse.report import html, tables
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
    extras: list[tuple[str, tables.Table]] = []
    for rating, view in zip(ratings, report.ratings, strict=True):
        path = out_dir / f"{_stem(rating.methodology.name, used)}.csv"
        _atomic(path, partial(_csv, rating=rating))
        files.append(path)
        if view.listening is not None and view.listening.tone:
            extras.append((f"{rating.methodology.name}-tone", tables.tone_table(view.listening)))
        if view.persons:
            extras.append((f"{rating.methodology.name}-top", tables.persons_table(view.persons, view.columns)))
    # after every rating's own file, so a methodology named like one of these keeps its plain name
    for wanted, table in extras:
        path = out_dir / f"{_stem(wanted, used)}.csv"
        _atomic(path, partial(_table_csv, table=table))
        files.append(path)
    return files


def _stem(wanted: str, used: set[str]) -> str:
    stem, n = wanted, 2
    while stem in used:
        stem, n = f"{wanted}-{n}", n + 1
    used.add(stem)
    return stem


def _csv(path: Path, *, rating: Rating) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        write_csv(rating, handle)


def _table_csv(path: Path, *, table: tables.Table) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        tables.write_csv(table, handle)


def _atomic(path: Path, write: Callable[[Path], object]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write(tmp)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"cannot write {path}: {exc.strerror}") from exc
