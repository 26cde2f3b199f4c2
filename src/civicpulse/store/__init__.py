"""The data home: an append-only Parquet lake plus a small SQLite file of operational state."""
