"""A small Azerbaijani-like world for reviews: the seed's cases (doubled, tripled, fell, renamed, silent since 2011),
pages opened in the period or never observed, posts on the edges of local days, and hostile names.

Asia/Baku is UTC+4 all year, so local midnight is 20:00 UTC the day before: a review that cut days in
UTC would count the edge posts wrongly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from civicpulse.importers.base import run_import
from civicpulse.importers.canonical import CanonicalJsonl
from civicpulse.query.engine import Engine
from civicpulse.registry.loader import RegistryText, parse
from civicpulse.review.build import Review, build_review
from civicpulse.store.home import Home
from tests.conftest import engine_of, post, snapshot, write_jsonl

TZ = "Asia/Baku"
FROM = "2017-12-16"
TO = "2018-12-16"
EVIL_EN = "<script>alert(1)</script> | *Evil* [x](javascript:alert(2)) & `code`"
EVIL_RU = '=HYPERLINK("http://evil.example","x")'
EVIL_PAGE = "<img src=x onerror=alert(3)>"

REGISTRY = f"""\
timezone: {TZ}
title: Test ministries
entities:
  - {{id: az, kind: country, name: {{az: Azərbaycan, ru: Азербайджан, en: Azerbaijan}}}}
  - id: m-agri
    kind: ministry
    parent: az
    name: {{az: Kənd Təsərrüfatı Nazirliyi, ru: Министерство сельского хозяйства, en: Ministry of Agriculture}}
  - id: m-edu
    kind: ministry
    parent: az
    name: {{az: Təhsil Nazirliyi, ru: Министерство образования, en: Ministry of Education}}
  - id: m-youth
    kind: ministry
    parent: az
    name: {{az: Gənclər və İdman Nazirliyi, ru: Министерство молодёжи и спорта, en: Ministry of Youth and Sports}}
  - id: m-culture
    kind: ministry
    parent: az
    name: {{az: Mədəniyyət Nazirliyi, ru: Министерство культуры, en: Ministry of Culture}}
  - id: m-justice
    kind: ministry
    parent: az
    name: {{az: Ədliyyə Nazirliyi, ru: Министерство юстиции, en: Ministry of Justice}}
  - id: m-internal
    kind: ministry
    parent: az
    name: {{az: Daxili İşlər Nazirliyi, ru: Министерство внутренних дел, en: Ministry of Internal Affairs}}
  - id: s-migration
    kind: service
    parent: az
    name: {{az: Dövlət Miqrasiya Xidməti, ru: Государственная миграционная служба, en: State Migration Service}}
  - id: c-customs
    kind: committee
    parent: az
    name: {{az: Dövlət Gömrük Komitəsi, ru: Государственный таможенный комитет, en: State Customs Committee}}
  - id: m-evil
    kind: ministry
    parent: az
    name: {{en: '{EVIL_EN}', ru: '{EVIL_RU}'}}
  - id: m-nopage
    kind: ministry
    parent: az
    name: {{en: Ministry Without Pages, ru: Министерство без страниц}}
accounts:
  - {{platform: facebook, id: agri, entity: m-agri, role: official, name: Kənd Təsərrüfatı Nazirliyi}}
  - {{platform: facebook, id: aqro, entity: m-agri, role: official, name: Aqro Azərbaycan}}
  - {{platform: youtube, id: agri.yt, entity: m-agri, role: official}}
  - {{platform: facebook, id: agri.news, entity: m-agri, role: media, name: not official}}
  - {{platform: facebook, id: edu, entity: m-edu, role: official}}
  - {{platform: x, id: edu.x, entity: m-edu, role: official}}
  - {{platform: facebook, id: youth, entity: m-youth, role: official}}
  - platform: facebook
    id: culture.old
    entity: m-culture
    role: official
    name: Mədəniyyət və Turizm Nazirliyi
    active_to: 2018-04-20
    note: page of the Ministry of Culture and Tourism, left to the State Tourism Agency
  - {{platform: facebook, id: culture.new, entity: m-culture, role: official, active_from: 2018-04-21}}
  - {{platform: facebook, id: justice, entity: m-justice, role: official}}
  - {{platform: facebook, id: internal, entity: m-internal, role: official}}
  - {{platform: facebook, id: migration, entity: s-migration, role: official}}
  - {{platform: facebook, id: customs, entity: c-customs, role: official}}
  - {{platform: facebook, id: evil, entity: m-evil, role: official, name: '{EVIL_PAGE}'}}
  - {{platform: facebook, id: gone, entity: m-justice, role: official, active_to: 2017-01-01}}
"""

START = "2017-12-16T12:00:00+04:00"
END = "2018-12-16T12:00:00+04:00"


def _weekly_posts(platform: str, account: str, prefix: str, n: int, likes: int, **extra: Any) -> list[dict[str, Any]]:
    """``n`` posts a week apart from Saturday 2017-12-16 10:00 local time (the review's first day)."""
    first = datetime(2017, 12, 16, 10, 0, tzinfo=timezone(timedelta(hours=4)))
    return [
        post(platform, f"{prefix}{i}", account, (first + timedelta(days=7 * i)).isoformat(), likes=likes, **extra)
        for i in range(n)
    ]


def records() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [
        # agriculture: main page doubled (11 400 -> 22 800), a second Facebook page, a silent YouTube channel
        snapshot("facebook", "agri", START, 11_400),
        snapshot("facebook", "agri", "2018-06-01T12:00:00+04:00", 16_000),
        snapshot("facebook", "agri", END, 22_800),
        snapshot("facebook", "agri", "2018-12-17T00:00:00+04:00", 99_999),  # the next day: not "at" the 16th
        snapshot("facebook", "aqro", START, 13_500),
        snapshot("facebook", "aqro", END, 14_000),
        snapshot("youtube", "agri.yt", START, 900),
        snapshot("youtube", "agri.yt", END, 950),
        post("youtube", "yt-old", "agri.yt", "2016-03-03T10:00:00+04:00", likes=3),
        snapshot("facebook", "agri.news", START, 1),
        snapshot("facebook", "agri.news", END, 1_000_000),
        # education: 80 000 -> 100 000, lives and videos; X account active
        snapshot("facebook", "edu", START, 80_000),
        snapshot("facebook", "edu", END, 100_000),
        snapshot("x", "edu.x", START, 5_000),
        snapshot("x", "edu.x", END, 6_000),
        # youth: fell 10 000 -> 4 000
        snapshot("facebook", "youth", START, 10_000),
        snapshot("facebook", "youth", "2018-12-16T23:59:59+04:00", 4_000),  # last second of the day counts
        # culture: old page closed 2018-04-20 (17 000 -> 17 500 by then), new page from 2018-04-21
        snapshot("facebook", "culture.old", START, 17_000),
        snapshot("facebook", "culture.old", "2018-04-20T18:00:00+04:00", 17_500),
        snapshot("facebook", "culture.old", END, 30_000),  # after it left the body: not the body's any more
        snapshot("facebook", "culture.new", "2018-05-01T12:00:00+04:00", 1_000),
        snapshot("facebook", "culture.new", END, 4_200),
        post("facebook", "old-1", "culture.old", "2018-04-19T10:00:00+04:00", likes=50),
        post("facebook", "old-2", "culture.old", "2018-05-19T10:00:00+04:00", likes=50),  # after it closed
        post("facebook", "new-1", "culture.new", "2018-05-02T10:00:00+04:00", likes=5),
        # justice: 1 400 -> 1 465, first and last post in 2011
        snapshot("facebook", "justice", START, 1_400),
        snapshot("facebook", "justice", END, 1_465),
        post("facebook", "j1", "justice", "2011-02-01T10:00:00+04:00", likes=1),
        post("facebook", "j2", "justice", "2011-09-01T10:00:00+04:00", likes=2),
        # internal affairs: tripled 9 000 -> 27 000
        snapshot("facebook", "internal", START, 9_000),
        snapshot("facebook", "internal", END, 27_000),
        # migration: a page first seen during the period (no snapshot at the start)
        snapshot("facebook", "migration", "2018-03-01T12:00:00+04:00", 2_000),
        snapshot("facebook", "migration", END, 2_900),
        # customs: never observed; posts on the edges of the period's local days
        post("facebook", "edge-before", "customs", "2017-12-15T23:59:59+04:00", likes=1000),
        post("facebook", "edge-first", "customs", "2017-12-16T00:00:00+04:00", likes=10),
        post("facebook", "edge-last", "customs", "2018-12-16T23:59:59+04:00", likes=20),
        post("facebook", "edge-after", "customs", "2018-12-17T00:00:00+04:00", likes=1000),
        # the hostile one grows a little
        snapshot("facebook", "evil", START, 100),
        snapshot("facebook", "evil", END, 150),
        post("facebook", "evil-1", "evil", "2018-01-10T10:00:00+04:00", likes=7, text="<script>alert(4)</script>"),
    ]
    # agriculture posts every week: text news with few likes, videos with many
    out += _weekly_posts("facebook", "agri", "agri-t", 53, likes=20, media="text", comments=2, reposts=1)
    out += _weekly_posts("facebook", "agri", "agri-v", 6, likes=3_000, media="video")
    out += [post("facebook", "agri-c1", "agri", "2018-01-10T10:00:00+04:00", likes=99_999, kind="comment")]
    out += [post("facebook", "agri-r1", "agri", "2018-01-10T10:00:00+04:00", likes=99_999, reply_to="agri-t1")]
    # education: every other week, lives and videos
    out += _weekly_posts("facebook", "edu", "edu-l", 12, likes=300, media="live")
    out += _weekly_posts("facebook", "edu", "edu-v", 10, likes=200, media="video")
    out += _weekly_posts("x", "edu.x", "edu-x", 4, likes=3)
    out += _weekly_posts("facebook", "youth", "youth-p", 20, likes=15, media="photo")
    out += _weekly_posts("facebook", "internal", "int-p", 53, likes=40, media="photo")
    return out


def make_home(root: Path) -> Home:
    home = Home(root / "home")
    text = RegistryText(REGISTRY, "review-test.yaml")
    parse(text)
    home.save_registry(text)
    run_import(home, write_jsonl(root / "review.jsonl", records()), CanonicalJsonl())
    return home


@dataclass
class World:
    home: Home
    engine: Engine

    def review(self, lang: str = "en", entities: str | None = None) -> Review:
        return build_review(
            self.engine,
            date.fromisoformat(FROM),
            date.fromisoformat(TO),
            entities=entities,
            lang=lang,
            now=datetime(2019, 1, 1, tzinfo=UTC),
        )


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    home = make_home(tmp_path_factory.mktemp("review"))
    return World(home, engine_of(home))
