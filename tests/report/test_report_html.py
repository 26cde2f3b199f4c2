"""The weekly report's HTML page: contents, escaping, self-containment, languages, simulation marks."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from civicpulse.i18n import Language, gettext
from civicpulse.records.models import SnapshotRecord
from civicpulse.registry.models import Registry
from civicpulse.report.model import movement
from civicpulse.report.weekly import write_report
from civicpulse.store.sink import RecordSink
from tests.report.conftest import (
    BOLD_TEXT,
    EVIL_NAME_EN,
    SCRIPT_TEXT,
    WEEK,
    Built,
    make_home,
    rate,
    records,
)
from tests.report.htmltree import Element, parse_html


def _rows(page: Element, anchor: str) -> list[Element]:
    return list(page.find("section", id=anchor).find("tbody").iter("tr"))


def _name(registry: Registry, entity: str, lang: str) -> str:
    return registry.entity(entity).display_name(lang)


def test_files_html_first_then_workbook_then_a_csv_per_rating(built: Built) -> None:
    names = [p.name for p in built.files["ru"]]
    assert names == ["report.html", "report.xlsx", "pages.csv", "entity-pages.csv"]
    assert all(p.stat().st_size > 0 for p in built.files["ru"])


def test_table_lists_every_rated_participant_with_place_movement_and_points(built: Built) -> None:
    registry = built.home.registry()
    lang = Language("en")
    page = parse_html(built.html("en"))
    for rating in built.rated.ratings:
        rows = _rows(page, f"rating-{rating.methodology.name}")
        assert len(rows) == len(rating.rows)
        for tr, row in zip(rows, rating.rows, strict=True):
            cells = [td for td in tr.children if not isinstance(td, str)]
            assert cells[0].text == str(row.place)
            assert cells[1].text == movement(row.movement, lang)[0]
            assert _name(registry, row.entity, "en") in cells[2].text
            assert cells[3].text == lang.number(row.points)
            for cell, name in zip(cells[4:], rating.methodology.metric_names, strict=True):
                assert cell.text.endswith(f"({row.metrics[name].rank})")
    pages = _rows(page, "rating-pages")
    # the data moves instagram and facebook up, vk down, keeps evil and brings a newcomer
    assert [tr.find("td", cls="mv").attrs["class"] for tr in pages] == [
        "mv up",
        "mv up",
        "mv down",
        "mv same",
        "mv new",
    ]
    assert "Instagram · akmola_akimat" in pages[0].text


def test_unrated_participants_are_listed_with_translated_reasons(built: Built) -> None:
    ru = parse_html(built.html("ru"))
    unrated = ru.find("section", id="rating-pages").find("ul", cls="unrated").text
    assert "Telegram akmola_tg" in unrated
    assert gettext("no follower snapshot before the period's end", "ru") in unrated
    assert "(2024-03-11 00:00 Asia/Almaty)" in unrated
    entity = ru.find("section", id="rating-entity-pages").find("ul", cls="unrated").text
    assert "Пустая область" in entity
    assert "в реестре нет аккаунта" in entity


def test_social_media_and_registry_text_is_escaped(built: Built) -> None:
    for lang in ("ru", "en"):
        html = built.html(lang)
        assert "<script" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<b>" not in html
        assert "&lt;b&gt;bold&lt;/b&gt;" in html
        assert 'href="javascript' not in html.replace(" ", "").lower()
    assert "<i>Evil</i>" not in built.html("en")
    assert "&lt;i&gt;Evil&lt;/i&gt; Region" in built.html("en")
    # what the reader sees is the text as written
    page = parse_html(built.html("en"))
    texts = [span.text for span in page.iter("span", cls="post-text")]
    assert SCRIPT_TEXT in texts and BOLD_TEXT in texts
    assert EVIL_NAME_EN in page.find("section", id="cards").text


def test_page_is_self_contained(built: Built) -> None:
    html = built.html("ru")
    assert "<style>" in html and "<svg" in html
    for pattern in (r"<script", r"<link", r"<img", r"<iframe", r"<object", r"@import", r"@font-face"):
        assert not re.search(pattern, html, re.IGNORECASE), pattern
    assert not re.search(r"""\bsrc\s*=\s*["']?\s*(https?:)?//""", html, re.IGNORECASE)
    assert not re.search(r"""url\(\s*["']?\s*(https?:)?//""", html, re.IGNORECASE)
    # links to posts are navigation, and only to http(s) addresses
    for href in re.findall(r'href="([^"]*)"', html):
        assert href.startswith(("#", "https://", "http://")), href


def test_charts_are_inline_svg_with_a_bar_per_rated_participant(built: Built) -> None:
    page = parse_html(built.html("en"))
    for rating in built.rated.ratings:
        section = page.find("section", id=f"rating-{rating.methodology.name}")
        charts = list(section.iter("svg"))
        assert len(charts) == 2
        points = charts[0]
        assert points.attrs["xmlns"] == "http://www.w3.org/2000/svg"
        bars = list(points.iter("rect"))
        assert len(bars) == len(rating.rows)
        widths = [float(b.attrs["width"]) for b in bars]
        # bars follow the points: more points, longer bar
        assert widths == sorted(widths)
        assert max(widths) > 0


def test_cards_show_accounts_and_top_three_own_posts_by_engagement(built: Built) -> None:
    page = parse_html(built.html("en"))
    card = next(c for c in page.iter("article", cls="card") if c.find("h3").text == "Akmola Region Akimat")
    accounts = card.find("table").text
    for label in ("VKontakte -100", "Instagram akmola_akimat", "Telegram akmola_tg"):
        assert label in accounts
    # expected straight from the records: own posts of the week, most engagement first
    own = [
        r
        for r in records()
        if r["record"] == "post"
        and r["account"] in ("-100", "akmola_akimat")
        and "reply_to" not in r
        and r["published_at"].startswith("2024-03")
    ]
    own.sort(key=lambda r: -(r["likes"] + r["comments"] + r["reposts"]))
    shown = [span.text for span in card.iter("span", cls="post-text")]
    assert shown == [r["text"] for r in own[:3]]
    links = [a.attrs["href"] for a in card.find("ol").iter("a")]
    assert links == [r["url"] for r in own[:3] if r.get("url")]
    assert "a reply" not in card.text
    aktobe = next(c for c in page.iter("article", cls="card") if c.find("h3").text == "Aktobe Region Akimat")
    assert not list(aktobe.find("ol").iter("a"))  # the javascript: url of its post is not a link
    assert "javascript" not in aktobe.find("table").text  # nor the account's


def test_russian_and_english_pages_differ_and_come_from_the_catalogues(built: Built) -> None:
    ru, en = built.html("ru"), built.html("en")
    assert ru != en
    assert '<html lang="ru">' in ru and '<html lang="en">' in en
    for msgid in ("Weekly report", "Place", "Participant", "Points", "Entities", "Top posts of the period"):
        assert gettext(msgid, "ru") in ru
        assert gettext(msgid, "ru") != msgid
        assert msgid in en
    assert f"{gettext('Weekly report', 'ru')}: {WEEK}" in ru
    # numbers and dates follow the locale
    assert "20\xa0500" in ru and "20,500" in en
    period = built.rated.period
    ru_days, en_days = (Language(x).days(period.first_day, period.last_day) for x in ("ru", "en"))
    assert ru_days in ru and "мар" in ru_days
    assert en_days in en and "Mar" in en_days
    assert "Asia/Almaty" in ru


def test_no_simulated_banner_for_real_data(built: Built) -> None:
    assert not any(r.simulated for r in built.rated.ratings)
    for lang in ("ru", "en"):
        html = built.html(lang)
        assert 'class="banner"' not in html
        assert gettext("SIMULATED DATA", lang) not in html


def test_simulated_banner_when_the_lake_holds_a_simulated_batch(tmp_path: Path) -> None:
    home = make_home(tmp_path)
    with home.lake.begin("simulate", "test", simulated=True) as batch:
        sink = RecordSink(batch, dt.datetime(2024, 3, 10, tzinfo=dt.UTC))
        sink.add(
            SnapshotRecord.model_validate(
                {
                    "record": "snapshot",
                    "platform": "vk",
                    "account": "-100",
                    "observed_at": "2024-03-09T10:00:00+05:00",
                    "followers": 5050,
                }
            )
        )
        batch.commit(sink.close())
    rated = rate(home)
    assert all(r.simulated for r in rated.ratings)
    for lang in ("ru", "en"):
        files = write_report(rated.engine, rated.ratings, rated.period, tmp_path / lang, lang=lang)
        html = files[0].read_text(encoding="utf-8")
        page = parse_html(html)
        banner = page.find("div", cls="banner")
        assert gettext("SIMULATED DATA", lang) in banner.text
        assert page.find("title").text.startswith(f"[{gettext('SIMULATED DATA', lang)}]")
        assert len(list(page.iter("span", cls="badge"))) == len(rated.ratings)
    assert "СИМУЛИРОВАННЫЕ ДАННЫЕ" in (tmp_path / "ru" / "report.html").read_text(encoding="utf-8")
