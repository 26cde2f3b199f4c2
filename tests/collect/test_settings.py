"""``[collect.<platform>]`` settings: secret references, shared defaults, errors that name the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from civicpulse.collect.settings import configured_platforms, read_collect_config, settings_for
from civicpulse.collect.vk.client import VkSettings
from civicpulse.errors import ConfigError


def config(tmp_path: Path, text: str) -> dict[str, object]:
    (tmp_path / "config.toml").write_text(text, encoding="utf-8")
    return read_collect_config(tmp_path)


def test_token_from_the_environment_and_shared_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MY_VK_TOKEN", "vk1.secret")
    table = config(
        tmp_path,
        """
home = "ignored"
[collect]
user_agent = "civicpulse-test"
timeout = 5
[collect.vk]
token = {"$env" = "MY_VK_TOKEN"}
rate = 20
""",
    )
    assert configured_platforms(table) == ["vk"]
    settings = settings_for(VkSettings, "vk", table)
    assert settings.token.get_secret_value() == "vk1.secret"
    assert (settings.rate, settings.timeout, settings.user_agent) == (20, 5, "civicpulse-test")
    assert settings.base_url == "https://api.vk.com/method/" and settings.version == "5.199"
    assert "vk1.secret" not in repr(settings) and "vk1.secret" not in str(settings.model_dump())


def test_missing_environment_variable_names_the_section(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOT_SET_ANYWHERE", raising=False)
    table = config(tmp_path, '[collect.vk]\ntoken = {"$env" = "NOT_SET_ANYWHERE"}\n')
    with pytest.raises(ConfigError, match=r"config.toml \[collect.vk\] token: environment variable NOT_SET_ANYWHERE"):
        settings_for(VkSettings, "vk", table)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('token = "t"\nrate = 0', r"\[collect.vk\] rate: Input should be greater than 0"),
        ('token = "t"\nrrate = 3', r"\[collect.vk\] rrate: unknown setting"),
        ('token = "t"\nexecute_calls = 40', r"\[collect.vk\] execute_calls: Input should be less than or equal to 25"),
        ("rate = 3", r"\[collect.vk\] token: Field required"),
    ],
)
def test_bad_values_name_the_field(tmp_path: Path, body: str, message: str) -> None:
    table = config(tmp_path, "[collect.vk]\n" + body + "\n")
    with pytest.raises(ConfigError, match=message):
        settings_for(VkSettings, "vk", table)


def test_unconfigured_platform_and_broken_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no \[collect.vk\] table"):
        settings_for(VkSettings, "vk", {})
    assert read_collect_config(tmp_path) == {}
    (tmp_path / "config.toml").write_text("[collect.vk\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"config\.toml"):
        read_collect_config(tmp_path)
