"""Canonical records: the platform-neutral shapes every connector and importer produces."""
