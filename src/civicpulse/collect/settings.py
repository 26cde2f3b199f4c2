"""Per-platform collection settings, read from ``<home>/config.toml``.

::

    [collect]                       # shared defaults for every platform
    user_agent = "civicpulse (+https://example.org/contact)"

    [collect.vk]
    token = {"$env" = "VK_TOKEN"}   # a secret reference; a plain string works but is discouraged
    rate = 3                        # requests per second for this token
    base_url = "http://127.0.0.1:8080/method/"   # tests point this at the fake server

A platform without a ``[collect.<platform>]`` table is not collected. Secrets are resolved through
:func:`civicpulse.config.resolve_secret` when the settings are built, and kept as ``SecretStr`` so
that printing settings never shows them.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, SecretStr, ValidationError

from civicpulse.config import resolve_secret
from civicpulse.errors import ConfigError

CONFIG_FILE = "config.toml"


def _secret_reference(value: Any) -> Any:
    """A secret given as ``{"$env" = "NAME"}`` read from the environment; other values pass as they are."""
    if isinstance(value, dict):
        try:
            return resolve_secret(value, what="the secret reference")
        except ConfigError as exc:
            raise ValueError(str(exc)) from None
    return value


SecretSetting = Annotated[SecretStr, BeforeValidator(_secret_reference)]
"""A connector's secret besides ``token`` (an app secret, an API hash): a secret reference or a string.

A subclass that declares one adds it to :meth:`ConnectorSettings.secret_values`, so that it is
redacted everywhere the token is.
"""


class ConnectorSettings(BaseModel):
    """What every connector accepts; a platform subclasses it to add its own options.

    Times are in seconds. Defaults are conservative: a platform's documented limits go in its
    subclass, and users lower them in ``config.toml`` when they share a token.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    token: SecretStr | None = Field(default=None, description="Access token (resolved from its secret reference).")
    base_url: str = Field(default="", description="API base URL; tests point it at a local fake server.")
    user_agent: str = Field(default="civicpulse", description="User-Agent header of every request.")
    rate: float = Field(default=1.0, gt=0, description="Requests per second allowed for one token.")
    burst: int = Field(default=1, ge=1, description="Requests that may go out back to back before the rate applies.")
    timeout: float = Field(default=30.0, gt=0, description="Seconds to wait for a response.")
    attempts: int = Field(default=5, ge=1, description="Tries per request on transient faults.")
    backoff_initial: float = Field(default=1.0, ge=0, description="First backoff between tries.")
    backoff_max: float = Field(default=60.0, ge=0, description="Longest backoff between tries.")
    backoff_jitter: float = Field(default=1.0, ge=0, description="Random extra wait added to each backoff.")
    max_wait: float = Field(
        default=300.0, ge=0, description="Longest Retry-After honoured; longer skips the target until the next run."
    )
    daily_quota: int | None = Field(default=None, ge=1, description="Units per day for this token (None: unknown).")
    quota_reset_tz: str = Field(default="UTC", description="Time zone whose midnight resets the daily quota.")
    reset_headers: tuple[str, ...] = Field(
        default=("x-rate-limit-reset", "x-ratelimit-reset"),
        description="Response headers giving when a rate window resets (epoch or seconds).",
    )
    remaining_headers: tuple[str, ...] = Field(
        default=("x-rate-limit-remaining", "x-ratelimit-remaining"),
        description="Response headers giving requests left in the window; 0 pauses until the reset.",
    )
    commit_every: int = Field(
        default=20,
        ge=1,
        description="Pages per committed batch (a crash refetches at most these).",
    )
    backfill_days: int = Field(default=30, ge=1, description="How far back the first collection of a page goes.")
    refresh_days: int = Field(default=7, ge=0, description="Posts this recent are observed again on every run.")
    mention_backfill_days: int = Field(default=7, ge=1, description="How far back the first mention search goes.")
    mention_overlap_minutes: int = Field(default=60, ge=0, description="Overlap between consecutive mention searches.")
    author_refresh_days: int = Field(
        default=30, ge=0, description="Authors profiled more recently than this are not fetched again."
    )

    def secret_values(self) -> list[str]:
        """Every secret these settings hold, for redaction."""
        return [self.token.get_secret_value()] if self.token is not None else []


S = TypeVar("S", bound=ConnectorSettings)


def config_path(home: Path) -> Path:
    return home / CONFIG_FILE


def read_collect_config(home: Path) -> dict[str, Any]:
    """The ``[collect]`` table of the home's ``config.toml`` (empty when there is none)."""
    path = config_path(home)
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    table = data.get("collect", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [collect] must be a table")
    return table


def configured_platforms(config: dict[str, Any]) -> list[str]:
    """Platforms that have a ``[collect.<platform>]`` table."""
    return [name for name, value in config.items() if isinstance(value, dict)]


def settings_for(model: type[S], platform: str, config: dict[str, Any], *, where: str = CONFIG_FILE) -> S:
    """Validate the ``[collect.<platform>]`` table (over the shared ``[collect]`` keys) as ``model``.

    Raises :class:`ConfigError` naming the file, the table and the field, e.g.
    ``config.toml [collect.vk] rate: Input should be greater than 0``.
    """
    table = config.get(platform)
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: no [collect.{platform}] table: add one to collect from {platform}")
    shared = {k: v for k, v in config.items() if not isinstance(v, dict) and k in model.model_fields}
    values: dict[str, Any] = {**shared, **table}
    section = f"{where} [collect.{platform}]"
    if "token" in values:
        values["token"] = resolve_secret(values["token"], what=f"{section} token")
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        lines = [f"{section} {'.'.join(str(p) for p in e['loc'])}: {_reason(e)}" for e in exc.errors()]
        raise ConfigError("\n".join(lines)) from None


def _reason(error: Any) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown setting"
    return str(error["msg"])
