"""Writing canonical data out: JSONL, CSV, XLSX and Parquet, safe for spreadsheets."""
