"""``export posts``: latest observations, local day edges, formats, spreadsheet safety."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest

from civicpulse.export import posts as export_posts
from civicpulse.export.safe import neutralise
from civicpulse.importers.base import ImportReport, run_import
from civicpulse.importers.canonical import CanonicalJsonl
from civicpulse.periods import days_period
from civicpulse.store.home import Home
from tests.conftest import engine_of, post, write_jsonl

Load = Callable[..., ImportReport]
HOSTILE = ['=HYPERLINK("http://evil","click")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "<script>alert(1)</script>"]


@pytest.fixture
def loaded(load: Load) -> None:
    load(
        [
            post(
                "vk",
                "a",
                "-1",
                "2024-03-04T00:10:00+05:00",
                likes=1,
                text=HOSTILE[0],
                observed_at="2024-03-05T00:00:00Z",
            ),
            post(
                "vk",
                "a",
                "-1",
                "2024-03-04T00:10:00+05:00",
                likes=9,
                text=HOSTILE[0],
                observed_at="2024-03-06T00:00:00Z",
            ),
            post("vk", "b", "-1", "2024-03-05T09:00:00Z", text=HOSTILE[1], url="https://vk.com/wall-1_2"),
            post("vk", "c", "-100", "2024-03-05T09:00:00Z", text=HOSTILE[2], author="-5"),
            post("vk", "d", "-1", "2024-03-05T09:00:00Z", text=HOSTILE[3], views=7),
            post("vk", "e", "-1", "2024-03-05T09:00:00Z", text=HOSTILE[4]),
            post("vk", "f", "-1", "2024-03-05T09:00:00Z", text=HOSTILE[5]),
            post("vk", "outside", "-1", "2024-03-03T23:59:00+05:00", text="before the range"),
        ]
    )


def period_of(home: Home) -> object:
    return days_period(date(2024, 3, 4), date(2024, 3, 6), home.registry().timezone)


@pytest.mark.usefixtures("loaded")
def test_jsonl_export_is_latest_and_reimportable(home: Home, tmp_path: Path) -> None:
    buffer = io.StringIO()
    count = export_posts.write(engine_of(home), period_of(home), "jsonl", buffer)  # type: ignore[arg-type]
    rows = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert count == len(rows) == 6
    assert rows[0]["id"] == "a" and rows[0]["likes"] == 9
    assert rows[0]["published_at"] == "2024-03-03T19:10:00Z"
    assert {r["text"] for r in rows} == set(HOSTILE)  # JSON keeps text verbatim
    other = Home(tmp_path / "other")
    other.save_registry(home.registry_text())
    report = run_import(other, write_jsonl(tmp_path / "again.jsonl", rows), CanonicalJsonl())
    assert report.counts == {"posts": 6}


@pytest.mark.usefixtures("loaded")
def test_csv_export_neutralises_formulas(home: Home) -> None:
    buffer = io.StringIO()
    export_posts.write(engine_of(home), period_of(home), "csv", buffer)  # type: ignore[arg-type]
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    texts = {r["id"]: r["text"] for r in rows}
    assert texts["a"] == "'" + HOSTILE[0]
    assert texts["b"] == "'+1+1"
    assert texts["c"] == "'-2+3"
    assert texts["d"] == "'@SUM(A1)"
    assert texts["e"] == "'\t=1"
    assert texts["f"] == HOSTILE[5]
    assert {r["account"] for r in rows} == {"-1", "-100"}  # plain numbers stay numbers
    assert all(r["record"] == "post" for r in rows)


@pytest.mark.usefixtures("loaded")
def test_xlsx_export_writes_text_never_formulas(home: Home, tmp_path: Path) -> None:
    out = tmp_path / "posts.xlsx"
    export_posts.write(engine_of(home), period_of(home), "xlsx", out)  # type: ignore[arg-type]
    sheet = openpyxl.load_workbook(out).active
    header = [c.value for c in sheet[1]]
    text_col = header.index("text")
    cells = [row[text_col] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in cells)
    assert {c.value for c in cells} == set(HOSTILE)


@pytest.mark.usefixtures("loaded")
def test_parquet_export(home: Home, tmp_path: Path) -> None:
    out = tmp_path / "posts.parquet"
    assert export_posts.write(engine_of(home), period_of(home), "parquet", out) == 6  # type: ignore[arg-type]
    table = pq.read_table(out)
    assert "_batch" not in table.column_names
    assert table.num_rows == 6


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("-100", "-100"),
        ("+7 701 000", "'+7 701 000"),
        ("-1.5e3", "-1.5e3"),
        ("", ""),
        ("-100_123", "-100_123"),
        ("-1_1+cmd|x", "'-1_1+cmd|x"),
        ("  =cmd", "'  =cmd"),
        ("обычный текст", "обычный текст"),
        ("@user", "'@user"),
        ("\r=1", "'\r=1"),
    ],
)
def test_neutralise(cell: str, expected: str) -> None:
    assert neutralise(cell) == expected
