"""The review's outputs: the JSON shape, articles that escape hostile names, a workbook with native charts."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from rich.console import Console

from civicpulse.review.build import Review
from civicpulse.review.render.as_markdown import md
from civicpulse.review.write import text_of, write_review
from tests.report.htmltree import parse_html
from tests.review.conftest import EVIL_EN, EVIL_PAGE, EVIL_RU, World


@pytest.fixture(scope="module")
def review(world: World) -> Review:
    return world.review("en")


def test_json_has_accounts_and_entities_with_their_paragraphs(review: Review) -> None:
    data = json.loads(text_of(review, "json"))
    assert list(data)[:2] == ["accounts", "entities"]
    agri = next(a for a in data["accounts"] if a["participant"] == "facebook:agri")
    assert agri["entity"] == "m-agri"
    assert (agri["followers_from"], agri["followers_to"], agri["change"]) == (11_400, 22_800, 11_400)
    assert agri["change_pct"] == 100.0 and agri["new"] is False and agri["dormant"] is False
    assert agri["posts"] == 59 and agri["last_post_at"] == "2018-12-15T06:00:00+00:00"
    assert agri["media"]["video"] == {
        "posts": 6,
        "share": 0.1017,
        "likes_per_post": 3000.0,
        "engagement_per_post": 3000.0,
    }
    new = next(a for a in data["accounts"] if a["participant"] == "facebook:culture.new")
    assert new["new"] is True and new["change_pct"] is None and new["active_from"] == "2018-04-21"
    assert len(data["accounts"]) == sum(len(e["pages"]) for e in data["entities"])
    culture = next(e for e in data["entities"] if e["entity"] == "m-culture")
    assert culture["pages"] == ["facebook:culture.new", "facebook:culture.old"]
    assert culture["moves"] == [{"from": "facebook:culture.old", "to": "facebook:culture.new", "on": "2018-04-20"}]
    assert all(e["text"] for e in data["entities"])
    assert data["review"]["from"] == "2017-12-16" and data["review"]["to"] == "2018-12-16"
    assert data["review"]["simulated"] is False and data["review"]["timezone"] == "Asia/Baku"


def test_markdown_escapes_names_that_would_be_markup() -> None:
    assert md("a|b *c* [d](e) <f> & `g` #h _i_ ~j~ \\k") == (
        "a\\|b \\*c\\* \\[d\\](e) \\<f\\> \\& \\`g\\` \\#h \\_i\\_ \\~j\\~ \\\\k"
    )
    assert md("line\nbreak\r\n  and spaces") == "line break and spaces"


def test_markdown_article_reads_in_order_and_escapes_hostile_names(review: Review) -> None:
    text = text_of(review, "markdown")
    assert text.startswith("# Official pages: December 16, 2017 to December 16, 2018\n")
    figure = text[text.index("<figure>") : text.index("</figure>")]
    markdown = text.replace(figure, "")
    assert not re.search(r"(?<!\\)<(script|img)", markdown) and not re.search(r"(?<!\\)\]\(javascript", markdown)
    assert "<script" not in figure and "<img" not in figure  # the chart is HTML, escaped as HTML
    assert "\\<script\\>alert(1)\\</script\\> \\| \\*Evil\\*" in text
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert headings[0] == "Ministry of Internal Affairs" and len(headings) == len(review.entities)
    table = [line for line in text.splitlines() if line.startswith("| ")]
    header_cells = table[0].count(" | ")
    rows = [line for line in table if re.match(r"\| (\d|–) \| ", line)]
    assert len(rows) == len(review.entities)
    for row in rows:  # an escaped | in a name does not add a cell
        assert len(re.findall(r"(?<!\\) \| ", row)) == header_cells
    assert "<svg" in figure and "&lt;script&gt;" in figure


def test_html_article_is_self_contained_and_escapes_hostile_names(review: Review) -> None:
    html = text_of(review, "html")
    root = parse_html(html)
    assert not list(root.iter("script")) and not list(root.iter("img"))
    assert "<img" not in html and "<script" not in html
    assert not [
        e for e in root.iter() if {"src", "href"} & set(e.attrs) and not e.attrs.get("href", "#").startswith("#")
    ]
    assert "http" not in html.replace("http://www.w3.org/2000/svg", "")  # no resource to fetch
    names = [h.text for h in root.iter("h2")]
    assert names[0] == "Ministry of Internal Affairs" and EVIL_EN in names
    assert EVIL_PAGE in root.text  # the hostile page name is shown as text
    lead = root.find("p", "lead").text
    assert lead.startswith("This review compares the official pages of 9 bodies")
    svg = root.find("svg")
    rects = list(svg.iter("rect"))
    assert len(rects) >= 2 * 7  # two bars for every body with both counts (plus the legend)
    assert EVIL_EN in svg.text
    section = root.find("section", "body", id="body-7")
    assert section.find("h2").text == "Ministry of Culture"
    cells = [td.text for td in section.find("tbody").iter("td")]
    assert "closed on April 20, 2018" in cells and "new page" in cells


def test_html_in_russian_shows_the_russian_paragraphs(world: World) -> None:
    review = world.review("ru")
    root = parse_html(text_of(review, "html"))
    assert root.find("html").attrs["lang"] == "ru"
    assert EVIL_RU in [h.text for h in root.iter("h2")]
    assert any("выросло втрое" in p.text for p in root.iter("p"))


def test_xlsx_opens_with_native_charts_and_typed_cells(review: Review, tmp_path: Path) -> None:
    path = write_review(review, "xlsx", tmp_path / "out" / "review.xlsx", Console(file=None))
    assert path is not None and path.exists() and not list(path.parent.glob(".*.tmp"))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Review", "Pages", "Text"]
    sheet = book["Review"]
    assert [c.tagname for c in sheet._charts] == ["barChart", "barChart"]
    rows = list(sheet.iter_rows(min_row=6, max_row=5 + len(review.entities), values_only=True))
    assert rows[0][:8] == (1, "Ministry of Internal Affairs", 1, 9_000, 27_000, 18_000, 2.0, 53)
    assert any(r[1] == EVIL_EN for r in rows)
    pages = list(book["Pages"].iter_rows(min_row=2, values_only=True))
    assert len(pages) == len(review.accounts)
    evil = next(r for r in pages if r[3] == "facebook:evil")
    assert evil[2] == EVIL_PAGE and evil[4] == 100 and evil[5] == 150
    texts = dict(book["Text"].iter_rows(min_row=2, values_only=True))
    assert texts["Ministry of Agriculture"] == review.entities[2].text


def test_xlsx_keeps_formula_lookalikes_as_text(world: World, tmp_path: Path) -> None:
    path = write_review(world.review("ru"), "xlsx", tmp_path / "ru.xlsx", Console(file=None))
    assert path is not None
    sheet = openpyxl.load_workbook(path)["Обзор"]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == EVIL_RU)
    assert cell.data_type == "s"


def test_table_shows_names_as_plain_text(review: Review) -> None:
    text = text_of(review, "table")
    assert "Ministry of Agriculture" in text and "Growth place" in text
    assert "[x](javascript:alert(2))" in text  # Rich markup in a name is not interpreted


def test_output_without_a_file_goes_to_the_console(review: Review) -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, width=200)
    assert write_review(review, "json", None, console) is None
    assert json.loads(buffer.getvalue())["entities"][0]["entity"] == "m-internal"
