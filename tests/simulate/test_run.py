"""The simulate command: determinism, the simulated mark, idempotence, JSONL that re-imports."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from rich.console import Console

from civicpulse.errors import AlreadyImported, CivicpulseError
from civicpulse.importers.base import run_import
from civicpulse.importers.canonical import CanonicalJsonl
from civicpulse.registry.loader import RegistryText, bundled_names, parse
from civicpulse.simulate.run import default_end, simulate
from civicpulse.store.home import Home
from tests.simulate.conftest import LAST_DAY, REGISTRY, Simulated, registry_file


def lake_rows(home: Home, table: str) -> list[dict[str, object]]:
    """Every row of a lake table without the bookkeeping columns, in a stable order."""
    files = home.lake.cut().files[table]
    data = pa.concat_tables([pq.read_table(f) for f in files])
    data = data.drop_columns([c for c in data.column_names if c.startswith("_")])
    keys = [c for c in ("platform", "id", "account", "observed_at") if c in data.column_names]
    return data.sort_by([(k, "ascending") for k in keys]).to_pylist()


def test_same_parameters_give_identical_files_and_another_seed_does_not(tmp_path: Path) -> None:
    path = registry_file(tmp_path)
    outputs = []
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        out = tmp_path / name / "sim.jsonl"
        simulate(
            Home(tmp_path / name / "home"), weeks=1, scale=0.5, seed=seed, end=LAST_DAY, registry=str(path), out=out
        )
        truth = tmp_path / name / "home" / "simulated"
        outputs.append(
            (
                out.read_bytes(),
                (truth / f"truth-{seed}.json").read_bytes(),
                (truth / f"truth-{seed}-texts.parquet").read_bytes(),
                (out.parent / "sim.registry.yaml").read_bytes(),
            )
        )
    assert outputs[0] == outputs[1]
    assert outputs[0][0] != outputs[2][0]
    assert outputs[0][3] != outputs[2][3]  # the seed also picks the platforms of the simulated pages


def test_lake_batch_is_marked_simulated(simulated: Simulated) -> None:
    cut = simulated.home.lake.cut()
    assert cut.simulated
    (batch,) = simulated.home.lake.batches()
    assert (batch.kind, batch.status, batch.simulated) == ("simulate", "committed", True)
    assert batch.counts == simulated.summary.counts
    assert "SIMULATED DATA" in str(simulated.summary)


def test_running_again_changes_nothing(simulated: Simulated) -> None:
    home = simulated.home
    before = (home.lake.cut().seq, home.lake.cut().files, home.registry_text().sha256)
    with pytest.raises(AlreadyImported):
        simulate(home, weeks=3, scale=1, seed=11, end=LAST_DAY, registry=str(simulated.registry_path))
    assert (home.lake.cut().seq, home.lake.cut().files, home.registry_text().sha256) == before
    assert len(home.lake.batches()) == 1


def test_registry_in_force_is_the_simulated_one(simulated: Simulated) -> None:
    text = simulated.home.registry_text()
    assert text.source == f"simulated:{simulated.registry_path}"
    assert "&id" not in text.text  # plain YAML a person can read and edit, no anchors
    registry = simulated.home.registry()
    original = parse(RegistryText(REGISTRY, "original.yaml"))
    assert registry.entities == original.entities
    assert registry.account("vk", "-100") == original.account("vk", "-100")
    added = [a for a in registry.accounts if a.simulated]
    assert len(added) == len(registry.accounts) - 1
    for entity in original.entities:
        if entity.kind == "country":
            assert not registry.accounts_of(entity.id)
            continue
        official = [a for a in added if a.entity == entity.id and a.role == "official"]
        assert 2 <= len(official) <= 4
        assert all(a.id.startswith("sim.") and a.url and ".invalid/" in a.url for a in official)
        (personal,) = [a for a in added if a.entity == entity.id and a.role == "personal"]
        assert personal.platform == "instagram"
        assert [p.entity for p in registry.persons if p.id == personal.person] == [entity.id]
    assert any(a.role == "media" and a.paid for a in added)
    assert any(a.role == "excluded" for a in added)


def test_jsonl_reimports_to_the_same_lake_rows(simulated: Simulated, tmp_path: Path) -> None:
    out = tmp_path / "sim.jsonl"
    summary = simulate(
        Home(tmp_path / "source"),
        weeks=3,
        scale=1,
        seed=11,
        end=LAST_DAY,
        registry=str(simulated.registry_path),
        out=out,
    )
    assert summary.counts == simulated.summary.counts
    target = Home(tmp_path / "target")
    assert summary.registry_file is not None
    text = RegistryText(summary.registry_file.read_text(encoding="utf-8"), str(summary.registry_file))
    parse(text)
    target.save_registry(text)
    report = run_import(target, out, CanonicalJsonl())
    assert report.rejected == 0
    assert report.counts == simulated.summary.counts
    for table in ("posts", "snapshots", "authors"):
        assert lake_rows(target, table) == lake_rows(simulated.home, table), table
    # local times with the offset in force: Almaty moved from UTC+6 to UTC+5 on 2024-03-01
    offsets = {
        json.loads(line)["published_at"][-6:]
        for line in out.read_text(encoding="utf-8").splitlines()
        if '"published_at"' in line
    }
    assert offsets == {"+06:00", "+05:00"}


def test_progress_goes_to_the_console_given(tmp_path: Path) -> None:
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=False)
    summary = simulate(
        Home(tmp_path / "home"),
        weeks=1,
        scale=0.2,
        seed=1,
        end=LAST_DAY,
        registry=str(registry_file(tmp_path)),
        out=tmp_path / "x.jsonl",
        console=console,
    )
    assert summary.rows > 0
    assert summary.out == tmp_path / "x.jsonl"


def test_other_kinds_of_registry_simulate(tmp_path: Path) -> None:
    """Ministries, no aliases, no Kazakh names: the texts name them as they can, nothing breaks."""
    path = tmp_path / "ministries.yaml"
    path.write_text(
        "timezone: Asia/Baku\n"
        "entities:\n"
        "  - {id: az, kind: country, name: {en: Azerbaijan}}\n"
        "  - {id: az-health, kind: ministry, parent: az,\n"
        "     name: {ru: Министерство здравоохранения, en: Ministry of Health}}\n"
        "  - {id: az-edu, kind: ministry, parent: az, name: {en: Ministry of Education}}\n",
        encoding="utf-8",
    )
    home = Home(tmp_path / "home")
    summary = simulate(home, weeks=1, scale=0.5, seed=1, end=LAST_DAY, registry=str(path))
    assert summary.counts["posts"] > 0
    assert {p.position["ru"] for p in home.registry().persons} == {"министр"}
    empty = tmp_path / "empty.yaml"
    empty.write_text("timezone: Asia/Almaty\nentities:\n  - {id: kz, kind: country}\n", encoding="utf-8")
    with pytest.raises(CivicpulseError, match="nothing to simulate"):
        simulate(home, weeks=1, scale=1, seed=1, registry=str(empty))


def test_bad_parameters_are_refused(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    with pytest.raises(CivicpulseError, match="weeks"):
        simulate(home, weeks=0, scale=1, seed=1, registry=str(registry_file(tmp_path)))
    with pytest.raises(CivicpulseError, match="scale"):
        simulate(home, weeks=1, scale=0, seed=1, registry=str(registry_file(tmp_path)))


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2024, 3, 13, 12, 0, tzinfo=UTC), date(2024, 3, 10)),  # a Wednesday
        (datetime(2024, 3, 11, 0, 30, tzinfo=UTC), date(2024, 3, 10)),  # Monday morning in Almaty
        (datetime(2024, 3, 10, 12, 0, tzinfo=UTC), date(2024, 3, 3)),  # a Sunday is not over yet
        (datetime(2024, 3, 10, 20, 0, tzinfo=UTC), date(2024, 3, 10)),  # ...unless Monday began in Almaty
    ],
)
def test_default_end_is_the_last_sunday_before_today(now: datetime, expected: date) -> None:
    assert default_end("Asia/Almaty", now) == expected


@pytest.mark.skipif("kz" not in bundled_names(), reason="the bundled kz registry is not there yet")
def test_bundled_registry_simulates(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    summary = simulate(home, weeks=1, scale=0.3, seed=2, end=LAST_DAY)
    registry = home.registry()
    regions = [e for e in registry.entities if e.kind == "region"]
    assert len(regions) == 20
    assert all(any(a.role == "official" for a in registry.accounts_of(e.id)) for e in regions)
    assert summary.counts["posts"] > 0
