"""The run and the command line: targets from the registry, one run at a time, the table, status, options."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from civicpulse.cli.main import app
from civicpulse.collect.run import CollectOptions, collect
from civicpulse.collect.state import CollectState
from civicpulse.collect.targets import mention_targets, official_targets, targets_for
from civicpulse.errors import StoreError
from civicpulse.platforms import PLATFORMS
from civicpulse.plugins import connectors
from civicpulse.registry.loader import RegistryText, parse
from civicpulse.store.home import Home
from tests.collect.contract import TOKEN_ENV, FakeClock, write_home
from tests.collect.fakeserver import FakeServer
from tests.collect.test_vk_contract import NOW, VkPlatform

REGISTRY = """\
timezone: Asia/Almaty
entities:
  - {id: kz, kind: country, name: {ru: Казахстан}}
  - {id: north, kind: region, parent: kz, name: {ru: Север},
     aliases: {ru: [Северная область, северная ОБЛАСТЬ], kk: [Солтүстік]}}
  - {id: south, kind: region, parent: kz, name: {ru: Юг}}
persons:
  - {id: akim, entity: north, name: {ru: Аким}}
accounts:
  - {platform: vk, id: "-1", entity: north, role: official}
  - {platform: vk, id: "7", entity: north, role: personal, person: akim}
  - {platform: vk, id: "-2", entity: north, role: media}
  - {platform: vk, id: "-3", entity: south, role: excluded}
  - {platform: vk, id: "-4", entity: south, role: official, simulated: true}
  - {platform: vk, id: "-5", entity: south, role: official, active_to: 2024-01-31}
  - {platform: telegram, id: north_gov, entity: north, role: official}
"""


def test_targets_from_the_registry() -> None:
    registry = parse(RegistryText(REGISTRY, "r.yaml"))
    today = dt.date(2024, 3, 10)
    assert [t.name for t in official_targets(registry, "vk", today)] == ["vk:-1", "vk:7"]
    assert [t.name for t in official_targets(registry, "vk", dt.date(2024, 1, 1))] == ["vk:-1", "vk:7", "vk:-5"]
    (mentions,) = mention_targets(registry, "vk")
    assert (mentions.name, mentions.entity, mentions.terms) == (
        "vk:mentions:north",
        "north",
        ("Северная область", "Солтүстік"),
    )
    assert [t.kind for t in targets_for(registry, "vk", "official", frozenset({"official", "mentions"}), today)] == [
        "official",
        "official",
    ]
    assert targets_for(registry, "vk", "mentions", frozenset({"official"}), today) == []


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> VkPlatform:
    monkeypatch.setenv(TOKEN_ENV, VkPlatform.token)
    return VkPlatform(walls=(15,), person_posts=3, mention_posts=5, big_alias=5)


@pytest.fixture
def server(fake: VkPlatform) -> Iterator[FakeServer]:
    with FakeServer(fake.handler()) as running:
        yield running


def test_one_collection_at_a_time(tmp_path: Path, fake: VkPlatform, server: FakeServer) -> None:
    home = write_home(tmp_path / "home", fake, server.url)
    store = CollectState(home.lake)
    run_id, resumed = store.begin_run({"x": 1}, NOW, dt.timedelta(hours=1))
    assert not resumed
    with pytest.raises(StoreError, match=f"another collection \\(run {run_id}, pid {os.getpid()}"):
        collect(home, CollectOptions(), clock=FakeClock(NOW))
    with sqlite3.connect(home.lake.state_path) as conn:  # as if that process had died
        conn.execute("UPDATE collect_runs SET pid = 999999999")
    report = collect(home, CollectOptions(), clock=FakeClock(NOW))
    assert report.run_id == run_id + 1 and not report.resumed  # other options: a new run
    assert [r.status for r in store.runs()] == ["finished", "interrupted"]
    store.close()


def test_interrupted_run_is_not_resumed_after_the_resume_window(
    tmp_path: Path, fake: VkPlatform, server: FakeServer
) -> None:
    home = write_home(tmp_path / "home", fake, server.url)
    store = CollectState(home.lake)
    store.begin_run(CollectOptions().as_json(), NOW - dt.timedelta(days=1), dt.timedelta(hours=1))
    store.interrupt_run(1)
    store.close()
    report = collect(home, CollectOptions(), clock=FakeClock(NOW))
    assert report.run_id == 2 and not report.resumed


def cli(home: Home, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--home", str(home.path), *args])
    return result.exit_code, result.output


def test_cli_collect_table_and_status(tmp_path: Path, fake: VkPlatform, server: FakeServer) -> None:
    home = write_home(tmp_path / "home", fake, server.url)
    code, output = cli(home, "collect", "--since", "2024-02-01")
    assert code == 0, output
    for row in ("vk official", "vk mentions", "vk authors"):
        assert row in output
    assert "2 (" in output and "VK error 15" in output  # the private wall and the deleted community
    assert fake.token not in output
    code, output = cli(home, "collect", "status")
    assert code == 0 and "finished" in output and "Open problems" in output
    assert "vk:-201" in output and "vk:-202" in output


def test_cli_only_official_targets(tmp_path: Path, fake: VkPlatform, server: FakeServer) -> None:
    home = write_home(tmp_path / "home", fake, server.url)
    code, output = cli(home, "collect", "--targets", "official", "--platform", "vkontakte", "--since", "2024-02-01")
    assert code == 0, output
    assert "vk official" in output and "vk mentions" not in output
    methods = {method for method, _params in server.handler.calls}  # type: ignore[attr-defined]
    assert "wall.get" in methods and "newsfeed.search" not in methods


def test_cli_platform_not_configured_and_bad_options(tmp_path: Path, fake: VkPlatform, server: FakeServer) -> None:
    home = write_home(tmp_path / "home", fake, server.url)
    unbuilt = [p for p in PLATFORMS if p not in connectors()]  # none, once every connector is written
    for platform in unbuilt[:1]:
        code, output = cli(home, "collect", "--platform", platform)
        assert code == 1 and f"{platform} not collected: no connector for {platform}" in output
    (home.path / "config.toml").write_text("[collect.telegram]\n", encoding="utf-8")
    code, output = cli(home, "collect", "--platform", "vk")
    assert code == 1 and "vk not collected: config.toml: no [collect.vk] table" in output
    code, output = cli(home, "collect")  # nothing configured that civicpulse can collect
    assert code == 0 and "vk" not in output
    code, output = cli(home, "collect", "--targets", "some")
    assert code == 2 and "--targets" in output
    code, output = cli(home, "collect", "--platform", "myspace")
    assert code == 2 and "unknown platform" in output
    code, output = cli(home, "collect", "--since", "last week")
    assert code == 2 and "not a date" in output


def test_cli_status_without_runs(tmp_path: Path, fake: VkPlatform, server: FakeServer) -> None:
    home = write_home(tmp_path / "home", fake, server.url)
    code, output = cli(home, "collect", "status")
    assert code == 0 and "no open problems" in output
