"""The state database across versions: files made by older versions are migrated, files that cannot be
used stop every command with one message naming the file (exit code 2, no traceback)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from civicpulse.cli.main import app  # imports every subsystem, so every migration is registered
from civicpulse.errors import StoreError
from civicpulse.store import state
from civicpulse.store.home import Home
from tests.conftest import SMALL_REGISTRY, post, write_jsonl


def cli(home: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--home", str(home), *args])
    return result.exit_code, result.output


def legacy_home(tmp_path: Path) -> Path:
    """A data home as civicpulse wrote it before migrations per subsystem: the core schema, its version
    in ``PRAGMA user_version``, no ``schema_versions`` table, a loaded registry and a committed batch."""
    home = tmp_path / "old-home"
    home.mkdir()
    with sqlite3.connect(home / "state.sqlite") as conn:
        conn.executescript(state.CORE[0])
        conn.execute("PRAGMA user_version = 1")
        conn.execute(
            "INSERT INTO registry_versions (loaded_at, source, sha256, text) VALUES ('2024-03-01T00:00:00+00:00',"
            " 'small.yaml', 'x', ?)",
            (SMALL_REGISTRY,),
        )
        conn.execute(
            "INSERT INTO batches (kind, source, status, commit_seq, pid, host, started_at, counts)"
            " VALUES ('import', 'old.jsonl', 'committed', 1, 1, 'h', '2024-03-01T00:00:00+00:00', '{}')"
        )
    conn.close()
    return home


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        found = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    return found


def test_a_state_file_older_than_schema_versions_is_migrated(tmp_path: Path) -> None:
    home = legacy_home(tmp_path)
    code, output = cli(home, "registry", "show")
    assert code == 0, output
    path = home / "state.sqlite"
    assert {"schema_versions", "flag_overrides", "collect_runs"} <= tables(path)
    with sqlite3.connect(path) as conn:
        versions = dict(conn.execute("SELECT subsystem, version FROM schema_versions").fetchall())
        assert conn.execute("SELECT count(*) FROM batches").fetchone()[0] == 1  # nothing lost
    conn.close()
    assert versions == {name: len(steps) for name, steps in state.MIGRATIONS.items()}
    # and the home works on: a new import, flags, collection status
    data = write_jsonl(tmp_path / "data.jsonl", [post("vk", "1", "-1", "2024-03-05T09:00:00+05:00", text="x")])
    code, output = cli(home, "import", str(data))
    assert code == 0 and "imported 1 posts" in output, output
    assert cli(home, "flags", "list")[0] == 0
    assert cli(home, "collect", "status")[0] == 0


def test_the_migrated_legacy_file_is_not_migrated_twice(tmp_path: Path) -> None:
    home = legacy_home(tmp_path)
    state.connect(home / "state.sqlite").close()
    state.connect(home / "state.sqlite").close()
    assert Home(home).registry_text().source == "small.yaml"


def test_a_state_file_of_a_newer_version_is_refused(tmp_path: Path) -> None:
    home = tmp_path / "home"
    state.connect(home / "state.sqlite").close()
    with sqlite3.connect(home / "state.sqlite") as conn:
        conn.execute("UPDATE schema_versions SET version = version + 1 WHERE subsystem = 'core'")
    conn.close()
    code, output = cli(home, "registry", "show")
    assert code == 2
    assert str(home / "state.sqlite") in output and "newer civicpulse" in output and "upgrade" in output
    # the real command: one line on stderr, no traceback
    done = subprocess.run(
        [sys.executable, "-m", "civicpulse", "--home", str(home), "rate", "pages", "--week", "2024-W10"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"error: {home / 'state.sqlite'} was written by a newer civicpulse")
    assert "Traceback" not in done.stderr


def test_a_missing_table_the_versions_promise_is_a_clear_error(tmp_path: Path) -> None:
    home = tmp_path / "home"
    state.connect(home / "state.sqlite").close()
    with sqlite3.connect(home / "state.sqlite") as conn:
        conn.execute("DROP TABLE flag_overrides")
    conn.close()
    code, output = cli(home, "flags", "list")
    assert code == 2, output
    assert str(home / "state.sqlite") in output and "flag_overrides" in output and "backup" in output
    assert "Traceback" not in output


def test_a_failing_migration_names_the_file_and_changes_nothing(tmp_path: Path) -> None:
    # the core tables exist but nothing records their version: creating them again fails
    home = tmp_path / "home"
    home.mkdir()
    with sqlite3.connect(home / "state.sqlite") as conn:
        conn.executescript(state.CORE[0])
    conn.close()
    with pytest.raises(StoreError, match="cannot migrate the state database") as caught:
        state.connect(home / "state.sqlite")
    assert str(home / "state.sqlite") in str(caught.value) and "core schema version 0 to 1" in str(caught.value)
    assert "schema_versions" not in tables(home / "state.sqlite")  # rolled back
    code, output = cli(home, "registry", "show")
    assert code == 2 and "cannot migrate" in output and "Traceback" not in output


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "state.sqlite").write_bytes(b"not sqlite at all " * 100)
    code, output = cli(home, "registry", "show")
    assert code == 2 and str(home / "state.sqlite") in output and "not a civicpulse state database" in output
    assert "Traceback" not in output
