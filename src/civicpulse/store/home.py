"""The data home directory: the lake, the state database, the registry in force, reports."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from pathlib import Path

from civicpulse.errors import RegistryMissing
from civicpulse.registry.loader import RegistryText, parse
from civicpulse.registry.models import Registry
from civicpulse.store import state
from civicpulse.store.lake import Lake


class Home:
    """Everything civicpulse keeps lives under one directory."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @cached_property
    def lake(self) -> Lake:
        return Lake(self.path)

    @property
    def imports_dir(self) -> Path:
        return self.path / "imports"

    def save_registry(self, text: RegistryText) -> int:
        """Make ``text`` the registry in force (it must have been validated); returns its version."""
        with self.lake.connect() as conn, state.transaction(conn):
            cursor = conn.execute(
                "INSERT INTO registry_versions (loaded_at, source, sha256, text) VALUES (?, ?, ?, ?)",
                (dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), text.source, text.sha256, text.text),
            )
        return int(cursor.lastrowid or 0)

    def registry_text(self) -> RegistryText:
        """The registry in force, as loaded; raises :class:`RegistryMissing` when there is none."""
        with self.lake.connect() as conn:
            row = conn.execute("SELECT source, text FROM registry_versions ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            raise RegistryMissing(
                f"no registry in {self.path}: run `civicpulse registry load FILE` "
                "(or `civicpulse registry load bundled:kz`)"
            )
        return RegistryText(row["text"], row["source"])

    def registry(self) -> Registry:
        return parse(self.registry_text())
