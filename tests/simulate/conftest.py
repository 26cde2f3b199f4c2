"""A small registry to simulate (the bundled one is tested apart), and one shared simulated home."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from civicpulse.simulate.run import Summary, simulate
from civicpulse.store.home import Home

# Atyrau has aliases (ru with the head first and last, kk), Akmola and Abai have none (forms come
# from their names), Astana is a city; one district has no population; one real-looking account
# exists before simulation and must survive it.
REGISTRY = """\
timezone: Asia/Almaty
entities:
  - {id: kz, kind: country, name: {ru: Казахстан, kk: Қазақстан}}
  - id: kz-atyrau
    kind: region
    parent: kz
    population: 708529
    name: {ru: Атырауская область, kk: Атырау облысы}
    aliases:
      ru: [акимат Атырауской области, Атырауский областной акимат]
      kk: [Атырау облысы әкімдігі]
  - {id: kz-akmola, kind: region, parent: kz, population: 789015, name: {ru: Акмолинская область, kk: Ақмола облысы}}
  - id: kz-astana
    kind: region
    parent: kz
    population: 1472027
    name: {ru: город Астана, kk: Астана қаласы}
    aliases: {ru: [акимат города Астаны], kk: [Астана қаласы әкімдігі]}
  - {id: kz-abai, kind: region, parent: kz, population: 605872, name: {ru: область Абай, kk: Абай облысы}}
  - {id: kz-atyrau-inder, kind: district, parent: kz-atyrau, population: 32826,
     name: {ru: Индерский район, kk: Индер ауданы}}
  - {id: kz-atyrau-makat, kind: district, parent: kz-atyrau, name: {ru: Макатский район, kk: Мақат ауданы}}
accounts:
  - {platform: vk, id: "-100", entity: kz-akmola, role: official}
"""
LAST_DAY = date(2024, 3, 17)  # a Sunday, two weeks after Almaty moved from UTC+6 to UTC+5


@dataclass(frozen=True)
class Simulated:
    home: Home
    summary: Summary
    registry_path: Path


def registry_file(folder: Path) -> Path:
    path = folder / "registry.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Simulated:
    """Three weeks at scale 1 of the small registry, simulated into a lake (shared by a module)."""
    folder = tmp_path_factory.mktemp("sim")
    path = registry_file(folder)
    home = Home(folder / "home")
    summary = simulate(home, weeks=3, scale=1, seed=11, end=LAST_DAY, registry=str(path))
    return Simulated(home, summary, path)
