"""Plugins: importers, connectors and enrichment stages, built-in or third-party alike.

Every plugin, civicpulse's own included, is an object listed under the entry-point group
``civicpulse.plugins`` (see ``pyproject.toml``: ``builtin = "civicpulse.builtin:plugin"``). A
third-party package adds its own entry point; nothing scans folders or guesses module names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import entry_points
from typing import Any

from civicpulse.errors import ConfigError

GROUP = "civicpulse.plugins"


@dataclass
class Plugin:
    """What one plugin contributes; every mapping is by a unique name."""

    name: str
    importers: dict[str, Callable[..., Any]] = field(default_factory=dict)
    """Format name -> factory taking keyword options (e.g. ``encoding``) and returning an Importer."""
    connectors: dict[str, Callable[..., Any]] = field(default_factory=dict)
    """Platform name -> connector class."""
    stages: dict[str, Any] = field(default_factory=dict)
    """Stage name -> enrichment stage."""
    window_stages: dict[str, Any] = field(default_factory=dict)
    """Stage name -> window stage (flags computed over a period's posts at once)."""


@cache
def plugins() -> tuple[Plugin, ...]:
    """Every installed plugin, built-in first, in a stable order."""
    found = []
    for ep in sorted(entry_points(group=GROUP), key=lambda e: (e.name != "builtin", e.name)):
        plugin = ep.load()
        if not isinstance(plugin, Plugin):
            raise ConfigError(f"entry point {ep.name} = {ep.value} is not a civicpulse Plugin")
        found.append(plugin)
    return tuple(found)


def _merged(kind: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for plugin in plugins():
        for name, value in getattr(plugin, kind).items():
            if name in merged:
                raise ConfigError(f"two plugins provide the {kind[:-1]} {name!r}")
            merged[name] = value
    return merged


def importers() -> dict[str, Callable[..., Any]]:
    return _merged("importers")


def connectors() -> dict[str, Callable[..., Any]]:
    return _merged("connectors")


def stages() -> dict[str, Any]:
    return _merged("stages")


def window_stages() -> dict[str, Any]:
    return _merged("window_stages")
