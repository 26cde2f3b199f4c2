"""The documentation is checked: every command, setting, metric and methodology is in the README."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer

from civicpulse.cli.main import app
from civicpulse.config import Settings
from civicpulse.metrics.catalogue import CATALOGUE
from civicpulse.rating.methodology import builtin_names

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def command_paths() -> list[str]:
    root = typer.main.get_command(app)
    paths: list[str] = []

    def walk(command: Any, prefix: list[str]) -> None:
        if hasattr(command, "commands"):  # a group (typer vendors its own click)
            for name, sub in command.commands.items():
                walk(sub, [*prefix, name])
        else:
            paths.append(" ".join(prefix))

    walk(root, [])
    return sorted(paths)


@pytest.mark.parametrize("path", command_paths())
def test_every_command_is_documented(path: str) -> None:
    assert f"civicpulse {path}" in README, f"`civicpulse {path}` is missing from README.md"


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    assert f"`{name}`" in README and f"CIVICPULSE_{name.upper()}" in README


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_every_metric_is_documented(name: str) -> None:
    assert f"| `{name}` |" in README


@pytest.mark.parametrize("name", builtin_names())
def test_every_builtin_methodology_is_documented(name: str) -> None:
    assert f"`{name}`" in README


def test_readme_opens_with_the_two_commands() -> None:
    head = README.split("\n## ", 1)[0]
    assert "make demo" in head and "make test" in head
    block = head.split("```")[1]
    assert [line.strip() for line in block.strip().splitlines()] == ["make demo", "make test"]


def test_docs_name_existing_files() -> None:
    for link in ("docs/architecture.md", "CHANGELOG.md"):
        assert link in README and (ROOT / link).exists()
