"""Shared test helpers: a data home with a small registry, and canonical lines."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from civicpulse.importers.base import ImportReport, run_import
from civicpulse.importers.canonical import CanonicalJsonl
from civicpulse.query.engine import Engine, connect
from civicpulse.registry.loader import RegistryText, parse
from civicpulse.store.home import Home

SMALL_REGISTRY = """\
timezone: Asia/Almaty
entities:
  - {id: kz, kind: country, name: {ru: Казахстан, en: Kazakhstan}}
  - {id: r-north, kind: region, parent: kz, population: 500000, population_year: 2024,
     name: {ru: Северная область, en: North Region}}
  - {id: r-south, kind: region, parent: kz, population: 2000000, population_year: 2024,
     name: {ru: Южная область, en: South Region}}
  - {id: r-east, kind: region, parent: kz, population: 1000000, population_year: 2024,
     name: {ru: Восточная область, en: East Region}}
  - {id: d-one, kind: district, parent: r-north, population: 40000, name: {ru: Первый район}}
accounts:
  - {platform: vk, id: "-1", entity: r-north, role: official}
  - {platform: instagram, id: north_gov, entity: r-north, role: official}
  - {platform: telegram, id: south_gov, entity: r-south, role: official}
  - {platform: facebook, id: east.gov, entity: r-east, role: official}
  - {platform: vk, id: "-9", entity: r-south, role: excluded}
  - {platform: instagram, id: d_one, entity: d-one, role: official}
"""


def snapshot(platform: str, account: str, observed_at: str, followers: int, **extra: Any) -> dict[str, Any]:
    return {
        "record": "snapshot",
        "platform": platform,
        "account": account,
        "observed_at": observed_at,
        "followers": followers,
        **extra,
    }


def post(
    platform: str,
    post_id: str,
    account: str,
    published_at: str,
    likes: int = 0,
    comments: int = 0,
    reposts: int = 0,
    text: str = "",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "record": "post",
        "platform": platform,
        "id": post_id,
        "account": account,
        "published_at": published_at,
        "text": text,
        "likes": likes,
        "comments": comments,
        "reposts": reposts,
        **extra,
    }


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def home(tmp_path: Path) -> Home:
    """A data home with the small registry loaded."""
    the_home = Home(tmp_path / "home")
    text = RegistryText(SMALL_REGISTRY, "small.yaml")
    parse(text)
    the_home.save_registry(text)
    return the_home


@pytest.fixture
def load(home: Home, tmp_path: Path) -> Callable[..., ImportReport]:
    """Import records into ``home`` as one JSONL file."""
    counter = iter(range(10_000))

    def _load(records: list[dict[str, Any]], **kwargs: Any) -> ImportReport:
        path = write_jsonl(tmp_path / f"batch-{next(counter)}.jsonl", records)
        return run_import(home, path, CanonicalJsonl(), **kwargs)

    return _load


def engine_of(home: Home) -> Engine:
    return Engine(connect("duckdb"), home.lake.cut(), home.registry())
