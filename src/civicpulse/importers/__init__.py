"""Importers: files users already have, mapped to canonical records."""
