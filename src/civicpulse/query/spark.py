"""The PySpark backend: the same Ibis expressions over the same Parquet lake, on a Spark session.

Only imported when ``--engine spark`` is asked for (the ``civicpulse[spark]`` extra and a Java
runtime must be installed). The session reads timestamps in UTC, keeps shuffles small (a weekly
rating joins a few hundred participants, not terabytes), runs without the web UI and logs only
errors, so that the command line prints the rating and nothing else.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from ibis.backends.pyspark import Backend
from ibis.util import gen_name
from pyspark.sql import SparkSession

from civicpulse.errors import EngineError

SHUFFLE_PARTITIONS = 4

_CONF: dict[str, str] = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.shuffle.partitions": str(SHUFFLE_PARTITIONS),
    "spark.default.parallelism": str(SHUFFLE_PARTITIONS),
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    # results come back to Python as Arrow, not row by row
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    # the lake writes one Parquet schema; merging schemas per file would only cost time
    "spark.sql.parquet.mergeSchema": "false",
}

_LOG_CONFIG = Path(__file__).with_name("spark-log4j2.properties")

_LOCAL_CONF: dict[str, str] = {
    # a rating is one deep plan of many small stages; re-planning after each stage (adaptive
    # execution) costs more on one machine than it saves (about 30% of a weekly rating's time)
    "spark.sql.adaptive.enabled": "false",
    # a local session talks to itself only: never bind to a public interface
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    # the driver runs in the JVM this process starts: it reads our log settings (errors only)
    "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile={_LOG_CONFIG.as_uri()}",
}


# Spark expands glob characters in every path it reads; lake paths are literal
_GLOB = re.compile(r"([\\\[\]{}*?])")


class LakeBackend(Backend):  # type: ignore[misc]
    """Ibis's PySpark backend, reading a list of Parquet files as one table (as DuckDB does) and
    returning results as Arrow straight from Spark (not through pandas, where nullable integers
    become floats).
    """

    def read_parquet(
        self, path: str | Path | Sequence[str | Path], /, *, table_name: str | None = None, **kwargs: Any
    ) -> ir.Table:
        if isinstance(path, str | Path):
            return super().read_parquet(path, table_name=table_name, **kwargs)
        paths = [_GLOB.sub(r"\\\1", str(Path(p).absolute())) for p in path]
        frame = self._session.read.parquet(*paths, **kwargs)
        name = table_name or gen_name("read_parquet")
        frame.createOrReplaceTempView(name)
        return self.table(name)

    def to_pyarrow(
        self,
        expr: ir.Expr,
        /,
        *,
        params: Mapping[ir.Scalar, Any] | None = None,
        limit: int | str | None = None,
        **kwargs: Any,
    ) -> pa.Table:
        self._run_pre_execute_hooks(expr)
        table = expr.as_table()
        sql = self.compile(table, params=params, limit=limit, **kwargs)
        return expr.__pyarrow_result__(self._session.sql(sql).toArrow())


def spark_backend(master: str) -> ibis.BaseBackend:
    """An Ibis backend on a Spark session at ``master`` (``local[2]`` by default), timestamps in UTC.

    A session already running in this process is reused (Spark allows one per JVM), with the
    settings above applied to it. Raises :class:`EngineError` when the JVM cannot start.
    """
    local = master.startswith("local")
    if local:
        # read by the launcher scripts before the JVM starts; the conf below covers the JVM itself
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = SparkSession.builder.master(master).appName("civicpulse")
    for key, value in {**_CONF, **(_LOCAL_CONF if local else {})}.items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # a missing or broken JVM surfaces as many different exception types
        raise EngineError(f"cannot start a Spark session at {master!r}: {exc}") from exc
    session.sparkContext.setLogLevel("ERROR")
    for key, value in {**_CONF, **(_LOCAL_CONF if local else {})}.items():
        # getOrCreate() hands back a running session untouched; SQL settings can still be set on it
        if key.startswith("spark.sql."):
            session.conf.set(key, value)
    if getattr(ibis.options, "pyspark", None) is None:
        # what `ibis.pyspark` does on first use; the compiler reads these options
        LakeBackend.register_options()
    return LakeBackend().connect(session)
