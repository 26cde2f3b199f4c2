"""Graph API errors and throttling signals, shared by the Facebook and Instagram connectors.

The Instagram Graph API is served by the Facebook Graph API (``graph.facebook.com``): one error
envelope, ``{"error": {"message", "type", "code", "error_subcode", "is_transient",
"error_user_title", "error_user_msg", "fbtrace_id"}}`` sent with HTTP 4xx or 5xx, and the same
usage headers. Codes: https://developers.facebook.com/docs/graph-api/guides/error-handling and
https://developers.facebook.com/docs/graph-api/overview/rate-limiting.

==========================================  ===========================================  =========================
code                                        meaning                                      class
==========================================  ===========================================  =========================
4, 17, 613, 80001-80014                     app, user, custom or business use case rate  TransientError (waits);
                                            limit                                        QuotaExhausted (platform)
                                                                                         past ``max_wait``
32                                          a page's rate limit                          TransientError (target)
1, 2, or ``is_transient: true``             unknown or temporary Graph API failure       TransientError
190 (subcodes 458-467...), 102              the token is invalid, expired or revoked     TokenError (platform)
100 (subcode 33), 110, 803                  the object does not exist or cannot be seen  TerminalError (target)
10, 200-299                                 permission missing (a feature not approved)  TerminalError (target)
others                                                                                   TerminalError (target)
==========================================  ===========================================  =========================

While comments of one post are read, "does not exist" and permission errors concern that post
only: the pass notes them and goes on.

**Usage headers.** ``X-App-Usage`` and ``X-Page-Usage`` carry ``{"call_count", "total_cputime",
"total_time"}`` as percentages of the limit; ``X-Business-Use-Case-Usage`` carries, per business
object, a list of ``{"type", "call_count", "total_cputime", "total_time",
"estimated_time_to_regain_access"}`` (minutes). :func:`read_usage` reduces them to the highest
percentage and the longest wait, which the connectors honour before the limit is hit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

import orjson

from civicpulse.collect.http import labelled
from civicpulse.collect.values import as_bool, as_int, items, mapping
from civicpulse.errors import CollectError, QuotaExhausted, TerminalError, TokenError, TransientError

Scope = Literal["rate", "transient", "token", "missing", "permission", "target"]

RATE: Final = frozenset({4, 17, 32, 613, *range(80001, 80015)})
PAGE_RATE: Final = frozenset({32})
TRANSIENT: Final = frozenset({1, 2})
TOKEN: Final = frozenset({190, 102})
MISSING: Final = frozenset({100, 110, 803})
PERMISSION: Final = frozenset({10, *range(200, 300)})
USAGE_HEADERS: Final = ("x-app-usage", "x-page-usage", "x-business-use-case-usage")
LABELS: Final = {
    "rate": "rate limit",
    "transient": "server error",
    "token": "token",
    "missing": "not found",
    "permission": "permission",
}


@dataclass(frozen=True)
class GraphError:
    """One error the Graph API reported for a request."""

    status: int
    code: int
    subcode: int | None
    message: str
    transient: bool
    user_message: str | None = None
    method: str | None = None

    @property
    def scope(self) -> Scope:
        if self.code in TOKEN:
            return "token"
        if self.code in RATE:
            return "rate"
        if self.code in TRANSIENT or self.transient:
            return "transient"
        if self.code in MISSING:
            return "missing"
        if self.code in PERMISSION:
            return "permission"
        return "target"

    @property
    def label(self) -> str:
        return LABELS.get(self.scope, f"Graph error {self.code}")

    def describe(self) -> str:
        where = f"{self.method}: " if self.method else ""
        sub = f"/{self.subcode}" if self.subcode else ""
        user = f" ({self.user_message})" if self.user_message else ""
        return f"{where}Graph API error {self.code}{sub}: {self.message}{user}"

    @classmethod
    def from_payload(cls, error: Any, status: int = 0, method: str | None = None) -> GraphError:
        """Read an ``error`` object; tolerates missing fields and numbers as strings."""
        body = mapping(error)
        if not body:
            return cls(status, 0, None, f"unreadable error object {str(error)[:80]!r}", False, method=method)
        user = ": ".join(str(body[k]) for k in ("error_user_title", "error_user_msg") if body.get(k))
        return cls(
            status=status,
            code=as_int(body.get("code")) or 0,
            subcode=as_int(body.get("error_subcode")),
            message=str(body.get("message") or "no message")[:300],
            transient=as_bool(body.get("is_transient")),
            user_message=user[:200] or None,
            method=method,
        )


def error_for(error: GraphError, target: str, wait: float | None, max_wait: float, where: str) -> CollectError:
    """The civicpulse error to raise for ``error`` (see the table in the module docstring).

    ``wait``: seconds the usage headers say the token must rest; ``where``: the settings table to
    name in token errors (``[collect.facebook]``).
    """
    scope = error.scope
    if scope == "rate":
        if wait is not None and wait > max_wait and error.code not in PAGE_RATE:
            reason = f"{error.describe()}; the token may call again in {wait / 60:.0f} min, after this run"
            return labelled(QuotaExhausted(target, reason), error.label)
        return labelled(TransientError(target, error.describe(), retry_after=wait), error.label)
    if scope == "transient":
        return labelled(TransientError(target, error.describe(), retry_after=wait), error.label)
    if scope == "token":
        return labelled(TokenError(target, f"{error.describe()} (renew the token in {where})"), error.label)
    return labelled(TerminalError(target, error.describe()), error.label)


@dataclass(frozen=True)
class Usage:
    """How close a token is to its rate limits, from the usage headers of one response."""

    percent: float = 0.0
    """The highest of call count, CPU time and total time, in percent of the limit."""
    regain_seconds: float = 0.0
    """The longest ``estimated_time_to_regain_access``, in seconds (0 when not throttled)."""


def read_usage(headers: Mapping[str, str]) -> Usage:
    """The usage headers of a response, reduced to :class:`Usage`; unreadable headers count as none."""
    percent, regain = 0.0, 0.0
    for name in USAGE_HEADERS:
        raw = headers.get(name)
        if not raw:
            continue
        try:
            value = orjson.loads(raw)
        except orjson.JSONDecodeError:
            continue
        entries: list[Any] = [value] if name != "x-business-use-case-usage" else []
        for per_object in mapping(value).values() if name == "x-business-use-case-usage" else []:
            entries += items(per_object)
        for entry in entries:
            metrics = mapping(entry)
            for key in ("call_count", "total_cputime", "total_time"):
                percent = max(percent, _number(metrics.get(key)))
            regain = max(regain, 60.0 * _number(metrics.get("estimated_time_to_regain_access")))
    return Usage(percent, regain)


def _number(value: Any) -> float:
    if isinstance(value, bool):
        return 0.0
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return 0.0
