"""The listening ratings (``mentions``, ``district-mentions``, ``persons``) give the same answer on PySpark as on
DuckDB, over a simulated, enriched and flagged lake: they read the enrichment tables, the flags of the window
stages and analysts' overrides, which the ``pages`` parity test does not touch."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from civicpulse.cli.main import app

pytest.importorskip("pyspark", reason="needs the spark extra: uv sync --extra spark")
pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(shutil.which("java") is None, reason="needs a Java runtime for Spark"),
]


def _cli(home: Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["--home", str(home), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def _close(left: Any, right: Any, where: str = "") -> None:
    """Equal, floats within 1e-9 relative (the engines sum in different orders)."""
    if isinstance(left, float) or isinstance(right, float):
        assert isinstance(left, float | int) and isinstance(right, float | int), f"{where}: {left!r} != {right!r}"
        assert math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-12), f"{where}: {left!r} != {right!r}"
    elif isinstance(left, dict) and isinstance(right, dict):
        assert left.keys() == right.keys(), f"{where}: {sorted(left)} != {sorted(right)}"
        for key in left:
            _close(left[key], right[key], f"{where}.{key}")
    elif isinstance(left, list) and isinstance(right, list):
        assert len(left) == len(right), f"{where}: {len(left)} != {len(right)} items"
        for i, (a, b) in enumerate(zip(left, right, strict=True)):
            _close(a, b, f"{where}[{i}]")
    else:
        assert left == right, f"{where}: {left!r} != {right!r}"


def test_listening_ratings_are_the_same_on_spark(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPARK_LOCAL_IP", "127.0.0.1")
    monkeypatch.setenv("CIVICPULSE_E5_SCOPE", "none")  # the linear heads: the tones, not e5, are under test
    home = tmp_path / "home"
    _cli(home, "simulate", "--weeks", "2", "--scale", "0.1", "--seed", "3")
    _cli(home, "enrich", "--workers", "1")
    _cli(home, "flags", "detect", "--week", "last")
    for methodology in ("mentions", "district-mentions", "persons"):
        answers = [
            json.loads(
                _cli(home, "--engine", engine, "rate", methodology, "--week", "last", "--format", "json", "--no-store")
            )
            for engine in ("duckdb", "spark")
        ]
        on_duckdb, on_spark = answers
        # the lake exercises what it claims to: rated participants with known values
        assert len(on_duckdb) >= 3, methodology
        assert any(any(m["value"] for m in row["metrics"].values()) for row in on_duckdb), methodology
        _close(on_duckdb, on_spark, methodology)
