"""Settings: the only module that reads the environment.

Order of precedence: command-line argument, then environment (``CIVICPULSE_*``), then the
home's ``config.toml``, then the defaults below. Secrets are never written in files: a file says
``{"$env": "NAME"}`` and :func:`resolve_secret` reads the variable at the moment of use.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from civicpulse.errors import ConfigError

Engine = Literal["duckdb", "spark"]
Lang = Literal["ru", "en", "kk", "az"]


class Settings(BaseSettings):
    """What a run needs to know; every field can be set as ``CIVICPULSE_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="CIVICPULSE_", extra="ignore")

    home: Path = Field(default=Path("civicpulse-home"), description="Data home directory.")
    engine: Engine = Field(default="duckdb", description="Query engine for metrics and ratings.")
    lang: Lang = Field(default="ru", description="Language of reports.")
    spark_master: str = Field(default="local[2]", description="Spark master URL for --engine spark.")
    models_dir: Path | None = Field(
        default=None,
        description="Directory of sentiment and topics models (heads, manifest, optional encoder.bin) "
        "replacing the shipped ones; written by python -m civicpulse.enrich.train --out.",
    )
    e5_scope: Literal["mentions", "all", "none"] = Field(
        default="mentions",
        description="Messages the slower e5 path reads for sentiment and topics: those that mention an "
        "authority (default), all, or none (fast linear model only).",
    )


def load_settings(**overrides: Any) -> Settings:
    """Build settings: explicit overrides, then environment, then ``<home>/config.toml``."""
    given = {k: v for k, v in overrides.items() if v is not None}
    settings = _settings(given, "the command line or a CIVICPULSE_* variable")
    config_file = settings.home / "config.toml"
    if config_file.exists():
        try:
            from_file = tomllib.loads(config_file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{config_file}: {exc}") from exc
        env_set = {name for name in Settings.model_fields if f"CIVICPULSE_{name.upper()}" in os.environ}
        merged = {k: v for k, v in from_file.items() if k in Settings.model_fields and k not in env_set}
        merged.update(given)
        settings = _settings(merged, str(config_file))
    return settings


def _settings(values: dict[str, Any], where: str) -> Settings:
    """``Settings(**values)``; a bad value is a :class:`ConfigError` naming where it came from and the field."""
    try:
        return Settings(**values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'settings'}: {error['msg']}" for error in exc.errors()
        )
        raise ConfigError(f"{where}: {problems}") from None


def home_settings(home: Path | None) -> Settings:
    """The settings in force for the data home at ``home`` when no command line resolved them:
    ``CIVICPULSE_*`` variables, then ``<home>/config.toml``, then the defaults (without a home, no
    file is read). Library entry points that take a data home use it as their default."""
    return Settings() if home is None else load_settings(home=home)


def resolve_secret(value: Any, *, what: str) -> str:
    """Turn a secret reference ``{"$env": "NAME"}`` (or a plain string) into its value."""
    if isinstance(value, dict) and set(value) == {"$env"}:
        name = str(value["$env"])
        secret = os.environ.get(name)
        if not secret:
            raise ConfigError(f"{what}: environment variable {name} is not set")
        return secret
    if isinstance(value, str) and value:
        return value
    raise ConfigError(f'{what}: expected a string or {{"$env": "NAME"}}')
