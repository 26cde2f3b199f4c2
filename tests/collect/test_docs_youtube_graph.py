"""docs/collect.md documents every setting, default and classified error of YouTube, Facebook and Instagram."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from civicpulse.collect.facebook.client import FacebookSettings
from civicpulse.collect.facebook.errors import MISSING, TOKEN
from civicpulse.collect.facebook.errors import TRANSIENT as GRAPH_TRANSIENT
from civicpulse.collect.instagram.client import InstagramSettings
from civicpulse.collect.settings import ConnectorSettings
from civicpulse.collect.youtube.client import YoutubeSettings
from civicpulse.collect.youtube.errors import ITEM, QUOTA, TRANSIENT

DOC = (Path(__file__).resolve().parents[2] / "docs" / "collect.md").read_text(encoding="utf-8")
SECTIONS = {"youtube": "## YouTube", "facebook": "## Facebook", "instagram": "## Instagram"}
MODELS: dict[str, Any] = {"youtube": YoutubeSettings, "facebook": FacebookSettings, "instagram": InstagramSettings}
REQUIRED = {"youtube": {"token": "t"}, "facebook": {"token": "t"}, "instagram": {"token": "t", "ig_user_id": "1"}}


def section(platform: str) -> str:
    text = DOC.split(SECTIONS[platform] + "\n", 1)[1]
    return re.split(r"\n## ", text, maxsplit=1)[0]


@pytest.mark.parametrize("platform", sorted(MODELS))
def test_every_own_setting_is_documented_in_the_platform_section(platform: str) -> None:
    model = MODELS[platform]
    own = {
        name
        for name, info in model.model_fields.items()
        if name not in ConnectorSettings.model_fields or info.default != ConnectorSettings.model_fields[name].default
    }
    text = section(platform)
    assert own and all(f"| `{name}` |" in text for name in own), sorted(n for n in own if f"| `{n}` |" not in text)


@pytest.mark.parametrize("platform", sorted(MODELS))
def test_documented_defaults_match_the_code(platform: str) -> None:
    settings = MODELS[platform].model_validate(REQUIRED[platform])
    shown = re.findall(r"^\| `(\w+)` \| `([^`]+)` \|", section(platform), flags=re.MULTILINE)
    assert shown
    for name, text in shown:
        value = getattr(settings, name)
        if isinstance(value, bool):
            expected = str(value).lower()
        elif isinstance(value, float):
            expected = f"{value:g}"
        else:
            expected = str(value)
        assert text == expected, (platform, name)


@pytest.mark.parametrize("reason", sorted(TRANSIENT | QUOTA | ITEM | {"keyInvalid", "accessNotConfigured"}))
def test_every_classified_youtube_reason_is_documented(reason: str) -> None:
    assert reason in section("youtube")


@pytest.mark.parametrize("code", sorted(TOKEN | MISSING | GRAPH_TRANSIENT | {4, 10, 17, 32, 613, 80001, 200}))
def test_every_classified_graph_code_is_documented(code: int) -> None:
    assert re.search(rf"\b{code}\b", section("facebook"))


def test_quota_and_tokens_are_explained() -> None:
    youtube = section("youtube")
    assert "Pacific" in youtube and "America/Los_Angeles" in youtube and "search_quota" in youtube
    assert "Page Public Content Access" in section("facebook")
    assert "business discovery" in section("instagram") and "2207013" in section("instagram")
