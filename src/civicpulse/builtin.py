"""civicpulse's own plugin: registered through the same entry point third-party plugins use."""

from __future__ import annotations

from civicpulse.importers.canonical import CanonicalCsv, CanonicalJsonl
from civicpulse.plugins import Plugin

plugin = Plugin(
    name="builtin",
    importers={
        "jsonl": lambda **_: CanonicalJsonl(),
        "csv": lambda encoding="auto", **_: CanonicalCsv(encoding),
    },
)
