"""Query engines over the lake: Ibis on DuckDB (embedded) or on PySpark (scale-out)."""
