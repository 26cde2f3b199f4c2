"""The command line end to end on a small home: import, rate, explain, export, runs, store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from civicpulse.cli.main import app
from tests.conftest import SMALL_REGISTRY, post, snapshot, write_jsonl

runner = CliRunner()


def cli(home: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--home", str(home), *args], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def home(tmp_path: Path) -> Path:
    registry = tmp_path / "registry.yaml"
    registry.write_text(SMALL_REGISTRY, encoding="utf-8")
    data = write_jsonl(
        tmp_path / "data.jsonl",
        [
            snapshot("vk", "-1", "2024-03-10T12:00:00+05:00", 5000),
            snapshot("instagram", "north_gov", "2024-03-10T12:00:00+05:00", 20000),
            snapshot("telegram", "south_gov", "2024-03-03T12:00:00+05:00", 8000),
            post(
                "vk", "-1_1", "-1", "2024-03-05T09:00:00+05:00", likes=40, comments=5, reposts=5, text="Приём граждан"
            ),
            post("instagram", "ig1", "north_gov", "2024-03-06T09:00:00+05:00", likes=300, comments=20, text="<b>x</b>"),
            post("vk", "-1_2", "-1", "2024-03-06T09:00:00+05:00", likes=3, reply_to="-1_1", author="9", text="вопрос"),
        ],
    )
    home_dir = tmp_path / "home"
    assert cli(home_dir, "registry", "load", str(registry))[0] == 0
    code, out, _ = cli(home_dir, "import", str(data))
    assert code == 0 and "imported 3 posts, 3 snapshots" in out
    return home_dir


def test_rate_json_csv_table(home: Path) -> None:
    code, out, _ = cli(home, "rate", "pages", "--week", "2024-W10", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    rated = {r["participant"]: r for r in rows if r["place"] is not None}
    assert rated["instagram:north_gov"]["place"] == 1
    assert rated["instagram:north_gov"]["metrics"]["engagement"] == {"value": 320, "rank": 1}
    assert rated["vk:-1"]["metrics"]["engagement"]["value"] == 50  # the reply is not the page's own post
    unrated = [r for r in rows if r["place"] is None]
    assert [r["participant"] for r in unrated] == ["facebook:east.gov"]
    code, out, _ = cli(home, "rate", "pages", "--week", "2024-W10", "--format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("place,previous_place,movement,participant")
    code, out, _ = cli(home, "rate", "pages", "--week", "2024-W10")
    assert code == 0 and "instagram:north_gov" in out and "unrated: facebook:east.gov" in out


def test_runs_are_listed_and_shown(home: Path) -> None:
    cli(home, "rate", "pages", "--week", "2024-W10", "--format", "json")
    code, out, _ = cli(home, "runs", "list")
    assert code == 0 and "2024-W10" in out
    code, out, _ = cli(home, "runs", "show", "1")
    assert code == 0 and json.loads(out)[0]["participant"] == "instagram:north_gov"
    assert cli(home, "runs", "show", "99")[0] == 2


def test_explain_lists_neighbours_snapshots_and_posts(home: Path) -> None:
    code, out, _ = cli(home, "explain", "pages", "vk:-1", "--week", "2024-W10", "--format", "json")
    assert code == 0
    body = json.loads(out)
    # points: north 4, vk 3+2+2+2 = 9, south 2+3+3+3 = 11 (posted nothing)
    assert body["row"]["place"] == 2
    assert body["neighbours"]["engagement"] == {"above": "instagram:north_gov", "below": "telegram:south_gov"}
    assert [s["followers"] for s in body["snapshots_end"]] == [5000]
    assert [p["id"] for p in body["posts"]] == ["-1_1"]
    code, out, _ = cli(home, "explain", "pages", "vk:-1", "--week", "2024-W10")
    assert code == 0 and "place 2 of 3" in out and "Приём граждан" in out
    code, out, _ = cli(home, "explain", "pages", "facebook:east.gov", "--week", "2024-W10")
    assert code == 0 and "unrated: no follower snapshot" in out
    code, _, err = cli(home, "explain", "pages", "vk:-404", "--week", "2024-W10")
    assert code == 2 and "does not take part" in err


def test_export_to_file_and_errors(home: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "posts.csv"
    code, out, _ = cli(
        home, "export", "posts", "--from", "2024-03-04", "--to", "2024-03-10", "--format", "csv", "--out", str(out_file)
    )
    assert code == 0 and "3 posts written" in out
    assert "'-1_1" not in out_file.read_text(encoding="utf-8")
    code, _, err = cli(home, "export", "posts", "--from", "2024-03-04", "--to", "yesterday")
    assert code == 2 and "not a date" in err
    code, _, err = cli(home, "export", "posts", "--from", "2024-03-04", "--to", "2024-03-10", "--format", "pdf")
    assert code == 2 and "unknown export format" in err


def test_bad_import_exits_2_and_names_the_line(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"record": "snapshot", "platform": "vk", "account": "-1", "observed_at": "2024-03-10T12:00:00",'
        ' "followers": 1}\n',
        encoding="utf-8",
    )
    code, _, err = cli(home, "import", str(bad))
    assert code == 2
    assert f"{bad}:1: observed_at: Input should have timezone info" in err


def test_period_errors(home: Path) -> None:
    assert "not an ISO week" in cli(home, "rate", "pages", "--week", "2024-W54")[2]
    assert "exactly one of" in cli(home, "rate", "pages")[2]
    assert "no methodology" in cli(home, "rate", "nope", "--week", "2024-W10")[2]


def test_store_status_and_no_registry(home: Path, tmp_path: Path) -> None:
    code, out, _ = cli(home, "store", "status")
    assert code == 0 and "committed" in out and "data cut: 1" in out
    code, _, err = cli(tmp_path / "empty", "rate", "pages", "--week", "2024-W10")
    assert code == 2 and "no registry" in err
