"""Every error civicpulse raises on purpose, in one tree.

::

    CivicpulseError                 base: a message meant for the user, never a traceback
    ├── ConfigError                 bad settings, missing secret references
    ├── RegistryError               registry YAML invalid (carries key path and line)
    │   └── RegistryMissing         no registry loaded in this home
    ├── RecordError                 canonical input invalid (carries file:line: field: reason list)
    ├── MappingError                an import mapping file invalid (carries key path and line)
    ├── StoreError                  the data home cannot be read or written
    │   └── AlreadyImported         the same content was committed before (not a failure)
    ├── MethodologyError            methodology YAML invalid or refers to unknown metrics
    ├── PeriodError                 a week or month label that cannot be parsed
    ├── EngineError                 the query engine (DuckDB, Spark) cannot run
    └── CollectError                a connector fault for one target
        ├── TransientError          retry later (rate limit, 5xx, timeout, truncated body)
        │   └── QuotaExhausted      the daily quota is spent: stop the platform, resume on the next run
        └── TerminalError           stop this target, go on with the others (private, deleted)
            └── TokenError          the token is refused or expired: stop the whole platform

``transient`` and ``platform_wide`` are class traits: retry logic asks ``error.transient`` (and a
collection run ``error.platform_wide``) and never inspects messages. The CLI maps every
``CivicpulseError`` to exit code 2 with the message only; the web layer maps the classes to HTTP
statuses in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class CivicpulseError(Exception):
    """A failure the user can act on; ``str(error)`` is the whole message."""

    transient: bool = False
    exit_code: int = 2


class ConfigError(CivicpulseError):
    """Settings that cannot be used as given."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an input, located as precisely as the input allows."""

    where: str
    """``file:line`` (or a YAML key path with its line)."""
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.field}: {self.reason}"


class ProblemsError(CivicpulseError):
    """An input with located problems; shows at most ``shown`` of them, then how many more there are."""

    shown = 50

    def __init__(
        self, headline: str, problems: Sequence[Problem], hidden: int = 0, unit: str = "", *, limit: bool = True
    ) -> None:
        self.headline = headline
        self.problems = list(problems)
        if limit and len(self.problems) > self.shown:
            hidden += len(self.problems) - self.shown
            self.problems = self.problems[: self.shown]
        self.hidden = hidden
        self.unit = unit
        super().__init__(self.render())

    def render(self) -> str:
        lines = [self.headline]
        lines += [str(p) for p in self.problems]
        if self.hidden > 0:
            lines.append(f"... and {self.hidden} more{' ' + self.unit if self.unit else ''}")
        return "\n".join(lines)


class RegistryError(ProblemsError):
    """The registry YAML is not valid; every problem names its key path and line."""


class RegistryMissing(CivicpulseError):
    """No registry has been loaded into this data home."""


class RecordError(ProblemsError):
    """Canonical records that cannot be imported; problems read ``file:line: field: reason``."""


class MappingError(ProblemsError):
    """An import mapping (YAML: export columns to canonical fields) that cannot be used."""


class StoreError(CivicpulseError):
    """The data home cannot be read or written as expected."""


class AlreadyImported(StoreError):
    """The same bytes were imported and committed before; importing them again changes nothing."""

    exit_code = 0


class MethodologyError(ProblemsError):
    """A methodology file that cannot be used."""


class PeriodError(CivicpulseError):
    """A period label (``2024-W10``, ``2024-03``) that cannot be parsed."""


class EngineError(CivicpulseError):
    """The query engine is not available or failed."""


class CollectError(CivicpulseError):
    """A connector fault, always naming the target it happened on."""

    platform_wide: bool = False
    """True when the fault stops every remaining target of the platform in this run."""

    def __init__(self, target: str, reason: str) -> None:
        self.target = target
        self.reason = reason
        super().__init__(f"{target}: {reason}")


class TransientError(CollectError):
    """Worth retrying after a pause: rate limits, server errors, timeouts, truncated bodies."""

    transient = True

    def __init__(self, target: str, reason: str, retry_after: float | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(target, reason)


class TerminalError(CollectError):
    """Not worth retrying: the target is private or gone, or the token is refused."""


class QuotaExhausted(TransientError):
    """The platform's daily quota (or a per-method daily limit) is spent; retrying today is pointless."""

    platform_wide = True


class TokenError(TerminalError):
    """The platform refused the token (invalid, expired, revoked): no target can be collected with it."""

    platform_wide = True
