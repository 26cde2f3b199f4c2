"""The report workbook: a sheet per rating with a native chart, typed cells, text never a formula."""

from __future__ import annotations

import re
import zipfile

import openpyxl
import pytest

from civicpulse.i18n import gettext
from civicpulse.report.xlsx import sheet_name
from tests.report.conftest import EVIL_ID, EVIL_NAME_RU, FORMULA_TEXT, Built


@pytest.fixture(scope="module")
def book(built: Built) -> openpyxl.Workbook:
    return openpyxl.load_workbook(built.files["ru"][1])


def test_one_sheet_per_rating_between_about_and_top_posts(built: Built, book: openpyxl.Workbook) -> None:
    names = [r.methodology.name for r in built.rated.ratings]
    assert book.sheetnames == [gettext("About", "ru"), *names, gettext("Top posts", "ru")]


def test_rating_sheets_have_a_native_bar_chart_frozen_header_and_filter(built: Built, book: openpyxl.Workbook) -> None:
    for rating in built.rated.ratings:
        ws = book[rating.methodology.name]
        assert len(ws._charts) == 1
        assert ws._charts[0].tagname == "barChart"
        assert ws.freeze_panes == "A4"
        assert ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith("A3:")
    with zipfile.ZipFile(built.files["ru"][1]) as archive:
        charts = [n for n in archive.namelist() if re.match(r"xl/charts/chart\d+\.xml", n)]
        assert len(charts) == len(built.rated.ratings)
        assert all(b"<c:barChart>" in archive.read(n) for n in charts)


def test_rating_rows_are_typed_and_follow_the_rating(built: Built, book: openpyxl.Workbook) -> None:
    rating = built.rated.ratings[0]
    ws = book[rating.methodology.name]
    header = [c.value for c in ws[3]]
    assert header[:3] == [gettext("Place", "ru"), gettext("Previous place", "ru"), gettext("Change", "ru")]
    assert gettext("Followers", "ru") in header
    data = list(ws.iter_rows(min_row=4, values_only=True))
    assert len(data) == len(rating.rows) + len(rating.unrated)
    points = header.index(gettext("Points", "ru"))
    followers = header.index(gettext("Followers", "ru"))
    for values, row in zip(data, rating.rows, strict=False):
        assert values[0] == row.place
        assert values[points] == row.points
        assert values[followers] == row.metrics["followers"].value
        assert isinstance(values[followers], int | float)
    assert data[-1][0] is None  # the unrated row has no place
    assert gettext("no follower snapshot before the period's end", "ru") in str(data[-1])


def test_text_that_looks_like_a_formula_stays_a_string(built: Built, book: openpyxl.Workbook) -> None:
    seen = set()
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    assert cell.data_type == "s", (ws.title, cell.coordinate)
                    seen.add(cell.value)
    assert FORMULA_TEXT in seen  # the post's text, in the top posts sheet
    assert EVIL_ID in seen  # an entity id
    assert any(v.startswith(EVIL_NAME_RU) for v in seen)  # a participant's display name
    with zipfile.ZipFile(built.files["ru"][1]) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), name


def test_about_sheet_names_period_cut_and_simulation(built: Built, book: openpyxl.Workbook) -> None:
    facts = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True) if row[0]}
    assert facts[gettext("Period", "ru")] == "2024-W10"
    assert facts[gettext("Time zone", "ru")] == "Asia/Almaty"
    assert facts[gettext("Simulated data", "ru")] == gettext("no", "ru")
    assert facts[gettext("Data cut", "ru")] == str(built.rated.ratings[0].data_cut)
    methods = [r.methodology for r in built.rated.ratings]
    shas = {row[2] for row in book.worksheets[0].iter_rows(values_only=True)}
    assert {m.sha256 for m in methods} <= shas


def test_sheet_names_are_valid_and_unique() -> None:
    taken: set[str] = set()
    names = [sheet_name(n, taken) for n in ("pages", "Pages", "a/b:c*d?[e]", "x" * 40, "History", "x" * 40)]
    assert names[0] == "pages" and names[1] == "Pages 2"
    assert names[2] == "a_b_c_d__e_"
    assert all(len(n) <= 31 for n in names)
    assert len({n.lower() for n in names}) == len(names)
    assert "History" not in names
