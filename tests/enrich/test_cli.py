"""``enrich``, ``eval``, ``registry aliases`` and ``export posts`` with enrichment, through the real app."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from typer.testing import CliRunner

from civicpulse.cli.main import app
from civicpulse.enrich import pipeline
from civicpulse.enrich.language import STAGE as LANGUAGE
from civicpulse.enrich.mentions import STAGE as MENTIONS
from civicpulse.store.home import Home
from tests.conftest import post


def _cli(home: Home, *args: str) -> Any:
    result = CliRunner().invoke(app, ["--home", str(home.path), *args])
    assert result.exit_code == 0, result.output
    return result


def test_enrich_then_export_with_the_columns_and_notes(home: Home, load: Callable[..., Any], monkeypatch: Any) -> None:
    monkeypatch.setattr(pipeline, "installed", lambda: {"language": LANGUAGE, "mentions": MENTIONS})
    hostile = '=HYPERLINK("x") Атырау облысы әкімдігі'
    load(
        [
            post("vk", "1", "-9", "2024-03-05T10:00:00+05:00", text="Спасибо акимату Атырауской области", author="5"),
            post("vk", "2", "-1", "2024-03-05T11:00:00+05:00", text=hostile),
        ]
    )
    assert "0 post(s) to process" not in _cli(home, "enrich", "--dry-run").output
    first = _cli(home, "enrich").output
    assert "language" in first and "mentions" in first and "2 post(s)" in first
    assert "up to date" in _cli(home, "enrich").output
    assert "mentions: 0 post(s) to process" in _cli(home, "enrich", "--dry-run").output
    result = _cli(home, "export", "posts", "--from", "2024-03-04", "--to", "2024-03-10")
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    by_id = {r["id"]: r for r in rows}
    assert by_id["1"]["lang"] == "ru" and by_id["1"]["entities"] == ["kz-atyrau"] and by_id["1"]["flags"] == []
    assert by_id["2"]["flags"] == ["excluded_source"] and by_id["2"]["entities"] == ["kz-atyrau"]
    assert "sentiment" not in by_id["1"]  # no stage fills it: empty, not invented
    assert "note: sentiment: no installed stage produces it" in result.output
    csv_out = _cli(home, "export", "posts", "--from", "2024-03-04", "--to", "2024-03-10", "--format", "csv").stdout
    assert "'=HYPERLINK" in csv_out  # hostile text stays neutralised next to the new columns
    assert "entities" in csv_out.splitlines()[0]


def test_registry_aliases_lists_forms(home: Home) -> None:
    out = _cli(home, "registry", "aliases", "kz-atyrau").output
    assert "акимату" in out and "атырауской" in out and "stem" in out  # cells fold at 80 columns
    missing = CliRunner().invoke(app, ["--home", str(home.path), "registry", "aliases", "nowhere"])
    assert missing.exit_code == 2 and "no entity 'nowhere'" in missing.output


def test_eval_prints_mentions_per_language(monkeypatch: Any) -> None:
    monkeypatch.setattr(pipeline, "installed", lambda: {"language": LANGUAGE, "mentions": MENTIONS})
    result = CliRunner().invoke(app, ["eval", "--stage", "mentions"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "mentions" in line]
    assert {line.split("│")[2].strip() for line in lines} >= {"ru", "kk", "az", "all"}
