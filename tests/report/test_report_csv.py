"""The report's CSV files: one per rating, the rating's rows, formulas neutralised."""

from __future__ import annotations

import csv

from civicpulse.export.safe import neutralise
from civicpulse.rating.tabular import header
from tests.report.conftest import EVIL_ID, Built


def test_csv_per_rating_holds_its_rows(built: Built) -> None:
    for rating, path in zip(built.rated.ratings, built.files["en"][2:], strict=True):
        assert path.name == f"{rating.methodology.name}.csv"
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == header(rating)
        assert len(rows) == 1 + len(rating.rows) + len(rating.unrated)
        assert [r[3] for r in rows[1 : 1 + len(rating.rows)]] == [neutralise(r.participant) for r in rating.rows]
        assert [r[0] for r in rows[1 : 1 + len(rating.rows)]] == [str(r.place) for r in rating.rows]


def test_csv_cells_starting_with_equals_are_neutralised(built: Built) -> None:
    text = built.files["en"][3].read_text(encoding="utf-8-sig")  # entity-pages: the evil entity is a participant
    rows = list(csv.reader(text.splitlines()))
    cells = [cell for row in rows for cell in row]
    assert "'" + EVIL_ID in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
