"""docs/collect.md documents every setting, default and classified error of the Telegram, OK and X connectors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from civicpulse.collect.ok.client import OkSettings
from civicpulse.collect.ok.errors import QUOTA, TOKEN, TRANSIENT
from civicpulse.collect.settings import ConnectorSettings
from civicpulse.collect.telegram.client import TelegramSettings
from civicpulse.collect.telegram.errors import MISSING_NAMES, PRIVATE_NAMES
from civicpulse.collect.x.client import XSettings

DOC = (Path(__file__).resolve().parents[2] / "docs" / "collect.md").read_text(encoding="utf-8")
SECTIONS = {"telegram": "## Telegram", "ok": "## Odnoklassniki", "x": "## X"}
MODELS = {"telegram": TelegramSettings, "ok": OkSettings, "x": XSettings}
REQUIRED = {
    "telegram": {},
    "ok": {"token": "t", "application_key": "k", "application_secret_key": "s"},
    "x": {"token": "t"},
}


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
    text = section(platform)
    for name, shown in re.findall(r"^\| `(\w+)` \| `([^`]+)` \|", text, flags=re.MULTILINE):
        value = getattr(settings, name)
        expected = (
            str(value).lower()
            if isinstance(value, bool)
            else (f"{value:g}" if isinstance(value, float) else str(value))
        )
        assert shown == expected, (platform, name)


@pytest.mark.parametrize("code", sorted(TRANSIENT | QUOTA | TOKEN | {10, 300}))
def test_every_classified_ok_code_is_documented(code: int) -> None:
    assert re.search(rf"\b{code}\b", section("ok"))


@pytest.mark.parametrize(
    "name",
    sorted((PRIVATE_NAMES | MISSING_NAMES) - {"CHAT_ADMIN_REQUIRED", "PEER_ID_INVALID", "CHANNEL_PUBLIC_GROUP_NA"}),
)
def test_telegram_errors_are_documented(name: str) -> None:
    assert name in section("telegram")
