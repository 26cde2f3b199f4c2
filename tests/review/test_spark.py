"""The review on PySpark gives the same facts and paragraphs as on DuckDB, over the same lake."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime

import pytest

from civicpulse.query.engine import Engine, connect
from civicpulse.review.build import build_review
from civicpulse.review.render.as_json import render_json
from tests.review.conftest import World

pytest.importorskip("pyspark", reason="needs the spark extra: uv sync --extra spark")
pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(shutil.which("java") is None, reason="needs a Java runtime for Spark"),
]


def reviewed(engine: Engine) -> dict[str, object]:
    review = build_review(
        engine, date(2017, 12, 16), date(2018, 12, 16), lang="ru", now=datetime(2019, 1, 1, tzinfo=UTC)
    )
    data: dict[str, dict[str, object]] = json.loads(render_json(review))
    data["review"].pop("engine")
    return dict(data)


def test_spark_and_duckdb_write_the_same_review(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPARK_LOCAL_IP", "127.0.0.1")
    home = world.home
    spark = Engine(connect("spark"), home.lake.cut(), home.registry(), name="spark")
    assert reviewed(spark) == reviewed(world.engine)
