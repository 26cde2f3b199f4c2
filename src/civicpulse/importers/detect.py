"""Choosing an importer for a file: by name (``--format``) or by looking at it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from civicpulse import plugins
from civicpulse.errors import CivicpulseError
from civicpulse.importers.base import Importer
from civicpulse.importers.canonical import Encoding


def importers(encoding: Encoding = "auto", **options: Any) -> dict[str, Importer]:
    """Every installed importer (built-in and plugins), by format name.

    ``options`` (such as ``mapping`` or ``account``) go to every factory; each takes what it knows.
    """
    return {name: factory(encoding=encoding, **options) for name, factory in plugins.importers().items()}


def choose(path: Path, fmt: str = "auto", encoding: Encoding = "auto", **options: Any) -> Importer:
    """The importer for ``path`` (a file, or a directory some importers read whole); raises naming it when none fits."""
    known = importers(encoding, **options)
    if fmt != "auto":
        if fmt not in known:
            raise CivicpulseError(f"unknown import format {fmt!r} (known: {', '.join(known)})")
        return known[fmt]
    try:
        if path.is_dir():
            head = b""
        else:
            with open(path, "rb") as fh:
                head = fh.read(4096)
    except OSError as exc:
        raise CivicpulseError(f"{path}: cannot read: {exc.strerror}") from exc
    for importer in known.values():
        if importer.detect(path, head):
            return importer
    raise CivicpulseError(f"{path}: format not recognised; give --format ({', '.join(known)})")
