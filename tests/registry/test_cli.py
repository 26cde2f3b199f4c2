"""``civicpulse registry ...`` through the real command line app (Typer's CliRunner, no subprocess)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from civicpulse.cli.main import app

# Our own small registry: a country, a region with a district, one official page.
REGISTRY = """\
timezone: Asia/Almaty
sources:
  count:
    title: Test headcount
    accessed: 2026-02-01
entities:
  - id: land
    kind: country
    name: {ru: Страна, en: Land}
  - id: steppe
    kind: region
    parent: land
    name: {ru: Степная область, kk: Дала облысы, en: Steppe Region}
    population: 650000
    population_year: 2024
    population_source: count
  - id: steppe-north
    kind: district
    parent: steppe
    name: {ru: Северный район}
accounts:
  - {platform: vk, id: "-100", entity: steppe, role: official, name: Степь}
"""


def run(home: Path, *args: str) -> Result:
    # a wide terminal so that table cells are not cut
    return CliRunner(env={"COLUMNS": "200"}).invoke(app, ["--home", str(home), *args])


@pytest.fixture
def registry_file(tmp_path: Path) -> Path:
    path = tmp_path / "steppe.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    return path


@pytest.fixture
def home(tmp_path: Path, registry_file: Path) -> Path:
    home = tmp_path / "home"
    result = run(home, "registry", "load", str(registry_file))
    assert result.exit_code == 0, result.output
    return home


def test_load_reports_what_it_loaded(tmp_path: Path, registry_file: Path) -> None:
    result = run(tmp_path / "home", "registry", "load", str(registry_file))

    assert result.exit_code == 0, result.output
    assert f"registry {registry_file} loaded" in result.stdout
    assert "3 entities, 1 accounts, 0 persons; time zone Asia/Almaty" in result.stdout


def test_show_table(home: Path) -> None:
    result = run(home, "registry", "show")

    assert result.exit_code == 0, result.output
    assert "time zone Asia/Almaty" in result.stdout
    for text in ("steppe-north", "Степная область", "650 000", "2024", "Северный район", "vk", "-100"):
        assert text in result.stdout, text


def test_show_table_in_another_language(home: Path) -> None:
    result = run(home, "registry", "show", "--lang", "kk")

    assert result.exit_code == 0, result.output
    assert "Дала облысы" in result.stdout
    assert "Северный район" in result.stdout  # no Kazakh name: the Russian one stands in


def test_show_yaml_is_the_file_as_loaded(home: Path) -> None:
    result = run(home, "registry", "show", "--format", "yaml")

    assert result.exit_code == 0, result.output
    assert result.stdout == REGISTRY
    assert yaml.safe_load(result.stdout)["timezone"] == "Asia/Almaty"


def test_show_json(home: Path) -> None:
    result = run(home, "registry", "show", "--format", "json")

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["timezone"] == "Asia/Almaty"
    assert [e["id"] for e in data["entities"]] == ["land", "steppe", "steppe-north"]
    assert data["entities"][1]["population"] == 650000
    assert (data["accounts"][0]["platform"], data["accounts"][0]["id"]) == ("vk", "-100")
    assert data["sources"]["count"]["accessed"] == "2026-02-01"


def test_a_bad_file_exits_2_and_names_the_line(tmp_path: Path, registry_file: Path) -> None:
    registry_file.write_text(REGISTRY.replace("population: 650000", "population: many"), encoding="utf-8")
    line = next(n for n, text in enumerate(REGISTRY.splitlines(), start=1) if "population: 650000" in text)

    result = run(tmp_path / "home", "registry", "load", str(registry_file))

    assert result.exit_code == 2
    assert f"{registry_file}:{line}: entities[1].population:" in result.stderr
    assert result.stderr.startswith("error: registry ")
    assert "Traceback" not in result.output


def test_a_bad_file_does_not_replace_the_registry_in_force(home: Path, registry_file: Path) -> None:
    registry_file.write_text(REGISTRY.replace("parent: steppe\n", "parent: tundra\n"), encoding="utf-8")

    bad = run(home, "registry", "load", str(registry_file))
    shown = run(home, "registry", "show", "--format", "yaml")

    assert bad.exit_code == 2
    assert "unknown entity 'tundra'" in bad.stderr
    assert shown.stdout == REGISTRY


def test_unknown_bundled_registry_is_a_clear_error(tmp_path: Path) -> None:
    result = run(tmp_path / "home", "registry", "load", "bundled:nope")

    assert result.exit_code == 2
    assert "no bundled registry 'nope'" in result.stderr
    assert "bundled:kz" in result.stderr


def test_show_without_a_registry_says_how_to_load_one(tmp_path: Path) -> None:
    result = run(tmp_path / "home", "registry", "show")

    assert result.exit_code == 2
    assert "civicpulse registry load" in result.stderr


def test_bundled_lists_and_loads_kz(tmp_path: Path) -> None:
    listed = run(tmp_path / "home", "registry", "bundled")
    loaded = run(tmp_path / "home", "registry", "load", "bundled:kz")
    shown = run(tmp_path / "home", "registry", "show")

    assert {"bundled:az", "bundled:kz"} <= set(listed.stdout.split())
    assert loaded.exit_code == 0, loaded.output
    assert "29 entities, 0 accounts, 0 persons; time zone Asia/Almaty" in loaded.stdout
    assert "kz-atyrau-makhambet" in shown.stdout
    assert "2 258 253" in shown.stdout  # Almaty, 2024-07-01
