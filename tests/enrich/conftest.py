"""For the tests of this folder: a data home whose registry has two regions with aliases and three kinds of
sources (official, paid media, plain media). It replaces the root `home` here, so the root `load` fixture uses it."""

from __future__ import annotations

from pathlib import Path

import pytest

from civicpulse.registry.loader import RegistryText, parse
from civicpulse.store.home import Home

REGISTRY = """\
timezone: Asia/Almaty
entities:
  - {id: kz, kind: country, name: {ru: Казахстан}}
  - id: kz-atyrau
    kind: region
    parent: kz
    population: 700000
    name: {ru: Атырауская область, kk: Атырау облысы}
    aliases: {ru: [акимат Атырауской области], kk: [Атырау облысы әкімдігі]}
  - id: kz-mangystau
    kind: region
    parent: kz
    name: {ru: Мангистауская область}
    aliases: {ru: [акимат Мангистауской области]}
accounts:
  - {platform: vk, id: "-1", entity: kz-atyrau, role: official}
  - {platform: vk, id: "-2", entity: kz-atyrau, role: media, paid: true}
  - {platform: vk, id: "-3", entity: kz-atyrau, role: media}
"""


@pytest.fixture
def home(tmp_path: Path) -> Home:
    the_home = Home(tmp_path / "home")
    text = RegistryText(REGISTRY, "test.yaml")
    parse(text)
    the_home.save_registry(text)
    return the_home
