"""Choosing an importer for a file: by name (``--format``) or by looking at it."""

from __future__ import annotations

from pathlib import Path

from civicpulse import plugins
from civicpulse.errors import CivicpulseError
from civicpulse.importers.base import Importer
from civicpulse.importers.canonical import Encoding


def importers(encoding: Encoding = "auto") -> dict[str, Importer]:
    """Every installed importer (built-in and plugins), by format name."""
    return {name: factory(encoding=encoding) for name, factory in plugins.importers().items()}


def choose(path: Path, fmt: str = "auto", encoding: Encoding = "auto") -> Importer:
    """The importer for ``path``; raises naming the file when none fits."""
    known = importers(encoding)
    if fmt != "auto":
        if fmt not in known:
            raise CivicpulseError(f"unknown import format {fmt!r} (known: {', '.join(known)})")
        return known[fmt]
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise CivicpulseError(f"{path}: cannot read: {exc.strerror}") from exc
    for importer in known.values():
        if importer.detect(path, head):
            return importer
    raise CivicpulseError(f"{path}: format not recognised; give --format ({', '.join(known)})")
