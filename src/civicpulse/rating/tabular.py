"""A rating as flat rows: what CSV files, XLSX sheets and terminal tables are made of."""

from __future__ import annotations

import csv
from typing import IO, Any

from civicpulse.export.safe import neutralise
from civicpulse.rating.compute import Rating


def header(rating: Rating) -> list[str]:
    names = rating.methodology.metric_names
    metric_cols = [col for n in names for col in (f"{n}", f"{n}_rank")]
    return ["place", "previous_place", "movement", "participant", "entity", "points", *metric_cols, "unrated", "notes"]


def rows(rating: Rating) -> list[list[Any]]:
    """Rated participants by place, then unrated ones; values as numbers, missing as None."""
    names = rating.methodology.metric_names
    out: list[list[Any]] = []
    for r in rating.rows:
        metric_cells = [c for n in names for c in (r.metrics[n].value, r.metrics[n].rank)]
        out.append(
            [
                r.place,
                r.previous_place,
                r.movement,
                r.participant,
                r.entity,
                r.points,
                *metric_cells,
                None,
                "; ".join(r.notes) or None,
            ]
        )
    for u in rating.unrated:
        out.append([None, None, None, u.participant, u.entity, None, *([None] * 2 * len(names)), u.reason, None])
    return out


def write_csv(rating: Rating, handle: IO[str]) -> None:
    """The rating as CSV, text cells neutralised against spreadsheet formulas."""
    writer = csv.writer(handle)
    writer.writerow(header(rating))
    for row in rows(rating):
        writer.writerow(["" if v is None else neutralise(str(v)) if isinstance(v, str) else v for v in row])


def movement_arrow(movement: int | None) -> str:
    """``▲2``, ``▼1``, ``=`` or ``new``."""
    if movement is None:
        return "new"
    if movement > 0:
        return f"▲{movement}"
    if movement < 0:
        return f"▼{-movement}"
    return "="


def format_value(value: float | int | None, kind: str) -> str:
    """Counts with thin grouping, ratios with 4 significant digits (as % when under 1)."""
    if value is None:
        return "-"
    if kind == "ratio":
        return f"{value:.4g}"
    return f"{int(value):,}".replace(",", " ")
