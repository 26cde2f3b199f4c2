"""The report's small parts: chart geometry, safe links, excerpts, movement words, a rating nobody is in."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from civicpulse.i18n import Language, gettext
from civicpulse.periods import parse_week
from civicpulse.rating import methodology
from civicpulse.rating.compute import compute
from civicpulse.report.charts import LABEL_CHARS, bar_chart, shorten
from civicpulse.report.model import excerpt, movement, safe_url
from civicpulse.report.weekly import write_report
from tests.conftest import engine_of
from tests.report.conftest import TZ, make_home
from tests.report.htmltree import parse_html


def test_bars_are_proportional_and_negative_values_grow_left_of_zero() -> None:
    chart = bar_chart("t", "c", [("a", 10, "10"), ("b", 5, "5"), ("c", -5, "-5"), ("d", None, "–")])
    a, b, c, d = chart.bars
    assert a.width == pytest.approx(2 * b.width, abs=0.2)  # geometry is rounded to 0.1 px
    assert a.x == b.x == chart.zero_x
    assert c.x + c.width == pytest.approx(chart.zero_x, abs=0.2)
    assert c.width == pytest.approx(b.width, abs=0.2)
    assert not d.known and d.width == 0
    assert [bar.y for bar in chart.bars] == sorted(bar.y for bar in chart.bars)
    assert chart.height > 4 * (a.height)


def test_all_zero_values_draw_empty_bars() -> None:
    chart = bar_chart("t", "c", [("a", 0, "0"), ("b", 0, "0")])
    assert [bar.width for bar in chart.bars] == [0, 0]


def test_long_labels_are_shortened_with_the_full_label_kept() -> None:
    label = "Акимат " * 20
    chart = bar_chart("t", "c", [(label, 1, "1")])
    assert len(chart.bars[0].label) == LABEL_CHARS and chart.bars[0].label.endswith("…")
    assert chart.bars[0].full_label == label
    assert shorten("short") == "short"


def test_only_http_addresses_become_links() -> None:
    assert safe_url("https://vk.com/wall-1_2") == "https://vk.com/wall-1_2"
    assert safe_url(" http://t.me/s/x ") == "http://t.me/s/x"
    for bad in (
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,<b>",
        "//evil.example",
        "vk.com/x",
        "",
        None,
        "http://[::1",
    ):
        assert safe_url(bad) is None, bad


def test_excerpts_are_one_line_and_cut_at_a_word() -> None:
    assert excerpt("a\n\n b\tc ") == "a b c"
    long = "слово " * 100
    cut = excerpt(long, 50)
    assert cut.endswith("…") and len(cut) <= 51 and "\n" not in cut
    assert cut[:-1].endswith("слово")


def test_movement_words_and_arrows() -> None:
    ru = Language("ru")
    assert movement(2, ru)[:2] == ("▲2", "up")
    assert movement(-5, ru) == ("▼5", "down", "опустился на 5 мест")
    assert movement(0, ru)[:2] == ("=", "same")
    assert movement(None, ru)[:2] == (gettext("new", "ru"), "new")


def test_a_rating_where_nobody_is_rated_still_reports(tmp_path: Path) -> None:
    home = make_home(tmp_path)
    engine = engine_of(home)
    period = parse_week("2024-W01", TZ)  # before any data
    rating = compute(engine, methodology.load("pages"), period)
    assert not rating.rows and rating.unrated
    files = write_report(engine, [rating], period, tmp_path / "out", lang="en")
    page = parse_html(files[0].read_text(encoding="utf-8"))
    section = page.find("section", id="rating-pages")
    assert "Nobody could be rated in this period." in section.text
    assert not list(section.iter("svg"))
    assert len(list(section.find("ul", cls="unrated").iter("li"))) == len(rating.unrated)
    book = openpyxl.load_workbook(files[1])
    assert not book["pages"]._charts
