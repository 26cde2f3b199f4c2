"""docs/collect.md documents every collect setting, option and VK error code the code knows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from civicpulse.collect.settings import ConnectorSettings
from civicpulse.collect.vk.client import VkSettings
from civicpulse.collect.vk.errors import QUOTA, TOKEN, TRANSIENT

DOC = (Path(__file__).resolve().parents[2] / "docs" / "collect.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(set(ConnectorSettings.model_fields) | set(VkSettings.model_fields)))
def test_every_setting_is_documented(name: str) -> None:
    assert f"| `{name}` |" in DOC


@pytest.mark.parametrize("option", ["--platform", "--since", "--targets", "civicpulse collect status"])
def test_every_option_is_documented(option: str) -> None:
    assert option in DOC


@pytest.mark.parametrize("code", sorted(TRANSIENT | QUOTA | TOKEN | {15, 18, 30, 203, 212}))
def test_every_classified_error_code_is_documented(code: int) -> None:
    faults = DOC.split("## What happens when a platform misbehaves", 1)[1].split("## Secrets", 1)[0]
    assert re.search(rf"\b{code}\b", faults)


def test_vk_settings_defaults_match_the_doc() -> None:
    settings = VkSettings.model_validate({"token": "t"})
    for name in ("rate", "execute_calls", "thread_items"):
        value = getattr(settings, name)
        assert f"| `{name}` | `{value:g}` |" in DOC
