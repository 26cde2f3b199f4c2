"""A small data home with hostile texts, two weeks of activity and two ratings, and its reports."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from civicpulse.importers.base import run_import
from civicpulse.importers.canonical import CanonicalJsonl
from civicpulse.periods import Period, parse_week
from civicpulse.query.engine import Engine
from civicpulse.rating import methodology
from civicpulse.rating.compute import Rating, compute
from civicpulse.registry.loader import RegistryText, parse
from civicpulse.report.weekly import write_report
from civicpulse.store.home import Home
from tests.conftest import engine_of, post, snapshot, write_jsonl

EVIL_ID = '=HYPERLINK("http://evil.example")'
EVIL_NAME_RU = '=HYPERLINK("http://evil.example","x")'
EVIL_NAME_EN = "<i>Evil</i> Region"
SCRIPT_TEXT = "<script>alert(1)</script> Вакцинация"
BOLD_TEXT = "<b>bold</b> news from the akimat"
FORMULA_TEXT = '=HYPERLINK("http://evil.example","click")'
WEEK = "2024-W10"
TZ = "Asia/Almaty"

REGISTRY = f"""\
timezone: {TZ}
entities:
  - {{id: kz, kind: country, name: {{ru: Казахстан, en: Kazakhstan}}}}
  - {{id: kz-akmola, kind: region, parent: kz, population: 736735,
     name: {{ru: Акимат Акмолинской области, en: Akmola Region Akimat}}}}
  - {{id: kz-aktobe, kind: region, parent: kz, population: 881651,
     name: {{ru: Акимат Актюбинской области, en: Aktobe Region Akimat}}}}
  - id: '{EVIL_ID}'
    kind: region
    parent: kz
    name: {{ru: '{EVIL_NAME_RU}', en: '{EVIL_NAME_EN}'}}
  - {{id: kz-empty, kind: region, parent: kz, name: {{ru: Пустая область, en: Empty Region}}}}
accounts:
  - {{platform: vk, id: "-100", entity: kz-akmola, role: official, url: "https://vk.com/club100"}}
  - {{platform: instagram, id: akmola_akimat, entity: kz-akmola, role: official}}
  - {{platform: telegram, id: akmola_tg, entity: kz-akmola, role: official}}
  - {{platform: facebook, id: aktobe.akimat, entity: kz-aktobe, role: official, url: "javascript:alert(7)"}}
  - {{platform: vk, id: newcomer, entity: kz-aktobe, role: official}}
  - {{platform: instagram, id: evil, entity: '{EVIL_ID}', role: official}}
"""

ENTITY_METHODOLOGY = """\
name: entity-pages
title: {ru: Акиматы целиком, en: Akimats as a whole}
participants: {level: entity, kind: region, roles: [official]}
metrics: [followers, engagement, er]
"""

W09 = "2024-03-02T12:00:00+06:00"
W10 = "2024-03-10T12:00:00+05:00"


def records() -> list[dict[str, Any]]:
    """Week 9 puts vk:-100 first; week 10 moves instagram and facebook up, vk down, evil stays last."""
    return [
        snapshot("vk", "-100", W09, 5000),
        snapshot("instagram", "akmola_akimat", W09, 20000),
        snapshot("facebook", "aktobe.akimat", W09, 8000),
        snapshot("instagram", "evil", W09, 1000),
        post("vk", "-100_1", "-100", "2024-02-27T10:00:00+06:00", likes=900, text="Неделя 9"),
        post("instagram", "ig9", "akmola_akimat", "2024-02-27T10:00:00+06:00", likes=100),
        post("facebook", "fb9", "aktobe.akimat", "2024-02-27T10:00:00+06:00", likes=50),
        post("instagram", "ev9", "evil", "2024-02-27T10:00:00+06:00", likes=10),
        snapshot("vk", "-100", W10, 5100),
        snapshot("instagram", "akmola_akimat", W10, 20500),
        snapshot("facebook", "aktobe.akimat", W10, 8100),
        snapshot("instagram", "evil", W10, 1200),
        snapshot("vk", "newcomer", W10, 300),
        post(
            "vk",
            "-100_2",
            "-100",
            "2024-03-05T09:00:00+05:00",
            likes=40,
            comments=5,
            reposts=5,
            text="Приём граждан",
            url="https://vk.com/wall-100_2",
        ),
        post(
            "instagram",
            "ig1",
            "akmola_akimat",
            "2024-03-05T09:00:00+05:00",
            likes=180,
            comments=20,
            text=BOLD_TEXT,
            url="https://instagram.com/p/ig1",
        ),
        post("instagram", "ig2", "akmola_akimat", "2024-03-06T09:00:00+05:00", likes=80, text="Жаңа мектеп"),
        post("instagram", "ig3", "akmola_akimat", "2024-03-07T09:00:00+05:00", likes=30, text="Третий пост"),
        post("instagram", "ig4", "akmola_akimat", "2024-03-08T09:00:00+05:00", likes=10, text="Четвёртый пост"),
        post(
            "instagram",
            "ig1c",
            "akmola_akimat",
            "2024-03-05T10:00:00+05:00",
            likes=10000,
            text="a reply",
            reply_to="ig1",
            author="someone",
        ),
        post(
            "facebook",
            "fb1",
            "aktobe.akimat",
            "2024-03-07T09:00:00+05:00",
            likes=150,
            comments=10,
            reposts=40,
            text=SCRIPT_TEXT,
            url="javascript:alert(1)",
        ),
        post("instagram", "ev1", "evil", "2024-03-07T09:00:00+05:00", likes=5, text=FORMULA_TEXT),
        post("vk", "new1", "newcomer", "2024-03-07T09:00:00+05:00", text="Первый пост"),
    ]


def make_home(path: Path) -> Home:
    """A data home with the registry above and the records imported as one canonical JSONL file."""
    home = Home(path / "home")
    text = RegistryText(REGISTRY, "report-test.yaml")
    parse(text)
    home.save_registry(text)
    run_import(home, write_jsonl(path / "data.jsonl", records()), CanonicalJsonl())
    return home


@dataclass
class Rated:
    engine: Engine
    ratings: list[Rating]
    period: Period


def rate(home: Home) -> Rated:
    """The built-in ``pages`` rating and the entity-level one above, for week 10."""
    engine = engine_of(home)
    period = parse_week(WEEK, TZ)
    methods = [methodology.load("pages"), methodology.parse(ENTITY_METHODOLOGY, "entity-pages.yaml", base=None)]
    sha = home.registry_text().sha256
    return Rated(engine, [compute(engine, m, period, registry_sha256=sha) for m in methods], period)


@dataclass
class Built:
    home: Home
    rated: Rated
    files: dict[str, list[Path]]
    """Per language, the files ``write_report`` returned."""

    def html(self, lang: str) -> str:
        return self.files[lang][0].read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("report")
    home = make_home(root)
    rated = rate(home)
    files = {
        lang: write_report(rated.engine, rated.ratings, rated.period, root / f"out-{lang}", lang=lang)
        for lang in ("ru", "en")
    }
    return Built(home, rated, files)
