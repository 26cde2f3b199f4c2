"""Settings: precedence, and bad values reported as configuration errors naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from civicpulse.cli.main import app
from civicpulse.config import load_settings
from civicpulse.errors import ConfigError


def test_command_line_beats_environment_beats_the_home_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text('e5_scope = "all"\nlang = "kk"\n', encoding="utf-8")
    assert load_settings(home=home).e5_scope == "all"
    monkeypatch.setenv("CIVICPULSE_E5_SCOPE", "none")
    settings = load_settings(home=home)
    assert (settings.e5_scope, settings.lang) == ("none", "kk")
    assert load_settings(home=home, lang="en").lang == "en"


def test_a_bad_value_in_the_home_file_names_the_file_and_the_field(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text('e5_scope = "bogus"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"config\.toml: e5_scope: ") as caught:
        load_settings(home=home)
    assert str(home / "config.toml") in str(caught.value)
    result = CliRunner().invoke(app, ["--home", str(home), "enrich", "--dry-run"])
    assert result.exit_code == 2
    assert "e5_scope" in result.output and "Traceback" not in result.output


def test_a_bad_environment_value_names_the_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIVICPULSE_ENGINE", "oracle")
    with pytest.raises(ConfigError, match=r"CIVICPULSE_\* variable: engine: "):
        load_settings(home=tmp_path / "home")


def test_unreadable_toml_is_a_config_error(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("e5_scope = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"config\.toml"):
        load_settings(home=home)
